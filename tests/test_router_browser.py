"""`pagemill.router` and locale-aware `Link`s in Chromium against `pagemill start`.

Every form `next/router` takes (`(href, as)`, URL objects, `shallow`, `locale`), the router's
fields after navigations, and the example's language switch for a browser that prefers
French. A window marker tells an in-app navigation (it survives) from a full load; data
requests are counted from the browser's side. The fixture app is tests/apps/router.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import Site, data_requests, open_page, serve_site, start
from playwright.sync_api import Browser, Page, expect

APPS = Path(__file__).parent / "apps"
EXAMPLE = Path(__file__).parents[1] / "examples" / "bookshelf"


def _copy(source: Path, tmp: Path) -> Path:
    ignore = shutil.ignore_patterns(".pagemill", "__pycache__", "*.sqlite3")
    return Path(shutil.copytree(source, tmp / source.name, ignore=ignore))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from serve_site(_copy(APPS / "router", tmp_path_factory.mktemp("router")))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from serve_site(_copy(EXAMPLE, tmp_path_factory.mktemp("example")))


@pytest.fixture
def page(chromium: Browser, site: Site) -> Iterator[Page]:
    with open_page(chromium, site) as page:
        yield page


def heading(page: Page, text: str) -> None:
    expect(page.locator("#page h1")).to_have_text(text)


FIELDS = """() => {
    const r = pagemill.router;
    return {pathname: r.pathname, route: r.route, asPath: r.asPath, query: r.query,
            basePath: r.basePath, locale: r.locale, locales: r.locales,
            defaultLocale: r.defaultLocale, isReady: r.isReady, isPreview: r.isPreview};
}"""


def fields(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(FIELDS)
    return found


def push(page: Page, *args: Any) -> Any:
    """`pagemill.router.push(...args)` in the page, with JSON arguments (`None` is undefined)."""
    call = ", ".join("undefined" if a is None else json.dumps(a) for a in args)
    return page.evaluate(f"pagemill.router.push({call})")


# -- The forms push and replace take ----------------------------------------------------------


def test_href_and_as_with_a_dynamic_pattern(page: Page, site: Site) -> None:
    start(page)
    requests = data_requests(page)
    assert push(page, "/items/[id]", "/items/2") is True
    heading(page, "Item 2")
    expect(page).to_have_url(site.base + "/items/2")
    assert requests == [f"/_next/data/{site.build_id}/en/items/2.json"]
    assert fields(page) | {"locales": None} == {
        "pathname": "/items/[id]",
        "route": "/items/[id]",
        "asPath": "/items/2",
        "query": {"id": "2"},
        "basePath": "",
        "locale": "en",
        "locales": None,
        "defaultLocale": "en",
        "isReady": True,
        "isPreview": False,
    }
    assert page.evaluate("window.marker") == "kept"


def test_a_url_object_fills_the_pattern_from_its_query(page: Page, site: Site) -> None:
    start(page)
    url = {"pathname": "/items/[id]", "query": {"id": "3", "tab": ["a", "b"]}, "hash": "runs"}
    push(page, url)
    heading(page, "Item 3")
    expect(page).to_have_url(site.base + "/items/3?tab=a&tab=b#runs")
    assert fields(page)["query"] == {"id": "3", "tab": ["a", "b"]}
    assert fields(page)["asPath"] == "/items/3?tab=a&tab=b#runs"
    # replace with a URL object and no pattern; Back then skips the replaced entry.
    page.evaluate("pagemill.router.replace({pathname: '/about', query: {from: 'item'}})")
    heading(page, "About")
    expect(page).to_have_url(site.base + "/about?from=item")
    page.evaluate("pagemill.router.back()")
    expect(page).to_have_url(site.base + "/")
    heading(page, "Home")
    # A pattern without the values it needs: the promise rejects, saying which.
    error = page.evaluate(
        "pagemill.router.push({pathname: '/items/[id]', query: {}}).catch((e) => e.message)"
    )
    assert "missing query values (id)" in error
    assert page.evaluate("window.marker") == "kept"


def test_shallow_changes_the_url_and_query_without_fetching(page: Page, site: Site) -> None:
    start(page, "/items/1")
    expect(page.locator("#runs")).to_have_text(re.compile(r"runs: \d+"))
    runs = page.locator("#runs").text_content()
    requests = data_requests(page)
    events = page.evaluate(
        """async () => {
            const seen = [];
            for (const name of ["routeChangeStart", "beforeHistoryChange", "routeChangeComplete"]) {
                const note = (url, o) => seen.push(`${name} ${url} ${o.shallow}`);
                pagemill.router.events.on(name, note);
            }
            await pagemill.router.push("/items/1?tab=2", undefined, {shallow: true});
            return seen;
        }"""
    )
    assert events == [
        "routeChangeStart /items/1?tab=2 true",
        "beforeHistoryChange /items/1?tab=2 true",
        "routeChangeComplete /items/1?tab=2 true",
    ]
    expect(page).to_have_url(site.base + "/items/1?tab=2")
    assert fields(page)["query"] == {"id": "1", "tab": "2"}
    assert fields(page)["asPath"] == "/items/1?tab=2"
    # Another URL of the same route is shallow too: the page on screen stays as it was.
    push(page, "/items/[id]", "/items/5", {"shallow": True})
    expect(page).to_have_url(site.base + "/items/5")
    assert (fields(page)["query"], fields(page)["pathname"]) == ({"id": "5"}, "/items/[id]")
    heading(page, "Item 1")
    # Back between entries shallow pushes made stays shallow.
    page.evaluate("pagemill.router.back()")
    expect(page).to_have_url(site.base + "/items/1?tab=2")
    page.wait_for_function("pagemill.router.query.tab === '2'")
    assert requests == []
    expect(page.locator("#runs")).to_have_text(runs or "")
    # A shallow push to another page fetches it, as Next does.
    push(page, "/about", None, {"shallow": True})
    heading(page, "About")
    assert requests == [f"/_next/data/{site.build_id}/en/about.json"]
    assert page.evaluate("window.marker") == "kept"


def test_the_locale_option(page: Page, site: Site) -> None:
    start(page, "/items/1")
    requests = data_requests(page)
    push(page, "/about", None, {"locale": "fr"})
    heading(page, "À propos")
    expect(page).to_have_url(site.base + "/fr/about")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert (fields(page)["locale"], fields(page)["asPath"]) == ("fr", "/about")
    # A path without a locale goes to the locale on screen...
    push(page, "/items/4")
    heading(page, "Item 4")
    expect(page).to_have_url(site.base + "/fr/items/4")
    expect(page.locator("#server-router")).to_have_text("/items/[id] /items/4 fr")
    # ...locale: false takes the path as given (the default locale when it names none)...
    push(page, "/items/4", None, {"locale": False})
    expect(page).to_have_url(site.base + "/items/4")
    push(page, "/fr/items/2", None, {"locale": False})
    expect(page).to_have_url(site.base + "/fr/items/2")
    heading(page, "Item 2")
    # ...and a path naming a locale keeps it.
    push(page, "/en/about")
    heading(page, "About")
    assert fields(page)["locale"] == "en"
    assert requests == [
        f"/_next/data/{site.build_id}/fr/about.json",
        f"/_next/data/{site.build_id}/fr/items/4.json",
        f"/_next/data/{site.build_id}/en/items/4.json",
        f"/_next/data/{site.build_id}/fr/items/2.json",
        f"/_next/data/{site.build_id}/en/about.json",
    ]
    assert page.evaluate("window.marker") == "kept"


def test_router_fields_on_load_and_after_navigations(page: Page, site: Site) -> None:
    start(page, "/fr/items/7?x=1&x=2")
    assert fields(page) == {
        "pathname": "/items/[id]",
        "route": "/items/[id]",
        "asPath": "/items/7?x=1&x=2",
        "query": {"x": ["1", "2"], "id": "7"},
        "basePath": "",
        "locale": "fr",
        "locales": ["en", "fr"],
        "defaultLocale": "en",
        "isReady": True,
        "isPreview": False,
    }
    page.click("#nav-about")
    heading(page, "À propos")
    found = fields(page)
    assert (found["pathname"], found["asPath"], found["query"]) == ("/about", "/about", {})
    page.click("#nav-home")
    heading(page, "Accueil")
    assert (fields(page)["pathname"], fields(page)["asPath"]) == ("/", "/")
    page.go_back()
    heading(page, "À propos")
    assert fields(page)["pathname"] == "/about"
    assert page.evaluate("window.marker") == "kept"


# -- Link -------------------------------------------------------------------------------------


def test_links_carry_the_page_locale(page: Page, site: Site) -> None:
    start(page, "/fr/items/1")
    hrefs = page.eval_on_selector_all("nav a", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["/fr", "/fr/about", "/fr/items/1", "/items/1", "/fr/items/1", "/fr/about"]
    page.click("#nav-about")
    heading(page, "À propos")
    expect(page).to_have_url(site.base + "/fr/about")
    # The markup of the page navigated to was rendered in its locale too.
    expect(page.locator("#nav-en")).to_have_attribute("href", "/about")
    page.click("#nav-en")
    heading(page, "About")
    expect(page).to_have_url(site.base + "/about")
    expect(page.locator("#nav-about")).to_have_attribute("href", "/about")
    expect(page.locator("#nav-fr")).to_have_attribute("href", "/fr/about")
    assert page.evaluate("window.marker") == "kept"


# -- The example's language switch --------------------------------------------------------------


def test_the_language_switch_for_a_browser_that_prefers_french(
    chromium: Browser, example: Site
) -> None:
    with open_page(chromium, example, locale="fr-FR") as page:
        page.goto("/")
        expect(page).to_have_url(example.base + "/fr")  # sent there by Accept-Language
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.locator("h1")).to_have_text("Tous les livres")
        page.click("a.language")
        expect(page).to_have_url(example.base + "/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("h1")).to_have_text("All books")
        # The choice is remembered: / stays English for this browser from now on.
        page.goto("/")
        expect(page).to_have_url(example.base + "/")
        expect(page.locator("h1")).to_have_text("All books")
        page.goto("/about")
        page.click("a.language")
        expect(page).to_have_url(example.base + "/fr/about")
        expect(page.locator("h1")).to_have_text("À propos de cette étagère")
        page.goto("/")
        expect(page).to_have_url(example.base + "/fr")
