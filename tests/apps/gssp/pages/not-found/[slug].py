from pagemill.html import p


async def get_server_side_props(ctx):
    if "hiding" in ctx.query:
        ctx.res.set_header("x-kept", "yes")
        return {"not_found": True, "redirect": {"destination": "/ignored"}}
    return {"props": {"slug": ctx.params["slug"]}}


def page(props):
    return p["found: ", props["slug"]]
