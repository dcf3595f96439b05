"""Soak: the example app under saturation load for a long run, watching memory and errors.

Builds a copy of examples/bookshelf, serves it with `pagemill start` (default worker count)
on a free 127.0.0.1 port, and drives it with wrk (a Python load generator when wrk is
missing, or with --python-load) for --seconds, rotating through a gSSP page, its data route,
dynamic book pages, searches and a public file asked for with every compression. Every
--interval seconds it samples the resident memory (VmRSS) of the server's whole process
tree, the granian parent and every worker. At the end it prints the samples, the request
count, non-2xx/3xx responses, socket errors, p99 latency and RSS at start, end and peak,
and exits non-zero on any error. Run from the repository root:

    .venv/bin/python bench/soak.py [--seconds 600] [--connections 64] [--threads 2]

The server runs in its own process group, stopped at the end, on error or on Ctrl-C too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).parent))
from serve import stop

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bookshelf"
WRK = Path("/usr/bin/wrk")
HOST = "127.0.0.1"
ENCODINGS = "gzip, deflate, br, zstd"
NEXT_DATA = re.compile(rb'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>', re.S)


@dataclass(frozen=True)
class Target:
    path: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class LoadResult:
    requests: int
    bad_status: int  # responses other than 2xx and 3xx
    socket_errors: dict[str, int]  # connect, read, write, timeout
    p99_ms: float | None
    rps: float


@dataclass(frozen=True)
class Sample:
    elapsed: float
    processes: int
    rss_kb: int


# -- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def build_copy(workdir: Path) -> Path:
    """A built copy of the example app, with a fresh database, under `workdir`."""
    ignored = shutil.ignore_patterns(".pagemill", "data", "__pycache__")
    app = Path(shutil.copytree(EXAMPLE, workdir / "bookshelf", ignore=ignored))
    subprocess.run([sys.executable, "-m", "pagemill", "build", str(app)], check=True,
                   stdout=subprocess.DEVNULL)
    return app


@contextmanager
def serving(app: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`pagemill start` in its own process group, its output in `log`; the group is stopped
    on the way out."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "pagemill", "start", str(app), "--host", HOST, "--port",
             str(port)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop(process)


def get(port: int, target: Target, timeout: float = 10.0) -> tuple[int, bytes]:
    """One GET over a fresh connection: the status and the (undecoded) body."""
    headers = "".join(f"{name}: {value}\r\n" for name, value in target.headers.items())
    request = f"GET {target.path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n{headers}"
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        sock.sendall(f"{request}Connection: close\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    status_line, _, rest = response.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def wait_ready(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            get(port, Target("/"), timeout=2)
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text()[-3000:]
                raise SystemExit(f"pagemill start did not come up:\n{tail}") from None
            time.sleep(0.2)


def targets(port: int) -> list[Target]:
    """The traffic mix, with the build id read from the home page's __NEXT_DATA__."""
    _, home = get(port, Target("/"))
    found = NEXT_DATA.search(home)
    if found is None:
        raise SystemExit("no __NEXT_DATA__ in the home page")
    build_id = json.loads(found.group(1))["buildId"]
    return [
        Target("/"),
        Target(f"/_next/data/{build_id}/en.json", {"x-nextjs-data": "1"}),
        Target("/books/the-salt-crown"),
        Target("/books/hollow-signal"),
        Target("/books/tea-and-arsenic"),
        Target("/search/salt/Baltic"),
        Target("/search?q=winter"),
        Target("/styles.css", {"Accept-Encoding": ENCODINGS}),
    ]


def check_targets(port: int, mix: list[Target]) -> list[str]:
    """Each target answers 2xx or 3xx before the load starts."""
    problems = []
    for target in mix:
        status, _ = get(port, target)
        if not 200 <= status < 400:
            problems.append(f"{target.path} {target.headers or ''} answered {status}")
    return problems


# -- memory -----------------------------------------------------------------------------------


def process_tree(root: int) -> set[int]:
    """`root`, its descendants and the members of its process group."""
    parents: dict[int, int] = {}
    tree = {root}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        if int(fields[2]) == root:  # the process group
            tree.add(int(entry))
    grew = True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    return tree


def rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) if found else 0


def sample(root: int, started: float) -> Sample:
    pids = process_tree(root)
    return Sample(time.monotonic() - started, len(pids), sum(map(rss_kb, pids)))


def print_sample(row: Sample) -> None:
    print(f"{row.elapsed:8.0f} s {row.processes:6d} {row.rss_kb / 1024:10.1f} MB", flush=True)


# -- load -------------------------------------------------------------------------------------

LUA = """
local targets = {TARGETS}
local requests = {}
local counter = 0

init = function(args)
  for i, target in ipairs(targets) do
    requests[i] = wrk.format("GET", target[1], target[2])
  end
end

request = function()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
"""


def lua_script(mix: list[Target]) -> str:
    def quoted(text: str) -> str:
        return json.dumps(text)  # a JSON string is a valid Lua string literal here

    def table(target: Target) -> str:
        headers = ", ".join(f"[{quoted(k)}] = {quoted(v)}" for k, v in target.headers.items())
        return f"{{{quoted(target.path)}, {{{headers}}}}}"

    return LUA.replace("{TARGETS}", "{" + ", ".join(map(table, mix)) + "}")


def start_wrk(port: int, mix: list[Target], args: argparse.Namespace, workdir: Path,
              ) -> subprocess.Popen[str]:
    script = workdir / "mix.lua"
    script.write_text(lua_script(mix))
    command = [str(WRK), f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s",
               "--timeout", "10s", "--latency", "-s", str(script), f"http://{HOST}:{port}"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def parse_wrk(output: str) -> LoadResult:
    def number(pattern: str) -> int:
        found = re.search(pattern, output)
        return int(found.group(1)) if found else 0

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    names = ("connect", "read", "write", "timeout")
    socket_errors = dict(zip(names, map(int, errors.groups()), strict=True)) if errors else {}
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return LoadResult(
        requests=number(r"(\d+) requests in"),
        bad_status=number(r"Non-2xx or 3xx responses: (\d+)"),
        socket_errors=socket_errors,
        p99_ms=float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
        if p99 else None,
        rps=float(rps.group(1)) if rps else 0.0,
    )


async def python_load(port: int, mix: list[Target], seconds: float, connections: int,
                      ) -> LoadResult:
    """Without wrk: keep-alive connections on one event loop, rotating through the mix."""
    raw = [
        (f"GET {t.path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
         + "".join(f"{k}: {v}\r\n" for k, v in t.headers.items()) + "\r\n").encode()
        for t in mix
    ]
    latencies: list[float] = []
    counts = {"bad_status": 0, "read": 0, "connect": 0}
    deadline = time.monotonic() + seconds

    async def connection(offset: int) -> None:
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
        except OSError:
            counts["connect"] += 1
            return
        position = offset
        try:
            while time.monotonic() < deadline:
                sent = time.perf_counter()
                writer.write(raw[position % len(raw)])
                position += 1
                head = await reader.readuntil(b"\r\n\r\n")
                length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
                await reader.readexactly(int(length.group(1)) if length else 0)
                latencies.append(time.perf_counter() - sent)
                counts["bad_status"] += not 200 <= int(head[9:12]) < 400
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            counts["read"] += 1
        finally:
            writer.close()

    await asyncio.gather(*(connection(n) for n in range(connections)))
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99)] * 1000 if latencies else None
    errors = {"connect": counts["connect"], "read": counts["read"], "write": 0, "timeout": 0}
    return LoadResult(len(latencies), counts["bad_status"], errors, p99, len(latencies) / seconds)


# -- the run ----------------------------------------------------------------------------------


def drive(port: int, mix: list[Target], server: int, args: argparse.Namespace,
          workdir: Path) -> tuple[LoadResult, list[Sample]]:
    """Run the load while sampling the server's memory every --interval seconds."""
    started = time.monotonic()
    print(f"{'time':>10} {'procs':>6} {'rss':>13}")
    samples = [sample(server, started)]
    print_sample(samples[0])
    if args.python_load or not WRK.exists():
        result = asyncio.run(sampled(python_load(port, mix, args.seconds, args.connections),
                                     server, started, args.interval, samples))
    else:
        wrk = start_wrk(port, mix, args, workdir)
        try:
            while wrk.poll() is None:
                with suppress(subprocess.TimeoutExpired):
                    wrk.wait(timeout=args.interval - (time.monotonic() - started) % args.interval)
                if wrk.poll() is None:
                    samples.append(sample(server, started))
                    print_sample(samples[-1])
        finally:
            if wrk.poll() is None:
                os.killpg(wrk.pid, signal.SIGKILL)
            output = wrk.communicate()[0]
        print(output)
        result = parse_wrk(output)
    samples.append(sample(server, started))
    print_sample(samples[-1])
    return result, samples


async def sampled(load: Coroutine[object, object, LoadResult], server: int, started: float,
                  interval: float, samples: list[Sample]) -> LoadResult:
    """Await the Python load, sampling memory every `interval` seconds meanwhile."""
    task = asyncio.ensure_future(load)
    while not task.done():
        await asyncio.wait([task], timeout=interval)
        if not task.done():
            samples.append(sample(server, started))
            print_sample(samples[-1])
    return task.result()


def summary(result: LoadResult, samples: list[Sample], log: Path) -> list[str]:
    """Print the totals; return the errors that make the run fail."""
    with log.open(errors="replace") as lines:
        errors_in_log = sum(line.startswith('{"') and '"status":5' in line for line in lines)
    peak = max(samples, key=lambda row: row.rss_kb)
    p99 = f"{result.p99_ms:.1f} ms" if result.p99_ms is not None else "n/a"
    print(f"requests:          {result.requests} ({result.rps:.0f}/s)")
    print(f"non-2xx/3xx:       {result.bad_status}")
    print(f"socket errors:     {result.socket_errors or 'none'}")
    print(f"p99 latency:       {p99}")
    print(f"5xx in server log: {errors_in_log}")
    print(f"RSS start/end/max: {samples[0].rss_kb / 1024:.1f} / {samples[-1].rss_kb / 1024:.1f}"
          f" / {peak.rss_kb / 1024:.1f} MB (max at {peak.elapsed:.0f} s)")
    failures = []
    if result.requests == 0:
        failures.append("no requests completed")
    if result.bad_status:
        failures.append(f"{result.bad_status} responses other than 2xx/3xx")
    if any(result.socket_errors.values()):
        failures.append(f"socket errors {result.socket_errors}")
    if errors_in_log:
        failures.append(f"{errors_in_log} 5xx lines in the server log")
    return failures


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--seconds", type=int, default=600, help="length of the load run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--python-load", action="store_true",
                        help="use the Python load generator even when wrk is installed")
    return parser.parse_args()


def interrupted(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, interrupted)
    workdir = Path(tempfile.mkdtemp(prefix="pagemill-soak-"))
    log = workdir / "server.log"
    failures: list[str] = []
    try:
        app = build_copy(workdir)
        port = free_port()
        with serving(app, port, log) as server:
            wait_ready(server, port, log)
            mix = targets(port)
            failures = check_targets(port, mix)
            print(f"pagemill start {app} on http://{HOST}:{port}, {args.seconds} s with "
                  f"{'wrk' if WRK.exists() and not args.python_load else 'Python load'}")
            result, samples = drive(port, mix, server.pid, args, workdir)
            if server.poll() is not None:
                failures.append(f"the server exited with status {server.returncode}")
            elif get(port, Target("/"))[0] != 200:
                failures.append("the home page does not answer 200 after the run")
        failures += summary(result, samples, log)
    except KeyboardInterrupt:
        print(f"\ninterrupted; the server is stopped. Its log: {log}")
        return 130
    if failures:
        print("FAILED: " + "; ".join(failures) + f"\nthe server's log: {log}")
        return 1
    shutil.rmtree(workdir)
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
