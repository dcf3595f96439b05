"""The `pagemill` command: build output and summary, errors with exit status 1, routes."""

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from pagemill.cli import main

APPS = Path(__file__).parent / "apps"


def copy_app(tmp_path: Path, name: str = "gssp") -> Path:
    return Path(
        shutil.copytree(APPS / name, tmp_path / name, ignore=shutil.ignore_patterns(".pagemill"))
    )


def write_page(app: Path, name: str, text: str) -> None:
    path = app / "pages" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


STATIC_PAGE = "def page(props):\n    return 'static'\n"


def test_build_writes_output_and_prints_the_route_table(tmp_path: Path) -> None:
    app = tmp_path / "app"
    write_page(
        app,
        "index.py",
        "async def get_server_side_props(ctx):\n    return {'props': {}}\n\n" + STATIC_PAGE,
    )
    write_page(app, "about.py", STATIC_PAGE)
    result = CliRunner().invoke(main, ["build", str(app)])
    assert result.exit_code == 0, result.output
    assert "Prerendering static pages (1/1) /about" in result.output
    assert "○ /about" in result.output and "static" in result.output
    assert "λ /" in result.output
    manifest = json.loads((app / ".pagemill" / "manifest.json").read_text())
    assert manifest["build_id"] == (app / ".pagemill" / "BUILD_ID").read_text()
    assert [(r["pattern"], r["kind"]) for r in manifest["routes"]] == [
        ("/", "server"),
        ("/about", "static"),
    ]
    html = (app / ".pagemill" / "pages" / "about.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "static" in html
    assert list((app / ".pagemill" / "static" / "chunks").glob("pagemill-*.js"))


def test_build_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    app = tmp_path / "app"
    write_page(app, "a.py", "x = 1\n")
    write_page(app, "blog/[id].py", STATIC_PAGE)
    write_page(app, "blog/[cid].py", STATIC_PAGE)
    result = CliRunner().invoke(main, ["build", str(app)])
    assert result.exit_code == 1
    assert "2 problems found in the app" in result.output
    assert "pages/a.py: no `page`" in result.output
    assert "different slug names" in result.output
    assert not (app / ".pagemill").exists()


def test_build_is_deterministic(tmp_path: Path) -> None:
    app = copy_app(tmp_path)
    runner = CliRunner()
    runner.invoke(main, ["build", str(app)])
    first = (app / ".pagemill" / "BUILD_ID").read_text()
    runner.invoke(main, ["build", str(app)])
    assert (app / ".pagemill" / "BUILD_ID").read_text() == first
    write_page(app, "new.py", STATIC_PAGE)
    runner.invoke(main, ["build", str(app)])
    assert (app / ".pagemill" / "BUILD_ID").read_text() != first


def test_routes_prints_match_order(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["routes", str(APPS / "gssp")])
    lines = [line.split()[0] for line in result.output.splitlines()]
    assert lines.index("/blog/[post]") < lines.index("/blog/[post]/[comment]")
    assert lines.index("/not-found") < lines.index("/not-found/[slug]")


def test_start_refuses_without_a_build(tmp_path: Path) -> None:
    app = copy_app(tmp_path)
    result = CliRunner().invoke(main, ["start", str(app), "--port", "1"])
    assert result.exit_code == 1
    assert "no build found" in result.output
    assert f"Run `pagemill build {app}` first." in result.output


def test_start_refuses_a_stale_build(tmp_path: Path) -> None:
    app = copy_app(tmp_path)
    CliRunner().invoke(main, ["build", str(app)])
    write_page(app, "later.py", STATIC_PAGE)
    result = CliRunner().invoke(main, ["start", str(app), "--port", "1"])
    assert result.exit_code == 1
    assert "is stale" in result.output
    assert f"Run `pagemill build {app}` again." in result.output


def test_build_generates_and_keeps_a_preview_secret(tmp_path: Path) -> None:
    app = tmp_path / "app"
    write_page(app, "index.py", STATIC_PAGE)
    first = CliRunner().invoke(main, ["build", str(app)])
    assert "No PAGEMILL_PREVIEW_SECRET set: generated one" in first.output
    kept = app / ".pagemill" / "preview-secret"
    secret = kept.read_text()
    assert len(secret) >= 32
    assert kept.stat().st_mode & 0o077 == 0
    again = CliRunner().invoke(main, ["build", str(app)])
    assert "generated one" not in again.output
    assert kept.read_text() == secret


def test_build_with_a_secret_in_the_environment_keeps_none(tmp_path: Path) -> None:
    app = tmp_path / "app"
    write_page(app, "index.py", STATIC_PAGE)
    result = CliRunner().invoke(
        main, ["build", str(app)], env={"PAGEMILL_PREVIEW_SECRET": "x" * 32}
    )
    assert result.exit_code == 0
    assert "generated" not in result.output
    assert not (app / ".pagemill" / "preview-secret").exists()
