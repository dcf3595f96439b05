"""Benchmark: a response-cache HIT against the floor, a trivial ASGI app sending the same bytes.

    .venv/bin/python bench/hit_floor.py [--seconds 4] [--connections 16] [--rounds 3]

Serves bench/apps/list100 with `pagemill start --workers 1` and reads the HIT answer of
`/cached` (its status, headers and body); then serves a trivial ASGI app that sends exactly
those bytes under granian with one worker, the same server `pagemill start` runs. wrk drives
each in turn, alternating the order every round. Reported per server: requests/s (best round)
and server CPU time per request (all rounds: user + system time of the server's processes
over the requests they answered; steadier than requests/s on a noisy machine), and the
ratio of pagemill's HIT to the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from serve import APP_DIR, BIN, HOST, build_pagemill, free_port, get, run_wrk, running, wait_ready

FLOOR_APP = '''
import json, os
with open(os.environ["HIT_FLOOR_ANSWER"]) as f:
    answer = json.load(f)
START = {"type": "http.response.start", "status": answer["status"],
         "headers": [(k.encode(), v.encode()) for k, v in answer["headers"]]}
BODY = {"type": "http.response.body", "body": answer["body"].encode("latin-1")}

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send(START)
    await send(BODY)
'''


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children, in seconds."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for task in [pid, *children(pid)]:
        fields = Path(f"/proc/{task}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    build_pagemill()
    with tempfile.TemporaryDirectory() as tmp:
        pagemill_port, floor_port = free_port(), free_port()
        env = {**os.environ, "PAGEMILL_CACHE_DIR": str(Path(tmp) / "cache")}
        os.environ.update(env)
        pagemill_argv = [str(BIN / "pagemill"), "start", str(APP_DIR), "--host", HOST,
                         "--port", str(pagemill_port), "--workers", "1"]
        with running("pagemill", pagemill_argv, pagemill_port) as pagemill:
            wait_ready(pagemill, "/cached")
            get(pagemill.url("/cached"))  # MISS: stored
            status, headers, body = get(pagemill.url("/cached"))
            assert headers["x-pagemill-cache"] == "HIT", headers
            answer = Path(tmp) / "answer.json"
            kept = [(k, v) for k, v in headers.items() if k not in ("date", "server")]
            answer.write_text(json.dumps(
                {"status": status, "headers": kept, "body": body.decode("latin-1")}
            ))
            (Path(tmp) / "floor_app.py").write_text(FLOOR_APP)
            os.environ["HIT_FLOOR_ANSWER"] = str(answer)
            floor_argv = [str(BIN / "granian"), "--interface", "asgi", "--host", HOST,
                          "--port", str(floor_port), "--workers", "1", "--no-ws",
                          "--working-dir", tmp, "floor_app:app"]
            with running("floor", floor_argv, floor_port) as floor:
                wait_ready(floor, "/cached")
                assert get(floor.url("/cached"))[2] == body
                servers = {"pagemill HIT": pagemill, "floor": floor}
                best: dict[str, float] = dict.fromkeys(servers, 0.0)
                cpu: dict[str, float] = dict.fromkeys(servers, 0.0)
                requests: dict[str, int] = dict.fromkeys(servers, 0)
                for round_number in range(args.rounds):
                    order = list(servers) if round_number % 2 == 0 else list(servers)[::-1]
                    for name in order:
                        server = servers[name]
                        before = cpu_seconds(server.process.pid)
                        run = run_wrk(server.url("/cached"), args.seconds, args.connections)
                        cpu[name] += cpu_seconds(server.process.pid) - before
                        requests[name] += run.requests
                        best[name] = max(best[name], run.rps)
                        if run.errors:
                            raise SystemExit(f"{name}: {run.errors} errors")
    print(f"{'server':<14} {'req/s (best)':>13} {'CPU µs/request':>15}")
    per_request = {name: cpu[name] / requests[name] * 1e6 for name in servers}
    for name in servers:
        print(f"{name:<14} {best[name]:>13,.0f} {per_request[name]:>15.1f}")
    print(
        f"\npagemill HIT / floor: {best['pagemill HIT'] / best['floor']:.2f}x requests/s, "
        f"{per_request['floor'] / per_request['pagemill HIT']:.2f}x the floor's CPU efficiency"
    )


if __name__ == "__main__":
    main()
