"""Next's pages/api/redirect-301.js."""


def handler(req, res):
    res.redirect(301, "/login")
