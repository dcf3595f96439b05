// pagemill client runtime: reads the page's __NEXT_DATA__ so app scripts can use it.
(() => {
  "use strict";
  const element = document.getElementById("__NEXT_DATA__");
  const data = element ? JSON.parse(element.textContent) : null;
  window.pagemill = Object.freeze({ data });
})();
