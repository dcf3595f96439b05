from pagemill.html import p


def get_server_side_props(ctx):
    return {"props": {"slug": ctx.params["slug"]}}


def page(props):
    return p(id="slug")[f"slug: {props['slug']}"]
