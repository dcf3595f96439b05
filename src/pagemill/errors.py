"""Errors an app's author can cause, each naming the file at fault, and request errors."""

from __future__ import annotations


class PagemillError(Exception):
    """Something in the app is wrong; the message says where and how to fix it."""


class RouteError(PagemillError):
    """The files under `pages/` do not form a valid route table."""


class PageError(PagemillError):
    """A page module, or what its `get_server_side_props` returned, breaks the page contract."""


class AppLoadError(PagemillError):
    """Every problem found while loading an app, reported together."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{count} found in the app:\n" + "\n".join(f"- {p}" for p in problems))


class BadRequest(Exception):
    """The request itself is malformed (e.g. a bad percent-escape in a route param): a 400."""
