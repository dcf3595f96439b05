"""What the hanging pages recorded."""

import limits_state as state


def get_server_side_props(ctx):
    return {"props": {"events": list(state.events)}}


def page(props):
    return ", ".join(props["events"])
