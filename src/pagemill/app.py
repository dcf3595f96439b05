"""The ASGI application: one request pipeline, read top to bottom from `Pagemill.__call__`."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

import anyio
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response
from starlette.staticfiles import StaticFiles

from .api import ApiRoute, run_api_route
from .assets import IMMUTABLE, ClientAssets
from .buildid import BUILD_DIR, content_build_id, preview_mode
from .cache import make_cache
from .cacherules import path_tag
from .context import request_cookies
from .datapath import parse_data_url
from .document import DocumentShell
from .errors import BadRequest
from .hitmemo import HitMemo
from .i18n import LocaleOfRequest, Locales
from .islands import Islands, used_islands
from .loader import PUBLIC_DIR, LoadedApp, Page, load_app
from .middleware import ContentEncoding, RequestBoundary
from .pagerequest import PageRequest
from .patterns import RequestFacts
from .preview import PreviewMode
from .rendering import PageRenderer
from .resolution import STATIC_PREFIX, Asset, PublicFile, Resolver, RouteTarget
from .responses import (
    HTML_TYPE,
    PRIVATE_CACHE,
    RENDER_HEADER,
    has_header,
    header_value,
    redirect,
    respond,
    with_etag,
)
from .routing import Match
from .rules import NO_FACTS, find_redirect, matching_headers
from .types import ASGIApp, Query, Receive, Scope, Send
from .urls import parse_query, slash_redirect, strip_base_path

STATIC_PAGE_CACHE = b"s-maxage=31536000, stale-while-revalidate"
# A prerendered page: its route pattern and locale (None without i18n).
StaticKey = tuple[str, str | None]
PUBLIC_FILE_CACHE = "public, max-age=0"
JAVASCRIPT_TYPE = b"text/javascript; charset=utf-8"


class Pagemill:
    """A loaded app served over ASGI.

    `static_pages` maps route patterns of pages without gSSP to their prerendered HTML (from
    the build output); when omitted they are rendered once here.
    """

    def __init__(
        self,
        app: LoadedApp,
        *,
        build_id: str,
        assets: ClientAssets,
        preview: PreviewMode,
        static_pages: Mapping[StaticKey, bytes] | None = None,
        dev: bool = False,
    ) -> None:
        self.app = app
        self.config = app.config
        self.build_id = build_id
        self.assets = assets
        script = self.config.base_path + assets.url_of["pagemill.js"]
        self.locales = Locales(self.config.i18n) if self.config.i18n is not None else None
        self.preview = preview
        # The islands/ folder, checked against the island names the code uses.
        self.islands = Islands(app.app_dir, self.config.base_path, assets.url_of["islands.js"])
        self.islands.check_uses(used_islands(app.app_dir))
        # No response cache in dev: every request shows the code as it is now.
        self.cache = (
            None
            if dev
            else make_cache(
                self.config.cache,
                app.app_dir / BUILD_DIR,
                build_id,
                self.config.server.gssp_timeout,
            )
        )
        self.renderer = PageRenderer(
            app,
            build_id,
            DocumentShell(
                app.document,
                script,
                self.islands,
                self.config.base_path + assets.url_of["overlay.js"] if dev else None,
            ),
            preview,
            self.locales,
            dev=dev,
            cache=self.cache,
        )
        # In dev every page renders per request, so an edit shows at once.
        if dev:
            static_pages = {}
        self.static_pages = dict(static_pages) if static_pages is not None else self.prerender()
        self.public = StaticFiles(directory=app.app_dir / PUBLIC_DIR, check_dir=False)
        static_urls = {*self.assets.by_url, *self.islands.files}
        self.resolver = Resolver(app.routes, app.rules, app.public_files, static_urls, self.locales)

    def prerender(self) -> dict[StaticKey, bytes]:
        """HTML of each page without gSSP, per locale (none if `_app` has `get_initial_props`)."""
        if self.app.app.get_initial_props is not None:
            return {}
        locales: list[str | None] = list(self.locales.locales) if self.locales else [None]
        return {
            (page.pattern, locale): self.renderer.static_page(page, locale)
            for page in self.app.pages()
            if page.get_server_side_props is None
            for locale in locales
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request = StarletteRequest(scope, receive)
        response = await self.handle(request)
        added = scope.get("pagemill.headers")
        if added:
            _add_missing_headers(response, added)
        await response(scope, receive, send)

    async def handle(self, request: StarletteRequest) -> Response:
        """Normalize the URL, apply the config rules, then answer from the data route,
        assets, public files or a page."""
        scope = request.scope
        path = _raw_path(scope)
        query_string = scope["query_string"].decode("latin-1")
        target = slash_redirect(path, self.config.trailing_slash)
        if target is not None:
            return _permanent_redirect(target, query_string)
        app_path = strip_base_path(path, self.config.base_path)
        internal = (app_path or path).startswith("/_next/")
        locale = None
        if self.locales is not None and not internal:
            locale = self.locales.of_request(app_path or path, _host(scope))
            scope["pagemill.locale"] = locale
        # Rules see the path with its locale (the default one added), as pages never do.
        rule_path = self._with_locale(app_path or path, locale)
        rules = self.app.rules
        if rules.any and not internal:
            facts = self._facts(request)
            own_path = rule_path if app_path is not None else None
            full_path = self.config.base_path + rule_path if app_path is not None else rule_path
            scope["pagemill.headers"] = matching_headers(rules, own_path, full_path, facts)
            query = parse_query(query_string)
            found = find_redirect(rules, own_path, full_path, facts, query)
            if found is not None:
                return redirect(found[0], found[1])
        if app_path is None:
            return self.renderer.error(request, 404)
        try:
            if internal:
                return await self.internal(request, app_path, query_string)
            # API routes have no locales: only a rewrite may reach one from a locale's path.
            api_ok = locale is None or not locale.prefixed
            resolved = self.resolver.resolve(rule_path, lambda: self._facts(request), api_ok)
            if resolved is None:
                return self.renderer.error(request, 404)
            answer = resolved.target
            if isinstance(answer, PublicFile):
                return await self.public_file(request, answer.file)
            if isinstance(answer, Asset):
                return self.asset(request, answer.url)
            if locale is not None:
                detected = self._locale_redirect(request, locale, query_string)
                if detected is not None:
                    return detected
            return await self.page(request, app_path, query_string, locale, answer, resolved.query)
        except BadRequest:
            return self.renderer.error(request, 400)

    def _locale_redirect(
        self, request: StarletteRequest, locale: LocaleOfRequest, query_string: str
    ) -> Response | None:
        """The 307 that sends a visitor of `/` to their preferred locale, or None."""
        assert self.locales is not None
        target = self.locales.detection_redirect(
            locale,
            request_cookies(request),
            request.headers.get("accept-language", ""),
            self.config.trailing_slash,
        )
        if target is None:
            return None
        if target.startswith("/"):
            target = self.config.base_path + target
            if query_string:
                target += "?" + query_string
        return redirect(target, 307, [(b"cache-control", PRIVATE_CACHE)])

    def _with_locale(self, path: str, locale: LocaleOfRequest | None) -> str:
        if self.locales is None or locale is None:
            return path
        return self.locales.rule_path(locale, path, self.config.trailing_slash)

    async def page(
        self,
        request: StarletteRequest,
        app_path: str,
        query_string: str,
        locale: LocaleOfRequest | None,
        target: RouteTarget,
        rewritten: Query,
    ) -> Response:
        """The page or API route a request resolved to; it sees the URL the client asked
        for (rewrites only route, and add query)."""
        match = target.match
        if isinstance(match.route.payload, ApiRoute):
            return await run_api_route(
                match.route.payload,
                request,
                match.params,
                preview=self.preview,
                revalidate=self.revalidate,
                url=f"{app_path}?{query_string}" if query_string else app_path,
                generate_etags=self.config.generate_etags,
                rewritten=rewritten,
            )
        if locale is not None and target.locale not in (None, locale.locale):
            locale = dataclasses.replace(locale, locale=target.locale)
        page_path = locale.path if locale is not None else app_path
        pr = self._page_request(request, match, page_path, query_string, locale)
        pr.rewritten = rewritten
        static = self.static_pages.get((pr.page.pattern, locale.locale if locale else None))
        if static is not None:
            if request.method not in ("GET", "HEAD"):
                return self.renderer.error(request, 405, headers=[(b"allow", b"GET, HEAD")])
            return self.static_page(request, static)
        return await self.renderer.render(pr)

    def _facts(self, request: StarletteRequest) -> RequestFacts:
        """What `has`/`missing` conditions look at, read once per request and only if needed."""
        if not self.app.rules.needs_facts:
            return NO_FACTS
        facts: RequestFacts | None = request.scope.get("pagemill.facts")
        if facts is None:
            facts = RequestFacts(
                headers=dict(request.headers),
                cookies=request_cookies(request),
                query=dict(request.query_params.multi_items()),
                host=_host(request.scope).partition(":")[0].lower(),
            )
            request.scope["pagemill.facts"] = facts
        return facts

    async def revalidate(self, path: str) -> None:
        """Drop every cached variant of the page at `path` (`res.revalidate` in API routes)."""
        if self.cache is not None:
            await self.cache.purge(path_tag(path))

    async def internal(
        self, request: StarletteRequest, app_path: str, query_string: str
    ) -> Response:
        """`/_next/data/<build>/<path>.json` and the client's static files."""
        if app_path.startswith("/_next/data/"):
            pr = self.match_data(request, app_path, query_string)
            if pr is None:
                return self.renderer.error(request, 404)
            if pr.page.get_server_side_props is None and self.static_pages:
                return self.renderer.static_markup(pr)
            return await self.renderer.render(pr)
        if app_path.startswith(STATIC_PREFIX):
            return self.asset(request, app_path)
        return self.renderer.error(request, 404)

    def asset(self, request: StarletteRequest, url: str | None) -> Response:
        """A client asset, or (as Next answers for `/_next/static/`) a plain-text 404."""
        asset = self.assets.by_url.get(url) if url is not None else None
        kind = JAVASCRIPT_TYPE
        if asset is None and url is not None and url in self.islands.files:
            asset, kind = self.islands.files[url]
        if asset is None:
            return respond(404, [(b"content-type", b"text/plain; charset=utf-8")], b"Not Found")
        return respond(200, [(b"content-type", kind), (b"cache-control", IMMUTABLE)], asset)

    def match_page(
        self,
        request: StarletteRequest,
        app_path: str,
        query_string: str,
        locale: LocaleOfRequest | None = None,
    ) -> PageRequest | None:
        """The page a URL (base path already stripped) asks for, or None."""
        page_path = locale.path if locale is not None else app_path
        match = self.app.routes.match(page_path.rstrip("/") or "/")
        if match is None or isinstance(match.route.payload, ApiRoute):
            return None
        return self._page_request(request, match, page_path, query_string, locale)

    def _page_request(
        self,
        request: StarletteRequest,
        match: Match[Page | ApiRoute],
        page_path: str,
        query_string: str,
        locale: LocaleOfRequest | None,
    ) -> PageRequest:
        trailing_slash = self.config.trailing_slash and page_path not in (
            "/",
            page_path.rstrip("/"),
        )
        return _page_request(
            request, match, page_path, query_string, page_path, trailing_slash, locale=locale
        )

    def match_data(
        self, request: StarletteRequest, app_path: str, query_string: str
    ) -> PageRequest | None:
        """The gSSP page a data URL of this build asks for, or None."""
        parsed = parse_data_url(app_path)
        if parsed is None or parsed[0] != self.build_id:
            return None
        page_path, url, locale = parsed[1], app_path, None
        if self.locales is not None:
            # With i18n the locale segment is required, and req.url is the page's own path.
            split = self.locales.split_data_path(page_path)
            if split is None:
                return None
            found = self.locales.of_request(page_path, _host(request.scope))
            locale = LocaleOfRequest(split[0], found.default_locale, split[1], True, found.domain)
            request.scope["pagemill.locale"] = locale
            page_path = url = split[1]
        match = self.app.routes.match(page_path)
        if match is None:
            return None
        payload = match.route.payload
        if isinstance(payload, ApiRoute):
            return None
        # A static page has no data route, except for the client asking for its markup.
        if payload.get_server_side_props is None and not has_header(
            request.scope["headers"], RENDER_HEADER
        ):
            return None
        return _page_request(
            request, match, url, query_string, page_path, is_data=True, locale=locale
        )

    async def public_file(self, request: StarletteRequest, file: Path) -> Response:
        stat = await anyio.to_thread.run_sync(os.stat, file)
        response = self.public.file_response(file, stat, request.scope)
        response.headers["cache-control"] = PUBLIC_FILE_CACHE
        return response

    def static_page(self, request: StarletteRequest, document: bytes) -> Response:
        headers = [
            (b"content-type", HTML_TYPE),
            (b"cache-control", STATIC_PAGE_CACHE),
            *self.renderer.powered_by,
        ]
        if self.config.generate_etags:
            return with_etag(request.scope["headers"], 200, headers, document)
        return respond(200, headers, document)


def create_app(app_dir: str | Path) -> ASGIApp:
    """Load the app in `app_dir` and return it as a plain ASGI application."""
    return wrap(load_pagemill(app_dir))


def load_pagemill(app_dir: str | Path) -> Pagemill:
    """The app in `app_dir`, from source, with its content-derived build id."""
    loaded = load_app(app_dir)
    assets = ClientAssets()
    build_id = content_build_id(loaded.app_dir, assets.fingerprint)
    preview = preview_mode(loaded.app_dir / BUILD_DIR, loaded.config, build_id)
    return Pagemill(loaded, build_id=build_id, assets=assets, preview=preview)


def wrap(app: Pagemill) -> ASGIApp:
    """The served app: the request boundary, recent cache HITs answered again (unless config
    rules look at headers or cookies, which the memo does not key on), then HEAD handling
    and compression (when the config asks) around it."""
    served: ASGIApp = ContentEncoding(app, compress=app.config.compress)
    if app.cache is not None and not app.app.rules.needs_facts:
        served = HitMemo(served, app.cache, by_locale=app.config.i18n is not None)
    return RequestBoundary(served, body_timeout=app.config.server.body_timeout)


def _page_request(
    request: StarletteRequest,
    match: Match[Page | ApiRoute],
    url: str,
    query_string: str,
    page_path: str,
    trailing_slash: bool = False,
    *,
    is_data: bool = False,
    locale: LocaleOfRequest | None = None,
) -> PageRequest:
    assert isinstance(match.route.payload, Page)
    return PageRequest(
        request=request,
        page=match.route.payload,
        params=match.params,
        pairs=parse_query(query_string),
        url=url,
        query_string=query_string,
        page_path=page_path,
        is_data=is_data,
        trailing_slash=trailing_slash,
        locale=locale,
    )


def _add_missing_headers(response: Response, headers: list[tuple[str, str]]) -> None:
    """Config `[[headers]]`: added where the response did not set the header itself."""
    present = {name for name, _ in response.raw_headers}
    for name, value in headers:
        key = name.lower().encode("latin-1")
        if key not in present:
            response.raw_headers.append((key, value.encode("latin-1")))


def _host(scope: Scope) -> str:
    host = header_value(scope["headers"], b"host")
    return host.decode("latin-1") if host is not None else ""


def _raw_path(scope: Scope) -> str:
    raw: bytes | None = scope.get("raw_path")
    if raw is not None:
        return raw.decode("latin-1").split("?", 1)[0]
    return quote(scope["path"])


def _permanent_redirect(target: str, query_string: str) -> Response:
    location = f"{target}?{query_string}" if query_string else target
    encoded = location.encode("latin-1")
    return respond(308, [(b"location", encoded), (b"refresh", b"0;url=" + encoded)], encoded)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
