"""Echoes what a handler sees of the request, the body shown as JSON can carry it."""

from typing import Any

from starlette.datastructures import UploadFile

from pagemill.api import ApiRequest, ApiResponse


async def shown(value: Any) -> Any:
    if isinstance(value, UploadFile):
        return {"filename": value.filename, "content": (await value.read()).decode()}
    if isinstance(value, bytes):
        return {"bytes": value.decode("latin-1")}
    if isinstance(value, list):
        return [await shown(item) for item in value]
    if isinstance(value, dict):
        return {key: await shown(item) for key, item in value.items()}
    return value


async def handler(req: ApiRequest, res: ApiResponse) -> None:
    raw = b"".join([chunk async for chunk in req.stream()])
    res.json(
        {
            "method": req.method,
            "url": req.url,
            "query": req.query,
            "cookies": req.cookies,
            "header": req.headers.get("X-Test"),
            "client": req.client,
            "body_type": type(req.body).__name__,
            "body": await shown(req.body),
            "raw_length": len(raw),
        }
    )
