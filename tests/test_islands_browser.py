"""Client islands in Chromium against `pagemill start`: mounting, state kept across in-app
navigations, cleanup, changed props, a failing mount, no island JavaScript where there are
none, and the fallback without JavaScript. The fixture app is tests/apps/islands: a counter
(with typed text inside, importing a helper by relative path), a badge whose module has
`update`, and a module whose `mount` throws."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import pagemill_server
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

APP = Path(__file__).parent / "apps" / "islands"
PAGEMILL = [sys.executable, "-m", "pagemill"]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = Path(shutil.copytree(APP, tmp_path_factory.mktemp("islands") / "islands"))
    subprocess.run([*PAGEMILL, "build", str(app)], check=True, capture_output=True)
    with pagemill_server("start", str(app), "--workers", "1") as url:
        yield url


class Tab:
    """A page in its own browser context, with what it logged and fetched."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", self._console)
        page.on("request", lambda request: self.requests.append(request.url))

    def _console(self, message: ConsoleMessage) -> None:
        # (The browser's own /favicon.ico request, a 404 here, is not the page's doing.)
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def log(self) -> Any:
        return self.page.evaluate("window.__log || []")

    def go(self, link_id: str, heading: str) -> None:
        """An in-app navigation by clicking a link; the window marker proves it was one."""
        self.page.click(f"#{link_id}")
        expect(self.page.locator("#page h1")).to_have_text(heading)
        assert self.page.evaluate("window.marker") == "kept"


@contextmanager
def tab(chromium: Browser, base: str, path: str, **options: Any) -> Iterator[Tab]:
    context = chromium.new_context(base_url=base, **options)
    context.set_default_timeout(10_000)
    try:
        opened = Tab(context.new_page())
        opened.page.goto(path)
        if options.get("java_script_enabled", True):
            opened.page.wait_for_function("window.pagemill && window.pagemill.router")
            opened.page.evaluate("window.marker = 'kept'")
        yield opened
    finally:
        context.close()


def test_an_island_mounts_with_its_props(chromium: Browser, base: str) -> None:
    with tab(chromium, base, "/a") as t:
        button = t.page.locator("#counter button")
        # The props arrive as they were, markup-like text included.
        expect(button).to_have_text("1 </script><b>clicks</b>")
        expect(t.page.locator("#counter .fallback")).to_have_count(0)
        button.click()
        expect(button).to_have_text("2 </script><b>clicks</b>")
        assert t.log() == ["mount counter 1"]
        assert t.errors == []


def test_a_kept_island_keeps_its_state_across_navigations(chromium: Browser, base: str) -> None:
    with tab(chromium, base, "/a") as t:
        button = t.page.locator("#counter button")
        button.click()
        button.click()
        t.page.fill("#typed", "half a sentence")
        t.go("to-b", "B")
        expect(t.page.locator("#page p").first).to_have_text("Another page")
        expect(button).to_have_text("3 </script><b>clicks</b>")
        expect(t.page.locator("#typed")).to_have_value("half a sentence")
        t.go("to-a", "A")
        expect(button).to_have_text("3 </script><b>clicks</b>")
        assert t.log() == ["mount counter 1"], "mounted once, never cleaned up"


def test_a_removed_island_is_cleaned_up(chromium: Browser, base: str) -> None:
    with tab(chromium, base, "/a") as t:
        expect(t.page.locator("#counter button")).to_have_text("1 </script><b>clicks</b>")
        t.go("to-home", "Home")
        expect(t.page.locator("body")).to_have_attribute("data-cleaned", "1")
        assert t.log() == ["mount counter 1", "cleanup counter 1"]
        t.page.go_back()
        expect(t.page.locator("#counter button")).to_have_text("1 </script><b>clicks</b>")
        assert t.log()[-1] == "mount counter 1", "back again: mounted afresh"


def test_changed_props_clean_up_then_mount_again(chromium: Browser, base: str) -> None:
    with tab(chromium, base, "/a") as t:
        button = t.page.locator("#counter button")
        button.click()
        t.go("to-c", "C")
        expect(button).to_have_text("5 clicks")
        assert t.log() == ["mount counter 1", "cleanup counter 1", "mount counter 5"]


def test_changed_props_go_to_update_when_the_module_has_it(chromium: Browser, base: str) -> None:
    with tab(chromium, base, "/badge/1") as t:
        badge = t.page.locator("#badge")
        expect(badge).to_have_text("badge 1")
        t.go("next", "Badge 2")
        expect(badge).to_have_text("badge 2")
        expect(badge).to_have_attribute("data-mounts", "1")  # the same element, never remounted
        assert t.log() == ["mount badge 1", "update badge 2"]
        t.go("to-home", "Home")
        assert t.log()[-1] == "cleanup badge 1", "the cleanup mount returned"


def test_a_failing_mount_leaves_the_fallback_and_names_the_island(
    chromium: Browser, base: str
) -> None:
    with tab(chromium, base, "/") as t:
        with t.page.expect_console_message(lambda m: m.type == "error") as logged:
            t.go("to-boom", "Boom")
        assert 'island "boom" failed to mount' in logged.value.text
        assert "the widget broke" in logged.value.text
        # What the failed mount had written is undone.
        expect(t.page.locator("#boom")).to_have_text("The fallback stays")


def test_no_island_javascript_on_pages_without_islands(chromium: Browser, base: str) -> None:
    with tab(chromium, base, "/") as t:
        t.go("to-b", "B")  # fetched now, for the island it shows
        expect(t.page.locator("#counter button")).to_have_count(1)
    loaded = [url for url in t.requests if "islands" in url]
    assert loaded and all(url.endswith(".js") for url in loaded)
    with tab(chromium, base, "/") as t:
        t.page.wait_for_load_state("networkidle")
        assert [url for url in t.requests if "islands" in url] == []


def test_without_javascript_the_fallback_shows(chromium: Browser, base: str) -> None:
    with tab(chromium, base, "/a", java_script_enabled=False) as t:
        expect(t.page.locator("#counter .fallback")).to_have_text("Counter loading")
        expect(t.page.locator("#counter button")).to_have_count(0)


def test_in_dev_an_edited_island_mounts_again_in_place_and_errors_show(
    chromium: Browser, tmp_path: Path
) -> None:
    app = Path(shutil.copytree(APP, tmp_path / "islands"))
    with pagemill_server("dev", str(app)) as url:
        context = chromium.new_context(base_url=url)
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            # Both event streams (the runtime's and the islands') answered: the server listens.
            streams: list[str] = []
            page.on("response", lambda r: "/_pagemill/events" in r.url and streams.append(r.url))
            page.goto("/a")
            button = page.locator("#counter button")
            expect(button).to_have_text("1 </script><b>clicks</b>")
            page.wait_for_function("window.pagemill && window.pagemill.router")
            page.evaluate("window.marker = 'kept'")
            while len(streams) < 2:
                page.wait_for_event("response")
            counter = app / "islands" / "counter.js"
            counter.write_text(
                counter.read_text().replace("format(props.label", "'edited ' + format(props.label")
            )
            expect(button).to_have_text("edited 1 </script><b>clicks</b>")
            assert page.evaluate("window.marker") == "kept", "no full reload"
            assert page.evaluate("window.__log") == [
                "mount counter 1",
                "cleanup counter 1",
                "mount counter 1",
            ]
            # A failing mount shows in the dev error overlay too.
            page.click("#to-boom")
            overlay = page.locator("#pagemill-error-overlay")
            expect(overlay).to_contain_text('pagemill: island "boom" failed to mount:')
            expect(overlay).to_contain_text("the widget broke")
            expect(page.locator("#boom")).to_have_text("The fallback stays")
        finally:
            context.close()
