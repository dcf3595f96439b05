"""Next's pages/api/parsing.js, `bodyParser: true`: pagemill spells the parser's default
options as an empty dict."""

config = {"api": {"body_parser": {}}}


def handler(req, res):
    if req.body:
        res.status(200).json({"message": "Parsed body"})
