"""Fresh for a second; its gSSP raises while a file `fail` exists in CACHE_APP_RUNS."""

import os
from pathlib import Path

from lib.counter import run


def get_server_side_props(ctx):
    if (Path(os.environ.get("CACHE_APP_RUNS", ".")) / "fail").exists():
        raise RuntimeError("the database is down")
    ctx.res.set_header("Cache-Control", "public, s-maxage=1, stale-if-error=60")
    return {"props": {"n": run("flaky")}}


def page(props):
    return f"run {props['n']}"
