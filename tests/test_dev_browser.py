"""`pagemill dev` in Chromium: edits show in the open page in place; errors show an overlay
that a fix clears. A real dev server process, a real file watcher, a real browser."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import pagemill_server
from playwright.sync_api import Browser, Page, expect

STARTER = Path(__file__).parents[1] / "src" / "pagemill" / "starter"


@pytest.fixture
def dev_app(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The starter app served by `pagemill dev`, stopped at the end."""
    app = Path(shutil.copytree(STARTER, tmp_path / "app"))
    with pagemill_server("dev", str(app)) as base:
        yield app, base


@pytest.fixture
def page(chromium: Browser, dev_app: tuple[Path, str]) -> Iterator[Page]:
    context = chromium.new_context(base_url=dev_app[1])
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def open_with_marker(page: Page, path: str) -> None:
    page.goto(path)
    # The event stream must be open before the edit, or the browser would miss it.
    page.wait_for_function("window.pagemill && window.pagemill.router")
    page.wait_for_timeout(300)
    page.evaluate("window.marker = 'kept'")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def wait_for_status(url: str, status: int) -> None:
    """Until the dev server has picked up an edit (its watcher runs on its own time)."""
    deadline = time.monotonic() + 15
    while httpx.get(url).status_code != status:
        assert time.monotonic() < deadline, f"{url} never answered {status}"
        time.sleep(0.1)


def marker(page: Page) -> Any:
    return page.evaluate("window.marker")


def test_a_component_edit_updates_the_open_page_in_place(
    page: Page, dev_app: tuple[Path, str]
) -> None:
    app, _ = dev_app
    open_with_marker(page, "/greet/ann")
    expect(page.locator("h1")).to_have_text("Hello, ann!")
    edit(app / "pages" / "greet" / "[name].py", '"Hello, "', '"Good day, "')
    expect(page.locator("h1")).to_have_text("Good day, ann!")
    assert marker(page) == "kept"


def test_a_gssp_edit_refetches_the_props_in_place(page: Page, dev_app: tuple[Path, str]) -> None:
    app, _ = dev_app
    open_with_marker(page, "/greet/ann")
    edit(app / "pages" / "greet" / "[name].py", '{"name": name}', '{"name": name.upper()}')
    expect(page.locator("h1")).to_have_text("Hello, ANN!")
    assert marker(page) == "kept"


def test_a_gssp_error_shows_the_overlay_and_a_fix_clears_it(
    page: Page, dev_app: tuple[Path, str]
) -> None:
    app, base = dev_app
    source = app / "pages" / "greet" / "[name].py"
    failing = '    raise KeyError("greetings are off")\n'
    edit(source, "    name = ctx.params", failing + "    name = ctx.params")
    wait_for_status(base + "/greet/ann", 500)
    page.goto("/greet/ann")
    overlay = page.locator("#pagemill-error-overlay")
    expect(overlay).to_contain_text("greetings are off")
    expect(overlay).to_contain_text("pages/greet/[name].py")
    expect(overlay).to_contain_text("GET /greet/ann")
    page.wait_for_function("window.pagemill && window.pagemill.router")
    page.wait_for_timeout(300)
    edit(source, failing, "")
    expect(page.locator("h1")).to_have_text("Hello, ann!")
    expect(overlay).to_have_count(0)


def test_an_error_during_in_app_navigation_shows_the_overlay(
    page: Page, dev_app: tuple[Path, str]
) -> None:
    app, _ = dev_app
    edit(
        app / "pages" / "greet" / "[name].py",
        "    name = ctx.params",
        "    1 / 0\n    name = ctx.params",
    )
    open_with_marker(page, "/")
    page.click("text=A dynamic page")
    expect(page.locator("#pagemill-error-overlay")).to_contain_text("ZeroDivisionError")
    assert marker(page) == "kept"
