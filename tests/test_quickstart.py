"""The README's quick start: `make demo` installs only what serving needs and serves the
example, `make test` installs the rest."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
from conftest import free_port

ROOT = Path(__file__).resolve().parents[1]


def dry_run(target: str, venv: Path) -> str:
    run = subprocess.run(
        ["make", "-n", "-B", target, f"VENV={venv}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def test_make_demo_installs_no_test_tools(tmp_path: Path) -> None:
    commands = dry_run("demo", tmp_path / "venv")
    assert "pip install --quiet --no-compile -e .\n" in commands
    assert "[dev]" not in commands
    assert "pagemill start examples/bookshelf --port 3000" in commands


def test_make_test_installs_the_test_tools(tmp_path: Path) -> None:
    assert 'pip install --quiet -e ".[dev]"' in dry_run("test", tmp_path / "venv")


def test_the_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme and "PORT=" in readme


def test_make_demo_serves_the_example(tmp_path: Path) -> None:
    """`make demo` (with this checkout's environment) builds and serves the example app."""
    example = shutil.copytree(
        ROOT / "examples" / "bookshelf",
        tmp_path / "bookshelf",
        ignore=shutil.ignore_patterns(".pagemill"),
    )
    port = free_port()
    env = {**os.environ, "BOOKSHELF_DB": str(tmp_path / "db.sqlite3")}
    with open(tmp_path / "demo.log", "wb") as log:
        process = subprocess.Popen(
            ["make", "demo", f"EXAMPLE={example}", f"PORT={port}"],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    response = httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                    break
                except httpx.TransportError:
                    assert process.poll() is None, (tmp_path / "demo.log").read_text()
                    assert time.monotonic() < deadline, "make demo did not serve within 30 s"
                    time.sleep(0.2)
            assert response.status_code == 200
            assert "__NEXT_DATA__" in response.text
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a slow graceful stop on a busy machine
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
