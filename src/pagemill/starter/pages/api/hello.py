"""`/api/hello`: an API route; what it returns is sent as JSON."""

from typing import Any

from pagemill import ApiRequest, ApiResponse


async def handler(req: ApiRequest, res: ApiResponse) -> Any:
    return {"hello": req.query.get("name", "world")}
