"""Not found, errors and the request log over HTTP."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from conftest import PRIVATE_CACHE, ClientFactory, build_id, next_data

pytestmark = pytest.mark.anyio

PRODUCTION_ERROR = {
    "name": "Internal Server Error.",
    "message": "500 - Internal Server Error.",
    "statusCode": 500,
}


def log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """The request log lines pagemill wrote to stderr (one JSON object each)."""
    err = capsys.readouterr().err
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


# --- 404 -----------------------------------------------------------------------------------


async def test_unknown_url_gets_the_custom_404_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    assert "custom 404: This page could not be found." in response.text
    assert next_data(response.text)["page"] == "/404"


@pytest.mark.parametrize("path", ["/_app", "/_document", "/_error", "/404"])
async def test_special_pages_are_not_routes(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert "custom 404" in response.text


async def test_404_is_private_html(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/page")
    assert response.headers["cache-control"] == PRIVATE_CACHE
    assert response.headers["content-type"] == "text/html; charset=utf-8"


async def test_not_found_result_gets_the_404_page(client: httpx.AsyncClient) -> None:  # case 5
    response = await client.get("/not-found?hiding=true")
    assert response.status_code == 404
    assert "This page could not be found" in response.text


async def test_not_found_false_renders(client: httpx.AsyncClient) -> None:  # cases 4, 7
    assert (await client.get("/not-found")).status_code == 200
    assert (await client.get("/not-found/first")).status_code == 200


async def test_404_has_no_err(client: httpx.AsyncClient) -> None:
    data = next_data((await client.get("/no/such/page")).text)
    assert "err" not in data
    assert "gssp" not in data


async def test_error_page_renders_404(client_for: ClientFactory) -> None:
    client = await client_for("error_page")
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    assert '<h1 id="error">custom error 404</h1>' in response.text
    data = next_data(response.text)
    assert data["page"] == "/_error"
    assert data["props"]["pageProps"] == {"status_code": 404}


async def test_error_page_renders_not_found_result(client_for: ClientFactory) -> None:
    client = await client_for("error_page")
    response = await client.get("/hidden")
    assert response.status_code == 404
    assert "custom error 404" in response.text


async def test_builtin_404_page(client_for: ClientFactory) -> None:
    client = await client_for("plain")
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    assert "404" in response.text
    assert "This page could not be found." in response.text
    assert response.headers["cache-control"] == PRIVATE_CACHE


# --- 500 -----------------------------------------------------------------------------------


async def test_gssp_error_gets_the_custom_500_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/blog/post-100")
    assert response.status_code == 500
    assert "custom pages/500" in response.text
    assert "This page could not be found" not in response.text  # case 12


async def test_500_is_private_html(client: httpx.AsyncClient) -> None:
    response = await client.get("/blog/post-100")
    assert response.headers["cache-control"] == PRIVATE_CACHE
    assert response.headers["content-type"] == "text/html; charset=utf-8"


async def test_error_page_renders_500(client_for: ClientFactory) -> None:
    client = await client_for("error_page")
    response = await client.get("/boom")
    assert response.status_code == 500
    assert '<h1 id="error">custom error 500</h1>' in response.text
    assert next_data(response.text)["props"]["pageProps"] == {"status_code": 500}


async def test_builtin_500_page(client_for: ClientFactory) -> None:
    client = await client_for("plain")
    response = await client.get("/boom")
    assert response.status_code == 500
    assert "500" in response.text
    assert "Internal Server Error." in response.text


async def test_render_error_is_a_500(client_for: ClientFactory) -> None:
    client = await client_for("plain")
    response = await client.get("/render-boom")
    assert response.status_code == 500
    assert "Internal Server Error." in response.text


async def test_err_in_next_data_is_the_production_object(client: httpx.AsyncClient) -> None:
    data = next_data((await client.get("/blog/post-100")).text)
    assert data["err"] == PRODUCTION_ERROR
    assert list(data) == ["props", "page", "query", "buildId", "isFallback", "err", "scriptLoader"]


@pytest.mark.parametrize(
    ("app", "path"),
    [
        ("gssp", "/blog/post-100"),
        ("gssp", "/_next/data/{build}/blog/post-100.json"),
        ("plain", "/boom"),
        ("plain", "/render-boom"),
        ("error_page", "/boom"),
        ("broken_error", "/boom"),
    ],
)
async def test_no_exception_text_in_500_body(
    client_for: ClientFactory, app: str, path: str
) -> None:
    client = await client_for(app)
    url = path.format(build=await build_id(client, "/no/such/page"))
    response = await client.get(url)
    assert response.status_code == 500
    assert "secret" not in response.text
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text


async def test_broken_500_page_falls_back_to_the_builtin_page(client_for: ClientFactory) -> None:
    client = await client_for("broken_error")
    response = await client.get("/boom")
    assert response.status_code == 500
    assert "Internal Server Error." in response.text
    assert "broken" not in response.text


async def test_broken_404_page_falls_back_to_the_builtin_page(client_for: ClientFactory) -> None:
    client = await client_for("broken_error")
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    assert "This page could not be found." in response.text


# --- validation errors are 500s in production ----------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/invalid-keys", "Keys that need to be moved: `world`, `query`, `params`"),
        ("/no-return", "pages/no-return.py did not return a dict"),
        ("/non-json", "Error serializing `.items[1].created`"),
        ("/camel", "`notFound`: did you mean `not_found`?"),
        ("/crlf-redirect", "pages/crlf-redirect.py"),
    ],
)
async def test_invalid_result_is_a_logged_500(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str], path: str, message: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 500
    assert "custom pages/500" in response.text
    assert message not in response.text
    [line] = log_lines(capsys)
    assert message in line["error"]


async def test_invalid_result_on_data_route_is_a_500(client: httpx.AsyncClient) -> None:
    build = await build_id(client)
    response = await client.get(f"/_next/data/{build}/invalid-keys.json")
    assert response.status_code == 500
    assert "custom pages/500" in response.text


# --- 400 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("param", ["%E0%A4%A", "%ZZ", "%FF", "100%"])
async def test_malformed_percent_escape_in_param_is_400(
    client: httpx.AsyncClient, param: str
) -> None:
    response = await client.get(f"/blog/{param}")
    assert response.status_code == 400
    assert response.headers["cache-control"] == PRIVATE_CACHE


async def test_malformed_percent_escape_on_data_route_is_400(client: httpx.AsyncClient) -> None:
    build = await build_id(client)
    response = await client.get(f"/_next/data/{build}/blog/%E0%A4%A.json")
    assert response.status_code == 400


async def test_malformed_percent_escape_in_catch_all_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/catchall/ok/%E0%A4%A")
    assert response.status_code == 400


async def test_400_uses_the_error_page(client_for: ClientFactory) -> None:
    client = await client_for("error_page")
    response = await client.get("/items/%E0%A4%A")
    assert response.status_code == 400
    assert "custom error 400" in response.text


# --- the request log --------------------------------------------------------------


async def test_one_structured_log_line_per_request(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    await client.get("/something?a=1")
    [line] = log_lines(capsys)
    assert list(line) == ["method", "path", "status", "duration_ms", "cache"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/something", 200)
    assert line["cache"] == "MISS"  # the response cache's verdict, as in x-pagemill-cache
    assert isinstance(line["duration_ms"], int | float)


async def test_log_line_has_the_status_of_the_answer(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    await client.post("/no/such/page")
    [line] = log_lines(capsys)
    assert (line["method"], line["path"], line["status"]) == ("POST", "/no/such/page", 404)


async def test_500_log_line_has_the_error_and_traceback(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    response = await client.get("/blog/post-100")
    [line] = log_lines(capsys)
    assert line["status"] == 500
    assert "secret database password" in line["error"]
    [record] = [r for r in caplog.records if r.name == "pagemill"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert record.exc_info[0] is RuntimeError
    assert "Traceback" in caplog.text
    assert "secret" not in response.text


async def test_a_header_with_a_line_break_is_refused_naming_the_page(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    fine = await client.get("/header-injection?note=ok")
    assert fine.headers["x-note"] == "ok"
    response = await client.get("/header-injection?note=a%0d%0aSet-Cookie:%20stolen=1")
    assert response.status_code == 500
    assert "stolen" not in response.headers.get("set-cookie", "")
    [line] = log_lines(capsys)[-1:]
    assert (
        "pages/header-injection.py: the value of header 'x-note' contains a line break"
        in (line["error"])
    )
