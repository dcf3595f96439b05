"""The `pagemill` command: a thin shell over the library."""

from __future__ import annotations

import os
import shutil
import sys
from importlib import resources
from pathlib import Path

import click

from .build import BuildResult, build
from .buildid import BUILD_DIR
from .cache import cache_folder, describe_cache
from .config import load_config
from .errors import AppLoadError, PagemillError
from .loader import load_app, route_kind

app_dir_argument = click.argument(
    "app_dir", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path)
)


@click.group()
@click.version_option(package_name="pagemill")
def main() -> None:
    """pagemill: file-routed pages with get_server_side_props, served like Next.js."""


@main.command("build")
@app_dir_argument
def build_command(app_dir: Path) -> None:
    """Check every page, prerender static pages and write APP_DIR/.pagemill/."""
    with _reporting_errors():
        result = build(app_dir, progress=lambda line: click.echo(click.style(line, dim=True)))
    _print_summary(result)


@main.command("dev")
@app_dir_argument
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=3000, show_default=True, type=int)
def dev_command(app_dir: Path, host: str, port: int) -> None:
    """Serve APP_DIR from source; the open browser updates on every change."""
    from .dev import serve_dev
    from .server import configure_logging

    configure_logging()
    app_dir = app_dir.resolve()
    click.echo(f"pagemill dev: http://{host}:{port} (watching {app_dir}; Ctrl-C to stop)")
    serve_dev(app_dir, host=host, port=port)


@main.command("new")
@click.argument("app_dir", type=click.Path(file_okay=False, path_type=Path))
def new_command(app_dir: Path) -> None:
    """Create a starter app in APP_DIR (which must not exist or be empty)."""
    if app_dir.exists() and any(app_dir.iterdir()):
        click.secho(
            f"✗ {app_dir} already exists and is not empty: choose a new folder.", fg="red", err=True
        )
        sys.exit(1)
    starter = resources.files("pagemill") / "starter"
    with resources.as_file(starter) as source:
        # Only the starter's sources: never bytecode left by a run of the starter itself.
        leftovers = shutil.ignore_patterns("__pycache__", "*.pyc", ".pagemill")
        shutil.copytree(source, app_dir, dirs_exist_ok=True, ignore=leftovers)
    click.echo(f"Created a pagemill app in {app_dir}:")
    for path in sorted(app_dir.rglob("*")):
        if path.is_file():
            click.echo(f"  {path.relative_to(app_dir)}")
    click.echo(
        f"\nNext:\n  pagemill dev {app_dir}      # serve it; edits show in the open browser"
        f"\n  pagemill build {app_dir} && pagemill start {app_dir}    # production"
    )


@main.command("start")
@app_dir_argument
@click.option("--host", default=None, help="[default: server.host, or 127.0.0.1]")
@click.option("--port", default=None, type=int, help="[default: server.port, or 3000]")
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(min=1),
    help="[default: server.workers, or one per core]",
)
@click.option(
    "--share-port",
    is_flag=True,
    help="Serve even if another server listens on the port (connections are split).",
)
def start_command(
    app_dir: Path, host: str | None, port: int | None, workers: int | None, share_port: bool
) -> None:
    """Serve the build output in production mode."""
    from .server import production_app, refuse_port_in_use, serve

    app_dir = app_dir.resolve()
    with _reporting_errors():
        server = load_config(app_dir).server
        production_app(app_dir)
        host = host or server.host
        port = port or server.port
        if not share_port:
            refuse_port_in_use(host, port)
    workers = workers or server.workers or os.cpu_count() or 1
    click.echo(f"pagemill: serving {app_dir} on http://{host}:{port} ({workers} worker(s))")
    cache = describe_cache(load_config(app_dir).cache, app_dir / BUILD_DIR)
    click.echo(f"pagemill: response cache {cache}")
    serve(app_dir, host=host, port=port, workers=workers, settings=server)


@main.group("cache")
def cache_group() -> None:
    """The response cache of an app on this machine."""


@cache_group.command("stats")
@app_dir_argument
def cache_stats_command(app_dir: Path) -> None:
    """Entries, bytes and the hit ratio of APP_DIR's machine-wide response cache."""
    from .machine_cache import MachineCache

    with _reporting_errors():
        settings = load_config(app_dir).cache
    folder = cache_folder(settings, app_dir.resolve() / BUILD_DIR)
    click.echo(f"Response cache: {describe_cache(settings, app_dir.resolve() / BUILD_DIR)}")
    if settings.url == "memory://":
        click.echo("Each worker keeps its own: there is nothing shared to show.")
        return
    if not (folder / "data.mdb").exists():
        click.echo("Empty: nothing has been cached yet (start the app and visit a cached page).")
        return
    stats = MachineCache(folder, None, settings.max_entries, settings.max_bytes).stats()
    requests = stats["requests"]
    answered = sum(requests.get(s, 0) for s in ("HIT", "STALE", "MISS"))
    ratio = (requests.get("HIT", 0) + requests.get("STALE", 0)) / answered if answered else 0
    click.echo(f"Entries: {stats['entries']} of at most {stats['max_entries']}")
    click.echo(f"Bytes:   {_size(stats['bytes'])} of at most {_size(stats['max_bytes'])}")
    counts = ", ".join(f"{requests.get(s, 0)} {s}" for s in ("HIT", "STALE", "MISS", "BYPASS"))
    click.echo(f"Requests since the cache was last emptied: {counts}")
    click.echo(f"Hit ratio: {ratio:.1%} (HIT and STALE of the requests it could answer)")


@main.command("routes")
@app_dir_argument
def routes_command(app_dir: Path) -> None:
    """Print the route table in match order."""
    with _reporting_errors():
        app = load_app(app_dir)
    width = max((len(r.pattern) for r in app.routes.routes), default=5)
    for route in app.routes.routes:
        kind = route_kind(route.payload)
        click.echo(f"{route.pattern:<{width}}  {kind:<6}  {route.source}")


class _reporting_errors:
    """Turn the app's own errors into a readable message and exit status 1."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, AppLoadError):
            click.secho(str(exc).splitlines()[0], fg="red", err=True)
            for problem in exc.problems:
                click.secho(f"  ✗ {problem}", fg="red", err=True)
            sys.exit(1)
        if isinstance(exc, PagemillError):
            click.secho(f"✗ {exc}", fg="red", err=True)
            sys.exit(1)


def _print_summary(result: BuildResult) -> None:
    click.echo(click.style(f"\nBuild {result.build_id} written to {result.out_dir}", bold=True))
    width = max([len(r.pattern) for r in result.routes] + [5])
    click.echo(f"\n  {'Route':<{width}}  {'Kind':<6}  {'HTML':>9}  Source")
    for route in result.routes:
        symbol = {"static": "○", "API": "ƒ"}.get(route.kind, "λ")
        html_size = _size(route.size) if route.size is not None else "—"
        row = f"{symbol} {route.pattern:<{width}}  {route.kind:<6}  {html_size:>9}"
        click.echo(f"{row}  {route.source}")
    for url, size in result.client_files.items():
        click.echo(f"\nClient runtime: {url} ({_size(size)})")
    click.echo(
        "\n○ static: prerendered HTML   λ server: get_server_side_props on every request"
        "   ƒ API route"
    )
    _print_islands(result)
    _print_renderers(result)


def _print_islands(result: BuildResult) -> None:
    """Each island's module (with what it imports), then the island JavaScript each page
    loads."""
    islands = result.islands
    if islands is None:
        return
    click.echo(f"\nIslands: islands/ served at {islands.prefix} (with what each imports)")
    width = max(len(name) for name in islands.modules)
    for name, (raw, packed, imports) in islands.modules.items():
        row = f"  {name:<{width}}  {_size(raw):>9}  {_size(packed):>9} gzipped"
        click.echo(row + (f"  + {', '.join(imports)}" if imports else ""))
    if not islands.pages:
        return
    click.echo("Islands by page (their JavaScript gzipped, shared imports once):")
    width = max(len(where) for where, _, _ in islands.pages)
    for where, names, (_, packed) in islands.pages:
        click.echo(f"  {where:<{width}}  {_size(packed):>9}  {', '.join(names)}")


def _print_renderers(result: BuildResult) -> None:
    """Which page functions were compiled to the fast path, and why the others were not."""
    renderers = result.renderers
    if not renderers:
        return
    fast = [r for r in renderers if r.fast]
    click.echo(f"\nFast path: {len(fast)} of {len(renderers)} page functions compiled")
    by_source: dict[str, list[str]] = {}
    for r in fast:
        by_source.setdefault(r.source, []).append(r.name)
    for source, names in by_source.items():
        click.echo(f"  ✓ {source}: {', '.join(names)}")
    for r in renderers:
        if not r.fast:
            click.echo(f"  · {r.source}: {r.name} (general path: {r.reason})")


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.1f} kB"
