"""`POST /api/purge?path=/cached`: drop every cached variant of a page (for bench/cache.py)."""


async def handler(req, res):
    await res.revalidate(req.query["path"])
    return {"purged": req.query["path"]}
