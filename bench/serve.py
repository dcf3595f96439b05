"""Benchmark: pagemill against a hand-written Starlette + Jinja2 app, same page, same server.

Both apps serve the same page (100 list items built from per-request props, see
bench/apps/list100/pages/items.py and bench/baseline/app.py) under granian with one worker
each. After checking that both answer 200 with the same markup and the same props, wrk (or a
Python load generator when wrk is missing) measures requests/s of:

    pagemill HTML      /items?page=3
    baseline HTML      /items?page=3
    pagemill data      /_next/data/<build_id>/items.json?page=3
    baseline JSON      /items.json?page=3

The runs alternate between the two servers, in a different order each round, so machine
noise hits both; each figure is the best of the rounds. No Accept-Encoding is sent, so
neither side compresses. Run from the repository root:

    .venv/bin/python bench/serve.py [--seconds 5] [--connections 32] [--rounds 2]

Every process it starts is stopped when it ends, on error or on Ctrl-C too.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
APP_DIR = ROOT / "bench" / "apps" / "list100"
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
QUERY = "?page=3"
TARGET = 1.0  # pagemill/baseline must be at least this on both routes

NEXT_DATA = re.compile(rb'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>', re.S)
NEXT_DIV = re.compile(rb'<div id="__next">(.*?)</div><script', re.S)


# -- processes --------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: IO[bytes]

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        self.log.seek(0)
        return "\n".join(self.log.read().decode(errors="replace").splitlines()[-lines:])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(name: str, argv: list[str], port: int) -> Iterator[Server]:
    """Start a server in its own process group; stop the whole group on the way out."""
    log = tempfile.TemporaryFile()  # noqa: SIM115  (closed in the finally below)
    # Its own session: Ctrl-C reaches only this script, which then stops the group itself.
    process = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(name, process, port, log)
    try:
        yield server
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGINT the server's process group (granian shuts its workers down), then insist."""
    for sig, wait in ((signal.SIGINT, 5.0), (signal.SIGTERM, 3.0), (signal.SIGKILL, 3.0)):
        try:
            os.killpg(process.pid, sig)  # the group this script created for that process
        except ProcessLookupError:
            break
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; make sure no worker of its group outlives it.
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        break
    if process.poll() is None:
        process.wait(3)


def get(url: str, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    """A plain GET, without Accept-Encoding (http.client sends `identity`)."""
    rest = url.removeprefix("http://")
    hostport, _, path = rest.partition("/")
    host, _, port = hostport.partition(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", "/" + path)
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def wait_ready(server: Server, path: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited with status {server.process.returncode}:\n"
                             f"{server.log_tail()}")
        try:
            get(server.url(path), timeout=1.0)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{server.name} did not answer within {timeout:.0f}s:\n{server.log_tail()}")


# -- load -------------------------------------------------------------------------------------


@dataclass
class Run:
    rps: float
    requests: int
    errors: int  # socket errors + non-2xx responses
    latency_ms: float | None  # median (wrk) or mean (Python generator)


def run_wrk(url: str, seconds: float, connections: int) -> Run:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", url],
        capture_output=True, text=True, check=True, timeout=seconds + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    latency = None
    if m := re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out):
        latency = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    return Run(rps, requests, errors, latency)


def run_python(url: str, seconds: float, connections: int) -> Run:
    """The fallback load generator: keep-alive HTTP/1.1 connections on one asyncio loop."""
    return asyncio.run(_python_load(url, seconds, connections))


async def _python_load(url: str, seconds: float, connections: int) -> Run:
    hostport, _, path = url.removeprefix("http://").partition("/")
    host, _, port = hostport.partition(":")
    request = f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\n\r\n".encode()
    counts = {"ok": 0, "errors": 0}
    latency = [0.0]
    deadline = time.perf_counter() + seconds

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while time.perf_counter() < deadline:
                sent = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
                if length is None:
                    raise RuntimeError("response without Content-Length")
                await reader.readexactly(int(length.group(1)))
                latency[0] += time.perf_counter() - sent
                counts["ok" if 200 <= status < 400 else "errors"] += 1
        except (OSError, asyncio.IncompleteReadError, RuntimeError):
            counts["errors"] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    done = counts["ok"] + counts["errors"]
    mean = latency[0] / done * 1000 if done else None
    return Run(done / elapsed, done, counts["errors"], mean)


# -- the benchmark ----------------------------------------------------------------------------


def build_pagemill() -> None:
    result = subprocess.run([str(BIN / "pagemill"), "build", str(APP_DIR)], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"pagemill build failed:\n{result.stdout}{result.stderr}")


def check(pagemill: Server, baseline: Server) -> str:
    """Both answer 200 with the same markup and props; returns the data route's path."""
    status, headers, html = get(pagemill.url("/items" + QUERY))
    b_status, _, b_html = get(baseline.url("/items" + QUERY))
    if status != 200 or b_status != 200:
        raise SystemExit(f"HTML: pagemill answered {status}, baseline {b_status}")
    if "content-encoding" in headers:
        raise SystemExit("pagemill compressed a response to a client that did not ask for it")
    data = NEXT_DATA.search(html)
    if data is None:
        raise SystemExit("pagemill's HTML has no __NEXT_DATA__ script")
    next_data = json.loads(data.group(1))
    ours, theirs = NEXT_DIV.search(html), NEXT_DIV.search(b_html)
    if ours is None or theirs is None or ours.group(1) != theirs.group(1):
        raise SystemExit("the two servers render different markup inside <div id=\"__next\">")
    b_data = NEXT_DATA.search(b_html)
    theirs_props = json.loads(b_data.group(1))["props"]["pageProps"] if b_data else None
    if theirs_props != next_data["props"]["pageProps"]:
        raise SystemExit("the two servers embed different props")
    if not 0.9 < len(html) / len(b_html) < 1.1:
        raise SystemExit(f"HTML sizes differ too much: {len(html)} vs {len(b_html)} bytes")

    data_path = f"/_next/data/{next_data['buildId']}/items.json{QUERY}"
    status, _, body = get(pagemill.url(data_path))
    b_status, _, b_body = get(baseline.url("/items.json" + QUERY))
    if status != 200 or b_status != 200:
        raise SystemExit(f"data route: pagemill answered {status}, baseline {b_status}")
    if json.loads(body)["pageProps"] != json.loads(b_body)["pageProps"]:
        raise SystemExit("the two data routes answer different props")
    if not 0.9 < len(body) / len(b_body) < 1.1:
        raise SystemExit(f"JSON sizes differ too much: {len(body)} vs {len(b_body)} bytes")
    print(f"checked: same markup and props; HTML {len(html):,} vs {len(b_html):,} bytes, "
          f"JSON {len(body):,} vs {len(b_body):,} bytes")
    return data_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="length of each timed run")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs per target (best kept)")
    parser.add_argument("--warmup", type=float, default=1.5, help="warm-up seconds per target")
    parser.add_argument("--python-load", action="store_true",
                        help="use the Python load generator even when wrk is installed")
    args = parser.parse_args()

    use_wrk = shutil.which("wrk") is not None and not args.python_load
    load = run_wrk if use_wrk else run_python
    tool = (f"wrk -t1 -c{args.connections} -d{args.seconds:g}s" if use_wrk
            else f"Python load generator, {args.connections} connections, {args.seconds:g}s")
    if not use_wrk and not args.python_load:
        print("wrk not found: using the Python load generator (it may be the bottleneck; "
              "install wrk for real figures)")

    # SIGTERM (and SIGHUP) unwind like Ctrl-C, so the servers are stopped either way.
    def interrupted(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)

    build_pagemill()
    pm_port, base_port = free_port(), free_port()
    pagemill_argv = [str(BIN / "pagemill"), "start", str(APP_DIR), "--host", HOST,
                     "--port", str(pm_port), "--workers", "1"]
    baseline_argv = [str(BIN / "granian"), "--interface", "asgi", "--workers", "1",
                     "--host", HOST, "--port", str(base_port), "--no-access-log",
                     "--working-dir", str(ROOT), "bench.baseline.app:app"]
    try:
        with running("pagemill", pagemill_argv, pm_port) as pagemill, \
                running("baseline", baseline_argv, base_port) as baseline:
            wait_ready(pagemill, "/items")
            wait_ready(baseline, "/items")
            data_path = check(pagemill, baseline)
            targets = {
                "pagemill HTML": pagemill.url("/items" + QUERY),
                "baseline HTML": baseline.url("/items" + QUERY),
                "pagemill data": pagemill.url(data_path),
                "baseline JSON": baseline.url("/items.json" + QUERY),
            }
            print(f"load: {tool}; granian, 1 worker each; best of {args.rounds} "
                  f"round(s) after a {args.warmup:g}s warm-up per target")
            for url in targets.values():
                load(url, args.warmup, args.connections)
            runs: dict[str, list[Run]] = {name: [] for name in targets}
            names = list(targets)
            # Pairs alternate, and their order flips every round: noise hits both sides.
            orders = [names, [names[1], names[0], names[3], names[2]]]
            for round_ in range(args.rounds):
                for name in orders[round_ % 2]:
                    run = load(targets[name], args.seconds, args.connections)
                    runs[name].append(run)
                    print(f"  round {round_ + 1}  {name:<14} {run.rps:10,.0f} req/s"
                          + (f"  ({run.errors} errors)" if run.errors else ""), flush=True)
            for server in (pagemill, baseline):
                if server.process.poll() is not None:
                    raise SystemExit(f"{server.name} died during the run:\n{server.log_tail()}")
    except KeyboardInterrupt:
        print("\ninterrupted: servers stopped", file=sys.stderr)
        sys.exit(130)
    report(runs)


def report(runs: dict[str, list[Run]]) -> None:
    best = {name: max(r.rps for r in rs) for name, rs in runs.items()}
    spread = {name: statistics.median(r.rps for r in rs) for name, rs in runs.items()}
    lat = {name: max(rs, key=lambda r: r.rps).latency_ms for name, rs in runs.items()}
    errors = sum(r.errors for rs in runs.values() for r in rs)

    def fmt_lat(name: str) -> str:
        return f"{lat[name]:8.2f}" if lat[name] is not None else f"{'-':>8}"

    html_ratio = best["pagemill HTML"] / best["baseline HTML"]
    data_ratio = best["pagemill data"] / best["baseline JSON"]
    data_over_html = best["pagemill data"] / best["pagemill HTML"]
    print()
    print(f"{'':<16}{'pagemill req/s':>16}{'baseline req/s':>16}{'pagemill/baseline':>19}"
          f"{'latency ms (pm/base)':>24}")
    for label, ours, theirs in (("HTML page", "pagemill HTML", "baseline HTML"),
                                ("data route", "pagemill data", "baseline JSON")):
        print(f"{label:<16}{best[ours]:>16,.0f}{best[theirs]:>16,.0f}"
              f"{best[ours] / best[theirs]:>18.2f}x{fmt_lat(ours):>11} /{fmt_lat(theirs)}")
    print(f"{'pagemill data/HTML':<32}{data_over_html:>16.2f}x")
    if any(len(rs) > 1 for rs in runs.values()):
        print("medians: " + ", ".join(f"{k} {v:,.0f}" for k, v in spread.items()))
    if errors:
        print(f"WARNING: {errors} errors or non-2xx responses during the runs")
    verdicts = [
        ("HTML pagemill/baseline >= 1.0", html_ratio >= TARGET),
        ("data pagemill/baseline >= 1.0", data_ratio >= TARGET),
        ("pagemill data faster than its HTML", data_over_html > 1.0),
    ]
    print("targets: " + "; ".join(f"{text}: {'met' if ok else 'NOT met'}" for text, ok in verdicts))


if __name__ == "__main__":
    main()
