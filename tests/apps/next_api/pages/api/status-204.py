"""Next's pages/api/status-204.js: a 204, with a body attempted when `?invalid=1`."""


def handler(req, res):
    if req.query.get("invalid"):
        res.status(204).json({"hello": "world"})
        return
    res.status(204).send(None)
