"""`pagemill.testing`: the helpers an app's own tests use."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pagemill.testing import build_context, call_get_server_side_props, client

APP = Path(__file__).parent / "apps" / "gssp"


@pytest.mark.anyio
async def test_client_talks_to_the_app_in_process() -> None:
    async with client(APP) as http:
        response = await http.get("/blog/post-1")
    assert response.status_code == 200
    assert "Post: post-1" in response.text


@pytest.mark.anyio
async def test_call_get_server_side_props_returns_the_raw_result() -> None:
    result = await call_get_server_side_props(APP, "/blog/post-1?x=1")
    assert result["props"]["params"] == {"post": "post-1"}
    assert result["props"]["resolved_url"] == "/blog/post-1?x=1"
    assert await call_get_server_side_props(APP, "/not-found?hiding=1") == {"not_found": True}


def test_build_context_for_page_and_data_urls() -> None:
    ctx = build_context(APP, "/blog/hello?post=hello&a=1", headers={"Cookie": "a=b"})
    assert (ctx.params, ctx.req.cookies, ctx.req.url) == (
        {"post": "hello"},
        {"a": "b"},
        "/blog/hello?post=hello&a=1",
    )


def test_an_unknown_url_says_so() -> None:
    with pytest.raises(LookupError, match="no page answers /nowhere"):
        build_context(APP, "/nowhere")


@pytest.mark.anyio
async def test_a_locale_prefixed_url_is_that_locales_page() -> None:
    app = Path(__file__).parent / "apps" / "i18n"
    result = await call_get_server_side_props(app, "/fr/gssp?x=1")
    assert (result["props"]["locale"], result["props"]["resolved_url"]) == ("fr", "/gssp?x=1")
    assert build_context(app, "/gssp").locale == "en-US"


def test_the_docs_testing_example_runs_as_copied_with_plain_pytest(tmp_path: Path) -> None:
    """docs/testing.md's app and test file, written out as a reader would, pass under a
    plain `pytest` run from the folder that holds the app (no plugin but what installs)."""
    docs = (Path(__file__).parents[1] / "docs" / "testing.md").read_text()
    blocks = re.findall(r"```python\n(# (pages|tests)/[^\n]+)\n(.*?)```", docs, re.S)
    wanted = {"# pages/books/[slug].py", "# tests/test_books.py"}
    for header, _, code in blocks:
        if header in wanted:
            target = tmp_path / ("myapp" if header.startswith("# pages") else "") / header[2:]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"{header}\n{code}")
    assert (tmp_path / "tests" / "test_books.py").is_file()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PAGEMILL_CACHE_DIR": str(tmp_path / "cache")},
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 passed" in run.stdout
