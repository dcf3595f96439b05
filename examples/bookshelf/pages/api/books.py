"""`GET /api/books?sort=rating&page=2` — the same list as the home page, as JSON (SPEC 9);
`GET /api/books?q=salt+Baltic` — the search page's results, which its live search box asks
for as you type (`islands/search.js`).

The pages and this API route call the same functions, `lib.db.list_books` and
`lib.db.search`: shared logic is plain Python imported from the app's own modules, with no
HTTP hop between them.
"""

from typing import Any

from pagemill import ApiRequest, ApiResponse

from lib.db import Sort, list_books, page_number, search, search_terms

methods = ("GET",)  # anything else gets 405 with `Allow: GET`

SORTS: tuple[Sort, ...] = ("title", "newest", "rating")


def handler(req: ApiRequest, res: ApiResponse) -> Any:
    q = req.query.get("q")
    if q is not None:
        terms = search_terms(q if isinstance(q, str) else " ".join(q))
        if terms is None:
            res.status(400).json({"error": "q must be a few short words"})
            return None
        return {"books": search(terms) if terms else []}
    sort = req.query.get("sort", "title")
    page = page_number(req.query.get("page", "1"))
    if sort not in SORTS or page is None:
        res.status(400).json({"error": f"sort must be one of {', '.join(SORTS)}; page a number"})
        return None
    books, pages = list_books(sort, page)
    return {"books": books, "pages": pages}  # a returned value is sent as JSON
