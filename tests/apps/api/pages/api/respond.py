"""One way of answering through `res` per `?case=`."""

from collections.abc import Callable

from pagemill.api import ApiRequest, ApiResponse


def created(res: ApiResponse) -> None:
    res.status(201).json({"created": True})


def send_str(res: ApiResponse) -> None:
    res.send("<p>hi</p>")


def send_bytes(res: ApiResponse) -> None:
    res.send(b"\x00\x01")


def send_dict(res: ApiResponse) -> None:
    res.send({"a": 1})


def send_list(res: ApiResponse) -> None:
    res.send([1, "two"])


def send_number(res: ApiResponse) -> None:
    res.send(42)


def send_none(res: ApiResponse) -> None:
    res.send(None)


def send_typed_str(res: ApiResponse) -> None:
    res.set_header("Content-Type", "text/plain; charset=utf-8").send("plain")


def send_typed_bytes(res: ApiResponse) -> None:
    res.set_header("Content-Type", "text/csv").send(b"a,b")


def json_over_type(res: ApiResponse) -> None:
    res.set_header("Content-Type", "text/plain")
    res.json({"json": "wins"})


def no_content(res: ApiResponse) -> None:
    res.status(204).send({"ignored": True})


def end(res: ApiResponse) -> None:
    res.status(202).end("done")


def redirect(res: ApiResponse) -> None:
    res.redirect("/elsewhere?x=1")


def redirect_status(res: ApiResponse) -> None:
    res.redirect(301, "/moved")


def redirect_crlf(res: ApiResponse) -> None:
    res.redirect("/x\r\nSet-Cookie: evil=1")


def redirect_bad(res: ApiResponse) -> None:
    res.redirect(301)


def headers(res: ApiResponse) -> None:
    res.set_header("X-One", "1").append_header("X-Many", "a").append_header("X-Many", "b")
    res.set_header("Cache-Control", "public, max-age=60")
    res.set_header("X-Count", 3)
    res.set_cookie("session", "abc", httponly=True)
    res.delete_cookie("old")
    res.json({"x_one": res.get_header("x-one"), "missing": res.get_header("x-missing")})


def header_crlf(res: ApiResponse) -> None:
    res.set_header("X-Bad", "a\r\nb")


def bad_status(res: ApiResponse) -> None:
    res.status(1000)


def twice(res: ApiResponse) -> None:
    res.json({"first": True})
    res.send("second")


def header_after_send(res: ApiResponse) -> None:
    res.json({"first": True})
    res.set_header("X-Late", "1")


def send_then_raise(res: ApiResponse) -> None:
    res.status(200).json({"sent": True})
    raise RuntimeError("after sending")


CASES: dict[str, Callable[[ApiResponse], None]] = {
    name: value
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", None) == __name__
}


async def handler(req: ApiRequest, res: ApiResponse) -> None:
    CASES[str(req.query["case"])](res)
