"""One page request, start to finish: context, `_app` props, gSSP, validation, HTML or JSON."""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import anyio
from markupsafe import Markup
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response

from . import html as h
from .bodies import BodyError
from .cache import Lifetime, ResponseCache, cache_key, lifetime, path_tag, vary_names
from .context import AppContext, Context, PageResponse, Request, RouterState
from .document import (
    PRODUCTION_ERROR,
    DocumentShell,
    builtin_error_head,
    builtin_error_page,
    next_data,
)
from .errors import PageError
from .i18n import LocaleOfRequest, Locales
from .loader import LoadedApp, Page
from .overlay import error_payload, overlay_markup
from .preview import (
    BYPASS_COOKIE,
    DATA_COOKIE,
    NOT_IN_PREVIEW,
    PreviewMode,
    PreviewState,
)
from .responses import (
    HTML_TYPE,
    JSON_TYPE,
    PRIVATE_CACHE,
    RawHeaders,
    has_header,
    header_value,
    not_modified,
    redirect,
    respond,
    with_etag,
)
from .results import (
    NotFoundOutcome,
    RedirectOutcome,
    check_props,
    check_result,
    dump_json,
    next_data_script_json,
    redirect_location,
    serialization_error,
)
from .types import Params, Query
from .urls import (
    encode_query,
    query_dict,
    resolved_url,
    strip_base_path,
    without_param_echoes,
)

logger = logging.getLogger("pagemill")

# The client asks for the rendered page beside the props with this header; the answer
# carries it under RENDER_KEY, and every data response varies on it.
RENDER_HEADER = "x-pagemill-render"
RENDER_KEY = "__pagemill"
VARY_RENDER = (b"vary", RENDER_HEADER.encode())
NOT_FOUND_JSON = b'{"notFound":true}'
GATEWAY_TIMEOUT_JSON = b'{"error":"Gateway Timeout"}'
BYPASS_BYTES, DATA_BYTES = BYPASS_COOKIE.encode(), DATA_COOKIE.encode()
LARGE_PAGE_DATA = 128 * 1024


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
    # Query pairs a config rewrite adds: in ctx.query, never in resolved_url or req.url.
    rewrite_pairs: list[tuple[str, str]] = field(default_factory=list)
    # Whether the answer carries the markup; None: as the request's header says.
    markup: bool | None = None

    @property
    def wants_markup(self) -> bool:
        if self.markup is not None:
            return self.is_data and self.markup
        return self.is_data and has_header(self.request.scope["headers"], VARY_RENDER[1])

    @property
    def form(self) -> str:
        """Which of a page's three answers this request gets (they are cached apart)."""
        if not self.is_data:
            return "html"
        return "data+markup" if self.wants_markup else "data"

    def context(self, locales: Sequence[str] = ()) -> tuple[Context, str]:
        """A fresh gSSP context for this request, and the `as_path` the layout sees."""
        # Next's client repeats route params in the data URL's query: resolved_url never shows
        # them, and a data request's URLs don't either.
        echo_free = encode_query(without_param_echoes(self.pairs, self.params))
        shown_query = echo_free if self.is_data else self.query_string
        ctx = Context(
            params=self.params,
            query=query_dict(self.pairs + self.rewrite_pairs, self.params),
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
        as_path = f"{self.page_path}?{shown_query}" if shown_query else self.page_path
        return ctx, as_path


@dataclass(slots=True)
class PageOutcome:
    """What running a page produced: enough to answer in any form, and to cache."""

    kind: Literal["props", "not_found", "redirect", "ended"]
    status: int
    headers: RawHeaders
    page_props: dict[str, Any] = field(default_factory=dict)
    app_props: dict[str, Any] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    redirect: RedirectOutcome | None = None
    body: bytes = b""  # what `ctx.res.end()` sent
    gssp_props: object = None  # as gSSP returned them, to name a value JSON cannot carry
    # Stored answers by form ("html", "data", "data+markup"): [status, headers, body].
    forms: dict[str, list[Any]] = field(default_factory=dict)

    def props_object(self) -> dict[str, Any]:
        return {"pageProps": self.page_props, **self.app_props}

    def lifetime(self, authorization: bool) -> Lifetime | None:
        """How long it may be shared: 2xx props, 404s and redirects, as its headers say."""
        if self.kind == "ended" or (self.kind == "props" and not 200 <= self.status < 300):
            return None
        cache_control = header_value(self.headers, b"cache-control")
        return lifetime(
            cache_control.decode("latin-1") if cache_control is not None else None,
            sets_cookie=has_header(self.headers, b"set-cookie"),
            authorization=authorization,
        )

    def to_json(self) -> dict[str, Any]:
        redirect = self.redirect
        return {
            "kind": self.kind,
            "status": self.status,
            "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in self.headers],
            "page_props": self.page_props,
            "app_props": self.app_props,
            "flags": self.flags,
            "redirect": None
            if redirect is None
            else [redirect.destination, redirect.status_code, redirect.base_path],
            "body": self.body.decode("latin-1"),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageOutcome:
        redirect = data["redirect"]
        return cls(
            kind=data["kind"],
            status=data["status"],
            headers=[(k.encode("latin-1"), v.encode("latin-1")) for k, v in data["headers"]],
            page_props=data["page_props"],
            app_props=data["app_props"],
            flags=data["flags"],
            redirect=None if redirect is None else RedirectOutcome(*redirect),
            body=data["body"].encode("latin-1"),
            gssp_props=data["page_props"],
            forms=data.get("forms", {}),
        )


def _stored_answer(pr: PageRequest, stored: list[Any]) -> Response:
    """A cached form answered as stored, or 304 when the client has its ETag."""
    status, raw, body = stored
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in raw]
    tag = header_value(headers, b"etag")
    if tag is not None and not_modified(pr.request.scope["headers"], tag):
        kept = [(k, v) for k, v in headers if k not in (b"content-type", b"content-length")]
        return respond(304, kept)
    headers = [(k, v) for k, v in headers if k != b"content-length"]
    return respond(status, headers, body.encode("latin-1"))


def _may_use_cache(pr: PageRequest, preview: PreviewState) -> bool:
    """GET and HEAD outside draft/preview mode may be answered from the response cache."""
    return pr.request.method in ("GET", "HEAD") and not (preview.preview or preview.clear_cookies)


class PageRenderer:
    """Runs pages and error pages for one loaded app and build."""

    def __init__(
        self,
        app: LoadedApp,
        build_id: str,
        shell: DocumentShell,
        preview: PreviewMode,
        locales: Locales | None = None,
        *,
        dev: bool = False,
        cache: ResponseCache | None = None,
    ) -> None:
        self.app = app
        self.dev = dev
        self.preview = preview
        self.locales = locales
        self.build_id = build_id
        self.shell = shell
        self.powered_by: RawHeaders = (
            [(b"x-powered-by", b"pagemill")] if app.config.powered_by_header else []
        )
        self._warned_large: set[str] = set()
        self.cache = cache
        self.gssp_timeout = app.config.server.gssp_timeout

    async def render(self, pr: PageRequest) -> Response:
        """Run the page's gSSP and answer with its outcome; a body it cannot read is the
        error page with that status, a run past the gSSP timeout a 504, and any other
        exception a 500."""
        try:
            return await self._render(pr)
        except BodyError as exc:
            return self.error(pr.request, exc.status, headers=exc.headers)
        except GsspTimeout as exc:
            if pr.is_data:
                pr.request.scope["pagemill.error"] = exc
                return respond(504, [(b"content-type", JSON_TYPE)], GATEWAY_TIMEOUT_JSON)
            return self.error(pr.request, 504, exc)
        except Exception as exc:
            return self.error(pr.request, 500, exc)

    async def _render(self, pr: PageRequest) -> Response:
        """Context → (cache) → `_app` props and gSSP → answer in the form asked for."""
        ctx, as_path = pr.context(self.locales.locales if self.locales else ())
        preview = self._preview_state(pr.request)
        if preview.preview:
            ctx.draft_mode, ctx.preview, ctx.preview_data = True, True, preview.data
        cache = self.cache
        target = pr.request.scope.get("raw_path", b"") + b"?" + pr.request.scope["query_string"]
        if cache is None or not _may_use_cache(pr, preview):
            outcome = await self._run(pr, ctx, as_path, preview)
            status = b"BYPASS"
        elif cache.recently_private(target):
            outcome = await self._run(pr, ctx, as_path, preview)
            status = b"MISS"
            authorization = has_header(pr.request.scope["headers"], b"authorization")
            if outcome.lifetime(authorization) is not None:
                # Shareable again: the next request goes through the cache.
                cache.forget_private(target)
        else:
            outcome, hit = await self._cached_run(cache, pr, ctx, as_path, preview, target)
            status = hit.encode()
            stored = outcome.forms.get(pr.form)
            if stored is not None:
                response = _stored_answer(pr, stored)
                response.raw_headers.append((b"x-pagemill-cache", status))
                return response
        response = self._answer(pr, outcome, ctx.query, as_path, preview.preview)
        if cache is not None:
            response.raw_headers.append((b"x-pagemill-cache", status))
        return response

    async def _run(
        self, pr: PageRequest, ctx: Context, as_path: str, preview: PreviewState
    ) -> PageOutcome:
        """`_run_hooks` within the gSSP timeout: past it, an async gSSP is cancelled and a
        sync one is abandoned to finish in its thread."""
        if not self.gssp_timeout:
            return await self._run_hooks(pr, ctx, as_path, preview)
        with anyio.move_on_after(self.gssp_timeout):
            return await self._run_hooks(pr, ctx, as_path, preview)
        raise GsspTimeout(pr.page, self.gssp_timeout)

    async def _run_hooks(
        self, pr: PageRequest, ctx: Context, as_path: str, preview: PreviewState
    ) -> PageOutcome:
        """`_app.get_initial_props` and `get_server_side_props`, their result checked."""
        page = pr.page
        gssp = page.get_server_side_props
        app_props = (
            await self._app_props(ctx, page, as_path)
            if self.app.app.get_initial_props is not None
            else {}
        )
        # A page without gSSP only gets here when `_app` has `get_initial_props` (as in Next,
        # that turns off static rendering).
        result = {"props": {}} if gssp is None else await _call(gssp, page.gssp_is_async, ctx)
        res = ctx.res
        if res.ended:
            return PageOutcome("ended", res.status_code, res.raw_headers, body=bytes(res.body))
        checked = check_result(result, page.source)
        headers = res.raw_headers
        if preview.preview:  # never cacheable, whatever the page said
            headers[:] = [(k, v) for k, v in headers if k != b"cache-control"]
        if not has_header(headers, b"cache-control"):
            headers.append((b"cache-control", PRIVATE_CACHE))
        if preview.clear_cookies:
            headers.extend((b"set-cookie", c.encode()) for c in self.preview.clear_headers())
        flags: dict[str, bool] = {"__N_PREVIEW": True} if preview.preview else {}
        if gssp is not None:
            flags["__N_SSP"] = True
        page_props = app_props.pop("page_props", {})
        outcome = PageOutcome("props", res.status_code, headers, page_props, app_props, flags)
        if isinstance(checked, NotFoundOutcome):
            outcome.kind, outcome.status = "not_found", 404
        elif isinstance(checked, RedirectOutcome):
            outcome.kind, outcome.redirect = "redirect", checked
        else:
            props = checked.props
            if inspect.isawaitable(props):
                props = await props
            outcome.page_props = {**page_props, **check_props(props, page.source)}
            outcome.gssp_props = props
        return outcome

    async def _cached_run(
        self,
        cache: ResponseCache,
        pr: PageRequest,
        ctx: Context,
        as_path: str,
        preview: PreviewState,
        target: bytes,
    ) -> tuple[PageOutcome, str]:
        """The outcome from the response cache, running gSSP on a miss (SPEC 11.2)."""
        request_headers = pr.request.headers
        authorization = has_header(pr.request.scope["headers"], b"authorization")
        base = cache_key(
            request_headers.get("host", ""),
            self.app.config.base_path,
            pr.locale.locale if pr.locale else None,
            pr.page.pattern,
            pr.params,
            sorted(pr.pairs + pr.rewrite_pairs),
            self.build_id,
        )

        def key_for(names: tuple[str, ...]) -> str:
            return cache_key(base, [request_headers.get(name, "") for name in names])

        ran: list[PageOutcome] = []

        async def run() -> tuple[dict[str, Any], Lifetime | None, tuple[str, ...]]:
            outcome = await self._run(pr, ctx, as_path, preview)
            ran.append(outcome)
            life = outcome.lifetime(authorization)
            if life is None:  # neither stored nor shared: this request answers from `ran`
                return {}, None, ()
            stored = outcome.to_json()
            # The rendered answers are kept beside the outcome.
            stored["forms"] = outcome.forms = self._forms(pr, outcome, ctx.query, as_path)
            return stored, life, vary_names(outcome.headers)

        tags = [path_tag(pr.page_path)]
        stored, hit = await cache.outcome(target, base, key_for, tags, run)
        # This request's own run is answered from the live outcome, not its stored form.
        return (ran[0] if ran else PageOutcome.from_json(stored)), hit

    def _forms(
        self, pr: PageRequest, outcome: PageOutcome, query: Query, as_path: str
    ) -> dict[str, list[Any]]:
        """HTML, data and data-with-markup answers of a cacheable outcome, as stored.

        Rendered from a copy of the request without its conditional and marker headers, so
        each form is the full answer any client would get.
        """
        skipped = (b"if-none-match", VARY_RENDER[1])
        scope = dict(pr.request.scope)
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k not in skipped]
        clean = StarletteRequest(scope)
        forms: dict[str, list[Any]] = {}
        for name, is_data, markup in (
            ("html", False, False),
            ("data", True, False),
            ("data+markup", True, True),
        ):
            variant = replace(pr, request=clean, is_data=is_data, markup=markup)
            answer = self._answer(variant, outcome, query, as_path, False)
            headers = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in answer.raw_headers]
            forms[name] = [answer.status_code, headers, bytes(answer.body).decode("latin-1")]
        return forms

    def _answer(
        self, pr: PageRequest, outcome: PageOutcome, query: Query, as_path: str, preview: bool
    ) -> Response:
        """The response for an outcome: HTML, data JSON, a redirect or the 404 page."""
        page, headers = pr.page, list(outcome.headers)
        if outcome.kind == "ended":
            return respond(outcome.status, headers, outcome.body)
        if outcome.kind == "not_found":
            if pr.wants_markup:
                return self.error_markup(pr.request, 404, headers)
            if pr.is_data:
                return respond(404, headers, NOT_FOUND_JSON)
            return self.error(pr.request, 404, headers=headers)
        if outcome.redirect is not None:
            app_props = {**outcome.app_props, **outcome.flags}
            return self._redirect(pr, outcome.redirect, outcome.page_props, app_props, headers)
        props_object = outcome.props_object()
        router = self._router(page.pattern, as_path, query, pr.locale)
        if pr.is_data:
            return self._data_response(
                pr,
                page,
                props_object,
                outcome.flags,
                outcome.gssp_props,
                outcome.app_props,
                router,
                headers,
                outcome.status,
            )
        data = self._encode(
            next_data(
                props={**props_object, **outcome.flags},
                page=page.pattern,
                query=query,
                build_id=self.build_id,
                gssp=page.get_server_side_props is not None,
                is_preview=preview,
                **self._locale_fields(pr.locale),
            ),
            page,
            outcome.gssp_props,
            outcome.app_props,
        )
        head, body = self._markup(page.page, page.head, outcome.page_props, props_object, router)
        return self._html(
            pr.request,
            outcome.status,
            headers,
            head,
            body,
            next_data_script_json(data),
            pr.locale,
        )

    def _data_response(
        self,
        pr: PageRequest,
        page: Page,
        props_object: dict[str, Any],
        flags: dict[str, bool],
        gssp_props: object,
        app_props: dict[str, Any],
        router: RouterState,
        headers: RawHeaders,
        status: int,
    ) -> Response:
        payload: dict[str, Any] = {**props_object, **flags}
        if pr.wants_markup:
            head, body = self._markup(
                page.page, page.head, props_object["pageProps"], props_object, router
            )
            payload[RENDER_KEY] = {
                "head": head,
                "body": body,
                "page": page.pattern,
                "query": router.query,
            }
        body_bytes = self._encode(payload, page, gssp_props, app_props)
        if not has_header(headers, b"content-type"):
            headers.append((b"content-type", JSON_TYPE))
        headers.append(VARY_RENDER)
        if self.app.config.generate_etags:
            return with_etag(pr.request.scope["headers"], status, headers, body_bytes)
        return respond(status, headers, body_bytes)

    def _redirect(
        self,
        pr: PageRequest,
        outcome: RedirectOutcome,
        page_props: dict[str, Any],
        app_props: dict[str, Any],
        headers: RawHeaders,
    ) -> Response:
        if pr.is_data:
            instruction: dict[str, Any] = {
                **page_props,
                "__N_REDIRECT": outcome.destination,
                "__N_REDIRECT_STATUS": outcome.status_code,
            }
            if not outcome.base_path:
                instruction["__N_REDIRECT_BASE_PATH"] = False
            headers.append((b"content-type", JSON_TYPE))
            headers.append(VARY_RENDER)
            body = dump_json({"pageProps": instruction, **app_props})
            return respond(200, headers, body)
        location = redirect_location(
            outcome.destination, self.app.config.base_path, outcome.base_path
        )
        return redirect(location, outcome.status_code, headers)

    def _preview_state(self, request: StarletteRequest) -> PreviewState:
        """Draft/preview state from the cookies; parsed only when one of them is there."""
        cookie = header_value(request.scope["headers"], b"cookie")
        if cookie is None or not (BYPASS_BYTES in cookie or DATA_BYTES in cookie):
            return NOT_IN_PREVIEW
        return self.preview.read(request.cookies)

    def _router(
        self, pathname: str, as_path: str, query: Query, locale: LocaleOfRequest | None
    ) -> RouterState:
        if locale is None:
            return RouterState(pathname, as_path, query, base_path=self.app.config.base_path)
        return RouterState(
            pathname,
            as_path,
            query,
            locale=locale.locale,
            locales=list(self.locales.locales) if self.locales else [],
            default_locale=locale.default_locale,
            base_path=self.app.config.base_path,
        )

    def _locale_fields(self, locale: LocaleOfRequest | None) -> dict[str, Any]:
        """`__NEXT_DATA__`'s locale keys, with i18n."""
        if locale is None or self.locales is None:
            return {}
        return {"locale": locale, "locales": self.locales.locales}

    async def _app_props(self, ctx: Context, page: Page, as_path: str) -> dict[str, Any]:
        app_module = self.app.app
        gip = app_module.get_initial_props
        if gip is None:
            return {}
        app_ctx = AppContext(
            req=ctx.req,
            res=ctx.res,
            pathname=page.pattern,
            query=ctx.query,
            as_path=as_path,
            locale=ctx.locale,
            locales=ctx.locales,
            default_locale=ctx.default_locale,
        )
        props = await _call(gip, app_module.gip_is_async, app_ctx)
        if props is None:
            return {}
        if not isinstance(props, dict):
            raise PageError(
                f"pages/_app.py: `get_initial_props` returned a {type(props).__name__}; it must "
                'return a dict, e.g. {"page_props": {...}, "site_name": "..."}.'
            )
        page_props = props.get("page_props", {})
        if not isinstance(page_props, dict):
            raise PageError(
                "pages/_app.py: `get_initial_props` returned `page_props` as a "
                f"{type(page_props).__name__}; it must be a dict of props for every page."
            )
        return dict(props)

    def _encode(self, value: object, page: Page, gssp_props: object, app_props: object) -> bytes:
        """JSON for `value`; on failure, name the prop that cannot be serialized."""
        try:
            encoded = dump_json(value)
        except (TypeError, ValueError):
            try:
                dump_json(gssp_props)
            except (TypeError, ValueError):
                raise serialization_error(gssp_props, page.source) from None
            raise serialization_error(app_props, "pages/_app.py") from None
        if len(encoded) > LARGE_PAGE_DATA and page.source not in self._warned_large:
            self._warned_large.add(page.source)
            logger.warning(
                "%s: the props of %s are %d kB, over the %d kB threshold; every request and "
                "navigation sends them. Return only what the page renders.",
                page.source,
                page.pattern,
                len(encoded) // 1024,
                LARGE_PAGE_DATA // 1024,
            )
        return encoded

    def _markup(
        self,
        page: Callable[..., Any],
        head: Callable[..., Any] | None,
        page_props: Mapping[str, Any],
        props_object: Mapping[str, Any],
        router: RouterState,
    ) -> tuple[str, str]:
        body = h.render(page(page_props))
        layout = self.app.app.layout
        if layout is not None:
            body = h.render(layout(Markup(body), props_object, router))
        return (h.render(head(page_props)) if head is not None else ""), body

    def _html(
        self,
        request: StarletteRequest,
        status: int,
        headers: RawHeaders,
        head: str,
        body: str,
        data: bytes,
        locale: LocaleOfRequest | None,
    ) -> Response:
        document = self.shell.render(
            head=head, body=body, next_data=data, lang=locale.locale if locale else None
        )
        if not has_header(headers, b"content-type"):
            headers.append((b"content-type", HTML_TYPE))
        headers.extend(self.powered_by)
        if self.app.config.generate_etags:
            return with_etag(request.scope["headers"], status, headers, document)
        return respond(status, headers, document)

    def static_page(self, page: Page, locale: str | None = None) -> bytes:
        """A page without gSSP rendered once, as the build prerenders it (per locale)."""
        found = None
        if locale is not None and self.locales is not None:
            found = LocaleOfRequest(
                locale, self.locales.i18n.default_locale, page.pattern, True, None
            )
        return self._document(page.page, page.head, {}, page.pattern, page.pattern, found)

    def error(
        self,
        request: StarletteRequest,
        status: int,
        exc: BaseException | None = None,
        headers: RawHeaders | None = None,
    ) -> Response:
        """The app's error page for `status` (404, 500, 400, 405), or the built-in one.

        Error pages render inside the layout; if that fails too, the built-in page is used,
        and as a last resort plain text. Nothing of `exc` reaches the client.
        """
        if exc is not None:
            request.scope["pagemill.error"] = exc
            if self.dev:
                return self.dev_error(request, exc)
        page, props, name = self._error_page(status)
        as_path = strip_base_path(request.url.path, self.app.config.base_path) or name
        locale = request.scope.get("pagemill.locale")
        raw = [(k, v) for k, v in headers or [] if k != b"cache-control"]
        raw += [(b"cache-control", PRIVATE_CACHE), (b"content-type", HTML_TYPE), *self.powered_by]
        err = PRODUCTION_ERROR if status == 500 else None
        render_page = page.page if page is not None else builtin_error_page
        render_head = page.head if page is not None else builtin_error_head
        try:
            document = self._document(render_page, render_head, props, name, as_path, locale, err)
        except Exception as render_exc:
            logger.exception("rendering the %s error page failed", status, exc_info=render_exc)
            try:
                document = self._document(
                    builtin_error_page,
                    builtin_error_head,
                    {"status_code": status},
                    "/_error",
                    as_path,
                    locale,
                    err,
                    with_layout=False,
                )
            except Exception:
                return respond(
                    500, [(b"content-type", b"text/plain; charset=utf-8")], b"Internal Server Error"
                )
        return respond(status, raw, document)

    def dev_error(self, request: StarletteRequest, exc: BaseException) -> Response:
        """`pagemill dev`: the overlay, as a page or (for the client's data requests) JSON."""
        url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        payload = error_payload(exc, self.app.app_dir, request.method, url)
        if has_header(request.scope["headers"], b"x-nextjs-data"):
            body = dump_json({"__pagemill_error": payload})
            return respond(500, [(b"content-type", JSON_TYPE)], body)
        stack = "".join(traceback.format_exception(exc))
        document = self._document(
            lambda props: overlay_markup(payload),
            lambda props: h.title[f"Error: {payload['name']}"],
            {},
            "/_error",
            url,
            request.scope.get("pagemill.locale"),
            {"name": payload["name"], "message": payload["message"], "stack": stack},
            with_layout=False,
        )
        return respond(500, [(b"content-type", HTML_TYPE)], document)

    def error_markup(self, request: StarletteRequest, status: int, headers: RawHeaders) -> Response:
        """For the client: `{"notFound": true}` plus the 404 page's markup, to show in place."""
        page, props, name = self._error_page(status)
        locale = request.scope.get("pagemill.locale")
        as_path = strip_base_path(request.url.path, self.app.config.base_path) or name
        router = self._router(name, as_path, {}, locale)
        head, body = self._markup(
            page.page if page is not None else builtin_error_page,
            page.head if page is not None else builtin_error_head,
            props,
            {"pageProps": props},
            router,
        )
        payload = {"notFound": True, RENDER_KEY: {"head": head, "body": body, "page": name}}
        return respond(
            404, [*headers, (b"content-type", JSON_TYPE), VARY_RENDER], dump_json(payload)
        )

    def static_markup(self, pr: PageRequest) -> Response:
        """For the client: a page without gSSP as JSON (its props are empty), to show in place."""
        query = query_dict(pr.pairs, pr.params)
        router = self._router(pr.page.pattern, pr.page_path, query, pr.locale)
        head, body = self._markup(pr.page.page, pr.page.head, {}, {"pageProps": {}}, router)
        render = {"head": head, "body": body, "page": pr.page.pattern, "query": router.query}
        payload = {"pageProps": {}, RENDER_KEY: render}
        headers = [(b"cache-control", PRIVATE_CACHE), (b"content-type", JSON_TYPE), VARY_RENDER]
        return respond(200, headers, dump_json(payload))

    def _error_page(self, status: int) -> tuple[Page | None, dict[str, Any], str]:
        dedicated = {404: self.app.not_found_page, 500: self.app.server_error_page}.get(status)
        if dedicated is not None:
            return dedicated, {}, dedicated.pattern
        return self.app.error_page, {"status_code": status}, "/_error"

    def _document(
        self,
        render_page: Callable[..., Any],
        render_head: Callable[..., Any] | None,
        props: dict[str, Any],
        pathname: str,
        as_path: str,
        locale: LocaleOfRequest | None,
        err: Mapping[str, Any] | None = None,
        *,
        with_layout: bool = True,
    ) -> bytes:
        """A whole document for a page whose props are fixed (static and error pages)."""
        props_object = {"pageProps": props}
        if with_layout:
            router = self._router(pathname, as_path, {}, locale)
            head, body = self._markup(render_page, render_head, props, props_object, router)
        else:
            body = h.render(render_page(props))
            head = h.render(render_head(props)) if render_head is not None else ""
        data = dump_json(
            next_data(
                props=props_object,
                page=pathname,
                query={},
                build_id=self.build_id,
                gssp=False,
                err=err,
                **self._locale_fields(locale),
            )
        )
        return self.shell.render(
            head=head,
            body=body,
            next_data=next_data_script_json(data),
            lang=locale.locale if locale else None,
        )


class GsspTimeout(PageError):
    """A page's `get_server_side_props` (or `_app`'s `get_initial_props`) ran too long."""

    def __init__(self, page: Page, seconds: float) -> None:
        how = "was cancelled" if page.gssp_is_async else "was left to finish in its thread"
        super().__init__(
            f"{page.source}: `get_server_side_props` did not finish within {seconds:g}s "
            f"(`server.gssp_timeout`) and {how}; the request was answered 504. Bound the "
            "slow call it makes (a database query, an HTTP request) with a timeout of its own."
        )


async def _call(function: Callable[..., Any], is_async: bool, argument: object) -> Any:
    """Call a user hook: async ones on the loop, sync ones in a worker thread (abandoned, not
    waited for, when the request is cancelled)."""
    if is_async:
        return await function(argument)
    result = await anyio.to_thread.run_sync(function, argument, abandon_on_cancel=True)
    if inspect.isawaitable(result):
        result = await result
    return result
