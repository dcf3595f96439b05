"""`pagemill build`: check the app, prerender static pages, write `.pagemill/`."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .api import ApiRoute
from .app import Pagemill, StaticKey
from .assets import ClientAssets
from .buildid import (
    BUILD_DIR,
    PREVIEW_SECRET_FILE,
    content_build_id,
    framework_version,
    preview_mode,
)
from .errors import PagemillError
from .islands import Islands, rendered_islands, used_islands
from .loader import LoadedApp, Page, load_app, route_kind
from .preview import new_secret
from .routing import Route

BUILD_ID_FILE = "BUILD_ID"
MANIFEST_FILE = "manifest.json"


class BuildError(PagemillError):
    """The build output is missing, unreadable or stale."""


@dataclass(frozen=True, slots=True)
class RouteSummary:
    pattern: str
    kind: str  # "server" | "static"
    source: str
    size: int | None  # bytes of prerendered HTML, for static pages


@dataclass(frozen=True, slots=True)
class RendererSummary:
    """Whether one page function (`page`, `head`, `_app`'s `app`) takes the fast path."""

    source: str
    name: str
    fast: bool
    reason: str | None  # why not, when not


@dataclass(frozen=True, slots=True)
class IslandsSummary:
    """Where islands are used (pages and other modules, in source order) and what they cost:
    bytes raw and gzipped of the island JavaScript each loads, shared imports counted once."""

    prefix: str  # where islands/ is served
    modules: dict[str, tuple[int, int, list[str]]]  # island name → cost, files it imports
    pages: list[tuple[str, list[str], tuple[int, int]]]  # (route or file, names, cost)


@dataclass(frozen=True, slots=True)
class BuildResult:
    build_id: str
    out_dir: Path
    routes: list[RouteSummary]
    client_files: dict[str, int]
    renderers: list[RendererSummary] = field(default_factory=list)
    islands: IslandsSummary | None = None


def build(app_dir: str | Path, progress: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Load and check every page (all problems raised together), then write the build output."""
    progress("Loading and checking pages…")
    loaded = load_app(app_dir)
    assets = ClientAssets()
    build_id = content_build_id(loaded.app_dir, assets.fingerprint)
    out_dir = loaded.app_dir / BUILD_DIR
    staging = loaded.app_dir / f"{BUILD_DIR}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "pages").mkdir(parents=True)
    if loaded.config.preview_secret is None:
        _keep_preview_secret(out_dir, staging, progress)
    server = Pagemill(
        loaded,
        build_id=build_id,
        assets=assets,
        preview=preview_mode(staging, loaded.config, build_id),
        static_pages={},
    )

    prerendered = server.prerender()
    sizes: dict[str, int] = {}
    files: dict[str, dict[str, str]] = {}
    for number, ((pattern, locale), html) in enumerate(prerendered.items(), 1):
        label = f"{pattern} ({locale})" if locale else pattern
        progress(f"Prerendering static pages ({number}/{len(prerendered)}) {label}")
        name = _page_file(pattern, locale)
        (staging / "pages" / name).write_bytes(html)
        files.setdefault(pattern, {})[locale or ""] = name
        sizes[pattern] = max(sizes.get(pattern, 0), len(html))

    progress("Writing client files…")
    client_dir = staging / "static" / "chunks"
    client_dir.mkdir(parents=True)
    client_files = {}
    for url, content in assets.by_url.items():
        (client_dir / url.rsplit("/", 1)[-1]).write_bytes(content)
        client_files[url] = len(content)

    def kind_of(route: Route[Page | ApiRoute]) -> str:
        # A page without gSSP renders per request when `_app` has `get_initial_props`.
        kind = route_kind(route.payload)
        return "server" if kind == "static" and route.pattern not in sizes else kind

    routes = [
        RouteSummary(r.pattern, kind_of(r), r.source, sizes.get(r.pattern))
        for r in loaded.routes.routes
    ]
    islands = _islands_summary(loaded, server.islands, prerendered, staging)
    manifest = {
        "build_id": build_id,
        "pagemill_version": framework_version(),
        "routes": [
            {"pattern": r.pattern, "kind": r.kind, "source": r.source, "html": files.get(r.pattern)}
            for r in routes
        ],
    }
    (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2))
    (staging / BUILD_ID_FILE).write_text(build_id)
    shutil.rmtree(out_dir, ignore_errors=True)
    staging.rename(out_dir)
    return BuildResult(build_id, out_dir, routes, client_files, _renderer_summary(loaded), islands)


def _islands_summary(
    loaded: LoadedApp,
    islands: Islands,
    prerendered: dict[StaticKey, bytes],
    staging: Path,
) -> IslandsSummary | None:
    """Each page's islands: the names its source passes to `island()` and those its
    prerendered HTML shows; then other modules that use islands. Writes islands/ out too."""
    if not islands.modules:
        return None
    for url, (content, _) in islands.files.items():
        target = staging / "static" / url.removeprefix("/_next/static/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    by_file: dict[str, list[str]] = {}
    for name, places in used_islands(loaded.app_dir).items():
        for source, _ in places:
            by_file.setdefault(source, []).append(name)
    rows = []
    for page in loaded.pages():
        names = dict.fromkeys(by_file.pop(page.source, []))
        for (pattern, _), html in prerendered.items():
            if pattern == page.pattern:
                names.update(dict.fromkeys(rendered_islands(html.decode())))
        if names:
            rows.append((page.pattern, list(names), islands.cost(names)))
    for source, used in sorted(by_file.items()):
        names = dict.fromkeys(used)
        rows.append((source, list(names), islands.cost(names)))
    modules = {
        name: (*islands.cost([name]), [url.removeprefix(islands.prefix) for url in m.imports])
        for name, m in sorted(islands.modules.items())
    }
    return IslandsSummary(islands.prefix, modules, rows)


def _renderer_summary(loaded: LoadedApp) -> list[RendererSummary]:
    """Each page function of the app, and whether it was compiled to the fast path."""
    errors = [loaded.not_found_page, loaded.server_error_page, loaded.error_page]
    pages = [*loaded.pages(), *(page for page in errors if page is not None)]
    found = [(page.source, page.renderers) for page in pages]
    if loaded.app.source is not None:
        found.append((loaded.app.source, loaded.app.renderers))
    return [
        RendererSummary(source, r.name, r.fast, r.reason)
        for source, renderers in sorted(found, key=lambda item: item[0])
        for r in renderers
    ]


def _keep_preview_secret(out_dir: Path, staging: Path, progress: Callable[[str], None]) -> None:
    """Carry the previous build's generated preview secret over, or generate one."""
    previous = out_dir / PREVIEW_SECRET_FILE
    if previous.is_file():
        secret = previous.read_text().strip()
    else:
        secret = new_secret()
        progress(
            f"No PAGEMILL_PREVIEW_SECRET set: generated one for draft mode and kept it in "
            f"{out_dir / PREVIEW_SECRET_FILE} (set PAGEMILL_PREVIEW_SECRET to share one across "
            "machines)."
        )
    kept = staging / PREVIEW_SECRET_FILE
    kept.touch(mode=0o600)
    kept.write_text(secret)


def read_build(loaded: LoadedApp) -> tuple[str, dict[StaticKey, bytes]]:
    """The build id and prerendered pages of the build output, refusing a missing or stale one."""
    out_dir = loaded.app_dir / BUILD_DIR
    id_file = out_dir / BUILD_ID_FILE
    if not id_file.is_file():
        raise BuildError(
            f"{loaded.app_dir}: no build found in {out_dir}. "
            f"Run `pagemill build {loaded.app_dir}` first."
        )
    build_id = id_file.read_text().strip()
    current = content_build_id(loaded.app_dir, ClientAssets().fingerprint)
    if build_id != current:
        raise BuildError(
            f"{loaded.app_dir}: the build in {out_dir} is stale: files changed since it was made "
            f"(build {build_id}, sources now {current}). "
            f"Run `pagemill build {loaded.app_dir}` again."
        )
    manifest = json.loads((out_dir / MANIFEST_FILE).read_text())
    pages: dict[StaticKey, bytes] = {
        (route["pattern"], locale or None): (out_dir / "pages" / name).read_bytes()
        for route in manifest["routes"]
        for locale, name in (route["html"] or {}).items()
    }
    return build_id, pages


def _page_file(pattern: str, locale: str | None) -> str:
    """`/` → `index.html`, `/blog/[slug]` in `fr` → `fr__blog__[slug].html` (one flat name)."""
    name = "index" if pattern == "/" else pattern.strip("/").replace("/", "__")
    return f"{locale}__{name}.html" if locale else f"{name}.html"
