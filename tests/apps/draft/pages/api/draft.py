async def handler(req, res):
    res.set_draft_mode(enable=req.query.get("off") is None)
    res.send({"draft": req.query.get("off") is None})
