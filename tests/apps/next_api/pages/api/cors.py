"""Next's pages/api/cors.js, which runs the `cors` middleware with methods GET, POST and
OPTIONS: a preflight (OPTIONS) answers 204 with the allowed methods, other requests get
Access-Control-Allow-Origin and the JSON message."""


def handler(req, res):
    res.set_header("Access-Control-Allow-Origin", "*")
    if req.method == "OPTIONS":
        res.set_header("Access-Control-Allow-Methods", "GET,POST,OPTIONS")
        res.set_header("Vary", "Access-Control-Request-Headers")
        res.set_header("Content-Length", "0")
        res.status(204).end()
        return
    res.json({"message": "Hello Everyone!"})
