"""Next's pages/api/blog/[post]/comment/[id].js: answers its query."""


def handler(req, res):
    res.status(200).json(req.query)
