def handler(req, res):
    res.send("blog/[slug]")
