"""An async gSSP that never returns; it notes when it is cancelled."""

import anyio

import limits_state as state


async def get_server_side_props(ctx):
    try:
        await anyio.sleep_forever()
    except anyio.get_cancelled_exc_class():
        state.events.append("hang cancelled")
        raise
    return {"props": {}}


def page(props):
    return "never"
