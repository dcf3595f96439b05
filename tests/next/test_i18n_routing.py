"""Next.js i18n cases on config rules under locales, locale domains, detection, files under a
locale and i18n config errors (the rest of tests/NEXT_CASES.md's "## i18n" section; the
fixtures and helpers are test_i18n.py's)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from conftest import ClientFactory, next_data

import pagemill
from pagemill.config import ConfigError

from .test_i18n import (
    DEFAULT_LOCALES,
    DOMAIN_LOCALES,
    LOCALES,
    NON_DOMAIN_LOCALES,
    Site,
    _landing_locale,
    client,
    lang,
    location_path,
    router,
    site,
)

pytestmark = pytest.mark.anyio
__all__ = ["client", "site"]  # fixtures, used by name

DOMAINS = {"example.do": ("do", ["do-BE"]), "example.com": ("go", ["go-BE"])}


def _app_with(tmp_path: Path, toml: str) -> Path:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "index.py").write_text("def page(props):\n    return 'hi'\n")
    (tmp_path / "pagemill.toml").write_text(toml)
    return tmp_path


async def test_redirect_external_domain(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should redirect external domain
    correctly" (the `/redirect-5` rule is written from what the test expects: the stored
    fixture config predates it)."""
    for path, headers in [
        ("/do/redirect-5", {"accept-language": "do"}),
        ("/redirect-5", {}),
        ("/fr/redirect-5", {}),
    ]:
        response = await site.get(path, headers=headers)
        assert response.status_code == 307
        assert response.headers["location"] == "https://jobs.example.com/"


async def test_rewrites(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should apply rewrites correctly"
    (not its `/rewrite-5` rows: an external proxy, which pagemill does not do)."""
    for path, locale, as_path in [
        ("/en-US/rewrite-1", "en-US", "/rewrite-1"),
        ("/nl/rewrite-2", "nl", "/rewrite-2"),
        ("/fr/rewrite-3", "nl", "/rewrite-3"),
    ] + [(f"/{locale}/rewrite-4", locale, "/rewrite-4") for locale in NON_DOMAIN_LOCALES]:
        response = await site.get(path)
        assert response.status_code == 200, path
        assert lang(response) == locale, path
        shown_router = router(response)
        assert shown_router["locale"] == locale, path
        assert (shown_router["pathname"], shown_router["as_path"]) == ("/another", as_path)


@pytest.mark.parametrize("locale", ["do-BE", "go-BE"])
@pytest.mark.parametrize("domain", ["example.do", "example.com"])
async def test_locales_with_domain(site: Site, domain: str, locale: str) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should handle locales with
    domain" > "for domain $domain" > "should handle locale %s"."""
    response = await site.get("/", headers={"host": domain, "accept-language": locale})
    expected = next(name for name, (_, extra) in DOMAINS.items() if locale in extra)
    default = DOMAINS[expected][0]
    should_redirect = expected != domain or locale != default
    assert response.status_code == (307 if should_redirect else 200)
    if should_redirect:
        url = httpx.URL(response.headers["location"])
        assert url.path == f"/{'' if default == locale else locale}"
        assert dict(url.params) == {}
        assert url.host == expected
    else:
        assert lang(response) == locale


async def test_locale_redirect_keeps_query(client: httpx.AsyncClient) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should redirect to locale
    prefixed route for /" (its second request: the query is kept)."""
    response = await client.get("/?hello=world", headers={"accept-language": "en;q=0.9"})
    assert response.status_code == 307
    assert location_path(response) == ("/en", {"hello": "world"})


async def test_locale_prefixed_static_assets(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should 404 for locale prefixed
    static assets correctly": under a non-default locale a `/_next/static/` file is a plain
    404 "Not Found"; under a default locale (en-US, and the domains' do and go) it is
    served."""
    response = await site.get("/")
    assets = re.findall(r'src="[^"]*?(/_next/static/[^"]+)"', response.text)
    assert assets
    for locale in [*NON_DOMAIN_LOCALES[:2], *DOMAIN_LOCALES[:2]]:
        for asset in assets:
            response = await site.get(f"/{locale}{asset}")
            if locale in DEFAULT_LOCALES:
                assert response.status_code == 200, (locale, asset)
            else:
                assert response.status_code == 404, (locale, asset)
                assert response.headers["content-type"] == "text/plain; charset=utf-8"
                assert response.text == "Not Found"


async def test_locale_prefixed_public_files(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should 404 for locale prefixed
    public folder files": 404 under a non-default locale, served under a default one."""
    for locale in LOCALES:
        response = await site.get(f"/{locale}/files/texts/file.txt")
        if locale in DEFAULT_LOCALES:
            assert response.status_code == 200, locale
        else:
            assert response.status_code == 404, locale
            assert "could not be found" in response.text


async def test_domain_locales_in_next_data(site: Site) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should have domainLocales
    available on useRouter": the router reads them from `__NEXT_DATA__.domainLocales`
    (packages/next/src/server/render.tsx puts `domainLocales` there)."""
    data = next_data((await site.get("/")).text)
    assert data["domainLocales"] == [
        {"http": True, "domain": "example.do", "defaultLocale": "do", "locales": ["do-BE"]},
        {"domain": "example.com", "defaultLocale": "go", "locales": ["go-BE"]},
    ]


def test_duplicate_default_locales_of_domains(tmp_path: Path) -> None:
    """Ports test/integration/i18n-support/test/index.test.ts "should show proper error for
    duplicate defaultLocales"."""
    app = _app_with(
        tmp_path,
        """
[i18n]
locales = ["en", "fr", "nl"]
default_locale = "en"
[[i18n.domains]]
domain = "example.com"
default_locale = "en"
[[i18n.domains]]
domain = "fr.example.com"
default_locale = "fr"
[[i18n.domains]]
domain = "french.example.com"
default_locale = "fr"
""",
    )
    with pytest.raises(ConfigError, match=r"fr\.example\.com.*french\.example\.com.*fr"):
        pagemill.create_app(app)


def test_duplicate_locales(tmp_path: Path) -> None:
    """Ports test/integration/i18n-support/test/index.test.ts "should show proper error for
    duplicate locales" (duplicates compare case-insensitively: `eN` repeats `en`)."""
    app = _app_with(
        tmp_path, '[i18n]\nlocales = ["en", "fr", "nl", "eN", "fr"]\ndefault_locale = "en"\n'
    )
    with pytest.raises(ConfigError, match=r"duplicate.*eN, fr"):
        pagemill.create_app(app)


def test_locale_domain_with_a_port(tmp_path: Path) -> None:
    """Ports test/integration/i18n-support/test/index.test.ts "should show proper error for
    invalid locale domain"."""
    app = _app_with(
        tmp_path,
        '[i18n]\nlocales = ["en", "fr"]\ndefault_locale = "en"\n'
        '[[i18n.domains]]\ndomain = "hello:3000"\ndefault_locale = "en"\n',
    )
    with pytest.raises(ConfigError, match=r"hello:3000.*(port|protocol)"):
        pagemill.create_app(app)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/en/redirect-3", "/en/somewhere-else"),
        ("/nl-NL/redirect-3", "/nl-NL/somewhere-else"),
        ("/nl/redirect-4", "/nl"),
    ],
)
async def test_redirects_under_a_locale(site: Site, path: str, target: str) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should apply redirects
    correctly" (its rows of a `locale = true` rule under a locale prefix)."""
    response = await site.get(path)
    assert response.status_code == 307
    assert location_path(response) == (f"{site.base}{target}", {})


@pytest.mark.parametrize("path", ["/en/add-header-3", "/nl-NL/add-header-3"])
async def test_headers_under_a_locale(site: Site, path: str) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should apply headers
    correctly" (its rows of a `locale = true` rule under a locale prefix)."""
    response = await site.get(path)
    assert response.status_code == 200
    assert response.headers.get("x-hello") == "world"


@pytest.mark.parametrize("locale", [locale for locale in LOCALES if locale != "en-US"])
async def test_rewrite_to_api_route_under_a_locale(site: Site, locale: str) -> None:
    """Ports test/integration/i18n-support/test/shared.ts "should rewrite to API route
    correctly for %s locale" (the locale-prefixed requests)."""
    response = await site.get(f"/{locale}/sitemap.xml")
    assert "application/json" in response.headers["content-type"]
    assert response.json() == {"hello": True, "query": {}}


async def test_detection_redirect_with_trailing_slash(client_for: ClientFactory) -> None:
    """Ports test/integration/i18n-support/test/index.test.ts "with trailingSlash: true" >
    "should redirect correctly": the Location ends in a slash."""
    client = await client_for("next_i18n_trailing")
    for locale in NON_DOMAIN_LOCALES:
        response = await client.get("/", headers={"accept-language": locale})
        if locale == "en-US":
            assert response.status_code == 200
        else:
            assert response.status_code == 307
            assert location_path(response) == (f"/{locale}/", {})


@pytest.mark.parametrize(
    ("pathname", "as_path"), [("/links", "/links/"), ("/auto-export", "/auto-export/")]
)
async def test_trailing_slash_static_pages_with_locale_prefix(
    client_for: ClientFactory, pathname: str, as_path: str
) -> None:
    """Ports test/integration/i18n-support/test/index.test.ts "with trailingSlash: true" >
    "should serve pages correctly with locale prefix" (its static pages' rows: asPath keeps
    the trailing slash)."""
    client = await client_for("next_i18n_trailing")
    for locale in NON_DOMAIN_LOCALES:
        prefix = "" if locale == "en-US" else f"/{locale}"
        response = await client.get(f"{prefix}{as_path}")
        assert response.status_code == 200, (locale, as_path)
        shown_router = router(response)
        assert (shown_router["pathname"], shown_router["as_path"]) == (pathname, as_path)
        assert shown_router["locale"] == locale


@pytest.mark.parametrize("base", ["", "/basepath"], ids=["no-base-path", "base-path"])
@pytest.mark.parametrize(
    ("rule", "landing"), [("to-sv", "sv"), ("to-en", "en"), ("to-slash", "en"), ("to-same", "en")]
)
async def test_redirect_source_without_locale(
    client_for: ClientFactory, base: str, rule: str, landing: str
) -> None:
    """Ports test/e2e/i18n-ignore-redirect-source-locale/redirects.test.ts and
    redirects-with-basepath.test.ts "get redirected to the new page, from:  to: sv" (and
    "to: en", "to: /", "from and to: "): the source has no locale, and the `locale = false`
    rule `/:locale/to-x` matches it with the default locale in front
    (packages/next/src/server/lib/router-utils/resolve-routes.ts, "ensure locale is present
    for resolving routes")."""
    client = await client_for("next_i18n_e2e_base_path" if base else "next_i18n_e2e")
    assert await _landing_locale(client, f"{base}/{rule}") == landing


@pytest.mark.parametrize("path", ["/fr/api/hello", "/en/api/blog/first"])
async def test_api_fallback_rewrite_under_a_locale(client_for: ClientFactory, path: str) -> None:
    """Ports test/e2e/i18n-api-support/index.test.ts "should fallback rewrite non-matching
    API request" (its rows naming an existing API route under a locale prefix)."""
    client = await client_for("next_i18n_e2e")
    response = await client.get(path)
    assert response.status_code == 200
    assert "Example Domain" in response.text
