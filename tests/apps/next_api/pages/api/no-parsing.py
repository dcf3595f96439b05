"""Next's pages/api/no-parsing.js: no body parser, the handler reads the stream itself."""

import json

config = {"api": {"body_parser": False}}


async def handler(req, res):
    assert req.body is None
    raw = b"".join([chunk async for chunk in req.stream()])
    res.status(200).json(json.loads(raw))
