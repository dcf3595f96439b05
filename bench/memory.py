"""Memory of `pagemill start --workers 1` against the hand-written app on granian, idle.

Starts each server in its own process group (bench/apps/list100 built first, and
bench/baseline/app.py under `granian --workers 1`), waits until it answers, sends one request
to each route so the worker has loaded what serving needs, lets it settle and then reads the
resident memory of every process of the group with `ps -o rss` (the supervisor and its
worker), and PSS (shared pages divided between the processes that map them) from
/proc/<pid>/smaps_rollup. Run from the repository root:

    .venv/bin/python bench/memory.py [--settle 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve import (
    APP_DIR,
    BIN,
    HOST,
    ROOT,
    build_pagemill,
    free_port,
    get,
    group_pids,
    running,
    wait_ready,
)

PATHS = ("/items", "/api/hello", "/api/hello-sync")


def pss_kb(pid: int) -> int:
    with suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def measure(name: str, argv: list[str], port: int, settle: float) -> None:
    with running(name, argv, port) as server:
        wait_ready(server, PATHS[0])
        for path in PATHS:
            get(server.url(path))
        time.sleep(settle)
        pids = group_pids(server.process.pid)
        ps = subprocess.run(["ps", "-o", "pid=,ppid=,rss=", "-p", ",".join(map(str, pids))],
                            capture_output=True, text=True, check=True).stdout.split("\n")
        rows = [tuple(int(v) for v in line.split()) for line in ps if line.strip()]
        total_rss = sum(rss for _, _, rss in rows)
        total_pss = sum(pss_kb(pid) for pid, _, _ in rows)
        print(f"{name}: {total_rss / 1024:.1f} MB RSS (ps -o rss), {total_pss / 1024:.1f} MB PSS, "
              f"{len(rows)} processes")
        for pid, _ppid, rss in sorted(rows, key=lambda r: r[0]):
            role = "supervisor" if pid == server.process.pid else "worker"
            print(f"  {role:<10} pid {pid:>7}  RSS {rss / 1024:6.1f} MB  "
                  f"PSS {pss_kb(pid) / 1024:6.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settle", type=float, default=2, help="seconds idle before reading")
    args = parser.parse_args()
    build_pagemill()
    port = free_port()
    measure("pagemill", [str(BIN / "pagemill"), "start", str(APP_DIR), "--host", HOST,
                         "--port", str(port), "--workers", "1"], port, args.settle)
    port = free_port()
    measure("baseline", [str(BIN / "granian"), "--interface", "asgi", "--workers", "1",
                         "--host", HOST, "--port", str(port), "--no-access-log",
                         "--working-dir", str(ROOT), "bench.baseline.app:app"], port, args.settle)


if __name__ == "__main__":
    main()
