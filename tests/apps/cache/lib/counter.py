"""How many times each page's gSSP ran (tests compare before and after).

With `CACHE_APP_RUNS` naming a folder, the counts live there, one file per page, so that
every worker process of a served app counts together."""

import fcntl
import os
from pathlib import Path

runs: dict[str, int] = {}


def run(name: str) -> int:
    folder = os.environ.get("CACHE_APP_RUNS")
    if folder is None:
        runs[name] = runs.get(name, 0) + 1
        return runs[name]
    with open(Path(folder) / name, "a+") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        file.seek(0)
        count = int(file.read() or 0) + 1
        file.seek(0)
        file.truncate()
        file.write(str(count))
        return count
