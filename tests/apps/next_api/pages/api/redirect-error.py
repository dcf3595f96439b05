"""Next's pages/api/redirect-error.js: a status code without a URL."""


def handler(req, res):
    res.redirect(307)
