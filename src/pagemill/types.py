"""The shapes pagemill's signatures are written in: ASGI callables and gSSP results."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any, Generic, Literal, NotRequired, Required, TypeAlias, TypedDict, TypeVar

Scope: TypeAlias = MutableMapping[str, Any]
Message: TypeAlias = MutableMapping[str, Any]
Receive: TypeAlias = Callable[[], Awaitable[Message]]
Send: TypeAlias = Callable[[Message], Awaitable[None]]
ASGIApp: TypeAlias = Callable[[Scope, Receive, Send], Awaitable[None]]

# `ctx.query` (repeated keys become lists) and `ctx.params` (`[...x]` segments become lists).
Query: TypeAlias = dict[str, str | list[str]]
Params: TypeAlias = dict[str, str | list[str]]

P = TypeVar("P", bound=Mapping[str, Any])


class Redirect(TypedDict, total=False):
    """Where to send the client: `permanent` or `status_code`, never both."""

    destination: Required[str]
    permanent: bool
    status_code: Literal[301, 302, 303, 307, 308]
    base_path: Literal[False]


class PropsResult(TypedDict, Generic[P]):
    """Render the page with these props (a dict, or an awaitable of one)."""

    props: P | Awaitable[P]
    not_found: NotRequired[Literal[False]]


class NotFoundResult(TypedDict):
    """Answer 404 with the app's 404 page."""

    not_found: Literal[True]


class RedirectResult(TypedDict):
    """Answer with a redirect (a 200 JSON instruction on the data route)."""

    redirect: Redirect


# What `get_server_side_props` returns: exactly one of the three outcomes.
ServerSideResult: TypeAlias = PropsResult[P] | NotFoundResult | RedirectResult
