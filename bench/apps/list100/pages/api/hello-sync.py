"""`GET /api/hello-sync`: `/api/hello` from a plain `def` handler, which runs in a worker thread."""


def handler(req, res):
    return {"hello": "world"}
