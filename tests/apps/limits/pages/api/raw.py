"""Reads the raw stream itself (no body parser), still bounded in time."""

config = {"api": {"body_parser": False}}


async def handler(req, res):
    return {"length": sum([len(chunk) async for chunk in req.stream()])}
