"""Next's pages/api/user-error-async.js: an async handler that raises."""


async def handler(req, res):
    raise RuntimeError("User error")
