from lib.counter import hit

from pagemill.html import h1, p


def get_server_side_props(ctx):
    return {"props": {"id": ctx.params["id"], "runs": hit("item")}}


def page(props, router):
    return [
        h1[f"Item {props['id']}"],
        p(id="runs")[f"runs: {props['runs']}"],
        p(id="server-router")[f"{router.pathname} {router.as_path} {router.locale}"],
    ]
