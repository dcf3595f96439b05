"""Next's pages/api/nullable-payload.js, `res.write(""); res.end()`: pagemill has no
`res.write`, so the handler ends with an empty body."""


def handler(req, res):
    res.end("")
