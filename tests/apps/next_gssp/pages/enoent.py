"""Next's pages/enoent.js: gSSP raises an error whose code is ENOENT (Python's
FileNotFoundError), which must not become a 404."""

import errno


async def get_server_side_props(ctx):
    raise FileNotFoundError(errno.ENOENT, "oof")


def page(props):
    return "hi"
