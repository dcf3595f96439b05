"""`pagemill dev`: the app served from source, reloaded on every change, browsers told over SSE.

The app is reloaded in this process (its modules forgotten and imported again), so a change
shows on the next request; open browsers hear about it on one long-lived event stream:
`refresh` after a page module changed (the client refetches props and markup in place),
`islands` after only `islands/` changed (the island runtime mounts the edited islands again,
from the new `prefix`), `reload` after anything else (layout, `lib/`, config, added or
removed pages), `error` while the app cannot load, `ok` when it can again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Iterable
from pathlib import Path

import orjson
from starlette.requests import Request as StarletteRequest
from watchfiles import Change, awatch

from . import html as h
from .app import Pagemill, wrap
from .assets import ClientAssets
from .document import DocumentShell, next_data
from .errors import PagemillError
from .islands import ISLANDS_DIR
from .loader import PAGES_DIR, PUBLIC_DIR, DocumentModule, forget_app_modules, load_app
from .overlay import error_payload, overlay_markup
from .preview import PreviewMode, new_preview_id, new_secret
from .responses import HTML_TYPE, JSON_TYPE, header_value, respond
from .results import dump_json, next_data_script_json
from .types import ASGIApp, Message, Receive, Scope, Send

EVENTS_PATH = "/_pagemill/events"
KEEP_ALIVE_SECONDS = 15.0
DEV_BUILD_ID = "development"
# Pages and layout files whose change the client can apply in place (a refetch).
LAYOUT_FILES = ("_app.py", "_document.py")

logger = logging.getLogger("pagemill")


class DevServer:
    """The ASGI app behind `pagemill dev`."""

    def __init__(self, app_dir: str | Path) -> None:
        self.app_dir = Path(app_dir).resolve()
        self.listeners: set[asyncio.Queue[bytes]] = set()
        self.app: ASGIApp | None = None
        self.islands_prefix = ""
        self.load_error: PagemillError | None = None
        self.base_path = ""
        # One preview key for the life of the process: draft cookies survive reloads.
        self.preview = PreviewMode(
            preview_id=new_preview_id(), secret=new_secret().encode(), dev=True
        )
        self.reload()

    def reload(self) -> None:
        """Load the app again from source; on failure keep the error to show it."""
        forget_app_modules(self.app_dir)
        try:
            loaded = load_app(self.app_dir)
            server = Pagemill(
                loaded,
                build_id=DEV_BUILD_ID,
                assets=ClientAssets(),
                preview=self.preview,
                dev=True,
            )
        except PagemillError as exc:
            if self.load_error is None or str(self.load_error) != str(exc):
                # The terminal says it too: the browser may be closed, or on another page.
                print(f"✗ pagemill dev: {exc}\n  Fix it and save.", file=sys.stderr, flush=True)
            self.app, self.load_error = None, exc
            return
        if self.load_error is not None:
            print("✓ pagemill dev: the app loads again.", file=sys.stderr, flush=True)
        self.app, self.load_error = NoStore(wrap(server)), None
        self.islands_prefix = server.islands.prefix
        self.base_path = loaded.config.base_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] == "http" and scope["path"] == self.base_path + EVENTS_PATH:
            await self._events(receive, send)
            return
        if self.app is None:
            assert self.load_error is not None
            await _load_error_response(scope, self.load_error, self.app_dir)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def watch(self) -> None:
        """Reload on every relevant change under the app, and tell the browsers."""
        # A short debounce: an editor's save shows in the browser at once (watchfiles' own
        # default waits 1.6 s), yet a burst of writes still counts as one change.
        async for changes in awatch(self.app_dir, watch_filter=self._relevant, debounce=150):
            failed_before = self.load_error is not None
            self.reload()
            if self.load_error is not None:
                payload = error_payload(self.load_error, self.app_dir)
                self.broadcast({"type": "error", "error": payload})
            elif failed_before:
                self.broadcast({"type": "reload"})
            else:
                kind = change_kind(changes, self.app_dir)
                if kind == "islands":
                    names = changed_islands(changes, self.app_dir)
                    self.broadcast({"type": kind, "prefix": self.islands_prefix, "names": names})
                else:
                    self.broadcast({"type": kind})

    def broadcast(self, event: dict[str, object]) -> None:
        message = orjson.dumps(event)
        for queue in self.listeners:
            queue.put_nowait(message)

    def _relevant(self, change: Change, path: str) -> bool:
        relative = Path(path).relative_to(self.app_dir)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            return False
        return relative.suffix in (".py", ".toml") or relative.parts[:1] in (
            (PUBLIC_DIR,),
            (ISLANDS_DIR,),
        )

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        watcher: asyncio.Task[None] | None = None
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                watcher = asyncio.create_task(self.watch())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if watcher is not None:
                    watcher.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await watcher
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _events(self, receive: Receive, send: Send) -> None:
        """A server-sent event stream: one JSON message per change, comments to keep it open."""
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        if self.load_error is not None:
            error = error_payload(self.load_error, self.app_dir)
            queue.put_nowait(orjson.dumps({"type": "error", "error": error}))
        self.listeners.add(queue)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream"),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b": connected\n\n", "more_body": True})
        disconnected = asyncio.ensure_future(_disconnect(receive))
        try:
            while not disconnected.done():
                message = asyncio.ensure_future(queue.get())
                await asyncio.wait(
                    {message, disconnected},
                    timeout=KEEP_ALIVE_SECONDS,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if message.done():
                    body = b"data: " + message.result() + b"\n\n"
                else:
                    message.cancel()
                    body = b": keep-alive\n\n"
                if not disconnected.done():
                    await send({"type": "http.response.body", "body": body, "more_body": True})
        finally:
            self.listeners.discard(queue)
            disconnected.cancel()


def change_kind(changes: Iterable[tuple[Change, str]], app_dir: Path) -> str:
    """`refresh` when only existing page modules changed (applied in place), `islands` when
    only files under `islands/` did, else `reload`."""
    changes = list(changes)
    if changes and all(_in_islands(path, app_dir) for _, path in changes):
        return "islands"
    for change, path in changes:
        relative = Path(path).relative_to(app_dir)
        in_place = (
            change == Change.modified
            and relative.parts[:1] == (PAGES_DIR,)
            and relative.name not in LAYOUT_FILES
            and relative.suffix == ".py"
        )
        if not in_place:
            return "reload"
    return "refresh"


def changed_islands(changes: Iterable[tuple[Change, str]], app_dir: Path) -> list[str] | None:
    """The islands whose own module changed, or None (all of them) when a file they may share
    (in a subfolder, or a `_` helper) did."""
    names = []
    for _, path in changes:
        relative = Path(path).relative_to(app_dir / ISLANDS_DIR)
        if len(relative.parts) != 1 or relative.suffix != ".js" or relative.name[0] == "_":
            return None
        names.append(relative.stem)
    return names


def _in_islands(path: str, app_dir: Path) -> bool:
    return Path(path).relative_to(app_dir).parts[:1] == (ISLANDS_DIR,)


class NoStore:
    """`Cache-Control: no-store` on every response: in dev nothing may be kept."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message["headers"] if k != b"cache-control"]
                message = {**message, "headers": [*headers, (b"cache-control", b"no-store")]}
            await send(message)

        await self.app(scope, receive, send_no_store)


def _load_error_response(scope: Scope, error: PagemillError, app_dir: Path) -> ASGIApp:
    """The overlay for an app that cannot load: a page, or JSON for the client's requests."""
    request = StarletteRequest(scope)
    payload = error_payload(error, app_dir, request.method, str(request.url.path))
    no_store = (b"cache-control", b"no-store")
    if header_value(scope["headers"], b"x-nextjs-data") is not None:
        body = dump_json({"__pagemill_error": payload})
        return respond(500, [(b"content-type", JSON_TYPE), no_store], body)
    assets = ClientAssets()
    shell = DocumentShell(
        DocumentModule({}, {}, None, None),
        assets.url_of["pagemill.js"],
        dev_script_src=assets.url_of["overlay.js"],
    )
    data = next_data(
        props={"pageProps": {}},
        page="/_error",
        query={},
        build_id=DEV_BUILD_ID,
        gssp=False,
        err={"name": payload["name"], "message": payload["message"]},
    )
    document = shell.render(
        head=h.render(h.title[payload["name"]]),
        body=h.render(overlay_markup(payload)),
        next_data=next_data_script_json(dump_json(data)),
        lang=None,
    )
    return respond(500, [(b"content-type", HTML_TYPE), no_store], document)


async def _disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def serve_dev(app_dir: Path, *, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(DevServer(app_dir), host=host, port=port, access_log=False, log_level="warning")
