"""A request as the page it routes to sees it: params, query, locale, and the context built
from them (what the pipeline worked out before the page runs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from starlette.requests import Request as StarletteRequest

from .context import Context, PageResponse, Request
from .i18n import LocaleOfRequest
from .loader import Page
from .responses import RENDER_HEADER, has_header
from .types import Params, Query
from .urls import encode_query, query_dict, resolved_url, without_param_echoes


@dataclass(slots=True)
class PageRequest:
    """What the pipeline worked out about a request before the page runs."""

    request: StarletteRequest
    page: Page
    params: Params
    pairs: list[tuple[str, str]]
    url: str
    query_string: str
    page_path: str
    is_data: bool = False
    trailing_slash: bool = False
    locale: LocaleOfRequest | None = None
    # What config rewrites set in the query: in ctx.query, never in resolved_url or req.url.
    rewritten: Query = field(default_factory=dict)
    # Whether the answer carries the markup; None: as the request's header says.
    markup: bool | None = None

    @property
    def wants_markup(self) -> bool:
        if self.markup is not None:
            return self.is_data and self.markup
        return self.is_data and has_header(self.request.scope["headers"], RENDER_HEADER)

    @property
    def form(self) -> str:
        """Which of a page's three answers this request gets (they are cached apart)."""
        if not self.is_data:
            return "html"
        return "data+markup" if self.wants_markup else "data"

    def view(self) -> tuple[Query, str]:
        """The query the page is rendered with, and the `as_path` the layout sees."""
        query = query_dict(self.pairs, self.params, self.rewritten)
        shown_query = self._shown_query(self._echo_free())
        return query, f"{self.page_path}?{shown_query}" if shown_query else self.page_path

    def _echo_free(self) -> str:
        # Next's client repeats route params in the data URL's query: resolved_url never shows
        # them, and a data request's URLs don't either.
        return encode_query(without_param_echoes(self.pairs, self.params))

    def _shown_query(self, echo_free: str) -> str:
        return echo_free if self.is_data else self.query_string

    def context(self, locales: Sequence[str] = ()) -> Context:
        """A fresh gSSP context for this request."""
        echo_free = self._echo_free()
        shown_query = self._shown_query(echo_free)
        ctx = Context(
            params=self.params,
            query=query_dict(self.pairs, self.params, self.rewritten),
            req=Request(
                self.request,
                f"{self.url}?{shown_query}" if shown_query else self.url,
                self.page.body_limit,
            ),
            res=PageResponse(self.page.source),
            resolved_url=resolved_url(
                self.page.pattern, self.params, echo_free, trailing_slash=self.trailing_slash
            ),
        )
        if self.locale is not None:
            ctx.locale = self.locale.locale
            ctx.default_locale = self.locale.default_locale
            ctx.locales = list(locales)
        return ctx
