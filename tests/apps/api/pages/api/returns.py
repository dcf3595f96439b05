"""A handler that returns instead of (or as well as) sending, per `?case=`."""

from starlette.responses import PlainTextResponse

from pagemill.api import ApiRequest, ApiResponse


async def handler(req: ApiRequest, res: ApiResponse) -> object:
    case = req.query["case"]
    if case == "value":
        return {"returned": [1, 2]}
    if case == "status":
        res.status(202)
        return ["accepted"]
    if case == "response":
        res.set_cookie("from_res", "1")
        res.set_header("X-From-Res", "1")
        res.set_header("Content-Type", "application/json")
        return PlainTextResponse("from a Response", status_code=203)
    if case == "sent_and_value":
        res.json({"sent": True})
        return {"returned": True}
    if case == "sent_and_res":
        res.json({"sent": True})
        return res
    if case == "unserializable":
        return {"a": {1, 2}}
    if case == "int_keys":
        return {1: "one"}
    return None
