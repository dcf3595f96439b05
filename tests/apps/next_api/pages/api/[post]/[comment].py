"""Next's pages/api/[post]/[comment].js: answers its query."""


def handler(req, res):
    res.status(200).json(req.query)
