"""`pagemill start`: the built app served by granian, one app per worker process.

The process that checked the build becomes granian's supervisor by `exec`: a fresh
interpreter that imports granian alone, so the app and pagemill are loaded only in the
workers (a supervisor that kept them would hold their memory for nothing).
"""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
import sys
from pathlib import Path

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


# The supervisor's whole program: granian alone (neither pagemill nor the app), given the
# arguments of `Granian(...)` as JSON. `-P`: the current folder is not put on sys.path.
MAKE_GRANIAN = """\
import json, pathlib, sys
from granian import Granian
from granian.constants import Interfaces
from granian.http import HTTP1Settings

def make_granian(options):
    return Granian(**{
        **options,
        "interface": Interfaces(options["interface"]),
        "working_dir": pathlib.Path(options["working_dir"]),
        "http1_settings": HTTP1Settings(**options["http1_settings"]),
    })
"""
SUPERVISOR = MAKE_GRANIAN + "\nmake_granian(json.loads(sys.argv[1])).serve()\n"


def serve(app_dir: Path, *, host: str, port: int, workers: int, settings: ServerConfig) -> None:
    """Serve the app with granian: failed workers respawned, and `settings` bounding each
    connection, request and worker. Never returns: this process becomes granian's."""
    os.environ[APP_DIR_VARIABLE] = str(app_dir)
    options = granian_options(app_dir, host=host, port=port, workers=workers, settings=settings)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-P", "-c", SUPERVISOR, json.dumps(options)])


def granian_options(
    app_dir: Path, *, host: str, port: int, workers: int, settings: ServerConfig
) -> dict[str, object]:
    """The arguments of `Granian(...)` serving `worker_app` in each worker, as JSON values."""
    return {
        "target": "pagemill.server:worker_app",
        "factory": True,
        "interface": "asgi",
        "address": host,
        "port": port,
        "workers": workers,
        "log_access": False,
        "working_dir": str(app_dir),
        "respawn_failed_workers": True,
        "backlog": settings.backlog,
        "backpressure": settings.max_concurrency,
        "http1_settings": {
            "header_read_timeout": round(settings.header_timeout * 1000),
            "keep_alive": settings.keep_alive,
        },
        "workers_max_rss": settings.max_worker_memory or None,
        "rss_sample_interval": RSS_SAMPLE_SECONDS,
        "workers_lifetime": round(settings.worker_lifetime) or None,
        "workers_kill_timeout": round(settings.shutdown_timeout) or None,
    }


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
