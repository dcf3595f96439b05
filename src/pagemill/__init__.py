"""pagemill: the Next.js Pages Router with getServerSideProps, for Python."""

from __future__ import annotations

from .api import ApiRequest, ApiResponse
from .app import create_app
from .cache import revalidate
from .context import AppContext, Context, PageResponse, Request, RouterState
from .errors import AppLoadError, PageError, PagemillError, RouteError
from .islands import island
from .link import Link
from .types import NotFoundResult, PropsResult, Redirect, RedirectResult, ServerSideResult

__all__ = [
    "ApiRequest",
    "ApiResponse",
    "AppContext",
    "AppLoadError",
    "Context",
    "Link",
    "NotFoundResult",
    "PageError",
    "PageResponse",
    "PagemillError",
    "PropsResult",
    "Redirect",
    "RedirectResult",
    "Request",
    "RouteError",
    "RouterState",
    "ServerSideResult",
    "create_app",
    "island",
    "revalidate",
]
