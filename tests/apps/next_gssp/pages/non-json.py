"""Next's pages/non-json.js: a prop JSON cannot carry (a date)."""

from datetime import datetime


async def get_server_side_props(ctx):
    return {"props": {"time": datetime.now()}}


def page(props):
    return f"hello {props['time']}"
