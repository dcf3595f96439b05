"""A plain `def` handler: pagemill runs it in a worker thread."""

import threading

from pagemill.api import ApiRequest, ApiResponse


def handler(req: ApiRequest, res: ApiResponse) -> None:
    res.status(200).json(
        {"main_thread": threading.current_thread() is threading.main_thread(), "body": req.body}
    )
