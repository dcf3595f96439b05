"""Next.js's i18n test cases (Pages Router, over HTTP), ported onto tests/apps/next_i18n*.

The apps mirror Next's fixtures: `next_i18n` is test/integration/i18n-support (its
next.config.js as pagemill.toml), `next_i18n_base_path` the same under `/docs` (Next runs
test/shared.ts against both), `next_i18n_no_detection` and `next_i18n_trailing` the variants
index.test.ts builds by editing next.config.js, and `next_i18n_e2e` / `next_i18n_e2e_base_path`
the fixtures of the test/e2e/i18n-* suites. `_app.py` prints what Next's pages print of
`useRouter()` (`#router-locale`, `#router-pathname`, ...); gSSP props are read from
`__NEXT_DATA__`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from conftest import APPS, ClientFactory, Server, build_id, built, next_data, served

pytestmark = pytest.mark.anyio

NON_DOMAIN_LOCALES = ["en-US", "nl-NL", "nl-BE", "nl", "fr-BE", "fr", "en"]
DOMAIN_LOCALES = ["go", "go-BE", "do", "do-BE"]
LOCALES = NON_DOMAIN_LOCALES + DOMAIN_LOCALES
DEFAULT_LOCALES = ["en-US", "do", "go"]
SHARED = "test/integration/i18n-support/test/shared.ts"
INDEX = "test/integration/i18n-support/test/index.test.ts"
BASE_INDEX = "test/integration/i18n-support-base-path/test/index.test.ts"


@dataclass
class Site:
    """A client over one of the apps shared.ts runs against, and that app's base path."""

    client: httpx.AsyncClient
    base: str

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        """GET `path` under the base path; `/` is the base path itself (`/docs/` redirects
        to `/docs`, which Next's tests follow without saying so)."""
        if self.base and (path == "/" or path.startswith("/?")):
            return await self.client.get(self.base + path[1:], **kwargs)
        return await self.client.get(self.base + path, **kwargs)


@pytest.fixture(params=["", "/docs"], ids=["no-base-path", "base-path"])
async def site(request: pytest.FixtureRequest, client_for: ClientFactory) -> Site:
    base: str = request.param
    return Site(await client_for("next_i18n_base_path" if base else "next_i18n"), base)


@pytest.fixture
async def client(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("next_i18n")


def shown(response: httpx.Response, element_id: str) -> str:
    """The text of the element with this id (what cheerio's `$('#id').text()` gives)."""
    found = re.search(rf'<(\w+) id="{element_id}">(.*?)</\1>', response.text, re.S)
    assert found is not None, f"no #{element_id} in the page"
    return html.unescape(found.group(2))


def lang(response: httpx.Response) -> str | None:
    found = re.search(r'<html lang="([^"]*)"', response.text)
    return found.group(1) if found else None


def router(response: httpx.Response) -> dict[str, Any]:
    return {
        "locale": shown(response, "router-locale"),
        "default_locale": shown(response, "router-default-locale"),
        "locales": json.loads(shown(response, "router-locales")),
        "query": json.loads(shown(response, "router-query")),
        "pathname": shown(response, "router-pathname"),
        "as_path": shown(response, "router-as-path"),
    }


def props(response: httpx.Response) -> dict[str, Any]:
    page_props: dict[str, Any] = next_data(response.text)["props"]["pageProps"]
    return page_props


def location_path(response: httpx.Response) -> tuple[str, dict[str, str]]:
    """The Location's pathname and query (as `new URL(location)` parses it)."""
    url = httpx.URL(response.headers["location"])
    return url.path, dict(url.params)


# --- shared.ts -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/docsextra", "/en/docs", "/docsextra/en", "/docsen"])
async def test_base_path_like_pathname_is_not_found(client_for: ClientFactory, path: str) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should handle basePath like
    pathname" (run by i18n-support-base-path with basePath /docs)."""
    client = await client_for("next_i18n_base_path")
    response = await client.get(path)
    assert response.status_code == 404
    assert "This page could not be found" in response.text


async def test_public_file_on_locale_domain(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should serve public file on
    locale domain"."""
    for host in ["example.do", "example.com"]:
        response = await site.get("/files/texts/file.txt", headers={"host": host})
        assert response.status_code == 200
        assert "hello from file.txt" in response.text


async def test_redirect_external_domain_unprefixed(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should redirect external domain
    correctly" (its `/redirect-5` request; the locale-prefixed ones are in gaps_i18n.py; the
    rule is written from what the test expects: the stored fixture config predates it)."""
    response = await site.get("/redirect-5")
    assert response.status_code == 307
    assert response.headers["location"] == "https://jobs.example.com/"


async def test_not_found_signal_cookie_lookalike(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should not error with similar
    named cookie to locale cookie"."""
    response = await site.get("/", headers={"cookie": "NEXT_LOCALE2=hello"})
    assert response.status_code == 200
    assert "index page" in response.text


@pytest.mark.parametrize("path", ["/links", "/another"])
async def test_non_prefixed_path_values(site: Site, path: str) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should have correct values for
    non-prefixed path" (its gsp fallback rows are not ported: getStaticProps)."""
    response = await site.get(path, headers={"accept-language": "fr"})
    assert response.status_code == 200
    assert lang(response) == "en-US"
    shown_router = router(response)
    assert shown_router["locale"] == "en-US"
    assert shown_router["default_locale"] == "en-US"
    assert shown_router["locales"] == LOCALES
    assert (shown_router["pathname"], shown_router["as_path"]) == (path, path)


async def test_locale_root_values(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should not have hydration
    mis-match from hash" (what the server answers for `/en`; the hash never reaches it)."""
    response = await site.get("/en")
    assert lang(response) == "en"
    shown_router = router(response)
    assert (shown_router["locale"], shown_router["default_locale"]) == ("en", "en-US")
    assert shown_router["locales"] == LOCALES
    assert (shown_router["pathname"], shown_router["as_path"]) == ("/", "/")


async def test_auto_export_dynamic_route(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should resolve auto-export
    dynamic route correctly"."""
    for locale in NON_DOMAIN_LOCALES:
        response = await site.get(f"/{locale}/dynamic/first")
        assert response.status_code == 200
        assert "dynamic page" in response.text


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/first/", "/first"),
        ("/en/", "/en"),
        ("/en/another/", "/en/another"),
        ("/fr/", "/fr"),
        ("/fr/another/", "/fr/another"),
    ],
)
async def test_trailing_slash_redirect(client: httpx.AsyncClient, path: str, target: str) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should apply trailingSlash
    redirect correctly"."""
    response = await client.get(path)
    assert response.status_code == 308
    assert location_path(response) == (target, {})


@pytest.mark.parametrize(
    ("path", "redirects", "target"),
    [
        ("/en-US/redirect-1", True, "/somewhere-else"),
        ("/en/redirect-1", False, None),
        ("/nl/redirect-2", True, "/somewhere-else"),
        ("/fr/redirect-2", False, None),
        ("/redirect-3", True, "/somewhere-else"),
        ("/redirect-4", True, "/"),
    ],
)
async def test_redirects(site: Site, path: str, redirects: bool, target: str | None) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should apply redirects
    correctly" (its rows of a rule matched under a locale prefix are in gaps_i18n.py)."""
    response = await site.get(path)
    assert response.status_code == (307 if redirects else 200)
    if redirects:
        assert location_path(response) == (f"{site.base}{target}", {})


@pytest.mark.parametrize(
    ("path", "added"),
    [
        ("/en-US/add-header-1", True),
        ("/en/add-header-1", False),
        ("/nl/add-header-2", True),
        ("/fr/add-header-2", False),
        ("/add-header-3", True),
    ],
)
async def test_headers(site: Site, path: str, added: bool) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should apply headers
    correctly" (its rows of a rule matched under a locale prefix are in gaps_i18n.py)."""
    response = await site.get(path)
    assert response.status_code == 200
    assert response.headers.get("x-hello") == ("world" if added else None)


async def test_api_route_directly(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should visit API route directly
    correctly"."""
    for locale in LOCALES:
        assert (await site.get(f"/{locale}/api/hello")).status_code == 404
    response = await site.get("/api/hello")
    assert response.json() == {"hello": True, "query": {}}


async def test_dynamic_api_route_directly(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should visit dynamic API route
    directly correctly"."""
    for locale in LOCALES:
        assert (await site.get(f"/{locale}/api/post/first")).status_code == 404
    response = await site.get("/api/post/first")
    assert response.json() == {"post": True, "query": {"slug": "first"}}


async def test_update_as_path(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should update asPath on the
    client correctly" (what the server renders for `/en` and `/En`)."""
    for prefix in ["en", "En"]:
        response = await site.get(f"/{prefix}")
        assert lang(response) == "en"
        shown_router = router(response)
        assert shown_router["locale"] == "en"
        assert shown_router["locales"] == LOCALES
        assert (shown_router["as_path"], shown_router["pathname"]) == ("/", "/")


async def test_default_locale_for_locale_domains(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should use correct default
    locale for locale domains"."""
    for host, locale in [("example.do", "do"), ("example.com", "go")]:
        response = await site.get("/", headers={"host": host})
        assert response.status_code == 200
        assert lang(response) == locale
        shown_router = router(response)
        assert shown_router["locale"] == locale
        assert (shown_router["as_path"], shown_router["pathname"]) == ("/", "/")
        assert shown_router["locales"] == LOCALES


async def test_default_locale_prefix_kept_on_locale_domain(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should not strip locale prefix
    for default locale with locale domains"."""
    assert (await site.get("/do", headers={"host": "example.do"})).status_code == 200
    assert (await site.get("/go", headers={"host": "example.com"})).status_code == 200


async def test_locale_cookie_beats_accept_language(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should not redirect to
    accept-lang preferred locale with locale cookie"."""
    response = await site.get("/", headers={"accept-language": "nl", "cookie": "NEXT_LOCALE=en-US"})
    assert response.status_code == 200
    shown_router = router(response)
    assert shown_router["locale"] == "en-US"
    assert shown_router["locales"] == LOCALES
    assert lang(response) == "en-US"
    assert (shown_router["pathname"], shown_router["as_path"]) == ("/", "/")


@pytest.mark.parametrize(
    ("host", "locale", "location"),
    [("example.com", "do", "http://example.do/"), ("example.do", "go", "https://example.com/")],
)
async def test_redirect_to_locale_domain(site: Site, host: str, locale: str, location: str) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should redirect to correct
    locale domain"."""
    response = await site.get("/", headers={"host": host, "accept-language": locale})
    assert response.status_code == 307
    assert response.headers["location"] == location


DOMAINS = {"example.do": ("do", ["do-BE"]), "example.com": ("go", ["go-BE"])}


async def test_default_locale_of_locale_domain_in_gssp(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should provide defaultLocale
    correctly for locale domain"."""
    for host, locale in [("example.do", "do"), ("example.com", "go")]:
        response = await site.get("/gssp", headers={"host": host})
        assert response.status_code == 200
        shown_router = router(response)
        assert (shown_router["locale"], shown_router["default_locale"]) == (locale, locale)
        assert props(response) == {
            "defaultLocale": locale,
            "locale": locale,
            "locales": LOCALES,
            "query": {},
        }
        assert shown_router["locales"] == LOCALES


async def test_auto_export_page_with_all_locales(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should generate auto-export page
    with all locales"."""
    for locale in NON_DOMAIN_LOCALES:
        for path, as_path in [("", "/"), ("/auto-export", "/auto-export")]:
            response = await site.get(f"/{locale}{path}")
            assert lang(response) == locale
            shown_router = router(response)
            assert shown_router["locale"] == locale
            assert (shown_router["as_path"], shown_router["pathname"]) == (as_path, as_path)
            assert shown_router["locales"] == LOCALES


async def test_not_found_per_locale(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should 404 for GSP pages that
    returned notFound" (the page answers notFound for en and nl from
    get_server_side_props, where Next's fixture uses getStaticProps; the 404 page keeps the
    locale)."""
    for locale in NON_DOMAIN_LOCALES:
        response = await site.get(f"/{locale}/not-found")
        skipped = locale in ("en", "nl")
        assert response.status_code == (404 if skipped else 200)
        if skipped:
            assert lang(response) == locale
            assert "This page could not be found" in response.text
            assert router(response)["locale"] == locale


async def test_default_locale_prefix_not_removed(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should not remove locale prefix
    for default locale"."""
    for prefix in ["en-US", "eN-Us"]:
        response = await site.get(f"/{prefix}", headers={"accept-language": "en-US;q=0.9"})
        assert response.status_code == 200


async def test_redirect_to_locale_prefixed_root(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should redirect to locale
    prefixed route for /" (its second request, with `?hello=world`, goes to `/` without the
    base path, so it is ported for the app without one: test_locale_redirect_keeps_query)."""
    response = await site.get(
        "/", headers={"accept-language": "nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7"}
    )
    assert response.status_code == 307
    assert location_path(response) == (f"{site.base}/nl-NL", {})


async def test_default_locale_without_accept_language(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should use default locale for /
    without accept-language"."""
    response = await site.get("/")
    assert response.status_code == 200
    shown_router = router(response)
    assert shown_router["locale"] == "en-US"
    assert shown_router["locales"] == LOCALES
    assert shown_router["query"] == {}
    assert (shown_router["pathname"], shown_router["as_path"]) == ("/", "/")
    response = await site.get("/?hello=world")
    assert response.status_code == 200
    shown_router = router(response)
    assert shown_router["locale"] == "en-US"
    assert shown_router["locales"] == LOCALES
    # the page is static (Next: auto-export), so the query is not known on the server
    assert shown_router["query"] == {}
    assert shown_router["pathname"] == "/"


@pytest.mark.parametrize("prefix", ["", "/en-US"])
async def test_gssp_page_default_locale(site: Site, prefix: str) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should load getServerSideProps
    page correctly SSR (default locale no prefix)" (prefix "") and "should load
    getServerSideProps page correctly SSR" (its /en-US/gssp half)."""
    response = await site.get(f"{prefix}/gssp")
    assert props(response) == {
        "locale": "en-US",
        "locales": LOCALES,
        "query": {},
        "defaultLocale": "en-US",
    }
    shown_router = router(response)
    assert shown_router["locale"] == "en-US"
    assert shown_router["locales"] == LOCALES
    assert shown_router["query"] == {}
    assert lang(response) == "en-US"


async def test_gssp_page_other_locale(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should load getServerSideProps
    page correctly SSR" (its /nl-NL/gssp half)."""
    response = await site.get("/nl-NL/gssp")
    assert props(response) == {
        "locale": "nl-NL",
        "locales": LOCALES,
        "query": {},
        "defaultLocale": "en-US",
    }
    assert router(response)["locale"] == "nl-NL"
    assert router(response)["query"] == {}
    assert lang(response) == "nl-NL"


@pytest.mark.parametrize("locale", ["en-US", "nl-NL"])
async def test_dynamic_gssp_page(site: Site, locale: str) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should load dynamic
    getServerSideProps page correctly SSR"."""
    response = await site.get(f"/{locale}/gssp/first")
    assert props(response) == {
        "locale": locale,
        "locales": LOCALES,
        "params": {"slug": "first"},
        "defaultLocale": "en-US",
    }
    shown_router = router(response)
    assert shown_router["locale"] == locale
    assert shown_router["locales"] == LOCALES
    assert shown_router["query"] == {"slug": "first"}
    assert lang(response) == locale


@pytest.mark.parametrize("locale", ["en-US"])
async def test_rewrite_to_api_route(site: Site, locale: str) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should rewrite to API route
    correctly for %s locale" (the other locales are in gaps_i18n.py)."""
    prefix = "" if locale == "en-US" else f"/{locale}"
    response = await site.get(f"{prefix}/sitemap.xml")
    assert "application/json" in response.headers["content-type"]
    assert response.json() == {"hello": True, "query": {}}


# --- index.test.ts: localeDetection false, trailingSlash, config errors ----------------------


@pytest.mark.parametrize("app", ["next_i18n_no_detection"])
async def test_no_detection_from_accept_language(client_for: ClientFactory, app: str) -> None:
    """Ports test/integration/i18n-support/test/index.test.ts "with localeDetection
    disabled" > "should not detect locale from accept-language" (also in
    test/integration/i18n-support-base-path/test/index.test.ts)."""
    client = await client_for(app)
    response = await client.get("/", headers={"accept-language": "fr"})
    assert response.status_code == 200
    assert lang(response) == "en-US"
    shown_router = router(response)
    assert shown_router["locale"] == "en-US"
    assert shown_router["locales"] == LOCALES
    assert (shown_router["pathname"], shown_router["as_path"]) == ("/", "/")


async def test_invalid_accept_language_is_ignored(client: httpx.AsyncClient) -> None:
    """Ports test/integration/i18n-support/test/index.test.ts "should ignore the invalid
    accept-language header" (with detection on, which the test switches back to)."""
    response = await client.get("/", headers={"accept-language": "ldfir;"})
    assert response.status_code == 200
    assert lang(response) == "en-US"
    shown_router = router(response)
    assert shown_router["locale"] == "en-US"
    assert shown_router["locales"] == LOCALES
    assert (shown_router["pathname"], shown_router["as_path"]) == ("/", "/")


async def test_no_detection_locale_from_path(client_for: ClientFactory) -> None:
    """Ports test/integration/i18n-support/test/index.test.ts "with localeDetection
    disabled" > "should set locale from detected path"."""
    client = await client_for("next_i18n_no_detection")
    for locale in NON_DOMAIN_LOCALES:
        response = await client.get(f"/{locale}", headers={"accept-language": "en-US,en;q=0.9"})
        assert response.status_code == 200
        assert lang(response) == locale
        shown_router = router(response)
        assert shown_router["locale"] == locale
        assert shown_router["locales"] == LOCALES
        assert (shown_router["pathname"], shown_router["as_path"]) == ("/", "/")


@pytest.mark.parametrize(("app", "slash"), [("next_i18n", "")])
async def test_detection_redirect_with_trailing_slash_setting(
    client_for: ClientFactory, app: str, slash: str
) -> None:
    """Ports test/integration/i18n-support/test/index.test.ts "with trailingSlash: true" >
    "should redirect correctly" (in gaps_i18n.py) and "with trailingSlash: false" >
    "should redirect correctly"."""
    client = await client_for(app)
    for locale in NON_DOMAIN_LOCALES:
        response = await client.get("/", headers={"accept-language": locale})
        if locale == "en-US":
            assert response.status_code == 200
        else:
            assert response.status_code == 307
            assert location_path(response) == (f"/{locale}{slash}", {})


@pytest.mark.parametrize(
    ("pathname", "as_path"), [("/", "/"), ("/gssp", "/gssp/"), ("/gssp/[slug]", "/gssp/first/")]
)
async def test_trailing_slash_pages_with_locale_prefix(
    client_for: ClientFactory, pathname: str, as_path: str
) -> None:
    """Ports test/integration/i18n-support/test/index.test.ts "with trailingSlash: true" >
    "should serve pages correctly with locale prefix" (its gsp rows are not ported; the
    static pages' rows are in gaps_i18n.py)."""
    client = await client_for("next_i18n_trailing")
    for locale in NON_DOMAIN_LOCALES:
        prefix = "" if locale == "en-US" else f"/{locale}"
        response = await client.get(f"{prefix}{as_path}")
        assert response.status_code == 200, (locale, as_path)
        shown_router = router(response)
        assert (shown_router["pathname"], shown_router["as_path"]) == (pathname, as_path)
        assert shown_router["locale"] == locale
        assert shown_router["locales"] == LOCALES
        assert shown_router["default_locale"] == "en-US"


async def test_repeated_locales_are_not_found(client_for: ClientFactory) -> None:
    """Ports test/integration/i18n-support/test/index.test.ts "with trailingSlash: true" >
    "should return 404 error for repeating locales" (its gsp fallback row is not ported; the
    404 page shows the locale through the router, not gSP props)."""
    client = await client_for("next_i18n_trailing")
    for locale in NON_DOMAIN_LOCALES:
        for as_path in ["/post/comment/", "/gssp/first/"]:
            response = await client.get(f"/{locale}/en-US{as_path}")
            assert response.status_code == 404, (locale, as_path)
            assert shown(response, "not-found")
            shown_router = router(response)
            assert (shown_router["locale"], shown_router["default_locale"]) == (locale, "en-US")
            assert shown_router["locales"] == LOCALES


# --- test/e2e/i18n-* ---------------------------------------------------------------------------

MULTI = ["en-US", "en", "nl-NL", "nl-BE", "nl", "fr-BE", "fr"]


async def test_multiple_locales_in_path_are_not_found(client_for: ClientFactory) -> None:
    """Ports test/e2e/i18n-disallow-multiple-locales/i18n-disallow-multiple-locales.test.ts
    "should not accept multiple locales in path"."""
    client = await client_for("next_i18n_multiple")
    response = await client.get("/")
    assert response.status_code == 200
    assert shown(response, "page") == "index page"
    assert shown(response, "router-locale") == "en-US"
    for first in MULTI:
        response = await client.get(f"/{first}")
        assert response.status_code == 200
        assert shown(response, "page") == "index page"
        assert shown(response, "router-locale") == first
        for second in MULTI:
            assert (await client.get(f"/{first}/{second}")).status_code == 404, (first, second)


REDIRECT_SOURCES = ["/en", "/sv", "/nl"]  # and "" (no locale): gaps_i18n.py


async def _landing_locale(client: httpx.AsyncClient, path: str) -> str:
    """Follow the redirects from `path` and say which locale the page landed on shows."""
    response = await client.get(path, follow_redirects=True)
    assert response.status_code == 200, response.url
    return shown(response, "current-locale")


@pytest.mark.parametrize("base", ["", "/basepath"], ids=["no-base-path", "base-path"])
@pytest.mark.parametrize("source", REDIRECT_SOURCES)
@pytest.mark.parametrize(
    ("rule", "landing"), [("to-sv", "sv"), ("to-en", "en"), ("to-slash", "en"), ("to-same", None)]
)
async def test_redirect_source_locale_ignored(
    client_for: ClientFactory, base: str, source: str, rule: str, landing: str | None
) -> None:
    """Ports test/e2e/i18n-ignore-redirect-source-locale/redirects.test.ts and
    redirects-with-basepath.test.ts "get redirected to the new page, from: %s to: sv",
    "... to: en", "... to: /" and "get redirected to the new page, from and to: %s": a
    `locale = false` rule `/:locale/to-x` also matches a path without a locale (Next matches
    it with the default locale in front, resolve-routes.ts)."""
    client = await client_for("next_i18n_e2e_base_path" if base else "next_i18n_e2e")
    expected = landing or (source[1:] if source else "en")
    assert await _landing_locale(client, f"{base}{source}/{rule}") == expected


@pytest.mark.parametrize(
    ("path", "locale"),
    [
        ("/en/gssp-redirect/sv", "sv"),
        ("/sv/gssp-redirect/en", "en"),
        ("/en/gssp-redirect/from-ctx", "en"),
        ("/sv/gssp-redirect/from-ctx", "sv"),
        ("/sv/gssp-redirect", "en"),
    ],
)
async def test_gssp_redirect_to_another_locale(
    client_for: ClientFactory, path: str, locale: str
) -> None:
    """Ports test/e2e/i18n-data-fetching-redirect/redirect.test.ts "$path $fromLocale ->
    $toLocale", redirect-from-context.test.ts "$path $locale" and index.test.ts "Redirect
    to another locale" > "%s" (their getServerSideProps rows; the gsp rows and the next/link
    ones are not ported)."""
    client = await client_for("next_i18n_e2e")
    response = await client.get(path)
    assert response.status_code == 307
    assert response.headers["location"] == f"/{locale}/home"
    landed = await client.get(response.headers["location"])
    assert shown(landed, "router-locale") == locale
    assert shown(landed, "router-pathname") == "/home"
    assert shown(landed, "router-as-path") == "/home"


async def test_api_routes_with_i18n(client_for: ClientFactory) -> None:
    """Ports test/e2e/i18n-api-support/index.test.ts "should respond to normal API request"
    and "should respond to normal dynamic API request"."""
    client = await client_for("next_i18n_e2e")
    response = await client.get("/api/hello")
    assert (response.status_code, response.text) == (200, "hello world")
    response = await client.get("/api/blog/first")
    assert (response.status_code, response.text) == (200, "blog/[slug]")


@pytest.mark.parametrize(
    "path",
    ["/en/api/non-existent", "/api/non-existent"],  # the others: gaps_i18n.py
)
async def test_api_fallback_rewrite(client_for: ClientFactory, path: str) -> None:
    """Ports test/e2e/i18n-api-support/index.test.ts "should fallback rewrite non-matching
    API request" (the fallback rewrite goes to a page standing in for the external site)."""
    client = await client_for("next_i18n_e2e")
    response = await client.get(path)
    assert response.status_code == 200
    assert "Example Domain" in response.text


async def test_preferred_locale_redirect_on_index(client_for: ClientFactory) -> None:
    """Ports test/e2e/i18n-preferred-locale-detection/i18n-preferred-locale-detection.test.ts
    "should request a path prefixed with my preferred detected locale when accessing index":
    `/` goes to `/id` once, and `/id` is served (no redirect loop)."""
    client = await client_for("next_i18n_e2e")
    response = await client.get("/", headers={"accept-language": "id"})
    assert (response.status_code, response.headers["location"]) == (307, "/id")
    landed = await client.get("/id", headers={"accept-language": "id"})
    assert landed.status_code == 200
    assert shown(landed, "index") == "Index"
    assert shown(landed, "current-locale") == "id"


# --- data routes ---------------------------------------------------------------------------------


async def test_gssp_data_route_per_locale(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should navigate through history
    with query correctly" (its HTTP half: the data request the client makes for
    `/gssp?page=1` in locale nl carries the locale segment and answers these props)."""
    build = await build_id(site.client, f"{site.base}/gssp")
    response = await site.get(f"/_next/data/{build}/nl/gssp.json?page=1")
    assert response.status_code == 200
    assert response.json()["pageProps"] == {
        "locale": "nl",
        "locales": LOCALES,
        "defaultLocale": "en-US",
        "query": {"page": "1"},
    }


# --- through `pagemill start` ------------------------------------------------------------------


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """tests/apps/next_i18n built and served by `pagemill start`."""
    app = built(APPS / "next_i18n", tmp_path_factory.mktemp("i18n"))
    with served("start", str(app)) as server:
        yield server


def test_served_detection_redirect(started: Server) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should redirect to locale
    prefixed route for /" under `pagemill start`."""
    response = httpx.get(started.base + "/", headers={"accept-language": "nl-NL,nl;q=0.9"})
    assert (response.status_code, response.headers["location"]) == (307, "/nl-NL")


def test_served_locale_domain(started: Server) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should provide defaultLocale
    correctly for locale domain" under `pagemill start`."""
    response = httpx.get(started.base + "/gssp", headers={"host": "example.do"})
    assert response.status_code == 200
    assert props(response) == {
        "defaultLocale": "do",
        "locale": "do",
        "locales": LOCALES,
        "query": {},
    }
    assert lang(response) == "do"


def test_served_locale_prefixed_dynamic_gssp(started: Server) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should load dynamic
    getServerSideProps page correctly SSR" under `pagemill start`."""
    response = httpx.get(started.base + "/nl-NL/gssp/first")
    assert props(response)["params"] == {"slug": "first"}
    assert router(response)["locale"] == "nl-NL"
    assert lang(response) == "nl-NL"
