"""Next's pages/api/json-null.js."""


def handler(req, res):
    res.json(None)
