"""Next's pages/api/error.js: a handled error answered by the handler."""


def handler(req, res):
    res.status(500).json({"error": "Server error!"})
