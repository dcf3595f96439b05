// pagemill dev's part of the client runtime, loaded after pagemill.js: the error overlay
// (server errors, failed navigations, load errors) and the live-update channel that
// refreshes the page after an edit. Never served by `pagemill start`.
(() => {
  "use strict";

  if (typeof document === "undefined" || window.pagemillOverlay) return;
  const script =
    document.currentScript || document.querySelector('script[src*="/_next/static/chunks/overlay"]');
  const src = new URL(script.src, location.href).pathname;
  const basePath = src.slice(0, src.indexOf("/_next/static/"));

  const CSS =
    "#pagemill-error-overlay{position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
    "background:rgba(0,0,0,.6);font:14px/1.5 system-ui,sans-serif;color:#222}" +
    "#pagemill-error-overlay .pm-box{position:relative;max-width:960px;margin:40px auto;" +
    "padding:24px;background:#fff;border-top:6px solid #d32f2f;border-radius:6px}" +
    "#pagemill-error-overlay h1{margin:0 0 8px;font-size:20px;color:#d32f2f}" +
    "#pagemill-error-overlay pre{margin:0;overflow:auto;white-space:pre-wrap;" +
    "font:13px/1.5 ui-monospace,monospace}" +
    "#pagemill-error-overlay .pm-request{color:#666}" +
    "#pagemill-error-overlay details{margin-top:12px}" +
    "#pagemill-error-overlay summary{cursor:pointer}" +
    "#pagemill-error-overlay .pm-library summary{color:#888}" +
    "#pagemill-error-overlay details pre{padding:8px;background:#f6f6f6}" +
    "#pagemill-error-overlay .pm-failing{display:block;background:#fdd;font-weight:bold}" +
    "#pagemill-error-overlay .pm-close{position:absolute;top:12px;right:12px;font-size:20px;" +
    "border:0;background:none;cursor:pointer}";

  let styled = false;

  function element(tag, attributes, text) {
    if (!styled) {
      styled = true;
      document.head.appendChild(element("style", { id: "pagemill-overlay-style" }, CSS));
    }
    const node = document.createElement(tag);
    for (const name in attributes) node.setAttribute(name, attributes[name]);
    if (text !== undefined) node.textContent = text; // text only: error text is never HTML
    return node;
  }

  let overlay = null;

  function show(error, source) {
    hide();
    const attributes = { id: "pagemill-error-overlay", role: "dialog", "aria-modal": "true" };
    const panel = element("div", attributes);
    const box = panel.appendChild(element("div", { class: "pm-box" }));
    const close = box.appendChild(
      element("button", { type: "button", class: "pm-close", "aria-label": "Close" }, "\u00d7")
    );
    close.addEventListener("click", () => hide());
    box.appendChild(element("h1", {}, String(error.name || "Error")));
    box.appendChild(element("pre", { class: "pm-message" }, String(error.message || "")));
    if (error.request) {
      const { method, url } = error.request;
      box.appendChild(element("p", { class: "pm-request" }, `${method} ${url}`));
    }
    for (const frame of error.frames || []) {
      // The app's own frames open; the library's collapsed.
      const details = element("details", { class: frame.app ? "pm-app" : "pm-library" });
      details.open = !!frame.app;
      const where = `${frame.file}:${frame.line}`;
      const title = frame.function ? `${where} in ${frame.function}` : where;
      details.appendChild(element("summary", {}, title));
      const code = details.appendChild(element("pre"));
      for (const [number, text] of frame.source || []) {
        const line = `${String(number).padStart(5)}  ${text}\n`;
        const failing = number === frame.line ? { class: "pm-failing" } : {};
        code.appendChild(element("span", failing, line));
      }
      box.appendChild(details);
    }
    overlay = { panel, source };
    document.body.appendChild(panel);
  }

  /** Close the overlay; with `source`, only an overlay that source opened. */
  function hide(source) {
    if (!overlay || (source && overlay.source !== source)) return;
    overlay.panel.remove();
    overlay = null;
  }

  window.pagemillOverlay = Object.freeze({ show, hide });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hide();
  });

  if (window.EventSource) {
    const source = new EventSource(basePath + "/_pagemill/events");
    source.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      const router = window.pagemill && window.pagemill.router;
      if (message.type === "refresh") {
        if (router) router.reload();
        else location.reload();
      } else if (message.type === "reload") location.reload();
      else if (message.type === "error") show(message.error || {}, "server");
      else if (message.type === "ok") hide();
    });
  }
})();
