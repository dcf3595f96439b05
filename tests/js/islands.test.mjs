// The island runtime's lifecycle under Node's own runner, over the small fake DOM.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createIslands } from "../../src/pagemill/client/islands.js";
import { h, page } from "./fakedom.mjs";

/** The markup `pagemill.island(name, props)[fallback]` renders. */
function island(name, props, ...fallback) {
  const json = h("script", { type: "application/json", "data-island-props": "" }, JSON.stringify(props));
  return h("div", { "data-island": name, "data-pm-keep": `${name}:${JSON.stringify(props)}` }, json, ...fallback);
}

/** Modules by URL (`/<name>.js`, or `/v2/<name>.js` after a dev edit), a log of what they did. */
function setup(modules) {
  const log = [];
  const errors = [];
  const body = page();
  let prefix = "/";
  const islands = createIslands(
    body,
    async (url) => {
      const module = modules[url];
      if (!module) throw new Error(`404 ${url}`);
      return module(log);
    },
    (name) => (name === "missing" ? null : `${prefix}${name}.js`),
    { error: (...parts) => errors.push(parts.map(String).join(" ")) },
  );
  const settle = () => new Promise((resolve) => setTimeout(resolve));
  return { body, islands, log, errors, settle, moveTo: (next) => (prefix = next) };
}

const counter = (log) => ({
  mount(element, props, context) {
    log.push(`mount ${context.name} ${props.start}`);
    element.replaceChildren(h("button", {}, String(props.start)));
    context.signal.addEventListener("abort", () => log.push(`aborted ${props.start}`));
    return () => log.push(`cleanup ${props.start}`);
  },
});

describe("islands", () => {
  test("an island mounts with its props, in place of its fallback", async () => {
    const { body, islands, log, settle } = setup({ "/counter.js": counter });
    const element = island("counter", { start: 3 }, h("p", {}, "loading"));
    body.appendChild(element);
    islands.scan();
    assert.deepEqual(log, [], "modules load asynchronously");
    await settle();
    assert.deepEqual(log, ["mount counter 3"]);
    assert.equal(element.outerHTML.includes("<button>3</button>"), true);
  });

  test("a kept element is not mounted again", async () => {
    const { body, islands, log, settle } = setup({ "/counter.js": counter });
    body.appendChild(island("counter", { start: 1 }));
    islands.scan();
    await settle();
    body.appendChild(h("p", {}, "the morph changed something else"));
    islands.scan();
    await settle();
    assert.deepEqual(log, ["mount counter 1"]);
  });

  test("a removed island is cleaned up and its signal aborted", async () => {
    const { body, islands, log, settle } = setup({ "/counter.js": counter });
    const element = island("counter", { start: 1 });
    body.appendChild(element);
    islands.scan();
    await settle();
    body.removeChild(element);
    islands.scan();
    assert.deepEqual(log, ["mount counter 1", "aborted 1", "cleanup 1"]);
    assert.equal(islands.live.size, 0);
  });

  test("changed props: the old one is cleaned up before the new one mounts", async () => {
    const { body, islands, log, settle } = setup({ "/counter.js": counter });
    const old = island("counter", { start: 1 });
    body.appendChild(old);
    islands.scan();
    await settle();
    old.replaceWith(island("counter", { start: 2 }, h("p", {}, "fallback")));
    islands.scan();
    await settle();
    assert.deepEqual(log.filter((entry) => !entry.startsWith("aborted")), [
      "mount counter 1",
      "cleanup 1",
      "mount counter 2",
    ]);
  });

  test("changed props go to update when the module has it: element and state stay", async () => {
    const badge = (log) => ({
      mount(element, props) {
        element.setAttribute("data-mounted", "yes");
        element.replaceChildren(h("b", {}, `badge ${props.n}`));
        log.push(`mount ${props.n}`);
      },
      update(element, props) {
        element.firstChild.textContent = `badge ${props.n}`;
        log.push(`update ${props.n}`);
      },
    });
    const { body, islands, log, settle } = setup({ "/badge.js": badge });
    const mounted = island("badge", { n: 1 });
    mounted.setAttribute("class", "old");
    body.appendChild(mounted);
    islands.scan();
    await settle();
    const shown = mounted.firstChild;
    const next = island("badge", { n: 2 }, "fallback 2");
    next.setAttribute("title", "new");
    mounted.replaceWith(next); // what the morph does with another data-pm-keep
    islands.scan();
    assert.equal(body.childNodes[0], mounted, "the mounted element is back in place");
    assert.equal(mounted.firstChild, shown);
    assert.equal(mounted.textContent, "badge 2");
    assert.equal(mounted.getAttribute("data-pm-keep"), 'badge:{"n":2}');
    assert.equal(mounted.getAttribute("title"), "new");
    assert.equal(mounted.getAttribute("class"), null, "the markup dropped it");
    assert.equal(mounted.getAttribute("data-mounted"), "yes", "the island's own attribute stays");
    assert.deepEqual(log, ["mount 1", "update 2"]);
    islands.scan();
    assert.deepEqual(log, ["mount 1", "update 2"], "put back, it is not new");
  });

  test("a mount that throws leaves the fallback and names the island", async () => {
    const boom = () => ({
      mount(element) {
        element.replaceChildren(h("p", {}, "half-mounted"));
        throw new Error("the widget broke");
      },
    });
    const { body, islands, errors, settle } = setup({ "/boom.js": boom });
    const element = island("boom", {}, h("p", {}, "fallback"));
    body.appendChild(element);
    islands.scan();
    await settle();
    assert.equal(element.textContent, '{}fallback');
    assert.equal(errors.length, 1);
    assert.match(errors[0], /island "boom" failed to mount: Error: the widget broke/);
  });

  test("under pagemill dev a failing island also shows in the error overlay", async () => {
    const shown = [];
    globalThis.pagemillOverlay = { show: (error, source) => shown.push([error, source]) };
    try {
      const boom = () => ({
        mount() {
          throw new Error("the widget broke");
        },
      });
      const { body, islands, settle } = setup({ "/boom.js": boom });
      body.appendChild(island("boom", {}, "fallback"));
      islands.scan();
      await settle();
    } finally {
      delete globalThis.pagemillOverlay;
    }
    assert.deepEqual(shown, [
      [{ name: 'pagemill: island "boom" failed to mount:', message: "Error: the widget broke" }, "island"],
    ]);
  });

  test("a module that does not load, or no module at all, is logged with the name", async () => {
    const { body, islands, errors, settle } = setup({});
    body.appendChild(island("gone", {}, "fallback"));
    body.appendChild(island("missing", {}, "fallback"));
    islands.scan();
    await settle();
    assert.deepEqual(errors.sort(), [
      'pagemill: island "gone" failed to load: Error: 404 /gone.js',
      'pagemill: island "missing" failed to load: Error: no module on this page',
    ]);
  });

  test("an island removed before its module arrived never mounts", async () => {
    const { body, islands, log, settle } = setup({ "/counter.js": counter });
    const element = island("counter", { start: 1 });
    body.appendChild(element);
    islands.scan();
    body.removeChild(element);
    islands.scan();
    await settle();
    assert.deepEqual(log, []);
  });

  test("remount (a dev edit): cleanup, the fallback again, then the new module", async () => {
    const edited = (log) => ({
      mount(element, props) {
        log.push(`edited mount ${props.start} over ${element.textContent}`);
      },
    });
    const { body, islands, log, settle, moveTo } = setup({
      "/counter.js": counter,
      "/v2/counter.js": edited,
    });
    body.appendChild(island("counter", { start: 4 }, "fallback"));
    islands.scan();
    await settle();
    moveTo("/v2/");
    islands.remount(["other"]);
    await settle();
    assert.deepEqual(log, ["mount counter 4"], "another island's edit");
    islands.remount(["counter"]);
    await settle();
    assert.deepEqual(log.filter((entry) => !entry.startsWith("aborted")), [
      "mount counter 4",
      "cleanup 4",
      'edited mount 4 over {"start":4}fallback',
    ]);
  });
});
