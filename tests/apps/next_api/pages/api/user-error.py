"""Next's pages/api/user-error.js: a handler that raises."""


def handler(req, res):
    raise RuntimeError("User error")
