"""A body limit of 100 bytes."""

from pagemill.api import ApiRequest

config = {"api": {"body_parser": {"size_limit": "100b"}}}


async def handler(req: ApiRequest, res: object) -> dict[str, int]:
    return {"length": len(req.body or "")}
