"""HTML page responses over HTTP: the document, `__NEXT_DATA__`, context, headers."""

from __future__ import annotations

import gzip
import re

import httpx
import pytest
from conftest import PRIVATE_CACHE, ClientFactory, build_id, next_data

pytestmark = pytest.mark.anyio

STATIC_CACHE = "s-maxage=31536000, stale-while-revalidate"
DOCUMENT = re.compile(
    r'<!DOCTYPE html><html><head><meta charset="utf-8">'
    r'<meta name="viewport" content="width=device-width">.*</head>'
    r'<body><div id="__next">.*</div>'
    r'<script id="__NEXT_DATA__" type="application/json">[^<]*</script>'
    r'<script src="/_next/static/chunks/pagemill-[0-9a-f]+\.js" defer></script>'
    r"</body></html>",
    re.S,
)


def page_props(response: httpx.Response) -> dict[str, object]:
    props: dict[str, object] = next_data(response.text)["props"]["pageProps"]
    return props


def app_props(response: httpx.Response) -> dict[str, object]:
    props: dict[str, object] = next_data(response.text)["props"]["app_props"]
    return props


# --- the document --------------------------------------------------------------------------


async def test_document_shape(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert DOCUMENT.fullmatch(response.text)


async def test_html_content_type(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.headers["content-type"] == "text/html; charset=utf-8"


async def test_next_data_key_order(client: httpx.AsyncClient) -> None:
    data = next_data((await client.get("/")).text)
    assert list(data) == ["props", "page", "query", "buildId", "isFallback", "gssp", "scriptLoader"]
    assert data["isFallback"] is False
    assert data["scriptLoader"] == []


async def test_next_data_props_carry_app_props_and_ssp_flag(client: httpx.AsyncClient) -> None:
    props = next_data((await client.get("/")).text)["props"]
    assert list(props) == ["pageProps", "app_props", "__N_SSP"]
    assert props["__N_SSP"] is True


async def test_next_data_page_is_the_route_pattern(client: httpx.AsyncClient) -> None:
    data = next_data((await client.get("/blog/post-1")).text)
    assert data["page"] == "/blog/[post]"


async def test_gssp_flag_on_gssp_page(client: httpx.AsyncClient) -> None:  # case 13
    assert next_data((await client.get("/")).text)["gssp"] is True


async def test_no_gssp_flag_without_gssp(client: httpx.AsyncClient) -> None:  # case 14
    data = next_data((await client.get("/normal")).text)
    assert "gssp" not in data
    assert "__N_SSP" not in data["props"]


async def test_head_tags_go_into_head(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    head = html.split("</head>", 1)[0]
    assert "<title>Home</title>" in head


async def test_layout_wraps_the_page(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    assert '<div id="__next"><div id="layout"><nav>' in html
    assert "<h1>hello world</h1>" in html  # case 10


async def test_layout_gets_the_router_state(client: httpx.AsyncClient) -> None:
    html = (await client.get("/blog/post-1?x=1")).text
    assert '<p id="router">/blog/[post] /blog/post-1?x=1</p>' in html


# --- what gSSP sees (Next cases 11, 15, 21, 25, 26, 33) ------------------------


async def test_dynamic_page_renders_its_param(client: httpx.AsyncClient) -> None:  # case 11
    html = (await client.get("/blog/post-1")).text
    assert re.search(r"Post:.*?post-1", html)


async def test_params_and_query(client: httpx.AsyncClient) -> None:  # case 15
    response = await client.get("/blog/post-1?hello=world")
    assert page_props(response)["params"] == {"post": "post-1"}
    assert next_data(response.text)["query"] == {"hello": "world", "post": "post-1"}


async def test_urls_of_a_dynamic_page(client: httpx.AsyncClient) -> None:  # case 21
    response = await client.get("/blog/post-1")
    assert app_props(response) == {
        "url": "/blog/post-1",
        "query": {"post": "post-1"},
        "pathname": "/blog/[post]",
        "as_path": "/blog/post-1",
    }
    assert page_props(response)["resolved_url"] == "/blog/post-1"


async def test_urls_keep_the_query(client: httpx.AsyncClient) -> None:  # case 25
    response = await client.get("/blog/post-1?hello=world")
    assert app_props(response)["url"] == "/blog/post-1?hello=world"
    assert app_props(response)["as_path"] == "/blog/post-1?hello=world"
    assert page_props(response)["resolved_url"] == "/blog/post-1?hello=world"


async def test_urls_of_a_static_route(client: httpx.AsyncClient) -> None:  # case 26
    response = await client.get("/something")
    assert app_props(response)["query"] == {}
    assert app_props(response)["as_path"] == "/something"
    assert page_props(response)["resolved_url"] == "/something"


async def test_param_wins_over_query(client: httpx.AsyncClient) -> None:  # case 33
    response = await client.get("/blog/post-1?post=something-else")
    assert next_data(response.text)["query"]["post"] == "post-1"
    assert page_props(response)["resolved_url"] == "/blog/post-1?post=something-else"


async def test_param_echo_is_dropped_from_resolved_url(client: httpx.AsyncClient) -> None:
    response = await client.get("/blog/post-1?post=post-1&a=1")
    assert page_props(response)["resolved_url"] == "/blog/post-1?a=1"


async def test_repeated_query_keys_and_plus(client: httpx.AsyncClient) -> None:
    props = page_props(await client.get("/something?a=1&a=2&b=x+y"))
    assert props["query"] == {"a": ["1", "2"], "b": "x y"}
    assert props["resolved_url"] == "/something?a=1&a=2&b=x+y"


async def test_params_are_decoded_per_segment(client: httpx.AsyncClient) -> None:
    props = page_props(await client.get("/catchall/a%2Fb/c%20d"))
    assert props["params"] == {"path": ["a/b", "c d"]}
    assert props["resolved_url"] == "/catchall/a%2Fb/c%20d"


@pytest.mark.parametrize(
    ("path", "post", "resolved"),
    [
        ("/blog/a+b", "a+b", "/blog/a%2Bb"),
        ("/blog/%C3%BCber", "\u00fcber", "/blog/%C3%BCber"),
        ("/blog/it's", "it's", "/blog/it's"),
    ],
)
async def test_param_decoding_and_resolved_url_encoding(
    client: httpx.AsyncClient, path: str, post: str, resolved: str
) -> None:
    props = page_props(await client.get(path))
    assert props["params"] == {"post": post}
    assert props["resolved_url"] == resolved


async def test_resolved_url_reserializes_the_query(client: httpx.AsyncClient) -> None:
    props = page_props(await client.get("/something?b=x%20y&c"))
    assert props["resolved_url"] == "/something?b=x+y&c="
    assert props["url"] == "/something?b=x%20y&c"


async def test_resolved_url_query_is_serialized_as_url_search_params(
    client: httpx.AsyncClient,
) -> None:
    props = page_props(await client.get("/something?q=a*b~c"))
    assert props["resolved_url"] == "/something?q=a*b%7Ec"


async def test_static_route_has_empty_params(client: httpx.AsyncClient) -> None:
    assert page_props(await client.get("/something"))["params"] == {}


async def test_cookies_reach_gssp(client: httpx.AsyncClient) -> None:
    response = await client.get("/something", headers={"cookie": "a=1; b=two"})
    assert page_props(response)["cookies"] == {"a": "1", "b": "two"}


async def test_no_i18n_and_no_preview_in_context(client: httpx.AsyncClient) -> None:
    props = page_props(await client.get("/something"))
    assert props["locales"] == []
    assert props["locale"] is None
    assert props["draft_mode"] is False
    assert props["preview"] is False


async def test_app_page_props_are_overlaid_by_gssp(client: httpx.AsyncClient) -> None:  # case 73
    response = await client.get("/merge")
    assert page_props(response) == {"hi": "hi", "hello": "world"}
    assert "hi world" in response.text


async def test_app_page_props_reach_the_page(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    assert '<p id="hi">override me</p>' in html


async def test_awaitable_props(client: httpx.AsyncClient) -> None:  # case 30
    response = await client.get("/promise")
    assert re.search(r"hello.*?promise", response.text)
    assert page_props(response)["text"] == "promise"


async def test_fresh_props_on_every_request(client: httpx.AsyncClient) -> None:  # case 37
    bodies = [(await client.get("/counter")).text for _ in range(3)]
    counts = [next_data(body)["props"]["pageProps"]["count"] for body in bodies]
    assert len(set(bodies)) == 3
    assert counts[1] == counts[0] + 1
    assert counts[2] == counts[1] + 1


# --- what gSSP does to the response --------------------------------------------------------


async def test_status_set_by_gssp(client: httpx.AsyncClient) -> None:
    response = await client.get("/teapot")
    assert response.status_code == 418
    assert "a teapot with tea" in response.text


async def test_cookie_set_by_gssp(client: httpx.AsyncClient) -> None:
    response = await client.get("/teapot")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("flavour=earl-grey")
    assert "httponly" in cookie.lower()


async def test_repeated_header_set_by_gssp(client: httpx.AsyncClient) -> None:
    response = await client.get("/teapot")
    assert response.headers.get_list("x-multi") == ["a", "b"]


async def test_res_end_sends_exactly_its_body(client: httpx.AsyncClient) -> None:  # case 2
    response = await client.get("/early-request-end")
    assert response.status_code == 200
    assert response.text == "hello from gssp"
    assert response.headers["content-type"] == "text/plain"


async def test_post_renders(client: httpx.AsyncClient) -> None:  # case 3
    response = await client.post("/")
    assert response.status_code == 200
    assert re.search(r"hello.*?world", response.text)


async def test_post_form_body_reaches_gssp(client: httpx.AsyncClient) -> None:
    response = await client.post("/post", data={"name": "Ada"})
    assert response.status_code == 200
    assert "POST hello Ada" in response.text


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_any_method_reaches_gssp(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(method, "/something")
    assert response.status_code == 200
    assert page_props(response)["method"] == method


async def test_head_has_headers_and_no_body(client: httpx.AsyncClient) -> None:
    plain = {"accept-encoding": "identity"}
    get = await client.get("/", headers=plain)
    head = await client.head("/", headers=plain)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["etag"] == get.headers["etag"]


async def test_head_of_a_compressed_page_has_the_get_headers(client: httpx.AsyncClient) -> None:
    gzipped = {"accept-encoding": "gzip"}
    get = await client.get("/big", headers=gzipped)
    head = await client.head("/big", headers=gzipped)
    assert head.headers.get("content-encoding") == get.headers["content-encoding"]
    assert head.headers["content-length"] == get.headers["content-length"]


# --- escaping ------------------------------------------------------------------------------


async def test_script_in_props_cannot_close_the_data_script(client: httpx.AsyncClient) -> None:
    html = (await client.get("/xss")).text
    script = html.split('<script id="__NEXT_DATA__" type="application/json">', 1)[1]
    script = script.split("</script>", 1)[0]
    assert "<" not in script
    assert ">" not in script
    assert "&" not in script
    assert "\u2028" not in script
    assert "\\u003c/script\\u003e" in script


async def test_escaped_next_data_parses_back(client: httpx.AsyncClient) -> None:
    props = page_props(await client.get("/xss"))
    assert props["evil"] == "</script><script>alert(1)</script>&\u2028"


async def test_text_is_escaped_in_markup(client: httpx.AsyncClient) -> None:
    html = (await client.get("/xss")).text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in html
    assert html.count("<script") == 2


# --- caching, ETag, compression, X-Powered-By ----------------------------------------------


@pytest.mark.parametrize("path", ["/something", "/_next/data/{build}/something.json"])
async def test_default_cache_control_is_private(client: httpx.AsyncClient, path: str) -> None:
    url = path.format(build=await build_id(client))  # case 49
    response = await client.get(url)
    assert response.headers["cache-control"] == PRIVATE_CACHE


@pytest.mark.parametrize("path", ["/custom-cache", "/_next/data/{build}/custom-cache.json"])
async def test_cache_control_set_by_gssp_is_kept(client: httpx.AsyncClient, path: str) -> None:
    url = path.format(build=await build_id(client))  # case 50
    response = await client.get(url)
    assert response.headers.get_list("cache-control") == ["public, max-age=3600"]


async def test_etag_and_304(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    tag = response.headers["etag"]
    again = await client.get("/", headers={"if-none-match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag


@pytest.mark.parametrize("header", ["W/{tag}", '"other", {tag}', "*"])
async def test_if_none_match_forms(client: httpx.AsyncClient, header: str) -> None:
    tag = (await client.get("/")).headers["etag"]
    again = await client.get("/", headers={"if-none-match": header.format(tag=tag)})
    assert again.status_code == 304


async def test_stale_etag_gets_the_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"if-none-match": '"not-this-one"'})
    assert response.status_code == 200
    assert "hello world" in response.text


async def test_large_page_is_gzipped(client: httpx.AsyncClient) -> None:
    response = await client.get("/big", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert "lorem ipsum" in response.text


async def test_large_data_answer_is_gzipped(client: httpx.AsyncClient) -> None:
    build = await build_id(client)
    response = await client.get(
        f"/_next/data/{build}/big.json", headers={"accept-encoding": "gzip"}
    )
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["pageProps"]["text"].startswith("lorem ipsum")


async def test_brotli_when_the_client_accepts_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/big", headers={"accept-encoding": "br, gzip"})
    assert response.headers["content-encoding"] == "br"
    assert response.headers["vary"] == "Accept-Encoding"
    assert "lorem ipsum" in response.text  # httpx decodes br


async def test_small_page_is_not_compressed(client: httpx.AsyncClient) -> None:
    response = await client.get("/normal", headers={"accept-encoding": "gzip"})
    assert len(response.content) < 1024
    assert "content-encoding" not in response.headers


async def test_no_compression_unless_accepted(client: httpx.AsyncClient) -> None:
    response = await client.get("/big", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in response.headers


async def test_compress_false_turns_compression_off(client_for: ClientFactory) -> None:
    client = await client_for("quiet")
    response = await client.get("/big", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    with pytest.raises(gzip.BadGzipFile):
        gzip.decompress(response.content)


async def test_powered_by_header_on_html(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.headers["x-powered-by"] == "pagemill"


async def test_powered_by_header_can_be_turned_off(client_for: ClientFactory) -> None:
    client = await client_for("quiet")
    response = await client.get("/big")
    assert response.status_code == 200
    assert "x-powered-by" not in response.headers


# --- static pages (no gSSP, no `_app.get_initial_props`) -----------------------------------


async def test_static_page_is_cached_long(client_for: ClientFactory) -> None:
    client = await client_for("plain")
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["cache-control"] == STATIC_CACHE
    assert "<h1>static home</h1>" in response.text


async def test_static_page_has_no_gssp_flags(client_for: ClientFactory) -> None:
    client = await client_for("plain")
    data = next_data((await client.get("/")).text)
    assert data["props"] == {"pageProps": {}}
    assert list(data) == ["props", "page", "query", "buildId", "isFallback", "scriptLoader"]


async def test_static_page_has_etag_and_powered_by(client_for: ClientFactory) -> None:
    client = await client_for("plain")
    response = await client.get("/")
    again = await client.get("/", headers={"if-none-match": response.headers["etag"]})
    assert response.headers["x-powered-by"] == "pagemill"
    assert again.status_code == 304


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
async def test_static_page_allows_only_get_and_head(
    client_for: ClientFactory, method: str
) -> None:
    client = await client_for("plain")
    response = await client.request(method, "/")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


async def test_gssp_page_beside_static_pages_is_private(client_for: ClientFactory) -> None:
    client = await client_for("plain")
    response = await client.get("/dynamic")
    assert response.headers["cache-control"] == PRIVATE_CACHE
    assert next_data(response.text)["gssp"] is True


async def test_page_without_gssp_renders_per_request_with_app_props(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/normal?x=1")
    assert app_props(response)["url"] == "/normal?x=1"
    assert next_data(response.text)["query"] == {"x": "1"}


# --- `_document.py` ------------------------------------------------------------------------


async def test_document_html_and_body_attributes(client_for: ClientFactory) -> None:
    client = await client_for("plain")
    html = (await client.get("/dynamic")).text
    assert html.startswith('<!DOCTYPE html><html lang="en" class="theme-dark"><head>')
    assert '<body class="plain-body" data-app="plain"><div id="__next">' in html


async def test_document_head_content(client_for: ClientFactory) -> None:
    client = await client_for("plain")
    head = (await client.get("/")).text.split("</head>", 1)[0]
    assert '<meta name="description" content="plain app">' in head
    assert '<link rel="stylesheet" href="/site.css">' in head
    assert "<title>Plain home</title>" in head


async def test_document_body_end(client_for: ClientFactory) -> None:
    client = await client_for("plain")
    html = (await client.get("/dynamic")).text
    assert html.endswith(' defer></script><script src="/extra.js"></script></body></html>')


async def test_page_head_tags_sit_between_markers(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    head = html.split("<head>", 1)[1].split("</head>", 1)[0]
    assert head.endswith("<!--pagemill-head--><title>Home</title><!--/pagemill-head-->")
