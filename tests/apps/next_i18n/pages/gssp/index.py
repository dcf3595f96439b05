from pagemill.html import p


def get_server_side_props(ctx):
    return {
        "props": {
            "locale": ctx.locale,
            "locales": ctx.locales,
            "defaultLocale": ctx.default_locale,
            "query": ctx.query,
        }
    }


def page(props):
    return p(id="gssp")["gssp page"]
