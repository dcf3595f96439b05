def get_server_side_props(ctx):
    return {"redirect": {"destination": "/en/home", "permanent": False}}


def page(props):
    return "gssp-redirect"
