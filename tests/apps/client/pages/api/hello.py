def handler(req, res):
    return {"hello": "world"}
