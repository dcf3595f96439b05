"""Next's pages/api/json-string.js."""


def handler(req, res):
    res.json("Hello world!")
