def handler(req, res):
    res.json({"query": req.query})
