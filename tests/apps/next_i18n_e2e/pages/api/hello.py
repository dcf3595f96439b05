def handler(req, res):
    res.send("hello world")
