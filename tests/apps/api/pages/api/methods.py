"""Answers GET and POST only (written in lower case: pagemill upper-cases them)."""

from pagemill.api import ApiRequest

methods = ["get", "Post"]


async def handler(req: ApiRequest, res: object) -> dict[str, str]:
    return {"method": req.method}
