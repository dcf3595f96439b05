"""The fast render path (`pagemill.compiler`): the same bytes as `pagemill.html`, or a fallback.

A page module is written out as source, imported, and its `page` compiled; the original and
the compiled function are then called on the same props and must render the same string (or
raise the same exception with the same message).
"""

from __future__ import annotations

import itertools
import textwrap
import types
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from pagemill import html as h
from pagemill.compiler import Renderer, compile_renderers

_modules = itertools.count()

HEADER = """\
from markupsafe import Markup
from pagemill import Link
from pagemill.html import a, br, div, em, img, li, p, section, span, ul, input

card = div(class_="card")
boxed = section["before "]
marked = div({"data-x": 1})


def helper(props):
    return em[props["s"]]
"""


def load(source: str, header: str = HEADER) -> types.ModuleType:
    """The module of `header` + `source`, run as an import would run it."""
    text = header + textwrap.dedent(source)
    module = types.ModuleType(f"generated_{next(_modules)}")
    module.__file__ = f"<generated {module.__name__}>"
    exec(compile(text, module.__file__, "exec"), module.__dict__)
    module.__source__ = text  # type: ignore[attr-defined]
    return module


def compiled(source: str, name: str = "page", header: str = HEADER) -> tuple[Any, Renderer]:
    module = load(source, header)
    renderer = compile_renderers(module, module.__source__, [name])[name]
    return getattr(module, name), renderer


def outcome(function: Any, *args: Any) -> tuple[str, Any, Any]:
    try:
        return ("ok", h.render(function(*args)), None)
    except Exception as exc:
        return ("raised", type(exc), str(exc))


def assert_same(source: str, props: dict[str, Any], *, fast: bool = True) -> Renderer:
    original, renderer = compiled(source)
    assert renderer.fast is fast, renderer.reason
    assert outcome(renderer.function, props) == outcome(original, props)
    return renderer


class Shown:
    """An attribute value or child of a user type: rendered through str() / __html__."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return f"<shown {self.text}>"


PROPS: dict[str, Any] = {
    "s": 'Tom & "Jerry" <b>',
    "t": "plain",
    "n": 42,
    "neg": -7,
    "f": 2.5,
    "b": True,
    "no": False,
    "none": None,
    "m": Markup("<i>trusted</i>"),
    "items": ["one", "<two>", "thr&ee"],
    "rows": [{"id": 1, "name": "A&B", "price": 1.5}, {"id": 2, "name": "<C>", "price": 20.0}],
    "el": h.strong(class_="x")["strong <text>"],
    "nested": [["a", ["b", None]], ("c", 3), h.br],
    "d": {"a": 1},
    "obj": Shown("value & more"),
    "empty": "",
}


# -- the property: generated element trees and props ----------------------------------------

text = st.text(alphabet=st.sampled_from("ab <>&\"'=é\n"), max_size=6)
constant = st.one_of(
    text.map(repr),
    st.integers(-1000, 1000).map(repr),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    st.sampled_from(["True", "False", "None", "Markup('<u>m</u>')", "1e20", "-0.0"]),
)
prop = st.sampled_from([f"props[{key!r}]" for key in PROPS])
dynamic = st.one_of(
    prop,
    st.sampled_from(
        [
            "f\"{props['n']}-{props['s']}\"",
            '", ".join(props["items"])',
            'props["s"] + "!"',
            '"x" if props["b"] else "y"',
            'str(props["n"])',
            "helper(props)",
        ]
    ),
)
attr_value = st.one_of(constant, dynamic)
attr_name = st.sampled_from(
    ["class_", "id", "data_x", "aria_label", "href", "title", "for_", "hidden", "data_n_"]
)
tag = st.sampled_from(["div", "span", "p", "a", "li", "ul", "em", "Link", "card", "boxed"])
void = st.sampled_from(["br", "img", "input", "marked"])


@st.composite
def call(draw: st.DrawFn, name: str) -> str:
    kwargs = draw(st.lists(st.tuples(attr_name, attr_value), max_size=4, unique_by=lambda x: x[0]))
    parts = [f"{key}={value}" for key, value in kwargs]
    if draw(st.booleans()) and draw(st.booleans()):
        parts.insert(0, f'{{"data-raw": {draw(attr_value)}, "class": {draw(attr_value)}}}')
    if name == "Link" and draw(st.booleans()):
        prefetch = draw(st.sampled_from(["'intent'", "None", "False"]))
        parts.append(f"prefetch={prefetch}")
    return f"{name}({', '.join(parts)})"


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        is_void = draw(st.integers(0, 5)) == 0
        name = draw(void if is_void else tag)
        base = draw(st.one_of(st.just(name), call(name)))
        if is_void:
            return base
        kids = draw(st.lists(children, min_size=1, max_size=4))
        comma = "," if len(kids) == 1 and draw(st.booleans()) else ""
        result = f"{base}[{', '.join(kids)}{comma}]"
        if draw(st.integers(0, 6)) == 0:
            result += f"[{draw(children)}]"
        return result

    return build()


def compound(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        element(children),
        element(children),
        st.tuples(children, children).map(lambda c: f"[{c[0]}, {c[1]}]"),
        st.tuples(children, children).map(lambda c: f"({c[0]} if props['b'] else {c[1]})"),
        children.map(lambda c: f"(props['no'] or {c})"),
        children.map(lambda c: f"(props['b'] and {c})"),
        element(children).map(
            lambda e: "(" + e.replace("props['s']", "item") + " for item in props['items'])"
        ),
        element(children).map(lambda e: f"[{e} for _ in props['items'] if _ != 'one']"),
        st.just("(li[r['name']](data_price=r['price']) for r in props['rows'])"),
        children.map(lambda c: f"wrap({c})"),
        children.map(lambda c: f"listed({c}, props['b'])"),
        st.just("(x for x in props['items'])"),
        st.just("[x for x in props['nested']]"),
    )


tree = st.recursive(st.one_of(constant, dynamic), compound, max_leaves=12)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree)
def test_compiled_renders_what_the_general_path_renders(expression: str) -> None:
    source = f"""
    def listed(value, flag):
        if flag:
            return ul[li[value], li(class_=flag)[value]]
        return [value, em["not listed"]]

    def page(props):
        def wrap(child, label="w"):
            return span(class_=label)[child] if props["b"] else child

        return {expression}
    """
    original, renderer = compiled(source)
    for props in (PROPS, {**PROPS, "b": False, "no": 0, "items": [], "s": "", "n": 0}):
        assert outcome(renderer.function, props) == outcome(original, props), expression


@settings(max_examples=100, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "s": text,
            "n": st.integers(),
            "f": st.floats(),
            "b": st.booleans(),
            "items": st.lists(text, max_size=4),
            "v": st.one_of(text, st.integers(), st.none(), st.booleans(), st.floats()),
        }
    )
)
def test_generated_props_render_the_same(props: dict[str, Any]) -> None:
    for original, renderer in PAGES:
        assert outcome(renderer.function, props) == outcome(original, props)


PAGES = [
    compiled(
        """
        def page(props):
            return div(class_=props["v"], id=props["s"], data_n=props["n"])[
                h1_ if False else None,
                ul[(li(title=i, data_f=props["f"])[i, props["v"]] for i in props["items"])],
                p[props["f"], " ", props["n"], props["b"] and em["yes"]],
                Link(href=f"/x/{props['s']}", prefetch="intent")[props["v"]],
                props["v"],
                [span[i] for i in props["items"]],
            ]
        h1_ = None
        """
    ),
    compiled(
        """
        def page(props):
            return card(id=props["v"], class_=props["s"])[boxed[props["items"]], props["n"]]
        """
    ),
]


def test_the_property_pages_are_compiled() -> None:
    assert all(renderer.fast for _, renderer in PAGES)


# -- what the fast path keeps exactly ----------------------------------------------------------


def test_a_typical_page_is_compiled_and_renders_the_same() -> None:
    assert_same(
        """
        def page(props):
            return [
                p(class_="count")[f"{len(props['rows'])} items"],
                ul(class_="items")[
                    (
                        li(id=f"item-{r['id']}", class_="item", data_price=r["price"])[
                            a(href=f"/items/{r['id']}", class_="name")[r["name"]],
                            span(class_="price")[f"${r['price']:.2f}"],
                        ]
                        for r in props["rows"]
                    )
                ],
            ]
        """,
        PROPS,
    )


@pytest.mark.parametrize(
    "value",
    [True, False, None, 0, 1, -3, 2.5, 1e100, "", "a&b", Markup("<b>"), Shown("x"), [1], h.br],
)
def test_attribute_values_render_as_the_general_path_renders_them(value: object) -> None:
    assert_same(
        """
        def page(props):
            return div(class_=props["v"], hidden=True, data_x=props["v"])[span(title=props["v"])]
        """,
        {"v": value},
    )


@pytest.mark.parametrize(
    "child", [None, True, False, 0, 3.25, "<", Markup("<b>"), h.br, [["a"], ("b",)], {"x": 1}, b"x"]
)
def test_children_render_as_the_general_path_renders_them(child: object) -> None:
    assert_same("def page(props):\n    return div[props['c'], p[props['c']]]\n", {"c": child})


def test_a_generator_child_runs_after_its_later_siblings_as_in_the_general_path() -> None:
    # The general path evaluates every child, then renders them: the generator runs last.
    source = """
    def page(props):
        seen = props["seen"]
        return div[(li[seen.append(x) or x] for x in "ab"), p[seen.append("p") or len(seen)]]
    """
    original, renderer = compiled(source)
    assert renderer.fast
    mine: dict[str, list[str]] = {"seen": []}
    theirs: dict[str, list[str]] = {"seen": []}
    assert outcome(renderer.function, mine) == outcome(original, theirs)
    assert mine == theirs == {"seen": ["p", "a", "b"]}


def test_attribute_values_are_all_evaluated_before_any_is_rendered() -> None:
    calls: list[str] = []

    class Noisy:
        def __init__(self, name: str) -> None:
            self.name = name
            calls.append(f"made {name}")

        def __str__(self) -> str:
            calls.append(f"shown {self.name}")
            return self.name

    source = """
    def page(props):
        make = props["make"]
        return div(title=make("a"), id=make("b"))["x"]
    """
    original, renderer = compiled(source)
    assert renderer.fast
    assert outcome(original, {"make": Noisy}) == outcome(renderer.function, {"make": Noisy})
    assert calls == ["made a", "made b", "shown a", "shown b"] * 2


def test_errors_are_the_general_paths_errors() -> None:
    for source in [
        "def page(props):\n    return div[props['d']]\n",
        "def page(props):\n    return br[props['s']]\n",  # a void element's children
        "def page(props):\n    return div(_=props['s'])\n",  # an invalid attribute name
        "def page(props):\n    return div({'a b': props['s']})\n",
        "def page(props):\n    return Link(prefetch='hover')['x']\n",
        "def page(props):\n    return div[props['missing']]\n",
        "def page(props):\n    return ul[(li[x] for x in props['n'])]\n",
    ]:
        original, renderer = compiled(source)
        expected = outcome(original, PROPS)
        assert expected[0] == "raised", source
        assert outcome(renderer.function, PROPS) == expected, source


def test_element_values_keep_working_in_the_users_own_code() -> None:
    # What is not only rendered (a value passed to a function, kept in a list and changed)
    # stays an Element.
    assert_same(
        """
        def page(props):
            links = [a(href=x)[x] for x in props["items"]]
            links.append(em["last"])
            first = links[0]
            return div[first(class_="first"), links, len(links), isinstance(first, type(a))]
        """,
        PROPS,
    )


def test_head_and_layout_are_compiled_too() -> None:
    module = load(
        """
        def head(props):
            return [Markup('<meta charset="utf-8">'), span[props["s"]]]

        def app(page, props, router):
            return div(id="layout")[page]
        """
    )
    found = compile_renderers(module, module.__source__, ["head", "app", "page"])
    assert set(found) == {"head", "app"}
    assert all(r.fast for r in found.values())
    assert h.render(found["head"].function(PROPS)) == h.render(module.head(PROPS))
    body = Markup("<p>page</p>")
    assert h.render(found["app"].function(body, {}, None)) == h.render(module.app(body, {}, None))


def test_the_compiled_function_returns_markup() -> None:
    _, renderer = compiled("def page(props):\n    return p[props['s']]\n")
    result = renderer.function(PROPS)
    assert isinstance(result, Markup)
    assert result.__html__() == str(result) == "<p>Tom &amp; &#34;Jerry&#34; &lt;b&gt;</p>"


# -- what falls back, and why ---------------------------------------------------------------


def fallback(source: str, header: str = HEADER) -> str:
    original, renderer = compiled(source, header=header)
    assert not renderer.fast
    assert renderer.function is original
    assert renderer.reason
    return renderer.reason


def test_a_decorated_function_falls_back() -> None:
    source = """
    import functools

    @functools.lru_cache
    def cached(n):
        return p[n]

    def page(props):
        return div[props["s"]]

    page = (lambda f: f)(page)

    def wrap(f):
        return f

    @wrap
    def page(props):
        return div[props["s"]]
    """
    assert fallback(source) == "it is decorated"


def test_a_closure_falls_back() -> None:
    source = """
    def make():
        title = "x"
        def page(props):
            return p[title]
        return page

    page = make()
    """
    assert fallback(source) == "it is a closure"


def test_a_lambda_or_callable_object_falls_back() -> None:
    assert fallback("page = lambda props: p[props['s']]\n") == "it is a lambda"
    assert fallback("page = card\n").startswith("not a plain function")


def test_a_function_from_another_module_falls_back() -> None:
    assert fallback("from pagemill.html import render as page\n") == (
        "it is defined in another module"
    )


def test_source_that_does_not_match_the_loaded_code_falls_back() -> None:
    module = load("def page(props):\n    return p[props['s']]\n")
    edited = module.__source__.replace("p[props['s']]", "div[props['s']]")
    renderer = compile_renderers(module, edited, ["page"])["page"]
    assert not renderer.fast
    assert renderer.reason == "its source does not match the loaded code"
    for source in [None, "def page(:\n"]:
        renderer = compile_renderers(module, source, ["page"])["page"]
        assert not renderer.fast and renderer.function is module.page


def test_a_generator_falls_back() -> None:
    assert "generator" in fallback("def page(props):\n    yield p['x']\n")


def test_frame_introspection_falls_back() -> None:
    assert fallback("def page(props):\n    x = 1\n    return p[str(locals())]\n") == (
        "it calls locals()"
    )


def test_reserved_names_fall_back() -> None:
    assert "_pm_" in fallback("def page(props):\n    _pm_x = 1\n    return p[_pm_x]\n")


def test_nothing_to_compile_falls_back() -> None:
    assert fallback("def page(props):\n    return f\"{props['s']}\"\n") == (
        "nothing to compile: it returns no element expression"
    )


def test_turned_off_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEMILL_COMPILE", "0")
    assert "PAGEMILL_COMPILE=0" in fallback("def page(props):\n    return p[props['s']]\n")


def test_names_shadowing_tags_use_the_general_path() -> None:
    # A local `p`, a global rebound by `global`: those expressions are left as written.
    for source in [
        """
        def page(props):
            p = props["el"]
            return div[p["child"], span["compiled"]]
        """,
        """
        def page(props):
            return div[[em[x] for em in [props["el"]] for x in "ab"], span["compiled"]]
        """,
        """
        def rebind():
            global em
            em = card

        def page(props):
            return div[em["x"]]
        """,
    ]:
        original, renderer = compiled(source)
        assert outcome(renderer.function, PROPS) == outcome(original, PROPS)


def test_unknown_shapes_use_the_general_path_inside_a_compiled_function() -> None:
    # **attrs, *children, chained calls, a dynamic prefetch, a Link with both prefetch
    # spellings, a slice: each left as written, the rest compiled.
    for expression in [
        "div(**props['attrs'])[span['x']]",
        "div[*props['items']]",
        "card(class_=props['s'])(id=props['n'])[p['x']]",
        "Link(href='/', prefetch=props['pf'])['x']",
        "Link(prefetch='intent', data_pagemill_prefetch='x')['x']",
        "div['a':'b']",
        "marked(id=props['n'], data_x=props['s'])",
        "card(id=props['obj'], class_=props['obj'])",
    ]:
        source = f"def page(props):\n    return [span['compiled'], {expression}]\n"
        original, renderer = compiled(source)
        props = {**PROPS, "attrs": {"class_": "c", "id": 1}, "pf": "intent"}
        assert renderer.fast, expression
        assert outcome(renderer.function, props) == outcome(original, props), expression


# -- helpers: functions called where their result is only rendered ----------------------------


def generated_code(renderer: Renderer) -> set[str]:
    """The free variables of a compiled function: which variants and runtime helpers it uses."""
    return set(renderer.function.__code__.co_freevars)


def test_helpers_defined_in_the_page_function_get_a_render_variant() -> None:
    renderer = assert_same(
        """
        def page(props):
            def choice(text, chosen, suffix="!"):
                if not text:
                    return None
                return span(class_="current")[text, suffix] if chosen else a(href=text)[text]

            def nothing():
                pass

            return p["Pick: ", choice("", 1), (choice(x, x == "one") for x in props["items"])][
                choice(props["s"], False, suffix="?"), nothing()
            ]
        """,
        PROPS,
    )
    assert "_pm_r_choice" in renderer.function.__code__.co_cellvars


def test_module_level_helpers_get_a_render_variant() -> None:
    renderer = assert_same(
        """
        def row(r, currency="$"):
            return li(data_id=r["id"])[r["name"], " ", currency, r["price"]]

        def rows(items):
            return [row(r) for r in items]

        def fact(n):
            return em[n] if n < 2 else span[n, fact(n - 1)]

        def page(props):
            return div[ul[rows(props["rows"])], ul[(row(r, currency="€") for r in props["rows"])],
                       fact(3), helper(props)]
        """,
        PROPS,
    )
    assert {"_pm_r_row", "_pm_r_fact", "_pm_r_helper"} <= generated_code(renderer)


def test_helpers_that_cannot_have_a_variant_are_called_as_written() -> None:
    for source in [
        # defaults evaluated per definition; a generator; a name bound twice; try/finally
        """
        def page(props):
            def item(x, seen=[]):
                seen.append(x)
                return li[x, len(seen)]
            return ul[[item(x) for x in props["items"]], [item(x) for x in props["items"]]]
        """,
        """
        def page(props):
            def items():
                yield from (li[x] for x in props["items"])
            return ul[items()]
        """,
        """
        def page(props):
            def item(x):
                return li[x]
            first = item("a")
            item = lambda x: em[x]
            return ul[first, item("b")]
        """,
        """
        def page(props):
            log = props["seen"] if "seen" in props else []
            def rows():
                try:
                    return (li[log.append(x) or x] for x in "ab")
                finally:
                    log.append("done")
            return ul[rows(), len(log)]
        """,
    ]:
        original, renderer = compiled(source)
        assert outcome(renderer.function, dict(PROPS)) == outcome(original, dict(PROPS)), source


def test_a_value_returned_from_inside_try_is_rendered_after_the_function_returns() -> None:
    # The generator runs after `finally` in the general path; it must here too.
    source = """
    def page(props):
        seen = props["seen"]
        try:
            return (li[seen.append(x) or x] for x in "ab")
        finally:
            seen.append("finally")
    """
    original, renderer = compiled(source)
    mine: dict[str, list[str]] = {"seen": []}
    theirs: dict[str, list[str]] = {"seen": []}
    assert outcome(renderer.function, mine) == outcome(original, theirs)
    assert mine == theirs == {"seen": ["finally", "a", "b"]}


def test_a_tag_or_helper_assigned_since_compiling_runs_the_original() -> None:
    module = load(
        """
        def row(x):
            return li[x]

        def page(props):
            return ul[row(props["s"]), p["x"]]
        """
    )
    renderer = compile_renderers(module, module.__source__, ["page"])["page"]
    assert renderer.fast
    assert h.render(renderer.function(PROPS)) == h.render(module.page(PROPS))
    module.p = h.strong
    assert h.render(renderer.function(PROPS)) == h.render(module.page(PROPS))
    assert "<strong>x</strong>" in h.render(renderer.function(PROPS))
    module.row = lambda x: h.em[x]
    assert "<em>" in h.render(renderer.function(PROPS))
    del module.p
    assert outcome(renderer.function, PROPS) == outcome(module.page, PROPS)
