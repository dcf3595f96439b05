"""Next's pages/api/test-no-end.js: a handler that never sends a response."""


def handler(req, res):
    res.set_header("x-started", "1")
