from lib.counter import run


def get_server_side_props(ctx):
    return {"props": {"n": run("private")}}


def page(props):
    return f"run {props['n']}"
