async def get_server_side_props(ctx):
    form = await ctx.req.form() if ctx.req.method == "POST" else {}
    return {"props": {"method": ctx.req.method, "name": form.get("name", "")}}


def page(props):
    return f"{props['method']} hello {props['name']}"
