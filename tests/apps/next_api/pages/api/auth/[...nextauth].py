"""Next's pages/api/auth/[...nextauth].js."""


def handler(req, res):
    res.json({"from": "auth"})
