// pagemill's island runtime, loaded only by pages with islands: mounts each [data-island]
// element's module with its props, and keeps islands in step as navigations morph the page.

/** `scan()` after any change: mount new islands, clean up removed ones, update changed ones. */
export function createIslands(root, importModule, urlOf, log) {
  const live = new Map(); // element → instance

  function propsOf(instance) {
    for (const node of instance.fallback) {
      if (node.nodeName === "SCRIPT" && node.hasAttribute("data-island-props")) {
        return JSON.parse(node.textContent);
      }
    }
    return {};
  }

  const names = (element) => Array.from(element.attributes, (a) => a.name);
  const copy = (nodes) => Array.from(nodes, (node) => node.cloneNode(true));
  function fail(instance, what, error) {
    const text = `pagemill: island "${instance.name}" failed to ${what}:`;
    log.error(text, error);
    const overlay = globalThis.pagemillOverlay; // `pagemill dev` shows it over the page too
    if (overlay) overlay.show({ name: text, message: String(error) }, "island");
  }

  function start(element) {
    const instance = { element, name: element.getAttribute("data-island") };
    instance.fallback = copy(element.childNodes);
    instance.attributes = names(element);
    live.set(element, instance);
    load(instance);
  }

  function load(instance) {
    const url = (instance.url = urlOf(instance.name));
    if (!url) return fail(instance, "load", new Error("no module on this page"));
    importModule(url).then(
      (module) => {
        if (live.get(instance.element) === instance && instance.url === url) mount(instance, module);
      },
      (error) => fail(instance, "load", error),
    );
  }

  function mount(instance, module) {
    const { element, name } = instance;
    const controller = (instance.controller = new AbortController());
    instance.context = { name, signal: controller.signal };
    try {
      const cleanup = module.mount(element, propsOf(instance), instance.context);
      instance.module = module;
      instance.cleanup = typeof cleanup === "function" ? cleanup : null;
    } catch (error) {
      // Undo what it did: the fallback stays.
      element.replaceChildren(...copy(instance.fallback));
      fail(instance, "mount", error);
    }
  }

  function unmount(instance) {
    const cleanup = instance.cleanup;
    instance.module = instance.cleanup = null;
    if (instance.controller) instance.controller.abort();
    try {
      if (cleanup) cleanup();
    } catch (error) {
      fail(instance, "clean up", error);
    }
  }

  // Changed props and an `update`: the mounted element (its state) replaces the new markup.
  function update(instance, element) {
    const kept = instance.element;
    // Attributes follow the markup; the island's own stay.
    for (const name of instance.attributes) {
      if (!element.hasAttribute(name)) kept.removeAttribute(name);
    }
    instance.attributes = names(element);
    for (const { name, value } of element.attributes) kept.setAttribute(name, value);
    instance.fallback = copy(element.childNodes);
    element.replaceWith(kept);
    live.set(kept, instance);
    try {
      instance.module.update(kept, propsOf(instance), instance.context);
    } catch (error) {
      fail(instance, "update", error);
    }
  }

  function scan() {
    const gone = [];
    for (const [element, instance] of live) {
      if (!element.isConnected) {
        live.delete(element);
        gone.push(instance);
      }
    }
    for (const element of root.querySelectorAll("[data-island]")) {
      if (live.has(element)) continue;
      const name = element.getAttribute("data-island");
      const index = gone.findIndex((old) => old.name === name && old.module && old.module.update);
      if (index >= 0) update(gone.splice(index, 1)[0], element);
      else start(element);
    }
    // Before any new island mounts (modules load asynchronously).
    for (const instance of gone) unmount(instance);
  }

  function remount(names) {
    for (const instance of live.values()) {
      if (names && !names.includes(instance.name)) continue;
      unmount(instance);
      instance.element.replaceChildren(...copy(instance.fallback));
      load(instance);
    }
  }

  return { scan, remount, live };
}

if (typeof document === "object") {
  const here = new URL(import.meta.url).pathname;
  const basePath = here.slice(0, here.indexOf("/_next/static/"));
  let prefix = null; // dev: where the edited islands are now
  const urlOf = (name) => {
    if (prefix) return `${prefix}${name}.js`;
    const link = document.querySelector(`link[data-island-module="${name}"]`);
    return link && link.href;
  };
  const islands = createIslands(document.body, (url) => import(url), urlOf, console);
  new MutationObserver(islands.scan).observe(document.body, { childList: true, subtree: true });
  islands.scan();

  const data = document.getElementById("__NEXT_DATA__");
  if (data && JSON.parse(data.textContent).buildId === "development" && window.EventSource) {
    // `pagemill dev`: edited islands mount again in place.
    new EventSource(basePath + "/_pagemill/events").addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.type !== "islands") return;
      prefix = basePath + message.prefix;
      islands.remount(message.names);
    });
  }
}
