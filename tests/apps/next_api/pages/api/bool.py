"""Next's pages/api/bool.js."""


def handler(req, res):
    res.json(True)
