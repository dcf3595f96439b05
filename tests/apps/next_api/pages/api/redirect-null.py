"""Next's pages/api/redirect-null.js: `res.redirect(null)`."""


def handler(req, res):
    res.redirect(None)
