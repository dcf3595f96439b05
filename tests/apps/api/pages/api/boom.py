"""A handler that raises."""

from pagemill.api import ApiRequest, ApiResponse


async def handler(req: ApiRequest, res: ApiResponse) -> None:
    res.set_cookie("half", "done")
    raise ValueError("secret database password in the message")
