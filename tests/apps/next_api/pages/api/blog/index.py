"""Next's pages/api/blog/index.js."""


def handler(req, res):
    if req.method == "POST":
        res.status(200).json([{"title": req.query.get("title")}])
    else:
        res.status(200).json([{"title": "Cool Post!"}])
