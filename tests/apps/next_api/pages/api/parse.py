"""Next's pages/api/parse.js: answers the parsed body as JSON. pagemill keeps a body of
another Content-Type as bytes, which JSON cannot carry: those are answered as
`{"bytes": <latin-1 text>}` so the tests can see them."""


def handler(req, res):
    body = req.body
    if isinstance(body, bytes):
        body = {"bytes": body.decode("latin-1")}
    res.status(200).json(body)
