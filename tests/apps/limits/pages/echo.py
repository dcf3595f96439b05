"""Reads the body the way `?as=` names (body, json or form) and shows what it got."""


async def get_server_side_props(ctx):
    how = ctx.query.get("as", "body")
    if how == "json":
        return {"props": {"value": await ctx.req.json()}}
    if how == "form":
        form = await ctx.req.form()
        return {"props": {"value": dict(form)}}
    return {"props": {"value": len(await ctx.req.body())}}


def page(props):
    return f"read {props['value']}"
