"""Bounds on what a request may make a page do: body size and shape, gSSP running time."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from types import ModuleType

import anyio
import httpx
import pytest
from conftest import ClientFactory, build_id

from pagemill.config import ServerConfig, server_problems
from pagemill.loader import contract_problems

pytestmark = pytest.mark.anyio


@pytest.fixture
async def limits(client_for: ClientFactory) -> httpx.AsyncClient:
    """tests/apps/limits: a 2 kB body limit and a 2 s gSSP timeout from its pagemill.toml."""
    return await client_for("limits")


async def test_a_page_reads_a_body_within_the_limit(limits: httpx.AsyncClient) -> None:
    response = await limits.post("/echo", content=b"x" * 2048)
    assert (response.status_code, response.text.count("read 2048")) == (200, 1)


async def test_a_page_body_over_the_limit_is_a_413(limits: httpx.AsyncClient) -> None:
    response = await limits.post("/echo", content=b"x" * 2049)
    assert response.status_code == 413
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "413" in response.text


async def test_an_unannounced_body_over_the_limit_is_a_413(limits: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: read until too long
        for _ in range(100):
            yield b"x" * 1000

    response = await limits.post("/echo", content=chunks())
    assert response.status_code == 413


async def test_a_page_may_allow_a_larger_body(limits: httpx.AsyncClient) -> None:
    assert (await limits.post("/roomy", content=b"x" * 8192)).status_code == 200
    assert (await limits.post("/roomy", content=b"x" * 8193)).status_code == 413


async def test_the_app_limit_is_the_api_routes_default(limits: httpx.AsyncClient) -> None:
    within = await limits.post("/api/echo", content=b"x" * 2048)
    assert within.json() == {"length": 2048}
    over = await limits.post("/api/echo", content=b"x" * 2049)
    assert (over.status_code, over.json()) == (413, {"error": "Body exceeded 2kb limit"})


@pytest.mark.parametrize(
    ("query", "content_type", "body"),
    [
        ("json", "application/json", b'{"broken": '),
        ("form", "multipart/form-data; boundary=xyz", b"--xyz\r\nno headers\r\n--xyz--"),
        ("form", "multipart/form-data", b"no boundary at all"),
        (
            "form",
            "multipart/form-data; charset=undefined; boundary=zz",
            b'--zz\r\nContent-Disposition: form-data; name="f"\r\n\r\nx\r\n--zz--\r\n',
        ),
        ("form", "application/x-www-form-urlencoded; charset=punycode", b"a=1"),
        ("form", "application/x-www-form-urlencoded", b"a=\xff"),
    ],
)
async def test_malformed_page_input_is_a_400(
    limits: httpx.AsyncClient, query: str, content_type: str, body: bytes
) -> None:
    response = await limits.post(
        f"/echo?as={query}", content=body, headers={"content-type": content_type}
    )
    assert response.status_code == 400
    assert "Traceback" not in response.text


async def test_well_formed_page_input_is_read(limits: httpx.AsyncClient) -> None:
    as_json = await limits.post("/echo?as=json", json={"a": [1]})
    assert "read {&#39;a&#39;: [1]}" in as_json.text
    as_form = await limits.post("/echo?as=form", data={"name": "Zoë"})
    assert "read {&#39;name&#39;: &#39;Zoë&#39;}" in as_form.text


async def test_a_gssp_past_the_timeout_is_cancelled_and_answers_504(
    limits: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with anyio.fail_after(10):
        response = await limits.get("/hang")
    assert response.status_code == 504
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "did not finish" not in response.text  # nothing of the error reaches the client
    assert (
        "pages/hang.py: `get_server_side_props` did not finish within 2s "
        "(`server.gssp_timeout`) and was cancelled"
    ) in caplog.text
    assert "hang cancelled" in (await limits.get("/state")).text


async def test_a_sync_gssp_past_the_timeout_is_abandoned(
    limits: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with anyio.fail_after(10):
        response = await limits.get("/hang_sync")
    assert response.status_code == 504
    assert "pages/hang_sync.py" in caplog.text
    assert "was left to finish in its thread" in caplog.text


async def test_a_data_request_past_the_timeout_answers_504_json(
    limits: httpx.AsyncClient,
) -> None:
    build = await build_id(limits)
    with anyio.fail_after(10):
        response = await limits.get(f"/_next/data/{build}/hang.json")
    assert response.status_code == 504
    assert response.json() == {"error": "Gateway Timeout"}


async def test_a_zero_gssp_timeout_means_none(
    client_for: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEMILL_SERVER_GSSP_TIMEOUT", "0")
    limits = await client_for("limits")
    with anyio.fail_after(10):
        response = await limits.get("/hang_sync")  # takes 2.5 s, past the file's 2 s
    assert response.status_code == 200


def page_module(**attributes: object) -> ModuleType:
    module = ModuleType("page")
    module.page = lambda props: "x"  # type: ignore[attr-defined]
    for name, value in attributes.items():
        setattr(module, name, value)
    return module


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        (
            {"body_limit": "5mb"},
            "pages/p.py: `config` has an unknown key 'body_limit': a page's `config` takes "
            'only `body_size_limit`, like `config = {"body_size_limit": "5mb"}`.',
        ),
        (
            {"body_size_limit": "lots"},
            "pages/p.py: `config[\"body_size_limit\"]` is 'lots': use a size like \"1mb\", "
            '"500kb" or "1gb", or a number of bytes.',
        ),
        (
            ["body_size_limit"],
            'pages/p.py: `config` must be a dict like `config = {"body_size_limit": "5mb"}`; '
            "got ['body_size_limit'].",
        ),
    ],
)
def test_a_page_config_that_cannot_be_used_names_the_file(config: object, problem: str) -> None:
    assert contract_problems(page_module(config=config), "pages/p.py", "p") == [problem]


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"body_size_limit": "big"}, '`server.body_size_limit` is \'big\': use a size like "1mb"'),
        ({"header_timeout": 0.0}, "`server.header_timeout` must be more than 0 and at most 60"),
        ({"header_timeout": 61.0}, "`server.header_timeout` must be more than 0 and at most 60"),
        ({"worker_lifetime": 10.0}, "`server.worker_lifetime` must be 0 (workers live until"),
        ({"gssp_timeout": -1.0}, "`server.gssp_timeout` must be 0 (no limit) or more, got -1.0"),
        ({"max_concurrency": 0}, "`server.max_concurrency` must be at least 1, got 0"),
    ],
)
def test_server_settings_that_cannot_be_used(settings: dict[str, object], problem: str) -> None:
    problems = server_problems(ServerConfig(**settings))  # type: ignore[arg-type]
    assert len(problems) == 1
    assert problems[0].startswith(problem)


def test_server_defaults_bound_every_request() -> None:
    defaults = ServerConfig()
    assert server_problems(defaults) == []
    bounds = (defaults.body_timeout, defaults.gssp_timeout, defaults.header_timeout)
    assert bounds == (20.0, 30.0, 10.0)
    assert json.dumps(defaults.body_size_limit) == '"1mb"'
