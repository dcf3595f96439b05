"""One page request, start to finish: context, `_app` props, gSSP, validation, HTML or JSON."""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Callable, Mapping
from typing import Any

import anyio
from markupsafe import Markup
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response

from . import html as h
from .bodies import BodyError
from .cache import ResponseCache
from .context import AppContext, Context, RouterState
from .document import (
    PRODUCTION_ERROR,
    DocumentShell,
    builtin_error_head,
    builtin_error_page,
    next_data,
)
from .errors import PageError
from .i18n import LocaleOfRequest, Locales
from .link import rendering
from .loader import LoadedApp, Page
from .outcome import PageOutcome
from .overlay import error_payload, overlay_markup
from .pagecache import PageCache
from .pagerequest import PageRequest
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
    RENDER_HEADER,
    RawHeaders,
    has_header,
    header_value,
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
from .types import Query
from .urls import (
    query_dict,
    strip_base_path,
)

logger = logging.getLogger("pagemill")

# The answer to a request with RENDER_HEADER carries the markup under RENDER_KEY, and every
# data response varies on that header.
RENDER_KEY = "__pagemill"
VARY_RENDER = (b"vary", RENDER_HEADER)
NOT_FOUND_JSON = b'{"notFound":true}'
GATEWAY_TIMEOUT_JSON = b'{"error":"Gateway Timeout"}'
BYPASS_BYTES, DATA_BYTES = BYPASS_COOKIE.encode(), DATA_COOKIE.encode()
LARGE_PAGE_DATA = 128 * 1024


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
        self.page_cache = PageCache(cache, app.config.base_path, build_id) if cache else None
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
        """The response cache's answer, or `_app` props and gSSP run and their outcome
        rendered in the form asked for."""
        preview = self._preview_state(pr.request)

        def render(variant: PageRequest, outcome: PageOutcome) -> Response:
            query, as_path = variant.view()
            return self._answer(variant, outcome, query, as_path, preview.preview)

        async def run() -> PageOutcome:
            return await self._run(pr, preview)

        if self.page_cache is None:
            return render(pr, await run())
        cacheable = not (preview.preview or preview.clear_cookies)
        return await self.page_cache.answer(pr, cacheable, run, render)

    async def _run(self, pr: PageRequest, preview: PreviewState) -> PageOutcome:
        """`_run_hooks` within the gSSP timeout: past it, an async gSSP is cancelled and a
        sync one is abandoned to finish in its thread."""
        if not self.gssp_timeout:
            return await self._run_hooks(pr, preview)
        with anyio.move_on_after(self.gssp_timeout):
            return await self._run_hooks(pr, preview)
        raise GsspTimeout(pr.page, self.gssp_timeout)

    async def _run_hooks(self, pr: PageRequest, preview: PreviewState) -> PageOutcome:
        """`_app.get_initial_props` and `get_server_side_props` on a fresh context, their
        result checked."""
        ctx = pr.context(self.locales.locales if self.locales else ())
        if preview.preview:
            ctx.draft_mode, ctx.preview, ctx.preview_data = True, True, preview.data
        as_path = pr.view()[1]
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
        router = self._router(page.pattern, as_path, query, pr.locale, preview)
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
        head, body = self._markup(
            page.page, page.head, outcome.page_props, props_object, router, page.takes_router
        )
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
                page.page,
                page.head,
                props_object["pageProps"],
                props_object,
                router,
                page.takes_router,
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
        self,
        pathname: str,
        as_path: str,
        query: Query,
        locale: LocaleOfRequest | None,
        preview: bool = False,
    ) -> RouterState:
        base_path = self.app.config.base_path
        if locale is None:
            return RouterState(pathname, as_path, query, base_path=base_path, is_preview=preview)
        return RouterState(
            pathname,
            as_path,
            query,
            locale=locale.locale,
            locales=list(self.locales.locales) if self.locales else [],
            default_locale=locale.default_locale,
            base_path=base_path,
            is_preview=preview,
        )

    def _locale_fields(self, locale: LocaleOfRequest | None) -> dict[str, Any]:
        """`__NEXT_DATA__`'s locale keys, with i18n."""
        if locale is None or self.locales is None:
            return {}
        return {
            "locale": locale,
            "locales": self.locales.locales,
            "domain_locales": self.locales.domain_locales,
        }

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
        takes_router: tuple[bool, bool] = (False, False),
    ) -> tuple[str, str]:
        """The head and body HTML of a page in its layout. `Link`s built meanwhile take the
        router's locale; `page` and `head` get the router too when they take it. The head
        ends with what the islands the body renders need (nothing without islands)."""
        with rendering(router):
            body = h.render(page(page_props, router) if takes_router[0] else page(page_props))
            layout = self.app.app.layout
            if layout is not None:
                body = h.render(layout(Markup(body), props_object, router))
            islands = self.shell.island_tags(body, page)
            if head is None:
                return islands, body
            tags = head(page_props, router) if takes_router[1] else head(page_props)
            return h.render(tags) + islands, body

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
        # Its URL is its pattern, with the slash the app's URLs end in.
        trailing = self.app.config.trailing_slash and page.pattern != "/"
        as_path = page.pattern + "/" if trailing else page.pattern
        return self._document(
            page.page, page.head, {}, page.pattern, as_path, found, takes_router=page.takes_router
        )

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
        locale = request.scope.get("pagemill.locale")
        as_path = self._error_as_path(request, locale, name)
        raw = [(k, v) for k, v in headers or [] if k != b"cache-control"]
        raw += [(b"cache-control", PRIVATE_CACHE), (b"content-type", HTML_TYPE), *self.powered_by]
        err = PRODUCTION_ERROR if status == 500 else None
        render_page = page.page if page is not None else builtin_error_page
        render_head = page.head if page is not None else builtin_error_head
        try:
            takes = page.takes_router if page is not None else (False, False)
            document = self._document(
                render_page, render_head, props, name, as_path, locale, err, takes_router=takes
            )
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
        as_path = self._error_as_path(request, locale, name)
        router = self._router(name, as_path, {}, locale)
        head, body = self._markup(
            page.page if page is not None else builtin_error_page,
            page.head if page is not None else builtin_error_head,
            props,
            {"pageProps": props},
            router,
            page.takes_router if page is not None else (False, False),
        )
        payload = {"notFound": True, RENDER_KEY: {"head": head, "body": body, "page": name}}
        return respond(
            404, [*headers, (b"content-type", JSON_TYPE), VARY_RENDER], dump_json(payload)
        )

    def static_markup(self, pr: PageRequest) -> Response:
        """For the client: a page without gSSP as JSON (its props are empty), to show in place."""
        query = query_dict(pr.pairs, pr.params)
        router = self._router(pr.page.pattern, pr.page_path, query, pr.locale)
        head, body = self._markup(
            pr.page.page, pr.page.head, {}, {"pageProps": {}}, router, pr.page.takes_router
        )
        render = {"head": head, "body": body, "page": pr.page.pattern, "query": router.query}
        payload = {"pageProps": {}, RENDER_KEY: render}
        headers = [(b"cache-control", PRIVATE_CACHE), (b"content-type", JSON_TYPE), VARY_RENDER]
        return respond(200, headers, dump_json(payload))

    def _error_as_path(
        self, request: StarletteRequest, locale: LocaleOfRequest | None, name: str
    ) -> str:
        """The `as_path` an error page's router shows: the path asked for, without the base
        path and the locale (as every page's)."""
        if locale is not None:
            return locale.path
        return strip_base_path(request.url.path, self.app.config.base_path) or name

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
        takes_router: tuple[bool, bool] = (False, False),
    ) -> bytes:
        """A whole document for a page whose props are fixed (static and error pages)."""
        props_object = {"pageProps": props}
        if with_layout:
            router = self._router(pathname, as_path, {}, locale)
            head, body = self._markup(
                render_page, render_head, props, props_object, router, takes_router
            )
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
