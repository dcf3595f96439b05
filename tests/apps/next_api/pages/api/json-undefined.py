"""Next's pages/api/json-undefined.js, `res.json(undefined)`: Python has no `undefined`, so
the handler sends no body, `res.send(None)`."""


def handler(req, res):
    res.send(None)
