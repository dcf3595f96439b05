"""`GET /api/hello`: a small JSON answer from an async handler (bench/serve.py's API route)."""


async def handler(req, res):
    return {"hello": "world"}
