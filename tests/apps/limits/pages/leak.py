"""Each request keeps 30 MB for good: a leak, for the worker memory ceiling to stop."""

import os

kept: list[bytearray] = []


def get_server_side_props(ctx):
    kept.append(bytearray(os.urandom(1024)) * (30 * 1024))
    return {"props": {"pid": os.getpid(), "kept": len(kept)}}


def page(props):
    return f"{props['pid']} keeps {props['kept']}"
