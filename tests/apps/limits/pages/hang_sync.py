"""A sync gSSP that takes longer than the gSSP timeout, then notes that it finished."""

import time

import limits_state as state


def get_server_side_props(ctx):
    time.sleep(2.5)
    state.events.append("hang_sync finished")
    return {"props": {}}


def page(props):
    return "late"
