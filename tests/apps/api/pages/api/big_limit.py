"""A body limit of 2 MB, above the 1 MB default."""

from pagemill.api import ApiRequest

config = {"api": {"body_parser": {"size_limit": "2mb"}}}


async def handler(req: ApiRequest, res: object) -> dict[str, int]:
    return {"length": len(req.body or "")}
