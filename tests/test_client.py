"""The client runtime in Chromium against `pagemill start`: what a person sees.

A window marker tells an in-app navigation (the marker survives) from a full load (it is
gone). Data requests are counted from the browser's side. The fixture app is
tests/apps/client; a second copy runs under a base path with i18n.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from browsing import Site, data_requests, open_page, serve_site, start
from playwright.sync_api import Browser, Page, Route, expect

from pagemill.assets import ClientAssets

APPS = Path(__file__).parent / "apps"
RUNTIME = Path(__file__).parents[1] / "src" / "pagemill" / "client" / "pagemill.js"


def _copy(name: str, tmp: Path) -> Path:
    return Path(
        shutil.copytree(APPS / name, tmp / name, ignore=shutil.ignore_patterns(".pagemill"))
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from serve_site(_copy("client", tmp_path_factory.mktemp("client")))


@pytest.fixture(scope="module")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The same app under base path /docs, in English (default) and French."""
    app = _copy("client", tmp_path_factory.mktemp("docs"))
    (app / "pagemill.toml").write_text(
        'base_path = "/docs"\n\n[i18n]\nlocales = ["en-US", "fr"]\ndefault_locale = "en-US"\n'
    )
    yield from serve_site(app, "/docs")


@pytest.fixture
def page(chromium: Browser, site: Site) -> Iterator[Page]:
    with open_page(chromium, site) as page:
        yield page


@pytest.fixture
def docs_page(chromium: Browser, docs_site: Site) -> Iterator[Page]:
    with open_page(chromium, docs_site) as page:
        yield page


def marker(page: Page) -> Any:
    return page.evaluate("window.marker")


def heading(page: Page, text: str) -> None:
    expect(page.locator("#page h1")).to_have_text(text)


def count(page: Page) -> int:
    text = page.locator("#count").text_content() or ""
    return int(text.removeprefix("count: "))


# -- The script itself ----------------------------------------------------------------------


def test_the_runtime_stays_small() -> None:
    # The navigation runtime with next/router's API (URL objects, patterns, shallow, locales).
    assert len(gzip.compress(RUNTIME.read_bytes(), 9)) < 11.5 * 1024


def test_the_dev_overlay_is_only_in_pagemill_dev(site: Site) -> None:
    """overlay.js (the error overlay, live updates) is not part of a `pagemill start` page."""
    html = httpx.get(site.base + "/").text
    assert "/_next/static/chunks/pagemill-" in html
    assert "/_next/static/chunks/overlay-" not in html


def test_the_runtime_unit_tests_pass_under_node() -> None:
    """tests/js (data URLs, link rules, the morph) with Node's own runner."""
    node = shutil.which("node")
    if node is None:
        message = "Node.js is not installed: tests/js did not run"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    result = subprocess.run(
        [node, "--test", "tests/js"], cwd=RUNTIME.parents[3], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- Navigating in the app ------------------------------------------------------------------


def test_a_link_navigates_without_a_reload(page: Page, site: Site) -> None:
    start(page)
    requests = data_requests(page)
    page.click("#nav-about")
    heading(page, "About")
    expect(page).to_have_url(site.base + "/about")
    expect(page).to_have_title("About")
    assert marker(page) == "kept"
    assert requests == [f"/_next/data/{site.build_id}/about.json"]
    # The head tags between the markers changed; the layout was updated in place.
    description = page.locator('meta[name="description"]')
    expect(description).to_have_attribute("content", "About this app")
    expect(page.locator("#nav-about")).to_have_class("active")
    assert page.evaluate("document.getElementById('nav-home').hasAttribute('class')") is False
    # __NEXT_DATA__ follows: a static page's props, no gssp flag.
    data = page.evaluate("window.pagemill.data")
    assert data["props"] == {"pageProps": {}}
    assert "gssp" not in data
    assert json.loads(page.locator("#__NEXT_DATA__").text_content() or "") == data
    # The layout's script did not change, so it did not run again.
    assert page.evaluate("window.layoutRuns") == 1


def test_typed_text_focus_and_open_details_survive(page: Page) -> None:
    start(page)
    page.click("#layout-details summary")
    page.fill("#layout-input", "hello")
    page.focus("#layout-input")
    page.evaluate("window.pagemill.router.push('/counter')")
    heading(page, "Counter")
    assert page.evaluate("document.activeElement.id") == "layout-input"
    expect(page.locator("#layout-input")).to_have_value("hello")
    expect(page.locator("#layout-details")).to_have_attribute("open", "")
    page.click("#nav-about")
    heading(page, "About")
    expect(page.locator("#layout-input")).to_have_value("hello")
    expect(page.locator("#layout-details")).to_have_attribute("open", "")
    assert marker(page) == "kept"


def test_the_title_changes_with_the_page(page: Page) -> None:
    start(page)
    expect(page).to_have_title("Home")
    page.click("#nav-counter")
    expect(page).to_have_title("Counter")
    page.click("#nav-home")
    expect(page).to_have_title("Home")
    assert marker(page) == "kept"


def test_a_redirect_navigates_in_app_and_back_skips_it(page: Page, site: Site) -> None:
    start(page)
    page.click("#nav-counter")
    heading(page, "Counter")
    requests = data_requests(page)
    page.click("#nav-redirect")
    heading(page, "About")
    expect(page).to_have_url(site.base + "/about")
    assert marker(page) == "kept"
    build = site.build_id
    assert requests == [f"/_next/data/{build}/redirect.json", f"/_next/data/{build}/about.json"]
    page.go_back()
    expect(page).to_have_url(site.base + "/counter")
    heading(page, "Counter")
    assert marker(page) == "kept"


def test_an_external_redirect_is_a_full_navigation(page: Page, site: Site) -> None:
    start(page)
    page.click("#nav-external")
    expect(page).to_have_url(site.base + "/about?external=1")
    heading(page, "About")
    assert marker(page) is None


def test_not_found_shows_the_404_page_in_place(page: Page, site: Site) -> None:
    start(page)
    page.click("#nav-missing")
    heading(page, "404")
    expect(page.locator("#page h2")).to_have_text("This page could not be found.")
    expect(page).to_have_url(site.base + "/missing")
    expect(page).to_have_title("404: This page could not be found.")
    assert marker(page) == "kept"
    page.go_back()
    heading(page, "Home")
    assert marker(page) == "kept"


def test_a_failed_navigation_loads_the_page_fully(page: Page, site: Site) -> None:
    start(page)
    page.click("#nav-boom")
    expect(page).to_have_url(site.base + "/boom")
    heading(page, "500")
    assert marker(page) is None


def test_rapid_clicks_make_one_request(page: Page, site: Site) -> None:
    start(page, "/counter")
    before = count(page)
    page.click("#nav-home")
    heading(page, "Home")
    page.evaluate(
        """() => {
            window.cancelled = 0;
            addEventListener("routeChangeError", (e) => {
                if (e.detail.error.cancelled) window.cancelled++;
            });
        }"""
    )
    requests = data_requests(page)
    page.evaluate("for (let i = 0; i < 4; i++) document.getElementById('nav-counter').click()")
    heading(page, "Counter")
    assert count(page) == before + 1
    assert requests == [f"/_next/data/{site.build_id}/counter.json"]
    # Each click started a navigation; the three superseded ones were cancelled.
    assert page.evaluate("window.cancelled") == 3
    assert marker(page) == "kept"


def test_the_progress_bar_shows_while_a_navigation_is_slow(page: Page) -> None:
    start(page)
    page.click("#nav-slow")
    bar = page.locator("#pagemill-progress")
    expect(bar).to_be_visible()  # the page takes 0.6 s: the bar shows meanwhile
    heading(page, "Slow")
    expect(bar).to_have_count(0)  # and is gone once the page is there


def test_back_and_forward_refetch_and_restore_the_scroll(page: Page, site: Site) -> None:
    start(page, "/long")
    page.evaluate("document.getElementById('target').scrollIntoView()")
    left_at = page.evaluate("scrollY")
    assert left_at > 1000
    requests = data_requests(page)
    page.click("#long-to-counter")
    heading(page, "Counter")
    assert page.evaluate("scrollY") == 0
    first = count(page)
    page.go_back()
    heading(page, "Long")
    page.wait_for_function(f"scrollY === {left_at}")
    page.go_forward()
    heading(page, "Counter")
    assert count(page) == first + 1, "Forward fetched the page again"
    counter, long = (f"/_next/data/{site.build_id}/{p}.json" for p in ("counter", "long"))
    assert requests == [counter, long, counter]
    assert marker(page) == "kept"


def test_a_hash_link_scrolls_to_its_element(page: Page, site: Site) -> None:
    start(page)
    page.click("#nav-hash")
    heading(page, "Long")
    expect(page).to_have_url(site.base + "/long#target")
    page.wait_for_function(
        "Math.abs(document.getElementById('target').getBoundingClientRect().top) < 2"
    )
    assert marker(page) == "kept"


def test_scripts_in_new_markup_run(page: Page) -> None:
    start(page)
    page.click("#nav-script")
    expect(page.locator("#script-out")).to_have_text("ran 1")
    page.click("#nav-about")
    heading(page, "About")
    page.click("#nav-script")
    expect(page.locator("#script-out")).to_have_text("ran 2")
    assert page.evaluate("window.layoutRuns") == 1
    assert marker(page) == "kept"


# -- What the router leaves to the browser --------------------------------------------------


def test_a_modifier_click_is_left_to_the_browser(page: Page, site: Site) -> None:
    start(page)
    requests = data_requests(page)
    with page.context.expect_page() as opened:
        page.click("#nav-about", modifiers=["Control"])
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url == site.base + "/about"
    heading(page, "Home")
    assert marker(page) == "kept"
    assert requests == []


def test_an_api_link_is_a_full_navigation(page: Page, site: Site) -> None:
    start(page)
    requests = data_requests(page)
    page.click("#nav-api")
    expect(page).to_have_url(site.base + "/api/hello")
    assert json.loads(page.locator("body").text_content() or "") == {"hello": "world"}
    assert marker(page) is None
    assert requests == []


def test_a_plain_link_is_a_full_navigation(page: Page, site: Site) -> None:
    start(page)
    requests = data_requests(page)
    page.click("#plain-link")
    expect(page).to_have_url(site.base + "/about")
    heading(page, "About")
    assert marker(page) is None
    assert requests == []


def test_links_work_with_javascript_off(chromium: Browser, site: Site) -> None:
    with open_page(chromium, site, java_script_enabled=False) as page:
        page.goto("/")
        page.click("#nav-about")
        expect(page).to_have_url(site.base + "/about")
        heading(page, "About")
        page.click("#nav-counter")
        heading(page, "Counter")


# -- The JavaScript API ---------------------------------------------------------------------


def test_router_push_fires_the_events_in_order(page: Page) -> None:
    start(page)
    seen = page.evaluate(
        """async () => {
            const seen = [];
            for (const name of ["routeChangeStart", "beforeHistoryChange", "routeChangeComplete"]) {
                addEventListener(name, (e) => seen.push(`window ${name} ${e.detail.url}`));
                pagemill.router.events.on(name, (url) => seen.push(`router ${name} ${url}`));
            }
            const dropped = () => seen.push("dropped");
            pagemill.router.events.on("routeChangeComplete", dropped);
            pagemill.router.events.off("routeChangeComplete", dropped);
            seen.push(`pushed ${await pagemill.router.push("/about?x=1")}`);
            return seen;
        }"""
    )
    assert seen == [
        "router routeChangeStart /about?x=1",
        "window routeChangeStart /about?x=1",
        "router beforeHistoryChange /about?x=1",
        "window beforeHistoryChange /about?x=1",
        "router routeChangeComplete /about?x=1",
        "window routeChangeComplete /about?x=1",
        "pushed true",
    ]
    heading(page, "About")
    assert page.evaluate("window.pagemill.data.query") == {"x": "1"}


def test_router_reload_and_replace(page: Page, site: Site) -> None:
    start(page)
    page.fill("#layout-input", "kept")
    page.evaluate("pagemill.router.push('/counter')")
    heading(page, "Counter")
    first = count(page)
    page.evaluate("pagemill.router.reload()")
    expect(page.locator("#count")).to_have_text(f"count: {first + 1}")
    expect(page).to_have_url(site.base + "/counter")
    expect(page.locator("#layout-input")).to_have_value("kept")
    page.evaluate("pagemill.router.replace('/about')")
    heading(page, "About")
    page.evaluate("pagemill.router.back()")
    expect(page).to_have_url(site.base + "/")
    heading(page, "Home")
    assert marker(page) == "kept"


def test_intent_prefetch_serves_the_click(page: Page, site: Site) -> None:
    start(page)
    requests = data_requests(page)
    with page.expect_response(lambda response: "counter.json?via=intent" in response.url):
        page.hover("#nav-intent")
    page.click("#nav-intent")
    heading(page, "Counter")
    expect(page).to_have_url(site.base + "/counter?via=intent")
    assert requests == [f"/_next/data/{site.build_id}/counter.json?via=intent"]
    # router.prefetch too: the click after it makes no request of its own.
    page.evaluate("pagemill.router.prefetch('/about')")
    page.click("#nav-about")
    heading(page, "About")
    assert requests[1:] == [f"/_next/data/{site.build_id}/about.json"]
    assert marker(page) == "kept"


# -- Base path and i18n ---------------------------------------------------------------------


def test_under_a_base_path_with_locales(docs_page: Page, docs_site: Site) -> None:
    page, build = docs_page, docs_site.build_id
    start(page, "/docs")
    requests = data_requests(page)
    page.click("#nav-about")
    heading(page, "About")
    expect(page).to_have_url(docs_site.base + "/docs/about")
    page.click("#nav-fr-about")
    expect(page).to_have_url(docs_site.base + "/docs/fr/about")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.evaluate("window.pagemill.data.locale") == "fr"
    # router.push takes the app's paths, without the base path, in the locale on screen
    # unless told otherwise, as Next's does.
    page.evaluate("pagemill.router.push('/counter', undefined, {locale: 'en-US'})")
    heading(page, "Counter")
    expect(page).to_have_url(docs_site.base + "/docs/counter")
    expect(page.locator("html")).to_have_attribute("lang", "en-US")
    assert requests == [
        f"/docs/_next/data/{build}/en-US/about.json",
        f"/docs/_next/data/{build}/fr/about.json",
        f"/docs/_next/data/{build}/en-US/counter.json",
    ]
    assert marker(page) == "kept"


def test_redirects_under_a_base_path(docs_page: Page, docs_site: Site) -> None:
    page = docs_page
    start(page, "/docs")
    page.click("#nav-redirect")
    heading(page, "About")
    expect(page).to_have_url(docs_site.base + "/docs/about")
    assert marker(page) == "kept"
    page.go_back()
    expect(page).to_have_url(docs_site.base + "/docs")
    heading(page, "Home")
    # base_path: False sends the browser to /about as is, outside the base path.
    page.click("#nav-redirect-no-base")
    expect(page).to_have_url(docs_site.base + "/about")
    assert marker(page) is None


# -- Dev mode: live updates and the error overlay --------------------------------------------

DEV_ERROR = {
    "name": "RuntimeError",
    "message": "<b>not bold</b> went wrong",
    "frames": [
        {
            "file": "site-packages/pagemill/rendering.py",
            "line": 10,
            "function": "render",
            "source": [[9, "try:"], [10, "    await call()"]],
            "app": False,
        },
        {
            "file": "pages/boom.py",
            "line": 2,
            "function": "get_server_side_props",
            "source": [[1, "def get_server_side_props(ctx):"], [2, "    raise RuntimeError"]],
            "app": True,
        },
    ],
    "request": {"method": "GET", "url": "/boom"},
}


def _as_dev(page: Page, site: Site) -> Callable[[dict[str, Any]], None]:
    """Make the page a dev page: its buildId becomes "development", data requests go to
    the real build (boom's answers the dev error JSON), and /_pagemill/events delivers what
    the returned function queues, one message per (re)connection."""
    queue: list[dict[str, Any]] = []

    def document(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace(f'"buildId":"{site.build_id}"', '"buildId":"development"')
        # `pagemill dev` documents also load overlay.js (served by every server).
        overlay = ClientAssets().url_of["overlay.js"]
        body = body.replace("</body>", f'<script src="{overlay}" defer></script></body>')
        route.fulfill(response=response, body=body)

    def data(route: Route) -> None:
        if "/boom.json" in route.request.url:
            route.fulfill(status=500, json={"__pagemill_error": DEV_ERROR})
            return
        real = route.request.url.replace("/development/", f"/{site.build_id}/")
        route.fulfill(response=route.fetch(url=real))

    def events(route: Route) -> None:
        body = "retry: 50\n\n"
        if queue:
            body += f"data: {json.dumps(queue.pop(0))}\n\n"
        route.fulfill(status=200, content_type="text/event-stream", body=body)

    page.route(site.base + "/", document)
    page.route("**/_next/data/development/**", data)
    page.route("**/_pagemill/events", events)
    return queue.append


def test_dev_error_overlay_and_live_updates(page: Page, site: Site) -> None:
    send = _as_dev(page, site)
    send({"type": "error", "error": DEV_ERROR})
    start(page)
    overlay = page.locator("#pagemill-error-overlay")
    expect(overlay).to_be_visible()
    expect(overlay.locator("h1")).to_have_text("RuntimeError")
    # Error text is text, never markup.
    expect(overlay.locator(".pm-message")).to_have_text("<b>not bold</b> went wrong")
    assert overlay.locator("b").count() == 0
    expect(overlay).to_contain_text("GET /boom")
    expect(overlay.locator("summary").nth(1)).to_have_text(
        "pages/boom.py:2 in get_server_side_props"
    )
    expect(overlay.locator("details.pm-app")).to_have_attribute("open", "")
    expect(overlay.locator("details.pm-library")).not_to_have_attribute("open", "")
    expect(overlay.locator("details.pm-app .pm-failing")).to_contain_text("raise RuntimeError")

    send({"type": "ok"})
    expect(overlay).to_have_count(0)

    # A refresh fetches the page's props and markup again, in place.
    page.click("#nav-counter")
    heading(page, "Counter")
    page.fill("#layout-input", "still here")
    before = count(page)
    send({"type": "refresh"})
    expect(page.locator("#count")).to_have_text(f"count: {before + 1}")
    expect(page.locator("#layout-input")).to_have_value("still here")

    # A navigation that hits an error shows the overlay instead of loading the page.
    page.click("#nav-boom")
    expect(overlay).to_be_visible()
    expect(page).to_have_url(site.base + "/boom")
    page.click("#pagemill-error-overlay .pm-close")
    expect(overlay).to_have_count(0)
    assert marker(page) == "kept"

    with page.expect_navigation():
        send({"type": "reload"})
    assert marker(page) is None
