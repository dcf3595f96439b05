"""The hand-written baseline: the benchmark page with Starlette + a precompiled Jinja2 template.

What a careful developer would write by hand for an SSR page with hydration data: the same
100 items built per request as pagemill's page (bench/apps/list100/lib/catalog.py), rendered with a
template compiled once (autoescape on), the props embedded as JSON in a
`<script type="application/json">` escaped as SPEC 4.2 says, and the same props as JSON at
`/items.json` (orjson). Same Cache-Control header as pagemill's gSSP pages; no gzip, no ETag.
`?n=` changes the number of items, as on pagemill's page. `/api/hello` is the plain Starlette
route for pagemill's API route of the same name (`/api/hello-sync` its `def` form, which
Starlette runs in a worker thread).

    granian --interface asgi --workers 1 --host 127.0.0.1 --port 8001 bench.baseline.app:app
"""

from __future__ import annotations

from typing import Any

import jinja2
import orjson
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bench.apps.list100.lib.catalog import make_items, number

HEADERS = {"cache-control": "private, no-cache, no-store, max-age=0, must-revalidate"}


def get_props(request: Request) -> dict[str, Any]:
    query = request.query_params
    page = number(query.get("page"), 1)
    return {"page": page, "items": make_items(page, number(query.get("n"), 100))}


TEMPLATE = jinja2.Environment(autoescape=True).from_string(
    """<!DOCTYPE html><html><head><meta charset="utf-8">\
<meta name="viewport" content="width=device-width"><title>Items, page {{ page }}</title></head>\
<body><div id="__next"><h1>Items</h1><ul class="items">
{%- for item in items -%}
<li id="item-{{ item.id }}" class="item" data-price="{{ item.price }}">\
<a href="/items/{{ item.id }}" class="name">{{ item.name }}</a>\
<span class="price">${{ '%.2f' % item.price }}</span>\
<small class="tags">{{ item.tags | join(', ') }}</small></li>
{%- endfor -%}
</ul><p class="count">{{ items | length }} items</p></div>\
<script id="__NEXT_DATA__" type="application/json">{{ data }}</script>\
<script src="/static/app.js" defer></script></body></html>"""
)

_SCRIPT_ESCAPES = (
    (b"&", b"\\u0026"),
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)


def script_json(value: object) -> Markup:
    """JSON that is safe inside a <script> element (SPEC 4.2's escapes)."""
    data = orjson.dumps(value)
    for raw, escaped in _SCRIPT_ESCAPES:
        data = data.replace(raw, escaped)
    return Markup(data.decode())


async def items_page(request: Request) -> Response:
    props = get_props(request)
    html = TEMPLATE.render(**props, data=script_json({"props": {"pageProps": props}}))
    return HTMLResponse(html, headers=HEADERS)


async def items_json(request: Request) -> Response:
    props = get_props(request)
    return Response(orjson.dumps({"pageProps": props}), media_type="application/json",
                    headers=HEADERS)


async def hello(request: Request) -> Response:
    return JSONResponse({"hello": "world"})


def hello_sync(request: Request) -> Response:
    return JSONResponse({"hello": "world"})


app = Starlette(
    routes=[
        Route("/items", items_page),
        Route("/items.json", items_json),
        Route("/api/hello", hello),
        Route("/api/hello-sync", hello_sync),
    ]
)
