"""Next's pages/api/big-parse.js: a 5mb body limit."""

config = {"api": {"body_parser": {"size_limit": "5mb"}}}


def handler(req, res):
    res.status(200).json(req.body)
