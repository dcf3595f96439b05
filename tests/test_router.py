"""The router on the server: `page(props, router)`, `head(props, router)`, and `Link` locales."""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import next_data

import pagemill
from pagemill import Link, RouterState
from pagemill.errors import AppLoadError
from pagemill.link import localized_href, rendering
from pagemill.loader import load_app, takes_router

pytestmark = pytest.mark.anyio

I18N = '[i18n]\nlocales = ["en", "fr", "nl-BE"]\ndefault_locale = "en"\n'

# A page that takes the router, and shows each of its fields and the Links it builds.
ROUTER_PAGE = """
from pagemill import Link
from pagemill.html import p, title


def get_server_side_props(ctx):
    return {"props": {"id": ctx.params["id"]}}


def head(props, router):
    return title[f"{router.locale}:{router.as_path}"]


def page(props, router):
    return [
        p(id="fields")[
            f"{router.pathname}|{router.route}|{router.as_path}|{sorted(router.query.items())}|"
            f"{router.locale}|{router.default_locale}|{','.join(router.locales)}|"
            f"{router.base_path}|{router.is_preview}"
        ],
        Link(href="/about", id="about")["About"],
        Link(href="/", id="home")["Home"],
        Link(href=f"/p/{props['id']}?x=1#top", id="self")["Self"],
        Link(href="/about", locale="en", id="en")["English"],
        Link(href="/about", locale="nl-BE", id="nl")["Nederlands"],
        Link(href="/fr/about", locale=False, id="as-given")["As given"],
        Link(href="/api/books", id="api")["API"],
        Link(href="https://example.com/x", id="out")["Out"],
    ]
"""

PROPS_ONLY = """
from pagemill import Link


def page(props):
    return Link(href="/about", id="about")["About"]
"""

LAYOUT = """
from pagemill import Link
from pagemill.html import div, nav


def app(page, props, router):
    return div[nav[Link(href="/", id="logo")["Logo"]], page]
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


AppClient = Callable[[dict[str, str]], Any]


@pytest.fixture
async def app_client(tmp_path: Path, anyio_backend: str) -> AsyncIterator[AppClient]:
    async with AsyncExitStack() as stack:

        async def make(files: dict[str, str]) -> httpx.AsyncClient:
            app = pagemill.create_app(write(tmp_path, files))
            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://testserver"
            )
            return await stack.enter_async_context(client)

        yield make


def hrefs(markup: str) -> dict[str, str]:
    """`id` → `href` of every link in the page."""
    found = re.findall(r'<a data-pagemill-link href="([^"]*)" id="([^"]*)"', markup)
    return {link_id: href for href, link_id in found}


APP = {
    "pagemill.toml": I18N,
    "pages/p/[id].py": ROUTER_PAGE,
    "pages/about.py": PROPS_ONLY,
    "pages/_app.py": LAYOUT,
}


@pytest.mark.parametrize("compiled", ["1", "0"])
async def test_page_and_head_get_the_router(
    app_client: AppClient, monkeypatch: pytest.MonkeyPatch, compiled: str
) -> None:
    monkeypatch.setenv("PAGEMILL_COMPILE", compiled)
    client = await app_client(APP)
    response = await client.get("/fr/p/7?q=a&q=b")
    assert response.status_code == 200
    assert "<title>fr:/p/7?q=a&amp;q=b</title>" in response.text
    shown = re.search(r'<p id="fields">(.*?)</p>', response.text)
    assert shown is not None
    assert html.unescape(shown[1]).split("|") == [
        "/p/[id]",
        "/p/[id]",
        "/p/7?q=a&q=b",
        "[('id', '7'), ('q', ['a', 'b'])]",
        "fr",
        "en",
        "en,fr,nl-BE",
        "",
        "False",
    ]


@pytest.mark.parametrize("compiled", ["1", "0"])
async def test_link_takes_the_page_locale(
    app_client: AppClient, monkeypatch: pytest.MonkeyPatch, compiled: str
) -> None:
    monkeypatch.setenv("PAGEMILL_COMPILE", compiled)
    client = await app_client(APP)
    french = hrefs((await client.get("/fr/p/7")).text)
    assert french == {
        "logo": "/fr",  # the layout's links too
        "about": "/fr/about",
        "home": "/fr",
        "self": "/fr/p/7?x=1#top",
        "en": "/about",  # the default locale has no prefix
        "nl": "/nl-BE/about",
        "as-given": "/fr/about",
        "api": "/api/books",
        "out": "https://example.com/x",
    }
    english = hrefs((await client.get("/p/7")).text)
    assert (english["about"], english["home"], english["nl"]) == ("/about", "/", "/nl-BE/about")
    # A static page prerendered per locale, and the markup of the data route.
    assert hrefs((await client.get("/fr/about")).text)["about"] == "/fr/about"
    build = next_data((await client.get("/fr/about")).text)["buildId"]
    data = await client.get(
        f"/_next/data/{build}/fr/p/7.json", headers={"x-nextjs-data": "1", "x-pagemill-render": "1"}
    )
    assert hrefs(json.loads(data.text)["__pagemill"]["body"])["about"] == "/fr/about"
    # A 404 rendered in French keeps French links.
    missing = await client.get("/fr/nothing-here")
    assert hrefs(missing.text)["logo"] == "/fr"


async def test_link_with_a_base_path(app_client: AppClient) -> None:
    # Hrefs carry the base path, as everywhere in pagemill: the locale goes after it.
    based = (
        "from pagemill import Link\n\n"
        "def page(props, router):\n"
        "    return [router.base_path, Link(href='/docs/about', id='in')['In'],\n"
        "            Link(href='/docs', id='root')['Root'], Link(href='/blog', id='out')['Out']]\n"
    )
    client = await app_client(
        {"pagemill.toml": 'base_path = "/docs"\n' + I18N, "pages/index.py": based}
    )
    response = await client.get("/docs/fr")
    assert hrefs(response.text) == {"in": "/docs/fr/about", "root": "/docs/fr", "out": "/blog"}
    assert "/docs<a" in response.text


def test_localized_href() -> None:
    router = RouterState("/", "/", {}, locale="fr", locales=["en", "fr"], default_locale="en")
    based = RouterState(
        "/", "/", {}, locale="fr", locales=["en", "fr"], default_locale="en", base_path="/docs"
    )
    cases = [
        ("/about", "fr", router, "/fr/about"),
        ("/", "fr", router, "/fr"),
        ("/?a=1", "fr", router, "/fr?a=1"),
        ("/#x", "fr", router, "/fr#x"),
        ("/FR/about", "fr", router, "/FR/about"),
        ("/france", "fr", router, "/fr/france"),
        ("/api", "fr", router, "/api"),
        ("/api/x", "fr", router, "/api/x"),
        ("/apis", "fr", router, "/fr/apis"),
        ("/about", "en", router, "/about"),
        ("/about", None, router, "/about"),
        ("//cdn.example/x", "fr", router, "//cdn.example/x"),
        ("about", "fr", router, "about"),
        ("#top", "fr", router, "#top"),
        ("mailto:a@b.c", "fr", router, "mailto:a@b.c"),
        ("/docs/about", "fr", based, "/docs/fr/about"),
        ("/docs", "fr", based, "/docs/fr"),
        ("/docs?x=1", "fr", based, "/docs/fr?x=1"),
        ("/docsy", "fr", based, "/docsy"),
        ("/about", "fr", None, "/fr/about"),
    ]
    for href, locale, state, expected in cases:
        assert localized_href(href, locale, state) == expected, (href, locale)


def test_link_outside_rendering_and_inside() -> None:
    assert str(Link(href="/about")["A"]) == '<a data-pagemill-link href="/about">A</a>'
    assert str(Link(href="/about", locale="fr")) == '<a data-pagemill-link href="/fr/about"></a>'
    router = RouterState("/", "/", {}, locale="fr", locales=["en", "fr"], default_locale="en")
    with rendering(router):
        assert str(Link(href="/about")) == '<a data-pagemill-link href="/fr/about"></a>'
        assert str(Link(href="/about", locale=False)) == '<a data-pagemill-link href="/about"></a>'
        with pytest.raises(ValueError, match=r"'de' is not one of the app's locales \(en, fr\)"):
            Link(href="/about", locale="de")
    with pytest.raises(ValueError, match="give a locale such as 'fr'"):
        Link(href="/about", locale=True)
    assert str(Link(href="/about")) == '<a data-pagemill-link href="/about"></a>'


def test_router_parameter_detection() -> None:
    def props_only(props: object) -> None: ...
    def with_router(props: object, router: object) -> None: ...
    def with_default(props: object, extra: object = None) -> None: ...
    def star(*args: object) -> None: ...
    def nothing() -> None: ...
    def three(a: object, b: object, c: object) -> None: ...
    def keyword_only(props: object, *, router: object) -> None: ...

    assert takes_router(props_only) is False
    assert takes_router(with_router) is True
    assert takes_router(with_default) is True
    assert takes_router(star) is True
    assert takes_router(nothing) is None
    assert takes_router(three) is None
    assert takes_router(keyword_only) is None


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("def page():\n    return 'x'\n", "page"),
        ("def page(props, router, extra):\n    return 'x'\n", "page"),
        ("def page(props):\n    return 'x'\n\ndef head():\n    return None\n", "head"),
    ],
)
def test_wrong_signatures_name_the_file(tmp_path: Path, source: str, kind: str) -> None:
    write(tmp_path, {"pages/blog/post.py": source})
    with pytest.raises(AppLoadError) as info:
        load_app(tmp_path)
    assert info.value.problems == [
        f"pages/blog/post.py: `{kind}` must take the props, and may take the router second: "
        f"`def {kind}(props): ...` or `def {kind}(props, router): ...`."
    ]


async def test_error_pages_take_the_router(app_client: AppClient) -> None:
    client = await app_client(
        {
            **APP,
            "pages/404.py": (
                "def page(props, router):\n    return f'missing {router.locale} {router.as_path}'\n"
            ),
        }
    )
    response = await client.get("/fr/nope")
    assert response.status_code == 404
    assert "missing fr /nope" in response.text
