"""Draft and preview mode helpers, per `?case=`."""

from pagemill.api import ApiRequest, ApiResponse


def handler(req: ApiRequest, res: ApiResponse) -> None:
    case = req.query["case"]
    if case == "draft_on":
        res.set_draft_mode(enable=True).json({"draft": True})
    elif case == "draft_off":
        res.set_draft_mode(enable=False).json({"draft": False})
    elif case == "data":
        res.set_preview_data({"lets": "go"}, max_age=60, path="/blog").end()
    elif case == "data_defaults":
        res.set_preview_data("plain").end()
    elif case == "too_big":
        res.set_preview_data("x" * 5000)
    elif case == "clear":
        res.clear_preview_data().end()
