import asyncio


async def text():
    await asyncio.sleep(0)
    return {"text": "promise"}


def get_server_side_props(ctx):
    return {"props": text()}


def page(props):
    return f"hello {props['text']}"
