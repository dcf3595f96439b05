"""Next's pages/api/query.js."""


def handler(req, res):
    res.status(200).send(req.query)
