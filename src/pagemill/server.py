"""`pagemill start`: the built app served by granian, one app per worker process."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from granian import Granian
from granian.constants import Interfaces

from .app import Pagemill, wrap
from .assets import ClientAssets
from .build import read_build
from .buildid import BUILD_DIR, preview_mode
from .loader import load_app
from .types import ASGIApp

APP_DIR_VARIABLE = "PAGEMILL_APP_DIR"


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


def serve(app_dir: Path, *, host: str, port: int, workers: int) -> None:
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
    ).serve()
