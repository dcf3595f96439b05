"""`pagemill.testing`: the helpers an app's own tests use."""

from pathlib import Path

import pytest

from pagemill.testing import build_context, call_get_server_side_props, client

APP = Path(__file__).parent / "apps" / "gssp"


@pytest.mark.anyio
async def test_client_talks_to_the_app_in_process() -> None:
    async with client(APP) as http:
        response = await http.get("/blog/post-1")
    assert response.status_code == 200
    assert "Post: post-1" in response.text


@pytest.mark.anyio
async def test_call_get_server_side_props_returns_the_raw_result() -> None:
    result = await call_get_server_side_props(APP, "/blog/post-1?x=1")
    assert result["props"]["params"] == {"post": "post-1"}
    assert result["props"]["resolved_url"] == "/blog/post-1?x=1"
    assert await call_get_server_side_props(APP, "/not-found?hiding=1") == {"not_found": True}


def test_build_context_for_page_and_data_urls() -> None:
    ctx = build_context(APP, "/blog/hello?post=hello&a=1", headers={"Cookie": "a=b"})
    assert (ctx.params, ctx.req.cookies, ctx.req.url) == (
        {"post": "hello"},
        {"a": "b"},
        "/blog/hello?post=hello&a=1",
    )


def test_an_unknown_url_says_so() -> None:
    with pytest.raises(LookupError, match="no page answers /nowhere"):
        build_context(APP, "/nowhere")
