def handler(req, res):
    res.clear_preview_data()
    res.end()
