"""A typed API route: mypy --strict must accept it (checked by `make test`)."""

from typing import Any

from pagemill import ApiRequest, ApiResponse

methods = ("GET", "POST")


async def handler(req: ApiRequest, res: ApiResponse) -> Any:
    if req.method == "POST":
        res.status(201).json({"created": req.body})
        return None
    res.set_header("cache-control", "no-store")
    return {"query": req.query, "cookies": req.cookies}
