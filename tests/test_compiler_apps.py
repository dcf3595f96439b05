"""Every page of every fixture app and example rendered both ways, byte for byte the same.

The loader is made to hand the pipeline, for each compiled function, one that runs the
original and the compiled version on the same arguments, records any difference (in output,
or in the exception raised), and answers with the original's result. Each app is then
requested at every route (and a missing URL), as HTML and as the data route with markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from markupsafe import Markup

import pagemill
from pagemill import compiler, loader
from pagemill import html as h
from pagemill.compiler import Renderer

ROOT = Path(__file__).parent.parent
APP_DIRS = sorted(
    [p for p in (ROOT / "tests" / "apps").iterdir() if (p / "pages").is_dir()]
    + [p for p in (ROOT / "examples").iterdir() if (p / "pages").is_dir()]
)
# Pages that wait on purpose (for a timeout, or a slow report): nothing to render quickly.
WAITING = ("hang", "slow", "leak")

Outcome = tuple[str, Any, Any]


def _outcome(function: Callable[..., Any], args: tuple[Any, ...]) -> Outcome:
    try:
        return ("ok", h.render(function(*args)), None)
    except Exception as exc:
        return ("raised", type(exc), str(exc))


class Comparing:
    """Stands in for `compile_renderers`: each fast function is run both ways."""

    def __init__(self) -> None:
        self.differences: list[str] = []
        self.compared = 0
        self.fast: list[str] = []

    def __call__(self, module: ModuleType, source: str | None, names: Any) -> dict[str, Renderer]:
        renderers = compiler.compile_renderers(module, source, names)
        return {name: self._both(module, r) for name, r in renderers.items()}

    def _both(self, module: ModuleType, renderer: Renderer) -> Renderer:
        if not renderer.fast:
            return renderer
        original = getattr(module, renderer.name)
        where = f"{module.__name__}.{renderer.name}"
        self.fast.append(where)

        def both(*args: Any) -> Any:
            expected = _outcome(original, args)
            got = _outcome(renderer.function, args)
            self.compared += 1
            if got != expected:
                self.differences.append(f"{where}: {expected!r} != {got!r}")
            if expected[0] == "raised":
                return original(*args)
            return Markup(expected[1])

        return Renderer(renderer.name, both, True)


def sample_urls(app: pagemill.loader.LoadedApp) -> list[str]:
    urls = ["/no-such-page-here"]
    for route in app.routes.routes:
        if isinstance(route.payload, loader.Page) and not any(w in route.pattern for w in WAITING):
            url = re.sub(r"\[\[\.\.\.\w+\]\]", "a/b", route.pattern)
            url = re.sub(r"\[\.\.\.\w+\]", "a/b", url)
            url = re.sub(r"\[\w+\]", "1", url)
            urls.append(app.config.base_path + url)
    return urls


@pytest.mark.anyio
@pytest.mark.parametrize("app_dir", APP_DIRS, ids=[p.name for p in APP_DIRS])
async def test_every_page_renders_the_same_both_ways(
    app_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    comparing = Comparing()
    monkeypatch.setattr(loader, "compile_renderers", comparing)
    try:
        loaded = loader.load_app(app_dir)
    except pagemill.errors.AppLoadError:
        pytest.skip("an app that does not load (on purpose)")
    urls = sample_urls(loaded)
    app = pagemill.create_app(app_dir)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        build = None
        for url in urls:
            response = await http.get(url)
            found = re.search(r'"buildId":"([^"]+)"', response.text)
            build = build or (found.group(1) if found else None)
        for url in urls if build else []:
            path = url.removeprefix(loaded.config.base_path).rstrip("/") or "/index"
            data = f"{loaded.config.base_path}/_next/data/{build}{path}.json"
            await http.get(data, headers={"x-nextjs-data": "1", "x-pagemill-render": "1"})
    assert comparing.differences == []
    if comparing.fast:
        assert comparing.compared > 0


def test_the_examples_pages_take_the_fast_path() -> None:
    loaded = loader.load_app(ROOT / "examples" / "bookshelf")
    fast = {f"{page.source}:{r.name}" for page in loaded.pages() for r in page.renderers if r.fast}
    assert "pages/index.py:page" in fast
    assert all(r.fast for r in loaded.app.renderers)
