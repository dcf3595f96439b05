"""Next's pages/api/users/index.js, which re-exports the catch-all's handler."""


def handler(req, res):
    res.json(req.query)
