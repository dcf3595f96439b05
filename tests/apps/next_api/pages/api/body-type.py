"""What `req.body` is: its Python type and value (bytes shown as latin-1 text)."""


def handler(req, res):
    body = req.body
    shown = body.decode("latin-1") if isinstance(body, bytes) else body
    res.json({"type": type(body).__name__, "body": shown})
