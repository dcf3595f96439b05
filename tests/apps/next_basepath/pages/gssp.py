from pagemill.html import h3


def get_server_side_props(ctx):
    return {"props": {"hello": "world", "resolved_url": ctx.resolved_url, "url": ctx.req.url}}


def page(props):
    return h3(id="gssp")["getServerSideProps"]
