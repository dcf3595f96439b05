// The review form's rating as five stars to click (plain JavaScript, no library). The form
// still posts its <select name="rating">: the stars set it, and it comes back if the island
// is cleaned up. Without JavaScript the select is the whole control.
export function mount(element, props, { signal }) {
  const select = element.querySelector("select");
  const group = document.createElement("span");
  group.className = "star-input";
  group.setAttribute("role", "radiogroup");
  group.setAttribute("aria-label", props.label);
  const buttons = props.labels.map((label, index) => {
    const star = document.createElement("button");
    star.type = "button";
    star.textContent = "★";
    star.setAttribute("role", "radio");
    star.setAttribute("aria-label", label);
    star.addEventListener("click", () => choose(index + 1), { signal });
    star.addEventListener("mouseenter", () => paint(index + 1), { signal });
    star.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[event.key];
      if (!step) return;
      event.preventDefault();
      choose(Math.min(5, Math.max(1, Number(select.value) + step)));
      buttons[Number(select.value) - 1].focus();
    }, { signal });
    return star;
  });
  group.addEventListener("mouseleave", () => paint(Number(select.value)), { signal });

  function paint(upTo) {
    buttons.forEach((star, index) => star.classList.toggle("lit", index < upTo));
  }
  function choose(stars) {
    select.value = String(stars);
    buttons.forEach((star, index) => {
      star.setAttribute("aria-checked", String(index + 1 === stars));
      star.tabIndex = index + 1 === stars ? 0 : -1;
    });
    paint(stars);
  }

  group.append(...buttons);
  select.hidden = true;
  select.after(group);
  choose(Number(select.value) || 5);
  return () => {
    group.remove();
    select.hidden = false;
  };
}
