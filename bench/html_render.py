"""Benchmark: pagemill.html against a precompiled Jinja2 template on the same 250-element page,
then the items page four ways: the general path, the fast path, Jinja2 and an f-string floor.

The pagemill side builds the element tree on every render, as a page function does per
request; the Jinja side renders a template compiled once, with autoescape on. Both outputs
are checked to be the same HTML before anything is timed.

The second part renders the page of bench/apps/list100 (`items_page` below is its `page`) with
100 and 1,000 items: `pagemill.html` as written (the general path), the same function
compiled by `pagemill.compiler` as the loader compiles pages (the fast path), the baseline's
Jinja2 template, and a hand-written f-string with markupsafe's C escaping (the floor: what
the page costs in Python at the least). All four must render the same bytes. Run:

    .venv/bin/python bench/html_render.py
"""

from __future__ import annotations

import re
import sys
import timeit
from pathlib import Path
from typing import Any

import jinja2
from markupsafe._speedups import _escape_inner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.apps.list100.lib.catalog import make_items
from pagemill.compiler import compile_renderers
from pagemill.html import (
    a,
    body,
    footer,
    h1,
    head,
    header,
    html,
    li,
    link,
    main,
    meta,
    nav,
    p,
    render,
    small,
    span,
    table,
    tbody,
    td,
    th,
    thead,
    title,
    tr,
    ul,
)

NAV = [("/", "Home"), ("/users", "Users"), ("/teams", "Teams"), ("/about", "About & contact")]

USERS = [
    {
        "id": n,
        "name": f"User <{n}>" if n % 7 == 0 else f"User {n}",
        "email": f"user{n}@example.com",
        "role": "admin" if n % 5 == 0 else "member",
        "note": 'says "hi" & <b>bye</b>' if n % 3 == 0 else "quiet",
    }
    for n in range(46)
]

CONTEXT: dict[str, Any] = {"page_title": "Users & teams", "nav": NAV, "users": USERS}


def pagemill_page(ctx: dict[str, Any]) -> str:
    return str(
        html(lang="en")[
            head[
                meta(charset="utf-8"),
                title[ctx["page_title"]],
                link(rel="stylesheet", href="/static/site.css"),
            ],
            body(class_="page")[
                header[
                    nav(aria_label="Main")[
                        ul(class_="nav")[
                            (
                                li[a(href=href, class_="nav-link")[label]]
                                for href, label in ctx["nav"]
                            )
                        ]
                    ]
                ],
                main(id="content")[
                    h1[ctx["page_title"]],
                    table(class_="users")[
                        thead[tr[th["Name"], th["Email"], th["Note"]]],
                        tbody[
                            (
                                tr(id=f"user-{u['id']}", class_=u["role"])[
                                    td[a(href=f"/users/{u['id']}")[u["name"]]],
                                    td[u["email"]],
                                    td(title=u["note"])[u["note"]],
                                ]
                                for u in ctx["users"]
                            )
                        ],
                    ],
                ],
                footer[p["Made with pagemill"]],
            ],
        ]
    )


JINJA_SOURCE = """\
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{{ page_title }}</title>
  <link rel="stylesheet" href="/static/site.css">
</head>
<body class="page">
  <header>
    <nav aria-label="Main">
      <ul class="nav">
      {%- for href, label in nav %}
        <li><a href="{{ href }}" class="nav-link">{{ label }}</a></li>
      {%- endfor %}
      </ul>
    </nav>
  </header>
  <main id="content">
    <h1>{{ page_title }}</h1>
    <table class="users">
      <thead><tr><th>Name</th><th>Email</th><th>Note</th></tr></thead>
      <tbody>
      {%- for u in users %}
        <tr id="user-{{ u["id"] }}" class="{{ u["role"] }}">
          <td><a href="/users/{{ u["id"] }}">{{ u["name"] }}</a></td>
          <td>{{ u["email"] }}</td>
          <td title="{{ u["note"] }}">{{ u["note"] }}</td>
        </tr>
      {%- endfor %}
      </tbody>
    </table>
  </main>
  <footer><p>Made with pagemill</p></footer>
</body>
</html>
"""

# Jinja looks `u["id"]` up as an item first; `u.id`, the syntax its docs lead with, tries an
# attribute first and falls back to the item after an AttributeError, which is what a
# template gets when it is handed a page's props (dicts, since they travel as JSON).
ENV = jinja2.Environment(autoescape=True)
TEMPLATES = {
    'jinja2 u["id"] (item lookup)': ENV.from_string(JINJA_SOURCE),
    "jinja2 u.id (attribute lookup)": ENV.from_string(
        re.sub(r'u\["(\w+)"\]', r"u.\1", JINJA_SOURCE)
    ),
}


def normalize(markup: str) -> str:
    return re.sub(r">\s+<", "><", markup).strip()


def best_rates(funcs: list[Any], number: int = 200, rounds: int = 30) -> list[float]:
    # Rounds alternate between the contenders so background noise hits all alike; the
    # best round of each is its speed with the least interference.
    best = [float("inf")] * len(funcs)
    for _ in range(rounds):
        for n, func in enumerate(funcs):
            best[n] = min(best[n], timeit.timeit(lambda f=func: f(CONTEXT), number=number))
    return [number / seconds for seconds in best]


def check_same_html(name: str, ours: str, theirs: str) -> None:
    if ours == theirs:
        return
    at = next((n for n, (x, y) in enumerate(zip(ours, theirs, strict=False)) if x != y), None)
    if at is None:
        sys.exit(f"{name}: outputs differ in length: {len(ours)} vs {len(theirs)}")
    sys.exit(
        f"{name}: outputs differ at {at}:\n"
        f"  pagemill {ours[at - 60 : at + 60]!r}\n  jinja    {theirs[at - 60 : at + 60]!r}"
    )


# -- the items page four ways -------------------------------------------------------------------


def items_page(props: dict[str, Any]) -> Any:
    # bench/apps/list100/pages/items.py's page, unchanged.
    return [
        h1["Items"],
        ul(class_="items")[
            (
                li(id=f"item-{item['id']}", class_="item", data_price=item["price"])[
                    a(href=f"/items/{item['id']}", class_="name")[item["name"]],
                    span(class_="price")[f"${item['price']:.2f}"],
                    small(class_="tags")[", ".join(item["tags"])],
                ]
                for item in props["items"]
            )
        ],
        p(class_="count")[f"{len(props['items'])} items"],
    ]


def floor_page(props: dict[str, Any]) -> str:
    # By hand: one f-string per item, C escaping only where text may need it.
    escape = _escape_inner
    items = "".join(
        [
            f'<li id="item-{item["id"]}" class="item" data-price="{item["price"]}">'
            f'<a href="/items/{item["id"]}" class="name">{escape(item["name"])}</a>'
            f'<span class="price">${item["price"]:.2f}</span>'
            f'<small class="tags">{escape(", ".join(item["tags"]))}</small></li>'
            for item in props["items"]
        ]
    )
    count = len(props["items"])
    return f'<h1>Items</h1><ul class="items">{items}</ul><p class="count">{count} items</p>'


ITEMS_TEMPLATE = ENV.from_string(
    """<h1>Items</h1><ul class="items">
{%- for item in items -%}
<li id="item-{{ item.id }}" class="item" data-price="{{ item.price }}">\
<a href="/items/{{ item.id }}" class="name">{{ item.name }}</a>\
<span class="price">${{ '%.2f' % item.price }}</span>\
<small class="tags">{{ item.tags | join(', ') }}</small></li>
{%- endfor -%}
</ul><p class="count">{{ items | length }} items</p>"""
)


def items_props(count: int) -> dict[str, Any]:
    return {"page": 1, "items": [i for n in range(1, count // 100 + 1) for i in make_items(n)]}


def bench_items() -> None:
    module = sys.modules[__name__]
    compiled = compile_renderers(module, Path(__file__).read_text(), ["items_page"])["items_page"]
    if not compiled.fast:
        sys.exit(f"items_page did not take the fast path: {compiled.reason}")
    contenders = {
        "pagemill.html (general path)": lambda props: render(items_page(props)),
        "pagemill fast path (compiled)": lambda props: render(compiled.function(props)),
        "jinja2 (precompiled template)": lambda props: ITEMS_TEMPLATE.render(**props),
        "f-string floor (C escaping)": floor_page,
    }
    print("\nthe items page (bench/apps/list100) rendered in-process, best of 15 rounds:")
    for count in (100, 1000):
        props = items_props(count)
        expected = floor_page(props)
        for name, render_ in contenders.items():
            check_same_html(name, str(render_(props)), expected)
        number = max(1, 20_000 // count)
        best = [float("inf")] * len(contenders)
        for _ in range(15):
            for n, render_ in enumerate(contenders.values()):
                run = lambda r=render_, props=props: r(props)  # noqa: E731
                best[n] = min(best[n], timeit.timeit(run, number=number) / number)
        floor = best[-1]
        print(f"  {count:,} items ({len(expected):,} bytes; outputs identical):")
        for name, seconds in zip(contenders, best, strict=True):
            print(f"    {name:31} {seconds * 1e6:9.1f} µs   {seconds / floor:5.2f}x the floor")
        general, fast, jinja = best[:3]
        print(
            f"    fast path: {general / fast:.1f}x faster than the general path, "
            f"{jinja / fast:.1f}x faster than Jinja2, {fast / floor:.2f}x the floor"
        )


def main_() -> None:
    ours = normalize(pagemill_page(CONTEXT))
    for name, template in TEMPLATES.items():
        check_same_html(name, ours, normalize(template.render(CONTEXT)))
    elements = len(re.findall(r"<[a-z]", ours))
    print(f"page: {elements} elements, {len(ours)} bytes; outputs identical after normalizing")

    funcs = [pagemill_page, *(template.render for template in TEMPLATES.values())]
    ours_rate, *jinja_rates = best_rates(funcs)
    print(f"{'pagemill.html (tree built per render)':38} {ours_rate:8,.0f} renders/s")
    for name, rate in zip(TEMPLATES, jinja_rates, strict=True):
        print(f"{name:38} {rate:8,.0f} renders/s   pagemill/jinja {ours_rate / rate:.2f}")
    bench_items()


if __name__ == "__main__":
    main_()
