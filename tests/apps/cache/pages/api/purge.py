async def handler(req, res):
    await res.revalidate(req.query["path"])
    return {"purged": req.query["path"]}
