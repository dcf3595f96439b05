from pagemill import Link, island
from pagemill.html import h1, title


async def get_server_side_props(ctx):
    return {"props": {"n": int(ctx.params["n"])}}


def head(props):
    return title[f"Badge {props['n']}"]


def page(props):
    n = props["n"]
    return [
        h1[f"Badge {n}"],
        island("badge", props={"n": n}, tag="span", id="badge")[f"badge {n} (fallback)"],
        # The same island with other props.
        Link(href=f"/badge/{n + 1}", id="next")["Next badge"],
    ]
