"""`POST /api/revalidate?token=…&path=/` drops every cached variant of a page (SPEC 11.2).

The home page says `public, s-maxage=10, stale-while-revalidate=59`, so pagemill serves it
from its response cache; after adding a book, call this to show it at once instead of after
up to 10 seconds. With `[cache] url = "redis://…"` the purge reaches every instance.
"""

import os

from pagemill import ApiRequest, ApiResponse

methods = ("POST",)


async def handler(req: ApiRequest, res: ApiResponse) -> None:
    if req.query.get("token") != os.environ.get("BOOKSHELF_REVALIDATE_TOKEN", "let-me-in"):
        res.status(401).json({"error": "wrong or missing token"})
        return
    path = req.query.get("path", "/")
    if not isinstance(path, str) or not path.startswith("/"):
        res.status(400).json({"error": "path must start with /"})
        return
    await res.revalidate(path)
    res.json({"revalidated": path})
