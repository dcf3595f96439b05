"""Next's test/integration/api-catch-all/pages/api/users/[...slug].js."""


def handler(req, res):
    res.json(req.query)
