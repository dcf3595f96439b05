"""A build's identity: its content-derived id and its preview keys, the same on every instance."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .config import CONFIG_FILE, Config
from .islands import ISLANDS_DIR
from .loader import PUBLIC_DIR
from .preview import PreviewMode, new_secret, preview_id_for

BUILD_DIR = ".pagemill"
PREVIEW_SECRET_FILE = "preview-secret"

_SKIPPED_DIRS = {"__pycache__", "node_modules", "venv", ".venv"}


def framework_version() -> str:
    try:
        return version("pagemill")
    except PackageNotFoundError:
        return "unknown"


def content_build_id(app_dir: Path, client_fingerprint: str) -> str:
    """Digest of the app's Python code, `public/`, `islands/`, config, pagemill's version and
    client files."""
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
    for folder in (app_dir / PUBLIC_DIR, app_dir / ISLANDS_DIR):
        if folder.is_dir():
            yield from (p for p in folder.rglob("*") if p.is_file())
    for path in app_dir.rglob("*.py"):
        parts = path.relative_to(app_dir).parts
        if not any(part.startswith(".") or part in _SKIPPED_DIRS for part in parts[:-1]):
            yield path


def preview_mode(build_dir: Path, config: Config, build_id: str) -> PreviewMode:
    """Draft/preview cookies keyed by `PAGEMILL_PREVIEW_SECRET` (or `preview_secret`), else by
    the secret the build generated in `build_dir`, else (no build) by one made for this process."""
    secret = config.preview_secret
    if secret is None:
        kept = build_dir / PREVIEW_SECRET_FILE
        secret = kept.read_text().strip() if kept.is_file() else new_secret()
    key = secret.encode()
    return PreviewMode(preview_id=preview_id_for(key, build_id), secret=key, dev=False)
