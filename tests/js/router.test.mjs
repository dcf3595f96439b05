// What next/router's push, replace and prefetch are given, resolved to a URL: URL objects,
// route patterns with `as` or a query, locales, and matching a URL against the route on screen.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, test } from "node:test";

const require = createRequire(import.meta.url);
const pm = require("../../src/pagemill/client/pagemill.js");

const i18n = { basePath: "", buildId: "B", locales: ["en", "fr", "nl-BE"], defaultLocale: "en" };

describe("formatUrl", () => {
  test("a string is taken as it is", () => {
    assert.equal(pm.formatUrl("/a?b=1#c"), "/a?b=1#c");
  });

  test("a URL object: pathname, query (lists repeat the key), hash", () => {
    const url = { pathname: "/search", query: { q: "a b", tag: ["x", "y"], n: 2 }, hash: "top" };
    assert.equal(pm.formatUrl(url), "/search?q=a+b&tag=x&tag=y&n=2#top");
  });

  test("search wins over query; ? and # are added when missing", () => {
    assert.equal(pm.formatUrl({ pathname: "/a", search: "x=1", query: { y: 2 } }), "/a?x=1");
    assert.equal(pm.formatUrl({ pathname: "/a", search: "?x=1", hash: "#h" }), "/a?x=1#h");
  });

  test("values that are not text, numbers or booleans are empty", () => {
    assert.equal(pm.formatUrl({ pathname: "/a", query: { a: null, b: {}, c: true } }), "/a?a=&b=&c=true");
  });

  test("a URL instance is its href", () => {
    assert.equal(pm.formatUrl(new URL("http://app.test/x?y=1")), "http://app.test/x?y=1");
  });
});

describe("targetOf", () => {
  test("(href, as): the URL shown is `as`", () => {
    assert.equal(pm.targetOf("/p/[id]", "/p/1"), "/p/1");
    assert.equal(pm.targetOf("/p/[id]", { pathname: "/p/1", query: { x: "2" } }), "/p/1?x=2");
  });

  test("a pattern is filled from the query, the keys it used are dropped", () => {
    const href = { pathname: "/p/[id]", query: { id: "a b", sort: "new" }, hash: "reviews" };
    assert.equal(pm.targetOf(href), "/p/a%20b?sort=new#reviews");
    assert.equal(pm.targetOf("/p/[id]?id=7&x=1"), "/p/7?x=1");
  });

  test("catch-alls take lists, each segment encoded; optional ones may be left out", () => {
    const all = { pathname: "/s/[...path]", query: { path: ["a", "b/c"] } };
    assert.equal(pm.targetOf(all), "/s/a/b%2Fc");
    assert.equal(pm.targetOf({ pathname: "/s/[[...terms]]", query: {} }), "/s");
    assert.equal(pm.targetOf({ pathname: "/[[...all]]", query: {} }), "/");
    assert.equal(pm.targetOf({ pathname: "/s/[[...terms]]", query: { terms: "x" } }), "/s/x");
  });

  test("a missing value is an error naming it, as Next's", () => {
    assert.throws(
      () => pm.targetOf({ pathname: "/b/[shelf]/[id]", query: { id: "1" } }),
      /The provided `href` \(\/b\/\[shelf\]\/\[id\]\) value is missing query values \(shelf\)/
    );
    assert.throws(() => pm.targetOf({ pathname: "/s/[...path]", query: { path: [] } }), /\(path\)/);
  });

  test("paths without a pattern are formatted as they are", () => {
    assert.equal(pm.targetOf({ pathname: "/about", query: { a: "1" } }), "/about?a=1");
    assert.equal(pm.targetOf("https://example.com/[x]"), "https://example.com/[x]");
  });
});

describe("withLocale", () => {
  test("the locale goes in front, the default locale gets none", () => {
    assert.equal(pm.withLocale("/about", "fr", i18n), "/fr/about");
    assert.equal(pm.withLocale("/", "fr", i18n), "/fr");
    assert.equal(pm.withLocale("/?a=1#h", "nl-BE", i18n), "/nl-BE?a=1#h");
    assert.equal(pm.withLocale("/about", "en", i18n), "/about");
  });

  test("false is the default locale: the path as given", () => {
    assert.equal(pm.withLocale("/about", false, i18n), "/about");
    assert.equal(pm.withLocale("/fr/about", false, i18n), "/fr/about");
  });

  test("a path naming a locale keeps it, in any case; API routes get none", () => {
    assert.equal(pm.withLocale("/fr/about", "nl-BE", i18n), "/fr/about");
    assert.equal(pm.withLocale("/NL-be", "fr", i18n), "/NL-be");
    assert.equal(pm.withLocale("/french", "fr", i18n), "/fr/french");
    assert.equal(pm.withLocale("/api/books", "fr", i18n), "/api/books");
  });

  test("without i18n, and for what is not a path of the app, nothing changes", () => {
    assert.equal(pm.withLocale("/about", "fr", { ...i18n, locales: null }), "/about");
    assert.equal(pm.withLocale("//cdn.test/x", "fr", i18n), "//cdn.test/x");
    assert.equal(pm.withLocale("about", "fr", i18n), "about");
  });
});

describe("matchRoute", () => {
  test("dynamic segments give their params, decoded", () => {
    assert.deepEqual(pm.matchRoute("/p/[id]", "/p/caf%C3%A9"), { id: "café" });
    assert.deepEqual(pm.matchRoute("/p/[id]", "/p/7/"), { id: "7" });
    assert.equal(pm.matchRoute("/p/[id]", "/p/7/8"), null);
    assert.equal(pm.matchRoute("/p/[id]", "/q/7"), null);
  });

  test("catch-alls give lists; an optional one may be absent", () => {
    assert.deepEqual(pm.matchRoute("/s/[...path]", "/s/a/b"), { path: ["a", "b"] });
    assert.equal(pm.matchRoute("/s/[...path]", "/s"), null);
    assert.deepEqual(pm.matchRoute("/s/[[...terms]]", "/s"), {});
    assert.deepEqual(pm.matchRoute("/s/[[...terms]]", "/s/x%2Fy/z"), { terms: ["x/y", "z"] });
  });

  test("static patterns match only themselves, characters taken literally", () => {
    assert.deepEqual(pm.matchRoute("/", "/"), {});
    assert.equal(pm.matchRoute("/", "/x"), null);
    assert.deepEqual(pm.matchRoute("/a.b", "/a.b"), {});
    assert.equal(pm.matchRoute("/a.b", "/aXb"), null);
  });
});
