"""Drops a path from the response cache, then answers."""

from pagemill.api import ApiRequest, ApiResponse


async def handler(req: ApiRequest, res: ApiResponse) -> None:
    await res.revalidate(str(req.query["path"]))
    res.json({"revalidated": True})
