"""Answers with the length of the parsed body (the app's 2 kB limit applies)."""


def handler(req, res):
    return {"length": len(req.body or b"")}
