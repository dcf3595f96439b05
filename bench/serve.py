"""Benchmark: pagemill against a hand-written Starlette + Jinja2 app, same pages, same server.

Both apps serve the same page (list items built from per-request props, see
bench/apps/list100/pages/items.py and bench/baseline/app.py) and the same small JSON API
route, under granian with one worker each. After checking that both answer 200 with the same
markup and the same props, wrk (or a Python load generator when wrk is missing) loads each
target in turn and the script reads the CPU time the server's whole process group used
(utime + stime from /proc/<pid>/stat, before and after the run):

    target              pagemill                                baseline
    page, 100 items     /items?page=3                           /items?page=3
    page, 10 items      /items?page=3&n=10                      /items?page=3&n=10
    page, 1,000 items   /items?page=3&n=1000                    /items?page=3&n=1000
    data route          /_next/data/<build>/items.json?page=3   /items.json?page=3
    API, async          /api/hello                              /api/hello
    API, sync           /api/hello-sync                         /api/hello-sync

CPU time per request is the figure to read: it is what a request costs the server, and it is
steadier than requests/s on a machine where the load generator shares the cores. Each round
runs every target on both servers, pairs alternating and their order flipping every round, so
noise hits both sides; the table gives the range over the rounds. No Accept-Encoding is sent,
so neither side compresses. Run from the repository root:

    .venv/bin/python bench/serve.py [--seconds 4] [--connections 16] [--rounds 3]
                                    [--only page,data,api,api-sync,page10,page1000]

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
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
APP_DIR = ROOT / "bench" / "apps" / "list100"
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
QUERY = "?page=3"
# The targets (issue 11), on the medians of the rounds.
PAGE_CPU_MS = 0.3  # the 100-item page, CPU ms per request
PAGE_RATIO = 3.0  # ... and at least this many times cheaper than the hand-written app
DATA_CPU_MS = 0.1  # its data route

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


# -- the server's CPU time and memory --------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def group_pids(pgid: int) -> list[int]:
    """The live processes of a process group (the server and its workers)."""
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with suppress(OSError):
                stat = Path(f"/proc/{entry.name}/stat").read_text()
                # Fields after the command name (which may hold spaces): state, ppid, pgrp, ...
                if int(stat[stat.rindex(")") + 2:].split()[2]) == pgid:
                    pids.append(int(entry.name))
    return pids


def group_cpu_ticks(pgid: int) -> dict[int, int]:
    """utime + stime of each process of the group, in clock ticks (all threads included)."""
    ticks = {}
    for pid in group_pids(pgid):
        with suppress(OSError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            ticks[pid] = int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)
    return ticks


def cpu_seconds_between(before: dict[int, int], after: dict[int, int]) -> float:
    return sum(t - before.get(pid, 0) for pid, t in after.items()) / CLOCK_TICKS


def group_rss_mb(pgid: int) -> tuple[float, int]:
    """The resident memory of the whole group (as `ps -o rss` counts it) and its size."""
    kb, count = 0, 0
    for pid in group_pids(pgid):
        with suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    kb += int(line.split()[1])
                    count += 1
    return kb / 1024, count


# -- the benchmark ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    pagemill: str  # the path on each server
    baseline: str


def targets_for(data_path: str) -> list[Target]:
    return [
        Target("page", "page, 100 items", "/items" + QUERY, "/items" + QUERY),
        Target("page10", "page, 10 items", f"/items{QUERY}&n=10", f"/items{QUERY}&n=10"),
        Target("page1000", "page, 1,000 items", f"/items{QUERY}&n=1000",
               f"/items{QUERY}&n=1000"),
        Target("data", "data route", data_path, "/items.json" + QUERY),
        Target("api", "API, async", "/api/hello", "/api/hello"),
        Target("api-sync", "API, sync", "/api/hello-sync", "/api/hello-sync"),
    ]


@dataclass
class Measured:
    run: Run
    cpu_ms: float  # server CPU time per request


def measure(load: Callable[[str, float, int], Run], server: Server, path: str,
            seconds: float, connections: int) -> Measured:
    before = group_cpu_ticks(server.process.pid)
    run = load(server.url(path), seconds, connections)
    cpu = cpu_seconds_between(before, group_cpu_ticks(server.process.pid))
    return Measured(run, cpu * 1000 / max(run.requests, 1))


def build_pagemill() -> None:
    result = subprocess.run([str(BIN / "pagemill"), "build", str(APP_DIR)], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"pagemill build failed:\n{result.stdout}{result.stderr}")


def check(pagemill: Server, baseline: Server) -> str:
    """Both answer 200 with the same markup, props and API answers; returns the data
    route's path."""
    data_path = ""
    for query in (QUERY, QUERY + "&n=10", QUERY + "&n=1000"):
        status, headers, html = get(pagemill.url("/items" + query))
        b_status, _, b_html = get(baseline.url("/items" + query))
        if status != 200 or b_status != 200:
            raise SystemExit(f"HTML {query}: pagemill answered {status}, baseline {b_status}")
        if "content-encoding" in headers:
            raise SystemExit("pagemill compressed a response to a client that did not ask for it")
        data = NEXT_DATA.search(html)
        if data is None:
            raise SystemExit("pagemill's HTML has no __NEXT_DATA__ script")
        next_data = json.loads(data.group(1))
        ours, theirs = NEXT_DIV.search(html), NEXT_DIV.search(b_html)
        if ours is None or theirs is None or ours.group(1) != theirs.group(1):
            raise SystemExit(f"the two servers render different markup for /items{query}")
        b_data = NEXT_DATA.search(b_html)
        theirs_props = json.loads(b_data.group(1))["props"]["pageProps"] if b_data else None
        if theirs_props != next_data["props"]["pageProps"]:
            raise SystemExit(f"the two servers embed different props for /items{query}")
        if not 0.9 < len(html) / len(b_html) < 1.1:
            raise SystemExit(f"HTML sizes differ too much: {len(html)} vs {len(b_html)} bytes")
        if query == QUERY:
            data_path = f"/_next/data/{next_data['buildId']}/items.json{QUERY}"
            sizes = f"HTML {len(html):,} vs {len(b_html):,} bytes"

    status, _, body = get(pagemill.url(data_path))
    b_status, _, b_body = get(baseline.url("/items.json" + QUERY))
    if status != 200 or b_status != 200:
        raise SystemExit(f"data route: pagemill answered {status}, baseline {b_status}")
    if json.loads(body)["pageProps"] != json.loads(b_body)["pageProps"]:
        raise SystemExit("the two data routes answer different props")
    if not 0.9 < len(body) / len(b_body) < 1.1:
        raise SystemExit(f"JSON sizes differ too much: {len(body)} vs {len(b_body)} bytes")
    for path in ("/api/hello", "/api/hello-sync"):
        answers = [get(server.url(path)) for server in (pagemill, baseline)]
        if [(s, b) for s, _, b in answers] != [(200, b'{"hello":"world"}')] * 2:
            raise SystemExit(f"{path}: the two servers answer differently: {answers}")
    print(f"checked: same markup and props at 10, 100 and 1,000 items; {sizes}, "
          f"JSON {len(body):,} vs {len(b_body):,} bytes; same API answers")
    return data_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4, help="length of each timed run")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs per target")
    parser.add_argument("--warmup", type=float, default=1, help="warm-up seconds per target")
    parser.add_argument("--only", default="", help="comma-separated target keys "
                        "(page, page10, page1000, data, api, api-sync); default all")
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
    results: dict[tuple[str, str], list[Measured]] = {}
    try:
        with running("pagemill", pagemill_argv, pm_port) as pagemill, \
                running("baseline", baseline_argv, base_port) as baseline:
            wait_ready(pagemill, "/items")
            wait_ready(baseline, "/items")
            time.sleep(1)
            memory = {s.name: group_rss_mb(s.process.pid) for s in (pagemill, baseline)}
            data_path = check(pagemill, baseline)
            targets = targets_for(data_path)
            if args.only:
                wanted = args.only.split(",")
                unknown = set(wanted) - {t.key for t in targets}
                if unknown:
                    raise SystemExit(f"unknown target(s): {', '.join(sorted(unknown))}")
                targets = [t for t in targets if t.key in wanted]
            print("idle RSS (whole process tree): " + ", ".join(
                f"{name} {mb:.0f} MB in {n} processes" for name, (mb, n) in memory.items()))
            print(f"load: {tool}; granian, 1 worker each; {args.rounds} round(s) after a "
                  f"{args.warmup:g}s warm-up per target")
            servers = {"pagemill": pagemill, "baseline": baseline}
            for target in targets:
                for side, server in servers.items():
                    load(server.url(getattr(target, side)), args.warmup, args.connections)
            for round_ in range(args.rounds):
                order = ["pagemill", "baseline"] if round_ % 2 == 0 else ["baseline", "pagemill"]
                for target in targets:
                    for side in order:
                        m = measure(load, servers[side], getattr(target, side), args.seconds,
                                    args.connections)
                        results.setdefault((target.key, side), []).append(m)
                        print(f"  round {round_ + 1}  {target.label:<18} {side:<9}"
                              f"{m.cpu_ms:8.3f} ms CPU/request {m.run.rps:9,.0f} req/s"
                              + (f"  ({m.run.errors} errors)" if m.run.errors else ""),
                              flush=True)
            for server in servers.values():
                if server.process.poll() is not None:
                    raise SystemExit(f"{server.name} died during the run:\n{server.log_tail()}")
    except KeyboardInterrupt:
        print("\ninterrupted: servers stopped", file=sys.stderr)
        sys.exit(130)
    report(targets, results)


def span(values: list[float], fmt: str) -> str:
    low, high = min(values), max(values)
    return f"{low:{fmt}}" if f"{low:{fmt}}" == f"{high:{fmt}}" else f"{low:{fmt}}-{high:{fmt}}"


def report(targets: list[Target], results: dict[tuple[str, str], list[Measured]]) -> None:
    """Ranges over the rounds; `cheaper` is baseline CPU / pagemill CPU, round by round."""
    print(f"\n{'':<19}{'CPU ms per request':^30}{'':>12}{'requests/s':^32}")
    print(f"{'':<19}{'pagemill':>15}{'baseline':>15}{'cheaper':>12}"
          f"{'pagemill':>16}{'baseline':>16}")
    cpu: dict[tuple[str, str], list[float]] = {}
    for target in targets:
        ours, theirs = results[(target.key, "pagemill")], results[(target.key, "baseline")]
        cpu[(target.key, "pagemill")] = [m.cpu_ms for m in ours]
        cpu[(target.key, "baseline")] = [m.cpu_ms for m in theirs]
        ratios = [b.cpu_ms / p.cpu_ms for p, b in zip(ours, theirs, strict=True)]
        print(f"{target.label:<19}{span([m.cpu_ms for m in ours], '.3f'):>15}"
              f"{span([m.cpu_ms for m in theirs], '.3f'):>15}{span(ratios, '.2f') + 'x':>12}"
              f"{span([m.run.rps for m in ours], ',.0f'):>16}"
              f"{span([m.run.rps for m in theirs], ',.0f'):>16}")
    errors = sum(m.run.errors for ms in results.values() for m in ms)
    if errors:
        print(f"WARNING: {errors} errors or non-2xx responses during the runs")

    def median(key: str, side: str) -> float | None:
        values = cpu.get((key, side))
        return statistics.median(values) if values else None

    hops = {side: (median("api-sync", side), median("api", side))
            for side in ("pagemill", "baseline")}
    for side, (sync, async_) in hops.items():
        if sync is not None and async_ is not None:
            print(f"thread hop ({side}, API sync - async, medians): {sync - async_:.3f} ms")
    verdicts = []
    page, page_b = median("page", "pagemill"), median("page", "baseline")
    if page is not None and page_b is not None:
        verdicts += [(f"page <= {PAGE_CPU_MS} ms", page <= PAGE_CPU_MS),
                     (f"page >= {PAGE_RATIO:g}x cheaper", page_b / page >= PAGE_RATIO)]
    if (data := median("data", "pagemill")) is not None:
        verdicts.append((f"data route <= {DATA_CPU_MS} ms", data <= DATA_CPU_MS))
    for key in ("api", "api-sync"):
        ours_api, theirs_api = median(key, "pagemill"), median(key, "baseline")
        if ours_api is not None and theirs_api is not None:
            verdicts.append((f"{key} no dearer than Starlette's", ours_api <= theirs_api))
    if verdicts:
        print("targets (medians): " + "; ".join(
            f"{text}: {'met' if ok else 'NOT met'}" for text, ok in verdicts))


if __name__ == "__main__":
    main()
