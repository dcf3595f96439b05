from pagemill.html import h1


def get_server_side_props(ctx):
    return {"props": {}}


def page(props, router):
    return h1["Accueil" if router.locale == "fr" else "Home"]
