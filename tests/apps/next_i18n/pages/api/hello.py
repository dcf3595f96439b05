def handler(req, res):
    res.json({"hello": True, "query": req.query})
