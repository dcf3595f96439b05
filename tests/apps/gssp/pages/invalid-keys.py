def get_server_side_props(ctx):
    return {"world": "world", "query": {}, "params": {}, "time": 1, "random": 2}


def page(props):
    return "never"
