"""Next's pages/api/cookies.js."""


def handler(req, res):
    res.status(200).send(req.cookies)
