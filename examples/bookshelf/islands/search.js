// The search page's live search, written with Preact (vendored in islands/vendor/, no build
// step): the results follow the box as you type, from the API route `GET /api/books?q=...`.
// Submitting the form still goes to the search page, whose server-rendered form and results
// are this island's fallback (what shows without JavaScript).
import { h, render } from "./vendor/preact.mjs";
import { useEffect, useState } from "./vendor/hooks.mjs";

function stars(rating, words) {
  if (rating === null) return h("span", { class: "stars muted" }, words["no reviews yet"]);
  const full = Math.floor(rating + 0.5);
  const shown = "★".repeat(full) + "☆".repeat(5 - full);
  return h("span", { class: "stars", title: `${rating} / 5` }, shown);
}

function Book({ book, prefix, words }) {
  const byline = words.by.replace("{author}", book.author).replace("{year}", book.year);
  return h(
    "li",
    null,
    // A Link as pagemill.Link renders one: the client runtime follows it in-app.
    h(
      "a",
      { href: `${prefix}/books/${book.slug}`, class: "book-title", "data-pagemill-link": "" },
      book.title,
    ),
    h("span", { class: "byline" }, byline),
    stars(book.rating, words),
  );
}

function LiveSearch({ action, query: initial, books: found, locale_prefix: prefix, words }) {
  const [query, setQuery] = useState(initial);
  const [results, setResults] = useState({ query: initial, books: found });

  useEffect(() => {
    const terms = query.trim();
    if (terms === results.query) return undefined;
    if (!terms) return setResults({ query: "", books: [] });
    // Each keystroke cancels the request before it: only the latest answer is shown.
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const url = `/api/books?q=${encodeURIComponent(terms)}`;
        const response = await fetch(url, { signal: controller.signal });
        if (response.ok) setResults({ query: terms, books: (await response.json()).books });
      } catch (error) {
        if (error.name !== "AbortError") console.error(error);
      }
    }, 120);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  return h(
    "div",
    { class: "live-search" },
    h(
      "search",
      null,
      h(
        "form",
        { action, method: "get", class: "search-form" },
        h("label", { for: "q", class: "visually-hidden" }, words["Search terms"]),
        h("input", {
          id: "q",
          name: "q",
          type: "search",
          value: query,
          autocomplete: "off",
          placeholder: words["title, author or a word from the blurb"],
          onInput: (event) => setQuery(event.currentTarget.value),
        }),
        h("button", { type: "submit" }, words.Search),
      ),
    ),
    results.query &&
      h(
        "div",
        { "aria-live": "polite" },
        h(
          "p",
          { class: "muted" },
          words.found.replace("{count}", results.books.length),
          `“${results.query}”`,
        ),
        results.books.length
          ? h(
              "ul",
              { class: "books" },
              results.books.map((book) => h(Book, { key: book.slug, book, prefix, words })),
            )
          : h("p", { class: "muted" }, words["No books here."]),
      ),
  );
}

export function mount(element, props) {
  element.replaceChildren(); // the fallback goes: Preact renders the whole search here
  render(h(LiveSearch, props), element);
  return () => render(null, element);
}
