"""The client runtime's files, fingerprinted and served from memory under `/_next/static/`."""

from __future__ import annotations

import hashlib
from importlib import resources

# pagemill.js on every page; islands.js on pages with islands; overlay.js in `pagemill dev`.
CLIENT_FILES = ("pagemill.js", "islands.js", "overlay.js")
IMMUTABLE = b"public, max-age=31536000, immutable"


class ClientAssets:
    """`/_next/static/chunks/<name>-<hash>.js` → bytes, read once from the package."""

    def __init__(self) -> None:
        self.by_url: dict[str, bytes] = {}
        self.url_of: dict[str, str] = {}
        package = resources.files("pagemill") / "client"
        for name in CLIENT_FILES:
            content = (package / name).read_bytes()
            digest = hashlib.sha256(content).hexdigest()[:12]
            stem, ext = name.rsplit(".", 1)
            url = f"/_next/static/chunks/{stem}-{digest}.{ext}"
            self.by_url[url] = content
            self.url_of[name] = url

    @property
    def fingerprint(self) -> str:
        """Changes whenever any client file does (part of the build id)."""
        return ",".join(sorted(self.url_of.values()))
