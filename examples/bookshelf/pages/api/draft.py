"""`/api/draft?token=…&to=/books/…` turns draft mode on (SPEC 10); `/api/draft?off` turns it off.

While it is on, pages see `ctx.draft_mode == True` and are never cached. The token keeps
strangers out: set BOOKSHELF_DRAFT_TOKEN in production.
"""

import os

from pagemill import ApiRequest, ApiResponse


def handler(req: ApiRequest, res: ApiResponse) -> None:
    if "off" in req.query:
        res.set_draft_mode(enable=False)
        res.redirect("/")
        return
    if req.query.get("token") != os.environ.get("BOOKSHELF_DRAFT_TOKEN", "let-me-in"):
        res.status(401).json({"error": "wrong or missing token"})
        return
    to = req.query.get("to", "/")
    # Only paths of this site: an open redirect would let anyone use this link to phish. A
    # path is one line (a line break could never be sent in a Location header anyway).
    safe = (
        isinstance(to, str)
        and to.startswith("/")
        and not to.startswith(("//", "/\\"))
        and not any(c in to for c in "\r\n\0")
    )
    res.set_draft_mode(enable=True)
    res.redirect(to if safe else "/")
