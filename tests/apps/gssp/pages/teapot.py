async def get_server_side_props(ctx):
    ctx.res.status_code = 418
    ctx.res.set_cookie("flavour", "earl-grey", httponly=True)
    ctx.res.append_header("x-multi", "a")
    ctx.res.append_header("x-multi", "b")
    return {"props": {"drink": "tea"}}


def page(props):
    return f"I'm a teapot with {props['drink']}"
