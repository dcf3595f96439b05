"""Thousands of generated hostile requests over raw sockets, against each app served as users
serve it: `pagemill build APP`, then `pagemill start APP` with the default worker count
(conftest's `served`, which writes the server's output to a file, copied next to the app).

PAGEMILL_FUZZ_SEED (default 1) and PAGEMILL_FUZZ_COUNT (default 3000, split across the apps)
make a run reproducible request by request; PAGEMILL_FUZZ_THREADS (default 4) sets how many
connections send at once, PAGEMILL_FUZZ_SECONDS the wall-clock budget of the whole run.

A response may be missing only for a request that breaks HTTP/1.1 message syntax (see
`fuzz_cases.syntax_problem`) or whose body is shorter than its Content-Length; every
response that arrives must pass every check in `fuzz_checks`."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import served
from fuzz_apps import PROFILES, ROOT, AppProfile
from fuzz_cases import Draft, Facts, FuzzRequest, build, frame
from fuzz_checks import Judge
from fuzz_report import Failure, Tally, report
from fuzz_wire import BadResponse, Client, NoResponse, Response

SEED = int(os.environ.get("PAGEMILL_FUZZ_SEED", "1"))
COUNT = int(os.environ.get("PAGEMILL_FUZZ_COUNT", "3000"))
THREADS = int(os.environ.get("PAGEMILL_FUZZ_THREADS", "4"))
BUDGET = float(os.environ.get("PAGEMILL_FUZZ_SECONDS", str(max(60.0, COUNT * 0.02))))
TOTAL_WEIGHT = sum(app.weight for app in PROFILES)

WAIT = 10.0  # for a response to a well-formed request; longer counts as a hang
MALFORMED_WAIT = 2.0  # a malformed request may leave the server waiting for more bytes
TRUNCATED_WAIT = 0.5  # a body shorter than declared: the server rightly waits for the rest

CANARY = f"pagemill fuzz canary {SEED}"  # in a file next to the app's folder
NEXT_DATA = re.compile(r'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>', re.S)
ASSET = re.compile(r'src="(/_next/static/chunks/[^"]+\.js)"')


def allotment(app: AppProfile) -> int:
    """This app's share of COUNT; the remainder of the division goes to the first apps."""
    shares = [COUNT * profile.weight // TOTAL_WEIGHT for profile in PROFILES]
    position = PROFILES.index(app)
    return shares[position] + (1 if position < COUNT - sum(shares) else 0)


def prepared(app: AppProfile, tmp_path: Path) -> Path:
    """A copy of the app in tmp_path, built with `pagemill build`, and a canary beside it."""
    (tmp_path / "canary.txt").write_text(CANARY)
    ignored = shutil.ignore_patterns(".pagemill", "data", "__pycache__")
    app_dir = Path(shutil.copytree(app.source, tmp_path / app.name, ignore=ignored))
    command = [sys.executable, "-m", "pagemill", "build", str(app_dir)]
    built = subprocess.run(command, capture_output=True, text=True, check=False)
    if built.returncode != 0:
        pytest.fail(f"pagemill build {app.name} failed:\n{built.stdout}{built.stderr}")
    return app_dir


def secrets(app_dir: Path, tmp_path: Path) -> tuple[str, ...]:
    """What must never appear in a response: paths on this machine, the preview secret, the
    content of dotfiles under public/ and of the canary, and source and config text."""
    found = [str(app_dir), str(tmp_path), str(ROOT), sys.prefix, CANARY]
    found += ["def get_server_side_props(", "def handler(", "def page(", "root:x:0:0"]
    secret = app_dir / ".pagemill" / "preview-secret"
    if secret.exists():
        found.append(secret.read_text().strip())
    public = app_dir / "public"
    for file in public.rglob("*") if public.exists() else ():
        if file.is_file() and any(part.startswith(".") for part in file.relative_to(public).parts):
            found.append(file.read_text().strip())
    config = app_dir / "pagemill.toml"
    if config.exists():
        found += [line for line in config.read_text().splitlines() if line.startswith("[")]
    return tuple(found)


def get(client: Client, target: str) -> Response:
    raw = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    return client.exchange(raw, b"GET", keep_alive=False, wait=WAIT)


def discover(address: tuple[str, int], app: AppProfile) -> Facts:
    """The build id and client runtime URL from `/`, and real preview cookies if the app
    has a route that sets them."""
    client = Client(address, WAIT)
    page = get(client, "/").body.decode()
    data, asset = NEXT_DATA.search(page), ASSET.search(page)
    assert data is not None and asset is not None, f"no __NEXT_DATA__ or script in /:\n{page}"
    cookies: dict[str, str] = {}
    for value in get(client, app.cookie_source).values("set-cookie") if app.cookie_source else ():
        name, _, rest = value.decode().partition("=")
        cookies[name] = rest.partition(";")[0]
    return Facts(
        build_id=json.loads(data.group(1))["buildId"],
        asset=asset.group(1),
        bypass=cookies.get("__prerender_bypass", ""),
        data_cookie=cookies.get("__next_preview_data", ""),
    )


def attempt(client: Client, request: FuzzRequest, judge: Judge) -> tuple[str, list[Failure]]:
    """Send one request; its status class (or `dropped`/`none`) and what failed."""
    wait = TRUNCATED_WAIT if request.truncated else MALFORMED_WAIT if request.malformed else WAIT
    try:
        response = client.exchange(
            request.raw, request.method, keep_alive=request.keep_alive, wait=wait
        )
    except NoResponse as error:
        if request.malformed or request.truncated:
            return "dropped", []
        detail = f"no response: the connection {error.reason}" + (
            f" after {wait:.0f} s" if error.reason == "timeout" else " without answering"
        )
        return "none", [Failure(request, "no_response", detail, None)]
    except (BadResponse, OSError) as error:
        return "none", [Failure(request, "bad_response", str(error) or repr(error), None)]
    problems = judge.problems(request, response)
    failures = [Failure(request, check, detail, response) for check, detail in problems]
    return f"{response.status // 100}xx", failures


def fuzz(
    address: tuple[str, int], app: AppProfile, facts: Facts, judge: Judge, count: int
) -> Tally:
    """Send `count` requests from THREADS threads, each with its own connections, and stop
    early when this app's share of the time budget is spent."""
    deadline = time.monotonic() + BUDGET * app.weight / TOTAL_WEIGHT

    def work(slot: int) -> Tally:
        tally = Tally()
        client = Client(address, WAIT)
        try:
            for index in range(slot, count, THREADS):
                if time.monotonic() > deadline:
                    break
                tally.add(*attempt(client, build(app, facts, SEED, index), judge))
        finally:
            client.close()
        return tally

    total = Tally()
    with ThreadPoolExecutor(THREADS) as pool:
        for tally in pool.map(work, range(THREADS)):
            total.merge(tally)
    return total


def liveness(address: tuple[str, int], app: AppProfile, judge: Judge) -> list[Failure]:
    """After the storm, a plain request to a page that works still answers 200."""
    request = frame(Draft(app.health.encode()), random.Random(0), app, -1, "liveness")
    client = Client(address, WAIT)
    try:
        outcome, failures = attempt(client, request, judge)
    finally:
        client.close()
    if outcome != "2xx" and not failures:
        failures = [Failure(request, "still_up", f"answered {outcome}, not 200", None)]
    return failures


@pytest.mark.parametrize("app", PROFILES, ids=lambda app: app.name)
def test_hostile_requests_get_safe_answers(
    app: AppProfile, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    count = allotment(app)
    app_dir = prepared(app, tmp_path)
    judge = Judge(secrets(app_dir, tmp_path), app.trusted_origins)
    log = tmp_path / "server.log"
    started = time.monotonic()
    with served("start", str(app_dir), ready_path=app.health) as server:
        address = ("127.0.0.1", server.port)
        tally = fuzz(address, app, discover(address, app), judge, count)
        tally.failures += liveness(address, app, judge)
        shutil.copyfile(server.output, log)
    with capsys.disabled():
        print(f"\n{tally.summary(app.name, SEED, time.monotonic() - started)}")
    problems = []
    if tally.sent < count:
        problems.append(
            f"only {tally.sent} of {count} requests were sent within the time budget "
            f"({BUDGET:.0f} s for the run): raise PAGEMILL_FUZZ_THREADS or PAGEMILL_FUZZ_SECONDS"
        )
    if tally.failures:
        problems.append(report(app.name, SEED, COUNT, tally, tmp_path))
        problems.append(f"The server's log: {log}")
    assert not problems, "\n\n".join(problems)
