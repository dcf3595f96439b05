def get_server_side_props(ctx):
    to_locale = ctx.params["locale"]
    if to_locale == "from-ctx":
        to_locale = ctx.locale
    return {"redirect": {"destination": f"/{to_locale}/home", "permanent": False}}


def page(props):
    return "gssp-redirect"
