"""Next's test/integration/api-body-parser/pages/api/index.js."""


def handler(req, res):
    if req.method == "POST":
        res.status(200).json(req.body)
