"""`pagemill dev` in-process: reload from source, overlay on errors, events on changes."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from conftest import next_data

from pagemill.cli import main
from pagemill.dev import DevServer

pytestmark = pytest.mark.anyio

STARTER = Path(__file__).parent.parent / "src" / "pagemill" / "starter"


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(STARTER, tmp_path / "app"))


@pytest.fixture
async def dev(
    app_dir: Path, anyio_backend: str
) -> AsyncIterator[tuple[DevServer, httpx.AsyncClient]]:
    server = DevServer(app_dir)
    transport = httpx.ASGITransport(app=server)
    async with httpx.AsyncClient(transport=transport, base_url="http://dev") as client:
        yield server, client


async def test_pages_render_from_source_with_the_development_build_id(
    dev: tuple[DevServer, httpx.AsyncClient],
) -> None:
    _, client = dev
    response = await client.get("/")
    assert response.status_code == 200
    assert next_data(response.text)["buildId"] == "development"
    assert response.headers["cache-control"] == "no-store"


async def test_a_gssp_error_shows_the_overlay_with_the_app_source(
    dev: tuple[DevServer, httpx.AsyncClient], app_dir: Path
) -> None:
    server, client = dev
    page = app_dir / "pages" / "greet" / "[name].py"
    page.write_text(
        page.read_text().replace(
            "    name = ctx.params",
            '    raise ValueError("no greeting today")\n    name = ctx.params',
        )
    )
    server.reload()
    response = await client.get("/greet/ann?x=1")
    assert response.status_code == 500
    assert "pagemill-error-overlay" in response.text
    assert "no greeting today" in response.text
    assert "pages/greet/[name].py" in response.text
    assert "raise ValueError" in response.text
    assert "GET /greet/ann?x=1" in response.text
    assert next_data(response.text)["err"]["name"] == "ValueError"

    data = await client.get(
        "/_next/data/development/greet/ann.json", headers={"x-nextjs-data": "1"}
    )
    error = data.json()["__pagemill_error"]
    assert (data.status_code, error["name"], error["message"]) == (
        500,
        "ValueError",
        "no greeting today",
    )
    frame = [f for f in error["frames"] if f["app"]][-1]
    assert frame["file"] == "pages/greet/[name].py"
    assert any("raise ValueError" in text for _, text in frame["source"])


async def test_an_app_that_cannot_load_shows_every_problem(
    dev: tuple[DevServer, httpx.AsyncClient], app_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server, client = dev
    (app_dir / "pages" / "broken.py").write_text("def page(props):\n    return (\n")
    server.reload()
    response = await client.get("/")
    assert response.status_code == 500
    assert "The app could not be loaded" in response.text
    assert "pages/broken.py:2: syntax error" in response.text
    # The code frame of the line the problem names, under the app-relative path.
    assert "pages/broken.py:2 in &lt;module&gt;" in response.text
    assert "    2 |     return (" in response.text
    # And the terminal says it, once per distinct error, and when it is fixed.
    server.reload()
    printed = capsys.readouterr().err
    assert printed.count("✗ pagemill dev: 1 problem found in the app:") == 1
    assert "- pages/broken.py:2: syntax error" in printed
    (app_dir / "pages" / "broken.py").unlink()
    server.reload()
    assert (await client.get("/")).status_code == 200
    assert "✓ pagemill dev: the app loads again." in capsys.readouterr().err


async def test_a_load_error_payload_puts_the_apps_lines_first(
    dev: tuple[DevServer, httpx.AsyncClient], app_dir: Path
) -> None:
    server, client = dev
    (app_dir / "pages" / "broken.py").write_text("import nowhere_to_be_found\n")
    server.reload()
    response = await client.get("/", headers={"x-nextjs-data": "1"})
    payload = response.json()["__pagemill_error"]
    first = payload["frames"][0]
    assert (first["file"], first["line"], first["app"]) == ("pages/broken.py", 1, True)
    assert [1, "import nowhere_to_be_found"] in first["source"]


async def test_edits_show_on_the_next_request(
    dev: tuple[DevServer, httpx.AsyncClient], app_dir: Path
) -> None:
    server, client = dev
    index = app_dir / "pages" / "index.py"
    index.write_text(index.read_text().replace("Welcome to pagemill", "Hello edited"))
    server.reload()
    assert "Hello edited" in (await client.get("/")).text


async def events_after(server: DevServer, change: object) -> dict[str, object]:
    """Start watching, make a change, and return the first event a browser would get."""
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    server.listeners.add(queue)
    watcher = asyncio.create_task(server.watch())
    try:
        await asyncio.sleep(0.3)  # let the watcher start before the change
        assert callable(change)
        change()
        message = await asyncio.wait_for(queue.get(), timeout=10)
    finally:
        watcher.cancel()
    event: dict[str, object] = json.loads(message)
    return event


async def test_a_page_edit_is_a_refresh(
    dev: tuple[DevServer, httpx.AsyncClient], app_dir: Path
) -> None:
    index = app_dir / "pages" / "index.py"
    event = await events_after(dev[0], lambda: index.write_text(index.read_text() + "\n"))
    assert event == {"type": "refresh"}


async def test_a_layout_edit_is_a_reload(
    dev: tuple[DevServer, httpx.AsyncClient], app_dir: Path
) -> None:
    layout = app_dir / "pages" / "_app.py"
    event = await events_after(dev[0], lambda: layout.write_text(layout.read_text() + "\n"))
    assert event == {"type": "reload"}


async def test_a_broken_file_is_an_error_event(
    dev: tuple[DevServer, httpx.AsyncClient], app_dir: Path
) -> None:
    broken = app_dir / "pages" / "oops.py"
    event = await events_after(dev[0], lambda: broken.write_text("page = 1\n"))
    assert event["type"] == "error"
    error = event["error"]
    assert isinstance(error, dict) and "pages/oops.py" in error["message"]


async def test_event_stream_answers_with_server_sent_events(
    dev: tuple[DevServer, httpx.AsyncClient],
) -> None:
    server, _ = dev
    sent: list[dict[str, object]] = []
    receive_queue: asyncio.Queue[dict[str, object]] = asyncio.Queue()

    async def receive() -> dict[str, object]:
        return await receive_queue.get()

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/_pagemill/events", "headers": []}
    stream = asyncio.create_task(server(scope, receive, send))
    await asyncio.sleep(0.05)
    server.broadcast({"type": "reload"})
    await asyncio.sleep(0.05)
    await receive_queue.put({"type": "http.disconnect"})
    await asyncio.wait_for(stream, timeout=5)
    assert sent[0]["status"] == 200
    assert (b"content-type", b"text/event-stream") in sent[0]["headers"]  # type: ignore[operator]
    bodies = b"".join(m.get("body", b"") for m in sent[1:])  # type: ignore[misc]
    assert b'data: {"type":"reload"}\n\n' in bodies
    assert not server.listeners


def test_new_creates_an_app_that_builds(tmp_path: Path) -> None:
    target = tmp_path / "site"
    result = CliRunner().invoke(main, ["new", str(target)])
    assert result.exit_code == 0, result.output
    assert f"pagemill dev {target}" in result.output
    built = CliRunner().invoke(main, ["build", str(target)])
    assert built.exit_code == 0, built.output
    assert "/greet/[name]" in built.output and "/api/hello" in built.output


def test_new_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["new", str(tmp_path)])
    assert result.exit_code == 1
    assert "already exists and is not empty" in result.output


def test_new_copies_no_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The installed starter may hold `__pycache__` from an earlier run; the new app never does."""
    import shutil
    from importlib import resources

    starter = tmp_path / "pagemill" / "starter"
    shutil.copytree(Path(str(resources.files("pagemill") / "starter")), starter)
    (starter / "pages" / "__pycache__").mkdir(exist_ok=True)
    (starter / "pages" / "__pycache__" / "index.cpython-311.pyc").write_bytes(b"\x00")
    (starter / "stray.pyc").write_bytes(b"\x00")
    monkeypatch.setattr("pagemill.cli.resources.files", lambda package: tmp_path / package)
    target = tmp_path / "site"
    result = CliRunner().invoke(main, ["new", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "pages").is_dir()
    assert not [p for p in target.rglob("*") if p.name == "__pycache__" or p.suffix == ".pyc"]
