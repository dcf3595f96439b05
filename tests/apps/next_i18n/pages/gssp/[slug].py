from pagemill.html import p


def get_server_side_props(ctx):
    return {
        "props": {
            "locale": ctx.locale,
            "locales": ctx.locales,
            "params": ctx.params,
            "defaultLocale": ctx.default_locale,
        }
    }


def page(props):
    return p(id="gssp")["gssp page"]
