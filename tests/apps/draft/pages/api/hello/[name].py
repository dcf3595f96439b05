methods = ("GET", "POST")


def handler(req, res):
    return {"hello": req.query["name"], "method": req.method, "url": req.url, "body": req.body}
