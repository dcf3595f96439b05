"""Next's pages/api/[post]/index.js: answers its query (params included)."""


def handler(req, res):
    res.status(200).json(req.query)
