"""The fast path seen from outside: `pagemill build` reports it, and a served page is the same.

Both through real processes: `python -m pagemill build` for the report, and the example app
under `pagemill start` twice, with compiling on and off, answering the same bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import served

from pagemill.dev import DevServer

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "bookshelf"


def copied(source: Path, tmp_path: Path) -> Path:
    ignore = shutil.ignore_patterns(".pagemill")
    return Path(shutil.copytree(source, tmp_path / source.name, ignore=ignore))


def build(app: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pagemill", "build", str(app)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_build_reports_which_page_functions_take_the_fast_path(tmp_path: Path) -> None:
    app = copied(ROOT / "tests" / "apps" / "plain", tmp_path)
    (app / "pages" / "fast.py").write_text(
        "from pagemill.html import h1, p\n\n"
        "def head(props):\n    return 'plain text'\n\n"
        "def page(props):\n    return [h1['Fast'], p(class_='x')[props.get('n', 0)]]\n"
    )
    (app / "pages" / "decorated.py").write_text(
        "from pagemill.html import p\n\n"
        "def same(f):\n    return f\n\n"
        "@same\ndef page(props):\n    return p['decorated']\n"
    )
    out = build(app)
    report = out[out.index("Fast path:") :]
    fast = re.search(r"Fast path: (\d+) of (\d+) page functions compiled", report)
    assert fast is not None
    assert "  ✓ pages/fast.py: page\n" in report
    assert "  · pages/decorated.py: page (general path: it is decorated)\n" in report
    assert "  · pages/fast.py: head (general path: nothing to compile:" in report
    fast_names = [
        n for names in re.findall(r"^  ✓ \S+: (.+)$", report, re.M) for n in names.split(", ")
    ]
    general = re.findall(r"^  · \S+: \w+ \(general path: .+\)$", report, re.M)
    assert len(fast_names) == int(fast.group(1))
    assert len(fast_names) + len(general) == int(fast.group(2))


def test_build_reports_compiling_turned_off(tmp_path: Path) -> None:
    app = copied(ROOT / "tests" / "apps" / "plain", tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "pagemill", "build", str(app)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PAGEMILL_COMPILE": "0"},
    )
    assert "Fast path: 0 of" in result.stdout
    assert "(general path: compiling is turned off (PAGEMILL_COMPILE=0))" in result.stdout


def test_the_example_served_compiled_answers_what_it_answers_uncompiled(tmp_path: Path) -> None:
    app = copied(EXAMPLE, tmp_path)
    assert "  ✓ pages/index.py: page\n" in build(app)
    env = {"BOOKSHELF_DB": str(tmp_path / "bookshelf.sqlite3"), "PAGEMILL_CACHE_URL": "memory://"}
    with (
        served("start", str(app), "--workers", "1", env=env) as fast,
        served(
            "start", str(app), "--workers", "1", env={**env, "PAGEMILL_COMPILE": "0"}
        ) as general,
    ):
        home = httpx.get(fast.base + "/").text
        urls = ["/", "/?sort=rating&page=2", "/about", "/fr/about", "/search/dune", "/nope"]
        urls += sorted(set(re.findall(r'href="(/(?:books|shelves)/[^"?#]+)"', home)))[:6]
        build_id = re.search(r'"buildId":"([^"]+)"', home)
        assert build_id is not None and len(urls) > 8
        urls.append(f"/_next/data/{build_id.group(1)}/index.json?sort=newest")
        for url in urls:
            headers = {"x-nextjs-data": "1", "x-pagemill-render": "1"}
            ours = httpx.get(fast.base + url, headers=headers if "_next" in url else None)
            theirs = httpx.get(general.base + url, headers=headers if "_next" in url else None)
            assert (ours.status_code, ours.content) == (theirs.status_code, theirs.content), url
            assert ours.headers.get("etag") == theirs.headers.get("etag"), url


@pytest.mark.anyio
async def test_pagemill_dev_compiles_each_saved_version(tmp_path: Path) -> None:
    # Static text is folded into the compiled function: a stale one would show the old text.
    app = copied(ROOT / "tests" / "apps" / "plain", tmp_path)
    page = app / "pages" / "edited.py"
    versions = [
        "from pagemill.html import h1, p\n\ndef page(props):\n    return [h1['First'], p['a']]\n",
        "from pagemill.html import h1, p\n\ndef page(props):\n    return [h1['Second!'], p['b']]\n",
        "from pagemill.html import h1, p\n\ndef same(f):\n    return f\n\n"
        "@same\ndef page(props):\n    return [h1['Third, decorated'], p['c']]\n",
        "from pagemill.html import h2\n\n"
        "def page(props):\n    return h2(id='x')['Fourth and last']\n",
    ]
    page.write_text(versions[0])
    server = DevServer(app)
    transport = httpx.ASGITransport(app=server)
    expected = [
        "<h1>First</h1><p>a</p>",
        "<h1>Second!</h1><p>b</p>",
        "<h1>Third, decorated</h1><p>c</p>",
        '<h2 id="x">Fourth and last</h2>',
    ]
    async with httpx.AsyncClient(transport=transport, base_url="http://dev") as client:
        for version, html in zip(versions, expected, strict=True):
            page.write_text(version)
            server.reload()
            assert html in (await client.get("/edited")).text
