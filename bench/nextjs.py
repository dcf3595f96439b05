"""pagemill against Next.js 15.5 on the same page: server CPU time per request, served.

    .venv/bin/python bench/nextjs.py [--seconds 4] [--connections 16] [--rounds 3]

Both serve the benchmark page (100 items built per request by getServerSideProps, rendered
as a list) and its data route: pagemill `bench/apps/list100` under `pagemill start --workers
1`, Next.js `bench/nextjs` (the same page in React) under `next start`, one Node process.
The first run installs Next.js into `bench/nextjs/node_modules` with npm and builds it.
Rounds are interleaved and the order flips each round; the figure is the server's CPU time
per request (its whole process group, from /proc), as in bench/serve.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess

from serve import (
    APP_DIR,
    BIN,
    HOST,
    QUERY,
    ROOT,
    Measured,
    build_pagemill,
    free_port,
    get,
    measure,
    run_wrk,
    running,
    span,
    wait_ready,
)

NEXT_DIR = ROOT / "bench" / "nextjs"
BUILD_ID = re.compile(rb'"buildId":"([^"]+)"')


def build_nextjs() -> None:
    env = {**os.environ, "NEXT_TELEMETRY_DISABLED": "1"}
    if not (NEXT_DIR / "node_modules" / "next").is_dir():
        print("installing Next.js (npm ci) ...", flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NEXT_DIR, check=True, env=env)
    print("building the Next.js app ...", flush=True)
    subprocess.run(["npx", "next", "build"], cwd=NEXT_DIR, check=True, env=env,
                   stdout=subprocess.DEVNULL)


def data_path(url: str) -> str:
    status, _, body = get(url)
    found = BUILD_ID.search(body)
    if status != 200 or found is None:
        raise SystemExit(f"{url} answered {status} without a build id")
    return f"/_next/data/{found.group(1).decode()}/items.json{QUERY}"


def same_props(pagemill: str, nextjs: str) -> None:
    ours, theirs = (json.loads(get(url)[2])["pageProps"] for url in (pagemill, nextjs))
    if ours != theirs:
        raise SystemExit("the two data routes answer different props")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    build_pagemill()
    build_nextjs()
    pm_port, next_port = free_port(), free_port()
    pagemill_argv = [str(BIN / "pagemill"), "start", str(APP_DIR), "--host", HOST,
                     "--port", str(pm_port), "--workers", "1"]
    next_argv = ["npx", "next", "start", "--hostname", HOST, "--port", str(next_port)]
    os.environ["NEXT_TELEMETRY_DISABLED"] = "1"
    with running("pagemill", pagemill_argv, pm_port) as pagemill, \
            running("nextjs", ["sh", "-c", f"cd {NEXT_DIR} && exec {' '.join(next_argv)}"],
                    next_port) as nextjs:
        for server in (pagemill, nextjs):
            wait_ready(server, "/items" + QUERY)
        paths = {
            server.name: {"page": "/items" + QUERY,
                          "data": data_path(server.url("/items" + QUERY))}
            for server in (pagemill, nextjs)
        }
        same_props(pagemill.url(paths["pagemill"]["data"]), nextjs.url(paths["nextjs"]["data"]))
        results: dict[tuple[str, str], list[Measured]] = {}
        for target in ("page", "data"):
            for server in (pagemill, nextjs):  # warm-up: JIT, caches, lazy imports
                measure(run_wrk, server, paths[server.name][target], 1.5, args.connections)
        for round_ in range(args.rounds):
            order = (pagemill, nextjs) if round_ % 2 == 0 else (nextjs, pagemill)
            for target in ("page", "data"):
                for server in order:
                    found = measure(run_wrk, server, paths[server.name][target], args.seconds,
                                    args.connections)
                    results.setdefault((target, server.name), []).append(found)
                    print(f"  round {round_ + 1}  {target:<5} {server.name:<9}"
                          f"{found.cpu_ms:7.3f} ms CPU/request  {found.run.rps:8,.0f} req/s",
                          flush=True)
    print(f"\nwrk -t1 -c{args.connections} -d{args.seconds:g}s, {args.rounds} interleaved rounds;"
          " server CPU ms per request (range over rounds), and how many times cheaper"
          " pagemill is:")
    for target in ("page", "data"):
        ours = [m.cpu_ms for m in results[(target, "pagemill")]]
        theirs = [m.cpu_ms for m in results[(target, "nextjs")]]
        ratios = sorted(t / o for o, t in zip(ours, theirs, strict=True))
        print(f"  {target:<5} pagemill {span(ours, '.3f')}  Next.js {span(theirs, '.3f')}  "
              f"-> {ratios[0]:.1f}-{ratios[-1]:.1f}x")


if __name__ == "__main__":
    main()
