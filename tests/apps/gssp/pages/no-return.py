def get_server_side_props(ctx):
    pass


def page(props):
    return "never"
