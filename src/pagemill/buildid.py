"""The build id: a digest of the app's content, so every instance of one build agrees on it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .config import CONFIG_FILE
from .loader import PUBLIC_DIR

_SKIPPED_DIRS = {"__pycache__", "node_modules", "venv", ".venv"}


def framework_version() -> str:
    try:
        return version("pagemill")
    except PackageNotFoundError:
        return "unknown"


def content_build_id(app_dir: Path, client_fingerprint: str) -> str:
    """Digest of the app's Python code, `public/`, config, pagemill's version and client files."""
    digest = hashlib.sha256()
    digest.update(framework_version().encode())
    digest.update(client_fingerprint.encode())
    for path in sorted(_content_files(app_dir)):
        digest.update(path.relative_to(app_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _content_files(app_dir: Path) -> Iterator[Path]:
    config = app_dir / CONFIG_FILE
    if config.is_file():
        yield config
    public = app_dir / PUBLIC_DIR
    if public.is_dir():
        yield from (p for p in public.rglob("*") if p.is_file())
    for path in app_dir.rglob("*.py"):
        parts = path.relative_to(app_dir).parts
        if not any(part.startswith(".") or part in _SKIPPED_DIRS for part in parts[:-1]):
            yield path
