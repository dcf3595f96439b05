// The runtime's pure parts under Node's own runner: `node --test tests/js`.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, test } from "node:test";

import { comment, fragment, h } from "./fakedom.mjs";

const require = createRequire(import.meta.url);
// Without a `document` the script hands its pure functions to `module.exports`.
const pm = require("../../src/pagemill/client/pagemill.js");

const site = { basePath: "", buildId: "B", locales: null, defaultLocale: undefined };
const i18n = { ...site, locales: ["en-US", "fr", "nl-NL"], defaultLocale: "en-US" };
const here = new URL("http://app.test/about?x=1");

describe("dataUrl", () => {
  const cases = [
    ["/", "", "/_next/data/B/index.json"],
    ["/blog/post-1", "?x=1", "/_next/data/B/blog/post-1.json?x=1"],
    ["/blog", "", "/_next/data/B/blog.json"],
    ["/catchall/a/b", "", "/_next/data/B/catchall/a/b.json"],
    ["/index", "", "/_next/data/B/index/index.json"],
    ["/index/foo", "", "/_next/data/B/index/index/foo.json"],
    ["/indexes", "", "/_next/data/B/indexes.json"],
    ["/about/", "", "/_next/data/B/about.json"],
    ["/blog/caf%C3%A9", "?q=a%20b", "/_next/data/B/blog/caf%C3%A9.json?q=a%20b"],
  ];
  for (const [path, search, expected] of cases) {
    test(`${path}${search}`, () => assert.equal(pm.dataUrl(path, search, site), expected));
  }

  test("the base path goes in front", () => {
    const docs = { ...site, basePath: "/docs" };
    assert.equal(pm.dataUrl("/", "", docs), "/docs/_next/data/B/index.json");
    assert.equal(pm.dataUrl("/a/b", "?c=d", docs), "/docs/_next/data/B/a/b.json?c=d");
  });

  test("with i18n the locale segment is always there", () => {
    assert.equal(pm.dataUrl("/fr", "", i18n), "/_next/data/B/fr.json");
    assert.equal(pm.dataUrl("/fr/about", "", i18n), "/_next/data/B/fr/about.json");
    assert.equal(pm.dataUrl("/about", "", i18n), "/_next/data/B/en-US/about.json");
    assert.equal(pm.dataUrl("/", "?a=1", i18n), "/_next/data/B/en-US.json?a=1");
    assert.equal(pm.dataUrl("/en-US", "", i18n), "/_next/data/B/en-US.json");
  });

  test("a locale segment matches case-insensitively and is sent as configured", () => {
    assert.equal(pm.dataUrl("/NL-nl/gssp", "", i18n), "/_next/data/B/nl-NL/gssp.json");
    assert.equal(pm.dataUrl("/french/x", "", i18n), "/_next/data/B/en-US/french/x.json");
  });

  test("i18n under a base path", () => {
    const both = { ...i18n, basePath: "/docs" };
    assert.equal(pm.dataUrl("/fr", "", both), "/docs/_next/data/B/fr.json");
  });
});

describe("appPath", () => {
  test("without a base path the path is the app's", () => {
    assert.equal(pm.appPath("/a", ""), "/a");
  });
  test("the base path is stripped; outside it there is no app path", () => {
    assert.equal(pm.appPath("/docs", "/docs"), "/");
    assert.equal(pm.appPath("/docs/a", "/docs"), "/a");
    assert.equal(pm.appPath("/docsy", "/docs"), null);
    assert.equal(pm.appPath("/", "/docs"), null);
  });
});

describe("routable", () => {
  const routable = (href, basePath = "") => pm.routable(new URL(href, here), here, basePath);

  test("pages of this app are the router's", () => {
    assert.ok(routable("/"));
    assert.ok(routable("/blog/post-1?x=2"));
    assert.ok(routable("/apis"));
    assert.ok(routable("/about?x=1"), "the page on screen, fetched again");
    assert.ok(routable("/blog#comments"), "a #hash on another page");
  });

  test("other origins are the browser's", () => {
    assert.ok(!routable("https://elsewhere.test/"));
    assert.ok(!routable("https://app.test/about"), "another scheme is another origin");
    assert.ok(!routable("http://app.test:8080/about"));
    assert.ok(!routable("mailto:someone@app.test"));
  });

  test("API routes and the framework's own URLs are the browser's", () => {
    assert.ok(!routable("/api"));
    assert.ok(!routable("/api/hello"));
    assert.ok(!routable("/_next/data/B/index.json"));
    assert.ok(!routable("/docs/api/hello", "/docs"));
    assert.ok(routable("/api/hello", "/docs") === false, "outside the base path");
  });

  test("URLs outside the base path are the browser's", () => {
    assert.ok(routable("/docs", "/docs"));
    assert.ok(routable("/docs/a", "/docs"));
    assert.ok(!routable("/a", "/docs"));
    assert.ok(!routable("/docsy", "/docs"));
  });

  test("a #hash on the page on screen is the browser's", () => {
    assert.ok(!routable("/about?x=1#part"));
    assert.ok(!routable("#part"));
    assert.ok(routable("/about#part"), "another query is another page");
  });
});

describe("plainClick", () => {
  const anchor = (attributes = {}) => h("a", { href: "/x", ...attributes });
  const click = (fields = {}) => ({
    button: 0,
    defaultPrevented: false,
    metaKey: false,
    ctrlKey: false,
    shiftKey: false,
    altKey: false,
    ...fields,
  });

  test("a plain left click is the router's", () => {
    assert.ok(pm.plainClick(click(), anchor()));
    assert.ok(pm.plainClick(click(), anchor({ target: "_self" })));
  });

  test("modifier and middle clicks are the browser's", () => {
    for (const key of ["metaKey", "ctrlKey", "shiftKey", "altKey"]) {
      assert.ok(!pm.plainClick(click({ [key]: true }), anchor()), key);
    }
    assert.ok(!pm.plainClick(click({ button: 1 }), anchor()));
  });

  test("other targets, downloads and handled clicks are the browser's", () => {
    assert.ok(!pm.plainClick(click(), anchor({ target: "_blank" })));
    assert.ok(!pm.plainClick(click(), anchor({ target: "frame" })));
    assert.ok(!pm.plainClick(click(), anchor({ download: "" })));
    assert.ok(!pm.plainClick(click({ defaultPrevented: true }), anchor()));
  });
});

describe("queryOf", () => {
  test("repeated keys become lists, + is a space", () => {
    const query = pm.queryOf("?a=1&b=x+y&a=2&a=3&c=");
    assert.deepEqual({ ...query }, { a: ["1", "2", "3"], b: "x y", c: "" });
  });
  test("no prototype games", () => {
    const query = pm.queryOf("?__proto__=1&constructor=2");
    assert.equal(query.__proto__, "1"); // eslint-disable-line no-proto
    assert.equal(query.constructor, "2");
  });
});

describe("morphChildren", () => {
  const morph = (live, ...next) => {
    const added = [];
    pm.morphChildren(live, fragment(...next), added);
    return added;
  };

  test("matched nodes stay the same objects; text and attributes follow the markup", () => {
    const title = h("h1", { class: "old" }, "Home");
    const input = h("input", { id: "q" });
    const live = h("div", {}, title, input);
    morph(live, h("h1", { class: "new", lang: "en" }, "About"), h("input", { id: "q" }));
    assert.equal(live.childNodes[0], title);
    assert.equal(live.childNodes[1], input);
    assert.equal(title.outerHTML, '<h1 class="new" lang="en">About</h1>');
    morph(live, h("h1", {}, "About"), h("input", { id: "q" }));
    assert.equal(title.outerHTML, "<h1>About</h1>", "attributes the markup dropped go");
  });

  test("an element with an id is found past new siblings put in before it", () => {
    const input = h("input", { id: "q" });
    const live = h("div", {}, h("nav", {}, "links"), input);
    const added = morph(live, h("nav", {}, "links"), h("p", {}, "banner"), h("input", { id: "q" }));
    assert.equal(live.childNodes[2], input);
    assert.equal(live.outerHTML, '<div><nav>links</nav><p>banner</p><input id="q"></input></div>');
    assert.deepEqual(added.map((node) => node.nodeName), ["P"]);
  });

  test("an element with an id is found past old siblings taken out", () => {
    const input = h("input", { id: "q" });
    const live = h("div", {}, h("p", {}, "a"), h("p", {}, "b"), input);
    morph(live, h("input", { id: "q" }));
    assert.equal(live.childNodes.length, 1);
    assert.equal(live.childNodes[0], input);
  });

  test("one removed node is skipped, so the nodes after it are kept", () => {
    const section = h("section", {}, "kept");
    const live = h("div", {}, h("h1", {}, "t"), h("aside", {}, "ad"), section);
    const added = morph(live, h("h1", {}, "t"), h("section", {}, "kept"));
    assert.equal(live.childNodes[1], section);
    assert.deepEqual(added, []);
  });

  test("an element with another tag or id is rebuilt", () => {
    const old = h("p", { id: "a" }, "x");
    const live = h("div", {}, old);
    const added = morph(live, h("p", { id: "b" }, "x"));
    assert.notEqual(live.childNodes[0], old);
    assert.equal(added.length, 1);
    morph(live, h("span", {}, "x"));
    assert.equal(live.outerHTML, "<div><span>x</span></div>");
  });

  test("typed text stays unless the markup's value changes", () => {
    const input = h("input", { id: "q", value: "a" });
    const live = h("div", {}, input);
    input.value = "typed";
    morph(live, h("input", { id: "q", value: "a" }));
    assert.equal(input.value, "typed");
    morph(live, h("input", { id: "q", value: "b" }));
    assert.equal(input.value, "b", "a new value from the server wins");
    assert.equal(input.getAttribute("value"), "b");
  });

  test("a ticked box stays unless the markup's checked changes", () => {
    const box = h("input", { type: "checkbox", id: "c" });
    const live = h("div", {}, box);
    box.checked = true;
    morph(live, h("input", { type: "checkbox", id: "c" }));
    assert.equal(box.checked, true);
    morph(live, h("input", { type: "checkbox", id: "c", checked: "" }));
    morph(live, h("input", { type: "checkbox", id: "c" }));
    assert.equal(box.checked, false, "the markup unticked it");
  });

  test("a textarea keeps its text unless the markup's text changes", () => {
    const area = h("textarea", { id: "t" }, "draft");
    const live = h("div", {}, area);
    area.value = "typed";
    morph(live, h("textarea", { id: "t" }, "draft"));
    assert.equal(area.value, "typed");
    morph(live, h("textarea", { id: "t" }, "new"));
    assert.equal(area.value, "new");
  });

  test("details opened by a person stay open while the markup says the same", () => {
    const details = h("details", { id: "d" }, h("summary", {}, "More"));
    const live = h("div", {}, details);
    pm.remember(live);
    details.setAttribute("open", ""); // a click on the summary
    morph(live, h("details", { id: "d" }, h("summary", {}, "More")));
    assert.ok(details.hasAttribute("open"));
    morph(live, h("details", { id: "d", open: "" }, h("summary", {}, "More")));
    assert.ok(details.hasAttribute("open"));
    details.removeAttribute("open"); // closed again by a click
    morph(live, h("details", { id: "d", open: "" }, h("summary", {}, "More")));
    assert.ok(!details.hasAttribute("open"), "the markup did not change: the click stands");
    morph(live, h("details", { id: "d" }, h("summary", {}, "More")));
    morph(live, h("details", { id: "d", open: "" }, h("summary", {}, "More")));
    assert.ok(details.hasAttribute("open"), "the markup opened it");
  });

  test("a script the markup keeps is not reported; a changed or new one is", () => {
    const kept = h("script", {}, "layout()");
    const live = h("div", {}, kept, h("script", {}, "page(1)"));
    const added = morph(live, h("script", {}, "layout()"), h("script", {}, "page(2)"));
    assert.equal(live.childNodes[0], kept);
    assert.deepEqual(added.map((node) => node.textContent), ["page(2)"]);
    assert.equal(live.outerHTML, "<div><script>layout()</script><script>page(2)</script></div>");
  });

  test("an element with the same data-pm-keep is left as it is, inside and out", () => {
    const mounted = h("button", { class: "live" }, "3 stars");
    const island = h("div", { "data-pm-keep": "rating:a", "data-state": "on" }, mounted);
    const live = h("div", {}, h("h1", {}, "Home"), island);
    mounted.value = "typed";
    const added = morph(
      live,
      h("h1", {}, "About"),
      h("p", {}, "banner"),
      h("div", { "data-pm-keep": "rating:a", class: "new" }, h("span", {}, "fallback")),
    );
    assert.equal(live.childNodes[2], island, "found past a new sibling, like an id");
    assert.equal(island.childNodes[0], mounted);
    assert.equal(mounted.value, "typed");
    assert.equal(
      island.outerHTML,
      '<div data-pm-keep="rating:a" data-state="on"><button class="live">3 stars</button></div>',
      "not walked, not re-attributed",
    );
    assert.deepEqual(added.map((node) => node.nodeName), ["P"]);
  });

  test("an element with another data-pm-keep value is replaced whole", () => {
    const island = h("div", { "data-pm-keep": "rating:a" }, h("button", {}, "live"));
    const live = h("div", {}, island);
    const next = h("div", { "data-pm-keep": "rating:b" }, h("span", {}, "fallback"));
    const added = morph(live, next);
    assert.equal(live.childNodes.length, 1);
    assert.equal(live.childNodes[0], next);
    assert.deepEqual(added, [next]);
    assert.equal(live.outerHTML, '<div><div data-pm-keep="rating:b"><span>fallback</span></div></div>');
  });

  test("data-pm-keep put on or taken off an element replaces it", () => {
    const plain = h("div", {}, "fallback");
    const live = h("div", {}, plain);
    morph(live, h("div", { "data-pm-keep": "x" }, "island"));
    assert.notEqual(live.childNodes[0], plain);
    const island = live.childNodes[0];
    morph(live, h("div", {}, "plain"));
    assert.notEqual(live.childNodes[0], island);
    assert.equal(live.outerHTML, "<div><div>plain</div></div>");
  });

  test("comments and text are updated in place", () => {
    const note = comment("a");
    const live = h("div", {}, note, "text");
    const text = live.childNodes[1];
    morph(live, comment("b"), "other");
    assert.equal(live.childNodes[0], note);
    assert.equal(note.nodeValue, "b");
    assert.equal(live.childNodes[1], text);
    assert.equal(text.nodeValue, "other");
  });

  test("nested trees: only what changed is touched", () => {
    const field = h("input", { id: "q" });
    const live = h(
      "div",
      {},
      h("header", {}, h("nav", {}, h("a", { href: "/", class: "active" }, "Home")), field),
      h("main", {}, h("h1", {}, "Home"), h("p", {}, "welcome")),
    );
    field.value = "typed";
    const added = morph(
      live,
      h("header", {}, h("nav", {}, h("a", { href: "/" }, "Home")), h("input", { id: "q" })),
      h("main", {}, h("h1", {}, "About"), h("ul", {}, h("li", {}, "one"))),
    );
    assert.equal(live.childNodes[0].childNodes[1], field);
    assert.equal(field.value, "typed");
    assert.deepEqual(added.map((node) => node.nodeName), ["UL"]);
    assert.equal(
      live.outerHTML,
      '<div><header><nav><a href="/">Home</a></nav><input id="q"></input></header>' +
        "<main><h1>About</h1><ul><li>one</li></ul></main></div>",
    );
  });
});
