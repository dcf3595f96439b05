from datetime import datetime


async def get_server_side_props(ctx):
    return {"props": {"items": [{"n": 1}, {"created": datetime(2024, 1, 1)}]}}


def page(props):
    return "never"
