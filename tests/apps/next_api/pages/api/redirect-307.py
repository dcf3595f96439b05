"""Next's pages/api/redirect-307.js."""


def handler(req, res):
    res.redirect("/login")
