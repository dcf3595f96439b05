def handler(req, res):
    res.json({"post": True, "query": req.query})
