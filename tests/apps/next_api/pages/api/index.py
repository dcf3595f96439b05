"""Next's pages/api/index.js."""


def handler(req, res):
    res.send("Index should work")
