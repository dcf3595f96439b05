"""i18n: locale prefixes, domains, detection on `/`, and the locale everywhere."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from conftest import ClientFactory, next_data

from pagemill.config import Domain, I18n
from pagemill.i18n import Locales, preferred_locale

pytestmark = pytest.mark.anyio

LOCALES = ["en-US", "nl-NL", "nl-BE", "nl", "fr-BE", "fr", "en", "go", "go-BE", "do", "do-BE"]


@pytest.fixture
async def client(client_for: ClientFactory) -> httpx.AsyncClient:
    return await client_for("i18n")


def props_of(response: httpx.Response) -> dict[str, Any]:
    props: dict[str, Any] = next_data(response.text)["props"]["pageProps"]
    return props


async def test_no_prefix_is_the_default_locale(client: httpx.AsyncClient) -> None:
    response = await client.get("/gssp")
    assert props_of(response) == {
        "locale": "en-US",
        "locales": LOCALES,
        "default_locale": "en-US",
        "query": {},
        "resolved_url": "/gssp",
        "url": "/gssp",
    }
    assert '<html lang="en-US">' in response.text
    data = next_data(response.text)
    assert (data["locale"], data["locales"], data["defaultLocale"]) == ("en-US", LOCALES, "en-US")
    assert list(data)[-3:] == ["defaultLocale", "domainLocales", "scriptLoader"]
    assert data["domainLocales"][1] == {
        "domain": "example.do",
        "defaultLocale": "do",
        "locales": ["do-BE"],
        "http": True,
    }


async def test_prefix_sets_the_locale_and_is_stripped(client: httpx.AsyncClient) -> None:
    response = await client.get("/nl-NL/gssp?x=1")
    props = props_of(response)
    assert (props["locale"], props["default_locale"]) == ("nl-NL", "en-US")
    assert (props["resolved_url"], props["url"]) == ("/gssp?x=1", "/gssp?x=1")
    assert '<html lang="nl-NL">' in response.text
    assert "nl-NL|en-US|/gssp?x=1" in response.text


async def test_prefix_matches_case_insensitively_with_canonical_casing(
    client: httpx.AsyncClient,
) -> None:
    assert props_of(await client.get("/NL-nl/gssp"))["locale"] == "nl-NL"


async def test_dynamic_page_under_a_locale(client: httpx.AsyncClient) -> None:
    props = props_of(await client.get("/fr/gssp/first"))
    assert props == {"params": {"slug": "first"}, "locale": "fr", "resolved_url": "/gssp/first"}


@pytest.mark.parametrize(("host", "locale"), [("example.do", "do"), ("EXAMPLE.com:8080", "go")])
async def test_domain_sets_the_default_locale(
    client: httpx.AsyncClient, host: str, locale: str
) -> None:
    props = props_of(await client.get("/gssp", headers={"host": host}))
    assert (props["locale"], props["default_locale"]) == (locale, locale)


async def test_data_route_requires_the_locale_segment(client: httpx.AsyncClient) -> None:
    build = next_data((await client.get("/gssp")).text)["buildId"]
    with_locale = await client.get(f"/_next/data/{build}/nl/gssp.json")
    assert with_locale.status_code == 200
    assert with_locale.json()["pageProps"]["locale"] == "nl"
    assert with_locale.json()["pageProps"]["url"] == "/gssp"
    default = await client.get(f"/_next/data/{build}/en-US/gssp/first.json")
    assert default.json()["pageProps"]["locale"] == "en-US"
    home = await client.get(f"/_next/data/{build}/fr.json")
    assert home.json()["pageProps"] == {"locale": "fr"}
    assert (await client.get(f"/_next/data/{build}/gssp.json")).status_code == 404


async def test_detection_on_root_redirects_by_accept_language(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"accept-language": "fr-CA,fr;q=0.9,en;q=0.8"})
    assert (response.status_code, response.headers["location"]) == (307, "/fr")


async def test_cookie_wins_over_accept_language(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/", headers={"accept-language": "fr", "cookie": "NEXT_LOCALE=nl-BE"}
    )
    assert (response.status_code, response.headers["location"]) == (307, "/nl-BE")


async def test_no_redirect_for_the_default_or_off_root(client: httpx.AsyncClient) -> None:
    assert (await client.get("/", headers={"accept-language": "en-US"})).status_code == 200
    assert (await client.get("/gssp", headers={"accept-language": "fr"})).status_code == 200
    assert (await client.get("/fr", headers={"accept-language": "nl"})).status_code == 200


async def test_detection_on_a_locale_domain_sends_another_domains_locale_there(
    client: httpx.AsyncClient,
) -> None:
    """On one locale domain, a browser language another domain owns goes to that domain: to
    its root for its default locale, else under the locale (Next's getLocaleRedirect)."""
    on_com = {"host": "example.com"}
    response = await client.get("/", headers={**on_com, "accept-language": "do"})
    assert (response.status_code, response.headers["location"]) == (307, "http://example.do/")
    response = await client.get("/", headers={**on_com, "accept-language": "do-BE"})
    assert response.headers["location"] == "http://example.do/do-BE"
    response = await client.get("/", headers={**on_com, "accept-language": "go-BE"})
    assert response.headers["location"] == "https://example.com/go-BE"
    assert (await client.get("/", headers={**on_com, "accept-language": "go"})).status_code == 200


async def test_detection_on_a_locale_domain_ignores_the_locale_cookie(
    client: httpx.AsyncClient,
) -> None:
    """A locale domain's visitors get its default locale: the cookie picks none there."""
    response = await client.get("/", headers={"host": "example.com", "cookie": "NEXT_LOCALE=fr"})
    assert response.status_code == 200
    assert next_data(response.text)["locale"] == "go"


async def test_detection_off_the_locale_domains_stays_on_this_host(
    client: httpx.AsyncClient,
) -> None:
    """On a host that is no locale domain, a locale a domain owns is still a path here."""
    response = await client.get("/", headers={"accept-language": "do"})
    assert (response.status_code, response.headers["location"]) == (307, "/do")


async def test_detection_keeps_the_query(client: httpx.AsyncClient) -> None:
    response = await client.get("/?ref=mail&x=1", headers={"accept-language": "fr"})
    assert response.headers["location"] == "/fr?ref=mail&x=1"


async def test_a_locale_owned_by_a_domain_takes_its_default_locale(
    client: httpx.AsyncClient,
) -> None:
    """`/go-BE/…` on any host belongs to example.com's domain: its default is `go`."""
    data = next_data((await client.get("/go-BE/gssp")).text)
    props = data["props"]["pageProps"]
    assert (props["locale"], props["default_locale"]) == ("go-BE", "go")


async def test_static_page_is_prerendered_per_locale(client: httpx.AsyncClient) -> None:
    french = await client.get("/fr/about")
    assert '<html lang="fr">' in french.text
    assert next_data(french.text)["locale"] == "fr"
    assert '<html lang="en-US">' in (await client.get("/about")).text


async def test_not_found_keeps_the_locale(client: httpx.AsyncClient) -> None:
    response = await client.get("/nl/nope")
    assert response.status_code == 404
    assert '<html lang="nl">' in response.text


def test_preferred_locale_by_quality_then_language() -> None:
    locales = ["en-US", "fr", "nl-NL"]
    assert preferred_locale("nl-NL;q=0.5, fr;q=0.9", locales) == "fr"
    assert preferred_locale("en-GB", locales) == "en-US"
    assert preferred_locale("nl", locales) == "nl-NL"
    assert preferred_locale("de, *", locales) is None
    assert preferred_locale("fr;q=0, nl;q=bad", locales) is None


def test_locale_of_request() -> None:
    locales = Locales(
        I18n(
            locales=("en", "fr", "de"),
            default_locale="en",
            domains=(Domain(domain="example.de", default_locale="de"),),
        )
    )
    found = locales.of_request("/FR/a/b", "x")
    assert (found.locale, found.path, found.prefixed) == ("fr", "/a/b", True)
    assert locales.of_request("/", "example.de:443").locale == "de"
    assert locales.of_request("/frx", "").path == "/frx"
