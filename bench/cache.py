"""Benchmark: the response cache. requests/s of the 100-item page answered from the cache
(HIT) against the same page running gSSP on every request, for HTML and the data route;
and N concurrent misses for one new key, with the gSSP runs they caused.

    .venv/bin/python bench/cache.py [--seconds 4] [--connections 32] [--misses 50]

Builds bench/apps/list100, serves it with `pagemill start --workers 1` on a free port,
drives it with wrk (or serve.py's Python load generator without wrk), and stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from serve import (
    APP_DIR,
    BIN,
    HOST,
    build_pagemill,
    free_port,
    run_python,
    run_wrk,
    running,
    wait_ready,
)

RUNS = re.compile(r"gSSP runs so far in this process: (\d+)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--misses", type=int, default=50)
    args = parser.parse_args()
    load = run_wrk if shutil.which("wrk") else run_python
    build_pagemill()
    port = free_port()
    argv = [str(BIN / "pagemill"), "start", str(APP_DIR), "--host", HOST, "--port", str(port),
            "--workers", "1"]
    with running("pagemill", argv, port) as server:
        wait_ready(server, "/cached")
        build = re.search(r'"buildId":"([^"]+)"', httpx.get(server.url("/cached")).text)
        assert build is not None
        targets = {
            "HTML, gSSP every request": "/items",
            "HTML, from the cache": "/cached",
            "data, gSSP every request": f"/_next/data/{build[1]}/items.json",
            "data, from the cache": f"/_next/data/{build[1]}/cached.json",
        }
        rates = {}
        for name, path in targets.items():
            load(server.url(path), 1.0, args.connections)  # warm-up
            rates[name] = load(server.url(path), args.seconds, args.connections).rps
        print(f"{load.__name__}: {args.connections} connections, {args.seconds:g} s each, "
              "pagemill start --workers 1")
        for name, rate in rates.items():
            print(f"  {name:26} {rate:10,.0f} req/s")
        html = rates["HTML, from the cache"] / rates["HTML, gSSP every request"]
        data = rates["data, from the cache"] / rates["data, gSSP every request"]
        print(f"  cached/uncached: HTML {html:.1f}x, data route {data:.1f}x")
        # A URL never cached before: its answer may be private, so nobody waits on another.
        runs = asyncio.run(concurrent_misses(server.url("/cached?slow=1&key=new"), args.misses))
        print(f"{args.misses} concurrent misses for a URL never cached (gSSP takes 50 ms): "
              f"{runs} gSSP run(s)")
        # A URL cached before whose entry is gone: its misses are coalesced.
        load(server.url("/cached?slow=1&key=known"), 0.1, 1)
        httpx.post(server.url("/api/purge?path=/cached"))
        runs = asyncio.run(concurrent_misses(server.url("/cached?slow=1&key=known"), args.misses))
        print(f"{args.misses} concurrent misses for a URL cached before, after a purge: "
              f"{runs} gSSP run(s)")


async def concurrent_misses(url: str, count: int) -> int:
    """How many different gSSP runs answered `count` simultaneous requests for one URL."""
    async with httpx.AsyncClient(timeout=30) as client:
        answers = await asyncio.gather(*(client.get(url) for _ in range(count)))
    return len({found[1] for answer in answers if (found := RUNS.search(answer.text))})


if __name__ == "__main__":
    main()
