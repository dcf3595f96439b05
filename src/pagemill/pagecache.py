"""The response cache as one step of a page request: whether the request may use it, under
which key, and the stored answers it sends (one per form, each rendered when first asked for).

`ResponseCache` (in `pagemill.cache`) runs freshness, coalescing and storage; this step
knows pages: a page request's key, that draft mode and non-GET requests bypass it, that a
URL whose answer was private skips it for a while, and how a stored answer is sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from starlette.requests import Request as StarletteRequest
from starlette.responses import Response

from .cache import ResponseCache
from .cacheentry import Answer, Entry
from .cacherules import Lifetime, cache_key, path_tag, vary_names
from .hitmemo import HIT_SCOPE_KEY
from .outcome import PageOutcome
from .responses import RENDER_HEADER, has_header, header_value, not_modified, respond

if TYPE_CHECKING:
    from .pagerequest import PageRequest

# Runs the page (`_app` props and gSSP); renders an outcome for a request.
RunPage = Callable[[], Awaitable[PageOutcome]]
Render = Callable[["PageRequest", PageOutcome], Response]

CACHE_HEADER = b"x-pagemill-cache"
# Not part of a stored answer: it must be complete for every client.
CONDITIONAL_HEADERS = (b"if-none-match", RENDER_HEADER)


class PageCache:
    """The response cache in front of one app's pages."""

    def __init__(self, cache: ResponseCache, base_path: str, build_id: str) -> None:
        self.cache = cache
        self.base_path = base_path
        self.build_id = build_id

    async def answer(
        self, pr: PageRequest, cacheable: bool, run: RunPage, render: Render
    ) -> Response:
        """The response for a page request: a stored answer, or `run` and `render` (storing
        the outcome when it may be shared). `cacheable` is False for requests that must
        never use the cache (draft mode)."""
        cache, scope = self.cache, pr.request.scope
        target = scope.get("raw_path", b"") + b"?" + scope["query_string"]
        if not cacheable or pr.request.method not in ("GET", "HEAD"):
            return self._marked(render(pr, await run()), b"BYPASS")
        authorization = has_header(scope["headers"], b"authorization")
        if cache.recently_private(target):
            outcome = await run()
            if outcome.lifetime(authorization) is not None:
                cache.forget_private(target)  # shareable again: the next request asks the cache
            return self._marked(render(pr, outcome), b"MISS")
        ran: list[PageOutcome] = []

        async def run_and_keep() -> tuple[Entry, Lifetime | None, tuple[str, ...]]:
            outcome = await run()
            ran.append(outcome)
            life = outcome.lifetime(authorization)
            if life is None:  # neither stored nor shared: this request answers from `ran`
                return Entry(), None, ()
            answer = _as_answer(render(_complete(pr), outcome))
            entry = Entry(outcome.to_json(), {pr.form: answer})
            return entry, life, vary_names(outcome.headers)

        base = self.key(pr)
        request_headers = pr.request.headers

        def key_for(names: tuple[str, ...]) -> str:
            return cache_key(base, [request_headers.get(name, "") for name in names])

        tags = [path_tag(pr.page_path)]
        entry, status = await cache.outcome(target, base, key_for, tags, run_and_keep)
        if status == "HIT" and entry.kept is not None:
            key, _, stored = entry.kept
            scope[HIT_SCOPE_KEY] = (key, stored.stamp, stored.stored_at + stored.life.fresh)
        answer = entry.forms.get(pr.form)
        if answer is None:
            if ran and not entry.forms:  # this request's own run, not to be shared
                return self._marked(render(pr, ran[0]), status.encode())
            outcome = PageOutcome.from_json(entry.outcome)
            answer = _as_answer(render(_complete(pr), outcome))
            await cache.keep_form(entry, pr.form, answer)
        return self._marked(stored_answer(pr.request, answer), status.encode())

    def key(self, pr: PageRequest) -> str:
        """What identifies a page's response, but for the request headers its Vary names."""
        return cache_key(
            pr.request.headers.get("host", ""),
            self.base_path,
            pr.locale.locale if pr.locale else None,
            pr.page.pattern,
            pr.params,
            sorted(pr.pairs),
            sorted(pr.rewritten.items()),
            self.build_id,
        )

    def _marked(self, response: Response, status: bytes) -> Response:
        """The cache's word on a response, in its headers (and so its log line) and counts."""
        response.raw_headers.append((CACHE_HEADER, status))
        self.cache.count(status)
        return response


def stored_answer(request: StarletteRequest, answer: Answer) -> Response:
    """A stored answer as it was stored, or 304 when the client has its ETag."""
    status, headers, body = answer
    tag = header_value(headers, b"etag")
    if tag is not None and not_modified(request.scope["headers"], tag):
        kept = [(k, v) for k, v in headers if k not in (b"content-type", b"content-length")]
        return respond(304, kept)
    return respond(status, [(k, v) for k, v in headers if k != b"content-length"], body)


def _complete(pr: PageRequest) -> PageRequest:
    """The request without its conditional and marker headers, so that what is rendered is
    the full answer any client asking in the same form would get."""
    scope = dict(pr.request.scope)
    scope["headers"] = [(k, v) for k, v in scope["headers"] if k not in CONDITIONAL_HEADERS]
    return replace(pr, request=StarletteRequest(scope), markup=pr.wants_markup)


def _as_answer(response: Response) -> Answer:
    return response.status_code, list(response.raw_headers), bytes(response.body)
