// pagemill's client runtime: in-app navigation over the data route, a DOM morph of
// #__next, history and scroll, route events, next/router's router, a progress bar and intent
// prefetch. `pagemill dev` adds overlay.js. Plain scripts: no build step, no dependencies.
(() => {
  "use strict";

  // ---- Pure parts: no globals of the page, so Node's tests load them (tests/js). ----

  /** `pathname` without the base path ("/" for the base path itself), or null outside it. */
  function appPath(pathname, basePath) {
    if (!basePath) return pathname;
    if (pathname === basePath) return "/";
    return pathname.startsWith(basePath + "/") ? pathname.slice(basePath.length) : null;
  }

  /** The locale a page path names in its first segment (else the default) and the rest. */
  function splitLocale(path, site) {
    const first = path.split("/")[1].toLowerCase();
    const named = site.locales.find((locale) => locale.toLowerCase() === first);
    if (!named) return { locale: site.defaultLocale, path };
    return { locale: named, path: path.slice(first.length + 1) || "/" };
  }

  /** The data URL of a page path (base path removed) and its search ("?a=1" or ""). With
   * i18n the locale segment is always there, as Next's client sends it. */
  function dataUrl(path, search, site) {
    let page = path.length > 1 ? path.replace(/\/+$/, "") || "/" : path;
    if (site.locales) {
      const split = splitLocale(page, site);
      page = split.path === "/" ? "/" + split.locale : "/" + split.locale + split.path;
    }
    const asset = page === "/" ? "/index" : /^\/index(\/|$)/.test(page) ? "/index" + page : page;
    return `${site.basePath}/_next/data/${site.buildId}${asset}.json${search}`;
  }

  /** Whether the router takes a URL: same origin, inside the base path, not an API route or
   * one of ours, and not just a #hash on the page shown (the browser scrolls for that). */
  function routable(url, here, basePath) {
    if (url.origin !== here.origin) return false;
    const path = appPath(url.pathname, basePath);
    if (path === null || /^\/(api|_next)(\/|$)/.test(path)) return false;
    return !(url.hash && url.pathname === here.pathname && url.search === here.search);
  }

  /** Whether a click on a link is a plain one the router may take over: modifier and middle
   * clicks, other targets and downloads stay the browser's. */
  function plainClick(event, anchor) {
    const target = anchor.getAttribute("target");
    return (
      event.button === 0 &&
      !event.defaultPrevented &&
      !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) &&
      (!target || target === "_self") &&
      !anchor.hasAttribute("download")
    );
  }

  /** A search string as `__NEXT_DATA__.query`: repeated keys become lists. */
  function queryOf(search) {
    const query = Object.create(null);
    for (const [key, value] of new URLSearchParams(search)) {
      query[key] = key in query ? [].concat(query[key], value) : value;
    }
    return query;
  }

  // The morph. Children are matched by id, else by kind and position (one removed node is
  // skipped rather than rebuilding everything after it); matched nodes are updated in place,
  // so focus, typed text, scroll containers and media survive. `open` on details/dialog is
  // the person's state: it changes only when the markup's own value changes (`rendered`
  // keeps what the markup said). Inputs keep their live value/checked unless the markup's
  // attribute changes. An element with `data-pm-keep` is opaque: matched by that value (like
  // an id) it is left as it is, inside and out; with another value it is replaced whole.
  // Nodes put in (and changed scripts) are collected in `added`.
  const rendered = new WeakMap();
  const TOGGLES = { DETAILS: "open", DIALOG: "open" };

  function morphChildren(from, to, added) {
    let cursor = from.firstChild;
    for (let node = to.firstChild; node; ) {
      const following = node.nextSibling;
      const match = findMatch(cursor, node);
      if (match) {
        while (cursor !== match) cursor = drop(from, cursor);
        cursor = match.nextSibling;
        morphNode(match, node, added);
      } else {
        from.insertBefore(node, cursor);
        added.push(node);
      }
      node = following;
    }
    while (cursor) cursor = drop(from, cursor);
  }

  function drop(parent, node) {
    const next = node.nextSibling;
    parent.removeChild(node);
    return next;
  }

  const keep = (node) => node.getAttribute("data-pm-keep");

  function similar(a, b) {
    return (
      !!a && !!b && a.nodeName === b.nodeName &&
      (a.nodeType !== 1 || (a.id === b.id && keep(a) === keep(b)))
    );
  }

  function findMatch(cursor, node) {
    if (node.nodeType === 1 && (node.id || keep(node) !== null)) {
      for (let old = cursor; old; old = old.nextSibling) if (similar(old, node)) return old;
      return null;
    }
    if (similar(cursor, node)) return cursor;
    const after = cursor && cursor.nextSibling;
    return similar(after, node) && !similar(cursor, node.nextSibling) ? after : null;
  }

  function morphNode(old, node, added) {
    if (old.nodeType !== 1) {
      if (old.nodeValue !== node.nodeValue) old.nodeValue = node.nodeValue;
    } else if (keep(old) !== null) {
      // Kept: whatever a script made of it stays.
    } else if (old.nodeName === "SCRIPT" || old.nodeName === "TEMPLATE") {
      // A script the markup keeps as it was does not run again; a changed one does.
      if (old.outerHTML !== node.outerHTML) {
        old.parentNode.replaceChild(node, old);
        added.push(node);
      }
    } else {
      syncAttributes(old, node);
      if (old.nodeName !== "TEXTAREA") morphChildren(old, node, added);
      else if (old.textContent !== node.textContent) {
        old.textContent = node.textContent;
        old.value = node.textContent;
      }
    }
  }

  function syncAttributes(old, node) {
    const toggle = TOGGLES[old.nodeName];
    if (toggle) {
      const was = rendered.has(old) ? rendered.get(old) : old.getAttribute(toggle);
      const now = node.getAttribute(toggle);
      rendered.set(old, now);
      if (was !== now) setAttribute(old, toggle, now);
    }
    for (const { name, value } of Array.from(node.attributes)) {
      if (name !== toggle && old.getAttribute(name) !== value) setAttribute(old, name, value);
    }
    for (const { name } of Array.from(old.attributes)) {
      if (name !== toggle && !node.hasAttribute(name)) setAttribute(old, name, null);
    }
  }

  function setAttribute(element, name, value) {
    if (value === null) element.removeAttribute(name);
    else element.setAttribute(name, value);
    // The markup changed what a control shows: that wins over what was typed or ticked.
    const tag = element.nodeName;
    if (tag === "INPUT" && name === "value") element.value = value === null ? "" : value;
    else if ((tag === "INPUT" && name === "checked") || (tag === "OPTION" && name === "selected")) {
      element[name] = value !== null;
    }
  }

  /** Remember what the markup says of each details/dialog in `node`, before anyone clicks. */
  function remember(node) {
    if (node.nodeType !== 1) return;
    const toggle = TOGGLES[node.nodeName];
    if (toggle) rendered.set(node, node.getAttribute(toggle));
    for (let child = node.firstChild; child; child = child.nextSibling) remember(child);
  }

  // -- What next/router's push, replace and prefetch are given, as a URL. --

  /** A URL object (`{pathname, query, hash}` or `search`) as a string, as Next formats it;
   * a string is taken as it is. */
  function formatUrl(url) {
    if (typeof url === "string") return url;
    if (typeof URL === "function" && url instanceof URL) return url.href;
    let search = url.search || "";
    if (!search && url.query && typeof url.query === "object") {
      const params = new URLSearchParams();
      for (const key of Object.keys(url.query)) {
        for (const value of [].concat(url.query[key])) {
          const kind = typeof value;
          params.append(key, kind === "string" || kind === "number" || kind === "boolean" ? String(value) : "");
        }
      }
      search = params.toString();
    }
    const hash = url.hash || "";
    return (
      (url.pathname || "") +
      (search && search[0] !== "?" ? "?" : "") + search +
      (hash && hash[0] !== "#" ? "#" : "") + hash
    );
  }

  const DYNAMIC = /^\[(\[)?(\.\.\.)?([^\[\]]+)\]?\]$/;

  /** A route pattern (`/p/[id]`) filled in from `query`, as Next's interpolateAs: the path
   * and the query keys it did not use; throws, naming them, when values are missing. */
  function interpolate(pattern, query) {
    const rest = Object.assign({}, query);
    const missing = [];
    const segments = [];
    for (const segment of pattern.split("/").slice(1)) {
      const dynamic = DYNAMIC.exec(segment);
      if (!dynamic) {
        segments.push(segment);
        continue;
      }
      const [, optional, all, name] = dynamic;
      const value = rest[name];
      delete rest[name];
      const values = value === undefined || value === null ? [] : [].concat(value).map(String);
      if (!values.length || (!all && !values[0])) {
        if (!optional) missing.push(name);
        continue;
      }
      segments.push((all ? values : values.slice(0, 1)).map(encodeURIComponent).join("/"));
    }
    if (missing.length) {
      throw new Error(
        `The provided \`href\` (${pattern}) value is missing query values (${missing.join(", ")}) ` +
          "to be interpolated properly."
      );
    }
    return { path: "/" + segments.join("/"), query: rest };
  }

  /** The URL `router.push(href, as)` goes to: `as` when given, else `href`, its route
   * pattern filled in from its query (`{pathname: "/p/[id]", query: {id: 1}}` → `/p/1`). */
  function targetOf(href, as) {
    if (as !== undefined && as !== null) return formatUrl(as);
    const url = typeof href === "string" ? parseHref(href) : href;
    const pattern = url && typeof url === "object" && !(url instanceof URL) && url.pathname;
    if (!pattern || pattern[0] !== "/" || !/\[/.test(pattern)) return formatUrl(href);
    const query = typeof url.query === "object" && url.query ? url.query : queryOf(url.search || "");
    const filled = interpolate(url.pathname, query);
    return formatUrl({ pathname: filled.path, query: filled.query, hash: url.hash });
  }

  function parseHref(href) {
    const [, pathname, search, hash] = /^([^?#]*)(\?[^#]*)?(#.*)?$/.exec(href);
    return { pathname, search: search || "", hash: hash || "" };
  }

  /** An app path as Next's router sends it in `locale`: a path naming a locale keeps it;
   * otherwise the locale (false: the default) goes in front, unless it is the default. */
  function withLocale(path, locale, site) {
    if (!site.locales || path[0] !== "/" || path[1] === "/") return path;
    const { pathname, search, hash } = parseHref(path);
    const first = pathname.split("/")[1].toLowerCase();
    if (site.locales.some((known) => known.toLowerCase() === first)) return path;
    const wanted = locale || site.defaultLocale;
    if (wanted === site.defaultLocale || /^\/api(\/|$)/i.test(pathname)) return path;
    return "/" + wanted + (pathname === "/" ? "" : pathname) + search + hash;
  }

  /** The params of `path` (an app path without locale) under a route pattern, or null. */
  function matchRoute(pattern, path) {
    const parts = [];
    let source = "";
    for (const segment of pattern.split("/").slice(1)) {
      const dynamic = DYNAMIC.exec(segment);
      if (!dynamic) {
        if (segment) source += "/" + segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        continue;
      }
      const [, optional, all, name] = dynamic;
      parts.push([name, !!all]);
      source += optional ? "(?:/(.+?))?" : all ? "/(.+?)" : "/([^/]+)";
    }
    const found = new RegExp(`^${source}/?$`).exec(path);
    if (!found) return null;
    const decode = (text) => {
      try {
        return decodeURIComponent(text);
      } catch (_) {
        return text;
      }
    };
    const params = {};
    parts.forEach(([name, all], index) => {
      const value = found[index + 1];
      if (value !== undefined) params[name] = all ? value.split("/").map(decode) : decode(value);
    });
    return params;
  }

  const pure = {
    appPath,
    dataUrl,
    routable,
    plainClick,
    queryOf,
    morphChildren,
    remember,
    formatUrl,
    interpolate,
    targetOf,
    withLocale,
    matchRoute,
  };
  if (typeof document === "undefined") {
    if (typeof module === "object") module.exports = pure;
    return;
  }

  // ---- The page's runtime. ----

  const dataScript = document.getElementById("__NEXT_DATA__");
  const root = document.getElementById("__next");
  if (!dataScript || !root || !window.fetch || (window.pagemill && window.pagemill.router)) return;
  let data = JSON.parse(dataScript.textContent);
  const script =
    document.currentScript ||
    document.querySelector('script[src*="/_next/static/chunks/pagemill"]');
  const src = new URL(script.src, location.href).pathname;
  const basePath = src.slice(0, src.indexOf("/_next/static/"));
  const site = {
    basePath,
    buildId: data.buildId,
    locales: data.locales && data.locales.length ? data.locales : null,
    defaultLocale: data.defaultLocale,
  };
  const dev = data.buildId === "development";
  const PREFETCH_KEEP = 10000;
  const MAX_REDIRECTS = 20;

  // -- Events: window CustomEvents ({url} / {url, error}) and Next's router.events. --
  const handlers = Object.create(null);
  const events = {
    on(name, fn) {
      (handlers[name] = handlers[name] || new Set()).add(fn);
    },
    off(name, fn) {
      if (handlers[name]) handlers[name].delete(fn);
    },
  };

  function fire(name, url, error, shallow = false) {
    for (const fn of Array.from(handlers[name] || [])) {
      try {
        if (error) fn(error, url, { shallow });
        else fn(url, { shallow });
      } catch (thrown) {
        setTimeout(() => {
          throw thrown;
        });
      }
    }
    const detail = error ? { url, error, shallow } : { url, shallow };
    window.dispatchEvent(new CustomEvent(name, { detail }));
  }

  // -- Data requests: one per URL in flight, shared; prefetched answers kept a little. --
  const requests = new Map();

  function request(url, prefetched) {
    const controller = new AbortController();
    const headers = { "x-nextjs-data": "1", "x-pagemill-render": "1" };
    if (prefetched) headers.purpose = "prefetch";
    const entry = { url, controller, users: 0, kept: prefetched, used: false, done: false };
    entry.promise = fetch(url, { headers, credentials: "same-origin", signal: controller.signal })
      .then(async (response) => {
        const text = await response.text();
        let json = null;
        try {
          json = JSON.parse(text);
        } catch (_) {
          // Not JSON (an HTML error page): the navigation falls back to a full load.
        }
        return { status: response.status, json };
      })
      .catch((error) => {
        if (controller.signal.aborted) throw error;
        return { status: 0, json: null };
      })
      .finally(() => {
        entry.done = true;
        entry.expires = Date.now() + PREFETCH_KEEP;
        const forget = () => requests.get(url) === entry && requests.delete(url);
        if (entry.kept && !entry.used) setTimeout(forget, PREFETCH_KEEP);
        else forget();
      });
    entry.promise.catch(() => {});
    requests.set(url, entry);
    return entry;
  }

  function acquire(url, fresh) {
    let entry = requests.get(url);
    if (entry && entry.done && (fresh || entry.expires < Date.now())) entry = null;
    if (!entry) entry = request(url, false);
    if (entry.done) requests.delete(url); // a prefetched answer serves one navigation
    entry.used = true;
    entry.users++;
    return entry;
  }

  function release(entry) {
    entry.users--;
    if (entry.users === 0 && !entry.done && !entry.kept) {
      entry.controller.abort();
      if (requests.get(entry.url) === entry) requests.delete(entry.url);
    }
  }

  function prefetch(href) {
    const url = new URL(href, location.href);
    if (!routable(url, shown, basePath)) return Promise.resolve();
    const target = dataUrlOf(url);
    let entry = requests.get(target);
    if (!entry || (entry.done && entry.expires < Date.now())) entry = request(target, true);
    return entry.promise.then(
      () => {},
      () => {}
    );
  }

  function dataUrlOf(url) {
    return dataUrl(appPath(url.pathname, basePath), url.search, site);
  }

  // -- History and scroll. Each entry has a key; positions left by Back/Forward are kept
  // here, the one left by a push also in that entry's state (so it survives a reload). --
  history.scrollRestoration = "manual";
  const scrolls = new Map();
  const newKey = () => Math.random().toString(36).slice(2, 10);
  const ours = (state) => !!state && typeof state === "object" && state.__pagemill === true;
  let shown = new URL(location.href); // the URL whose page is on screen
  let shownShallow = false; // whether a shallow navigation put it there
  let key = ours(history.state) && history.state.key ? history.state.key : newKey();
  let lastScroll = [scrollX, scrollY];

  function stamp(method, url, extra) {
    const base = ours(history.state) || method === "pushState" ? {} : history.state || {};
    history[method](Object.assign({}, base, { __pagemill: true, url, key }, extra), "", url);
  }

  function leave() {
    lastScroll = [scrollX, scrollY];
    scrolls.set(key, lastScroll);
    const shallow = ours(history.state) && history.state.shallow;
    stamp("replaceState", location.href, { scroll: lastScroll, shallow });
  }

  const initial = ours(history.state) ? history.state.scroll : null;
  stamp("replaceState", location.href, { scroll: initial });
  if (initial) scrollTo(initial[0], initial[1]);
  addEventListener("scroll", () => (lastScroll = [scrollX, scrollY]), { passive: true });
  addEventListener("pagehide", leave);
  // Back to a page kept whole by the browser (bfcache) while a full load was starting.
  addEventListener("pageshow", (event) => event.persisted && progress(false));

  function scrollToHash(hash) {
    let id = hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (_) {
      // Keep it as written.
    }
    const target = document.getElementById(id) || document.getElementsByName(id)[0];
    if (target) target.scrollIntoView();
    return !!target;
  }

  addEventListener("popstate", (event) => {
    scrolls.set(key, lastScroll);
    const url = new URL(location.href);
    key = ours(event.state) && event.state.key ? event.state.key : newKey();
    const saved = scrolls.get(key) || (ours(event.state) && event.state.scroll);
    if (!ours(event.state)) stamp("replaceState", url.href, {});
    // As Next: Back/Forward from an entry a shallow push made to another one stays shallow.
    const wasShallow = shownShallow;
    if (ours(event.state) && event.state.shallow && wasShallow) {
      if (shallowTo(url, "pop", { restore: saved })) return;
    }
    if (url.pathname === shown.pathname && url.search === shown.search) {
      // Only the #hash differs: the page on screen is the one asked for.
      shown = url;
      if (saved) scrollTo(saved[0], saved[1]);
      else if (url.hash) scrollToHash(url.hash);
      return;
    }
    navigate(url.href, "pop", { restore: saved, fresh: true });
  });

  // -- Navigation. --
  let active = null;

  /** A full navigation, for what the router does not take (`failed` false) or could not
   * show (`failed` true: a failed Back/Forward or reload is already at its URL, so it loads
   * that again rather than loop). */
  function hardNavigate(href, mode, failed) {
    const url = new URL(href, location.href);
    // Web URLs only: a `javascript:` redirect destination (say, built from user input)
    // must not run, as browsers ignore it in a Location header.
    if (!/^https?:$/.test(url.protocol)) return false;
    if (failed && url.href === location.href) location.reload();
    else if (mode === "push") location.assign(url.href);
    else location.replace(url.href);
    return false;
  }

  function cancel(nav) {
    const error = new Error(`Route change to ${nav.shown} was cancelled`);
    error.cancelled = true;
    release(nav.entry);
    fire("routeChangeError", nav.shown, error);
  }

  /** Navigate to `href`. `mode`: "push", "replace", "pop" (the URL is already there) or
   * "reload" (the page on screen, in place). Resolves true when the page is on screen. */
  async function navigate(href, mode, options = {}) {
    const url = new URL(href, location.href);
    // Another site, an API route, or a #hash on this page: the browser's.
    if (!routable(url, shown, basePath)) return hardNavigate(url.href, mode, false);
    const entry = acquire(dataUrlOf(url), options.fresh);
    if (active) cancel(active);
    const nav = (active = { shown: url.pathname + url.search + url.hash, entry });
    fire("routeChangeStart", nav.shown);
    progress(true);
    let answer;
    try {
      answer = await entry.promise;
    } catch (_) {
      return false; // aborted: cancel() has told the listeners
    }
    if (active !== nav) return false;
    active = null;
    release(entry);
    const { status, json } = answer;
    const page = json && json.__pagemill;
    const props = json && json.pageProps;
    if (status >= 200 && status < 300 && props && props.__N_REDIRECT) {
      return redirect(props, mode, options);
    }
    if (page && ((status >= 200 && status < 300 && props) || (status === 404 && json.notFound))) {
      try {
        show(url, json, mode, options);
        return true;
      } catch (error) {
        setTimeout(() => {
          throw error;
        });
        return hardNavigate(url.href, mode, true);
      }
    }
    if (dev && json && json.__pagemill_error) {
      // Dev: show the error over the page; the URL moves on, so the refresh after a fix
      // loads the page that failed.
      const error = json.__pagemill_error;
      changeHistory(url, mode);
      progress(false);
      overlay("show", error, "navigation");
      fire("routeChangeError", nav.shown, Object.assign(new Error(error.message), error));
      return false;
    }
    return hardNavigate(url.href, mode, true);
  }

  function redirect(props, mode, options) {
    const destination = String(props.__N_REDIRECT);
    const redirects = (options.redirects || 0) + 1;
    const internal = destination[0] === "/" && props.__N_REDIRECT_BASE_PATH !== false;
    if (!internal || redirects > MAX_REDIRECTS) return hardNavigate(destination, mode, true);
    // As the server does for Location: no `//host` can leave the site.
    const [, path, rest] = /^([^?#]*)(.*)$/.exec(destination);
    const next = basePath + path.replace(/[\\/]+/g, "/") + rest;
    // The redirecting URL gets no history entry of its own: Back returns to the page before.
    const then = mode === "push" ? "push" : "replace";
    return navigate(next, then, { redirects, scroll: options.scroll });
  }

  function changeHistory(url, mode, shallow = false) {
    const extra = shallow ? { shallow } : {};
    if (mode === "push" && url.href !== location.href) {
      leave();
      key = newKey();
      stamp("pushState", url.href, extra);
    } else if (mode !== "pop" && mode !== "reload") {
      stamp("replaceState", url.href, extra);
    }
  }

  function scrollAfter(url, mode, options) {
    if (options.restore) scrollTo(options.restore[0], options.restore[1]);
    else if (mode === "reload" || (url.hash && scrollToHash(url.hash))) {
      // A reload stays where it is; a #hash went to its element.
    } else if (options.scroll !== false) scrollTo(0, 0);
  }

  /** A shallow navigation, as Next's: to a URL of the page on screen (its route pattern
   * matches, in the same locale), the URL, `router.query` and `asPath` change and the
   * route events fire, but nothing is fetched. False when the URL is another page's. */
  function shallowTo(url, mode, options) {
    if (url.origin !== location.origin) return false;
    const path = appPath(url.pathname, basePath);
    if (path === null) return false;
    const split = site.locales ? splitLocale(path, site) : { locale: data.locale, path };
    const params = split.locale === data.locale ? matchRoute(data.page, split.path) : null;
    if (!params) return false;
    if (active) cancel(active);
    const shownUrl = url.pathname + url.search + url.hash;
    fire("routeChangeStart", shownUrl, null, true);
    fire("beforeHistoryChange", shownUrl, null, true);
    changeHistory(url, mode, true);
    shown = url;
    shownShallow = true;
    data = Object.assign({}, data, { query: Object.assign(queryOf(url.search), params) });
    dataScript.textContent = JSON.stringify(data);
    scrollAfter(url, mode, options);
    fire("routeChangeComplete", shownUrl, null, true);
    return true;
  }

  function show(url, json, mode, options) {
    const shownUrl = url.pathname + url.search + url.hash;
    fire("beforeHistoryChange", shownUrl);
    changeHistory(url, mode);
    shown = url;
    shownShallow = false;
    const added = [];
    swapHead(json.__pagemill.head, added);
    morphChildren(root, parse(json.__pagemill.body), added);
    updateData(url, json);
    for (const node of added) remember(node);
    runScripts(added);
    scrollAfter(url, mode, options);
    progress(false);
    if (dev) overlay("hide", "navigation");
    announce();
    fire("routeChangeComplete", shownUrl);
  }

  function parse(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  /** Replace the page's head tags (between the two pagemill-head comments); tags that stay
   * the same are kept, so stylesheets are not reloaded. */
  function swapHead(html, added) {
    const nodes = Array.from(document.head.childNodes);
    const start = nodes.findIndex((n) => n.nodeType === 8 && n.nodeValue === "pagemill-head");
    const end = nodes.findIndex((n) => n.nodeType === 8 && n.nodeValue === "/pagemill-head");
    if (start < 0 || end < start) {
      // A document without the markers: the title at least.
      const title = parse(html).querySelector("title");
      if (title) document.title = title.textContent;
      return;
    }
    const old = nodes.slice(start + 1, end);
    let at = nodes[start].nextSibling;
    for (const node of Array.from(parse(html).childNodes)) {
      const index = old.findIndex((candidate) => candidate.isEqualNode(node));
      const kept = index >= 0 ? old.splice(index, 1)[0] : null;
      const placed = kept || node;
      if (placed === at) at = at.nextSibling;
      else document.head.insertBefore(placed, at);
      if (!kept) added.push(node);
    }
    for (const node of old) node.remove();
  }

  function updateData(url, json) {
    const { __pagemill: page, notFound, ...props } = json;
    data = Object.assign({}, data, {
      props: notFound ? { pageProps: {} } : props,
      page: page.page || data.page,
      query: page.query || queryOf(url.search),
    });
    for (const [field, on] of [["gssp", props.__N_SSP], ["isPreview", props.__N_PREVIEW]]) {
      if (on) data[field] = true;
      else delete data[field];
    }
    delete data.err;
    if (site.locales) {
      data.locale = splitLocale(appPath(url.pathname, basePath), site).locale;
      document.documentElement.lang = data.locale;
    }
    dataScript.textContent = JSON.stringify(data);
  }

  /** Run the scripts of new markup as a full load would: in order, each external one
   * (without async) loaded before the next runs. */
  function runScripts(added) {
    const scripts = [];
    for (const node of added) {
      if (node.nodeName === "SCRIPT") scripts.push(node);
      else if (node.querySelectorAll) scripts.push(...node.querySelectorAll("script"));
    }
    (function run(index) {
      for (let i = index; i < scripts.length; i++) {
        const inert = scripts[i];
        if (!inert.isConnected) continue;
        const live = document.createElement("script");
        for (const { name, value } of Array.from(inert.attributes)) live.setAttribute(name, value);
        live.text = inert.text;
        const type = (inert.type || "").trim().toLowerCase();
        const wait =
          live.src && !live.hasAttribute("async") && !live.hasAttribute("nomodule") &&
          (!type || type === "module" || /^(text|application)\/(x-)?(java|ecma)script$/.test(type));
        if (wait) {
          live.async = false;
          const next = () => run(i + 1);
          live.addEventListener("load", next);
          live.addEventListener("error", next);
        }
        inert.replaceWith(live);
        if (wait) return;
      }
    })(0);
  }

  // -- The look: a progress bar and the route announcer (the dev overlay is overlay.js). --
  const CSS =
    "#pagemill-progress{position:fixed;z-index:2147483647;top:0;left:0;width:100%;height:3px;" +
    "background:#0070f3;transform-origin:0 0;transform:scaleX(0);pointer-events:none;" +
    "animation:pagemill-progress 8s cubic-bezier(.1,.7,.2,1) forwards}" +
    "#pagemill-progress.done{animation:none;transform:none;opacity:0;transition:opacity .3s}" +
    "@keyframes pagemill-progress{to{transform:scaleX(.9)}}" +
    ".pagemill-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}";
  let styled = false;

  function element(tag, attributes, text) {
    if (!styled) {
      styled = true;
      document.head.appendChild(element("style", { id: "pagemill-style" }, CSS));
    }
    const node = document.createElement(tag);
    for (const name in attributes) node.setAttribute(name, attributes[name]);
    if (text !== undefined) node.textContent = text; // text only: error text is never HTML
    return node;
  }

  let bar = null;
  let barTimer = 0;

  /** The bar shows only for navigations slower than ~100 ms. */
  function progress(on) {
    if (on) {
      if (!bar && !barTimer) {
        barTimer = setTimeout(() => {
          barTimer = 0;
          const attributes = { id: "pagemill-progress", "aria-hidden": "true" };
          bar = document.body.appendChild(element("div", attributes));
        }, 100);
      }
      return;
    }
    clearTimeout(barTimer);
    barTimer = 0;
    if (bar) {
      const done = bar;
      bar = null;
      done.className = "done";
      setTimeout(() => done.remove(), 300);
    }
  }

  // Tells screen readers the page changed, as a full load would (Next's route announcer);
  // there from the start, so the first change is heard.
  const announcer = document.body.appendChild(
    element("p", { class: "pagemill-sr", "aria-live": "assertive", id: "pagemill-announcer" })
  );

  function announce() {
    const heading = root.querySelector("h1");
    announcer.textContent = document.title || (heading ? heading.textContent : location.pathname);
  }

  // `pagemill dev` loads overlay.js after this script: the error overlay and live updates.
  const overlay = (call, ...args) =>
    window.pagemillOverlay && window.pagemillOverlay[call](...args);

  // -- Wiring. --
  document.addEventListener("click", (event) => {
    const anchor = event.target.closest && event.target.closest("a[data-pagemill-link]");
    if (!anchor || !anchor.hasAttribute("href") || !plainClick(event, anchor)) return;
    const url = new URL(anchor.getAttribute("href"), document.baseURI);
    if (!routable(url, shown, basePath)) return;
    event.preventDefault();
    navigate(url.href, "push");
  });

  const INTENT = 'a[data-pagemill-link][data-pagemill-prefetch="intent"]';

  function intent(event) {
    const anchor = event.target.closest && event.target.closest(INTENT);
    if (anchor && anchor.hasAttribute("href")) {
      prefetch(new URL(anchor.getAttribute("href"), document.baseURI).href);
    }
  }
  for (const type of ["mouseenter", "touchstart", "focus"]) {
    document.addEventListener(type, intent, { capture: true, passive: true });
  }

  remember(root);

  // -- The router, as next/router's. A path given to push/replace/prefetch is the app's,
  // without the base path (the hrefs of rendered links carry it); it goes to the locale on
  // screen unless it names one or `options.locale` says otherwise. Full URLs are taken as
  // they are. `push(url, options)` (no `as`) works too.
  const URL_KEYS = ["pathname", "query", "hash", "search", "href"];
  const isUrl = (value) =>
    typeof value === "string" ||
    value instanceof URL ||
    (!!value && typeof value === "object" && URL_KEYS.some((name) => name in value));

  function resolve(href, as, options) {
    const text = targetOf(href, as);
    if (text[0] !== "/" || text[1] === "/") return text;
    const locale = options.locale === undefined ? data.locale : options.locale;
    return basePath + withLocale(text, locale, site);
  }

  function change(mode, href, as, options) {
    if (options === undefined && as !== undefined && !isUrl(as)) [as, options] = [undefined, as];
    options = Object.assign({}, options);
    let target;
    try {
      target = new URL(resolve(href, as, options), location.href);
    } catch (error) {
      return Promise.reject(error);
    }
    if (options.shallow && shallowTo(target, mode, options)) return Promise.resolve(true);
    return navigate(target.href, mode, options);
  }

  const asPath = () => {
    const path = appPath(shown.pathname, basePath) || "/";
    const local = site.locales ? splitLocale(path, site).path : path;
    return local + shown.search + shown.hash;
  };
  const onDomain = () =>
    (data.domainLocales || []).some((d) => d.domain.toLowerCase() === location.hostname);

  const router = {
    push: (href, as, options) => change("push", href, as, options),
    replace: (href, as, options) => change("replace", href, as, options),
    back: () => history.back(),
    forward: () => history.forward(),
    reload: () => navigate(location.href, "reload", { fresh: true }),
    prefetch(href, as, options) {
      if (options === undefined && as !== undefined && !isUrl(as)) [as, options] = [undefined, as];
      try {
        return prefetch(resolve(href, as, Object.assign({}, options)));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    events,
    // What is on screen, kept current by every navigation.
    get pathname() {
      return data.page;
    },
    get route() {
      return data.page;
    },
    get query() {
      return Object.assign(queryOf(shown.search), data.query);
    },
    get asPath() {
      return asPath();
    },
    basePath,
    get locale() {
      return data.locale;
    },
    locales: data.locales,
    defaultLocale: data.defaultLocale,
    domainLocales: data.domainLocales,
    get isLocaleDomain() {
      return onDomain();
    },
    isReady: true,
    get isPreview() {
      return !!data.isPreview;
    },
    isFallback: false,
  };
  window.pagemill = Object.freeze({
    router,
    get data() {
      return data;
    },
  });
})();
