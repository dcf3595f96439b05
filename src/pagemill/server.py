"""`pagemill start`: the built app served by granian, one app per worker process."""

from __future__ import annotations

import errno
import logging
import os
import socket
import sys
from pathlib import Path

from granian import Granian
from granian.constants import Interfaces
from granian.http import HTTP1Settings

from .app import Pagemill, wrap
from .assets import ClientAssets
from .build import read_build
from .buildid import BUILD_DIR, preview_mode
from .config import ServerConfig
from .errors import PagemillError
from .loader import load_app
from .types import ASGIApp

APP_DIR_VARIABLE = "PAGEMILL_APP_DIR"
# How often granian reads each worker's memory for `server.max_worker_memory`.
RSS_SAMPLE_SECONDS = 5


def production_app(app_dir: str | Path) -> ASGIApp:
    """The app in `app_dir` served from its build output (refused when missing or stale)."""
    loaded = load_app(app_dir)
    build_id, static_pages = read_build(loaded)
    preview = preview_mode(loaded.app_dir / BUILD_DIR, loaded.config, build_id)
    return wrap(
        Pagemill(
            loaded,
            build_id=build_id,
            assets=ClientAssets(),
            preview=preview,
            static_pages=static_pages,
        )
    )


def worker_app() -> ASGIApp:
    """Granian's factory in each worker: the app named by the environment, with logging on."""
    configure_logging()
    return production_app(os.environ[APP_DIR_VARIABLE])


def configure_logging() -> None:
    """Request lines (one JSON object each) and tracebacks to stderr."""
    logger = logging.getLogger("pagemill")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def serve(app_dir: Path, *, host: str, port: int, workers: int, settings: ServerConfig) -> None:
    """Serve the app with granian: failed workers respawned, and `settings` bounding each
    connection, request and worker."""
    os.environ[APP_DIR_VARIABLE] = str(app_dir)
    Granian(
        "pagemill.server:worker_app",
        factory=True,
        interface=Interfaces.ASGI,
        address=host,
        port=port,
        workers=workers,
        log_access=False,
        working_dir=app_dir,
        respawn_failed_workers=True,
        backlog=settings.backlog,
        backpressure=settings.max_concurrency,
        http1_settings=HTTP1Settings(
            header_read_timeout=round(settings.header_timeout * 1000),
            keep_alive=settings.keep_alive,
        ),
        workers_max_rss=settings.max_worker_memory or None,
        rss_sample_interval=RSS_SAMPLE_SECONDS,
        workers_lifetime=round(settings.worker_lifetime) or None,
        workers_kill_timeout=round(settings.shutdown_timeout) or None,
    ).serve()


def refuse_port_in_use(host: str, port: int) -> None:
    """Raise when something already listens on `host:port` (granian itself would share it)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise PagemillError(f"cannot serve on {host}:{port}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise PagemillError(f"cannot serve on {host}:{port}: {exc.strerror}") from None
            raise PagemillError(
                f"port {port} on {host} is already in use, perhaps by another `pagemill "
                "start`. Stop that server, choose another port with `--port`, or pass "
                "`--share-port` to serve beside it (the kernel then splits connections "
                "between the two)."
            ) from None
