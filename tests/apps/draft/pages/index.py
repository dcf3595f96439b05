import json


def get_server_side_props(ctx):
    ctx.res.set_header("Cache-Control", "public, max-age=3600")
    return {
        "props": {
            "draft_mode": ctx.draft_mode,
            "preview": ctx.preview,
            "preview_data": ctx.preview_data,
        }
    }


def page(props):
    return f"{json.dumps(props['preview'])} and {json.dumps(props['preview_data'])}"
