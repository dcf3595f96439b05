"""No body parser: the handler reads the raw stream itself, with no size limit."""

from pagemill.api import ApiRequest

config = {"api": {"body_parser": False}}


async def handler(req: ApiRequest, res: object) -> dict[str, object]:
    chunks = [chunk async for chunk in req.stream() if chunk]
    return {"body_is_none": req.body is None, "chunks": len(chunks), "length": len(b"".join(chunks))}
