"""Where pagemill's time goes per request: the ASGI apps driven in-process, then cProfile.

No server and no sockets: a minimal fake ASGI receive/send drives the apps on one event loop,
so the figures are the apps' own cost per request, free of the server and of machine noise
(bench/serve.py measures the served figures). It

1. times pagemill (as `pagemill start` builds it, with its per-request log line going to
   /dev/null) and the hand-written baseline (bench/baseline/app.py) on the HTML page and the
   data route, alternating, best of several rounds;
2. profiles pagemill's HTML page and its data route, printing the top functions by
   cumulative and by self time.

    .venv/bin/python bench/profile_app.py [--requests 3000] [--top 25] [--no-log] [--timing-only]

PAGEMILL_* variables apply as usual (e.g. PAGEMILL_COMPRESS=false to see the cost of the
compression middleware on requests that do not ask for compression).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
APP_DIR = ROOT / "bench" / "apps" / "list100"
sys.path.insert(0, str(ROOT))  # for bench.baseline

QUERY = b"page=3"

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def scope_for(path: str, query: bytes) -> dict[str, Any]:
    """A scope shaped like granian's for `GET path?query` from wrk (no Accept-Encoding)."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 3000),
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
        "method": "GET",
        "root_path": "",
        "path": path,
        "raw_path": path.encode() + (b"?" + query if query else b""),
        "query_string": query,
        "headers": [(b"host", b"127.0.0.1:3000")],
        "state": {},
    }


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


class Sink:
    """The fake `send`: keeps the status and counts body bytes."""

    __slots__ = ("body_bytes", "status")

    def __init__(self) -> None:
        self.status = 0
        self.body_bytes = 0

    async def __call__(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        else:
            self.body_bytes += len(message.get("body", b""))


async def drive(app: ASGIApp, path: str, n: int) -> float:
    """Seconds for `n` sequential requests; checks each answered 200."""
    base = scope_for(path, QUERY)
    started = time.perf_counter()
    for _ in range(n):
        sink = Sink()
        # A fresh scope per request, as a server gives (apps may write into it).
        await app(dict(base), _receive, sink)
        if sink.status != 200:
            raise SystemExit(f"{path} answered {sink.status}")
    return time.perf_counter() - started


def load_apps(log: bool) -> tuple[ASGIApp, ASGIApp, str]:
    subprocess.run([str(Path(sys.executable).parent / "pagemill"), "build", str(APP_DIR)],
                   check=True, capture_output=True)
    from pagemill.server import production_app

    if log:
        # The request log line goes to stderr, as under `pagemill start`: here to /dev/null.
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    else:
        import pagemill.middleware

        pagemill.middleware.log_request = lambda *args: None  # type: ignore[assignment]
    pagemill = production_app(APP_DIR)
    build_id = (APP_DIR / ".pagemill" / "BUILD_ID").read_text().strip()

    from bench.baseline.app import app as baseline

    return pagemill, baseline, f"/_next/data/{build_id}/items.json"


def print_stats(profile: cProfile.Profile, sort: str, top: int, n: int) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    text = out.getvalue()
    # Keep the table, drop pstats' preamble up to the header line.
    print(text[text.index("   ncalls"):].rstrip())
    print(f"(per request: divide times by {n})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per profile")
    parser.add_argument("--top", type=int, default=25, help="rows per profile table")
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds (best kept)")
    parser.add_argument("--no-log", action="store_true",
                        help="without pagemill's per-request log line")
    parser.add_argument("--timing-only", action="store_true", help="skip the cProfile tables")
    args = parser.parse_args()

    runner: Callable[[Any], Any] = asyncio.run
    try:
        import uvloop  # what granian runs the app on

        runner = uvloop.run
    except ImportError:
        pass
    pagemill, baseline, data_path = load_apps(log=not args.no_log)
    n = args.requests

    async def timing() -> dict[str, float]:
        targets = {
            "pagemill HTML": (pagemill, "/items"),
            "baseline HTML": (baseline, "/items"),
            "pagemill data": (pagemill, data_path),
            "baseline JSON": (baseline, "/items.json"),
            "pagemill API": (pagemill, "/api/hello"),
            "baseline API": (baseline, "/api/hello"),
            "pagemill API sync": (pagemill, "/api/hello-sync"),
            "baseline API sync": (baseline, "/api/hello-sync"),
        }
        for app, path in targets.values():  # warm up
            await drive(app, path, 200)
        best = dict.fromkeys(targets, float("inf"))
        per_round = max(200, n // 5)
        for _ in range(args.rounds):
            for name, (app, path) in targets.items():
                best[name] = min(best[name], await drive(app, path, per_round) / per_round)
        return best

    best = runner(timing())
    log_note = "without" if args.no_log else "with"
    print(f"in-process cost per request (no server), best of {args.rounds} rounds, "
          f"pagemill {log_note} its log line:")
    for name, seconds in best.items():
        print(f"  {name:<17} {seconds * 1e6:8.1f} µs   ({1 / seconds:8,.0f} req/s on one core)")
    print(f"  ratio pagemill/baseline (speed): HTML "
          f"{best['baseline HTML'] / best['pagemill HTML']:.2f}x, data "
          f"{best['baseline JSON'] / best['pagemill data']:.2f}x; pagemill data/HTML "
          f"{best['pagemill HTML'] / best['pagemill data']:.2f}x; API "
          f"{best['baseline API'] / best['pagemill API']:.2f}x, sync "
          f"{best['baseline API sync'] / best['pagemill API sync']:.2f}x")
    if args.timing_only:
        return

    profiled_routes = (("HTML page /items", "/items"), ("data route", data_path),
                       ("API route", "/api/hello"))
    for label, path in profiled_routes:
        profile = cProfile.Profile()

        async def profiled(path: str = path, profile: cProfile.Profile = profile) -> None:
            await drive(pagemill, path, 100)  # warm
            profile.enable()
            await drive(pagemill, path, n)
            profile.disable()

        runner(profiled())
        print(f"\n=== pagemill {label}: {n} requests, by cumulative time ===")
        print_stats(profile, "cumulative", args.top, n)
        print(f"\n=== pagemill {label}: {n} requests, by self time ===")
        print_stats(profile, "tottime", args.top, n)


if __name__ == "__main__":
    main()
