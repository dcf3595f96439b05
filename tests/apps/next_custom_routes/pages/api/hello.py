"""Next's pages/api/hello.js: answers the query it sees."""


def handler(req, res):
    res.json({"query": req.query})
