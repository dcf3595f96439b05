def handler(req, res):
    if "too_big" in req.query:
        res.set_preview_data({"blob": "x" * 4000})
    else:
        res.set_preview_data(dict(req.query))
    res.json({"ok": True})
