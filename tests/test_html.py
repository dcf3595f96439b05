from __future__ import annotations

import html as stdlib_html
import re
from collections.abc import Iterator
from enum import IntEnum, StrEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from pagemill import html as h
from pagemill.html import (
    Element,
    a,
    br,
    del_,
    div,
    img,
    input,
    label,
    li,
    link,
    meta,
    p,
    render,
    script,
    span,
    td,
    title,
    tr,
    ul,
)
from pagemill.link import Link


class HTMLObject:
    """A third-party object that renders itself, as htpy or a Jinja template output does."""

    def __html__(self) -> str:
        return "<b>trusted</b>"


def test_element_renders_as_its_html() -> None:
    assert str(div) == "<div></div>"
    assert div.__html__() == "<div></div>"
    assert str(p["hello"]) == "<p>hello</p>"


def test_text_children_are_escaped() -> None:
    assert str(p["<script>alert(1)</script>"]) == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert str(p["Tom & Jerry's \"show\""]) == "<p>Tom &amp; Jerry&#39;s &#34;show&#34;</p>"


def test_attribute_values_are_escaped_and_double_quoted() -> None:
    rendered = str(div(title='say "hi" & <go>'))
    assert rendered == '<div title="say &#34;hi&#34; &amp; &lt;go&gt;"></div>'
    assert str(a(href="/x?a=1&b='2'")) == '<a href="/x?a=1&amp;b=&#39;2&#39;"></a>'


def test_true_is_a_bare_attribute_and_false_or_none_omit_it() -> None:
    assert str(input(type="checkbox", checked=True, disabled=False, value=None)) == (
        '<input type="checkbox" checked>'
    )


def test_keyword_names_map_to_html_names() -> None:
    rendered = str(label(class_="big", for_="email", data_user_id=7, aria_label="Email"))
    assert rendered == '<label class="big" for="email" data-user-id="7" aria-label="Email"></label>'
    assert str(meta(http_equiv="refresh", content="5")) == '<meta http-equiv="refresh" content="5">'


def test_dict_gives_raw_attribute_names() -> None:
    rendered = str(div({"hx-get": "/x", "@click": "open = true", "x_y": "1"}, id="d"))
    assert rendered == '<div hx-get="/x" @click="open = true" x_y="1" id="d"></div>'


def test_an_attribute_set_again_takes_the_new_value() -> None:
    assert str(div(id="a", class_="x")(class_="y")) == '<div id="a" class="y"></div>'
    assert str(div({"class": "x"}, class_="y")) == '<div class="y"></div>'


def test_attribute_names_that_would_break_the_tag_are_refused() -> None:
    with pytest.raises(ValueError, match="invalid HTML attribute name"):
        div({'x" onload="alert(1)': "y"})
    with pytest.raises(ValueError, match="invalid HTML attribute name"):
        div({"a>b": "y"})


def test_positional_attributes_must_be_dicts() -> None:
    with pytest.raises(TypeError, match="positional arguments must be dicts of attributes"):
        div("class")  # type: ignore[arg-type]


def test_numbers_render_as_text() -> None:
    assert str(td[42]) == "<td>42</td>"
    assert str(td[2.5, " ", -1]) == "<td>2.5 -1</td>"
    assert str(div(tabindex=0, data_ratio=0.5)) == '<div tabindex="0" data-ratio="0.5"></div>'


def test_enum_members_render_as_their_value() -> None:
    class Color(StrEnum):
        RED = "<red>"

    class Level(IntEnum):
        HIGH = 3

    assert str(span(class_=Color.RED)[Color.RED, Level.HIGH]) == (
        '<span class="&lt;red&gt;">&lt;red&gt;3</span>'
    )


def test_void_elements_have_no_end_tag() -> None:
    assert str(br) == "<br>"
    assert str(img(src="/a.png", alt="")) == '<img src="/a.png" alt="">'
    assert str(link(rel="stylesheet", href="/s.css")) == '<link rel="stylesheet" href="/s.css">'


def test_void_elements_refuse_children() -> None:
    with pytest.raises(TypeError, match=r"<br> is a void element: it cannot have children"):
        br["text"]
    with pytest.raises(TypeError, match=r"<input> is a void element"):
        input(name="q")["x"]


def test_nesting() -> None:
    page = div(id="layout")[h.header[h.nav[ul[li["one"], li["two"]]]], h.main[p["body"]]]
    assert str(page) == (
        '<div id="layout"><header><nav><ul><li>one</li><li>two</li></ul></nav></header>'
        "<main><p>body</p></main></div>"
    )


def test_lists_tuples_and_generators_are_flattened() -> None:
    items = ["a", "b"]
    assert str(ul[[li[x] for x in items]]) == "<ul><li>a</li><li>b</li></ul>"
    assert str(ul[(li[x] for x in items)]) == "<ul><li>a</li><li>b</li></ul>"
    assert str(ul[li["0"], [li["1"], (li["2"], [li["3"]])]]) == (
        "<ul><li>0</li><li>1</li><li>2</li><li>3</li></ul>"
    )


def test_a_generator_child_is_consumed_once_when_built() -> None:
    def rows() -> Iterator[Element]:
        yield tr[td["1"]]

    table = h.table[rows()]
    assert str(table) == str(table) == "<table><tr><td>1</td></tr></table>"


def test_html_objects_are_not_escaped_again() -> None:
    assert str(p[Markup("<em>safe</em>"), " & ", HTMLObject()]) == (
        "<p><em>safe</em> &amp; <b>trusted</b></p>"
    )
    assert str(p[Markup("&amp;")]) == "<p>&amp;</p>"


def test_elements_have_html_for_other_libraries() -> None:
    assert Markup("<section>{}</section>").format(p["<x>"]) == "<section><p>&lt;x&gt;</p></section>"


def test_none_and_bools_are_skipped() -> None:
    logged_in = False
    assert str(div[None, True, False, logged_in and span["hi"], "ok"]) == "<div>ok</div>"


def test_other_objects_are_refused_with_a_hint() -> None:
    with pytest.raises(TypeError, match=r"cannot render a object as HTML; convert it with str"):
        div[object()]  # type: ignore[index]
    with pytest.raises(TypeError, match=r"attributes go in parentheses"):
        div[{"class": "x"}]


def test_module_level_elements_are_not_changed_by_use() -> None:
    div(class_="x")["child"]
    div["other"]
    a(href="/")
    assert str(div) == "<div></div>"
    assert str(a) == "<a></a>"
    base = ul(class_="nav")
    base[li["1"]]
    assert str(base) == '<ul class="nav"></ul>'


def test_indexing_again_adds_children_after_the_first_ones() -> None:
    assert str(ul[li["1"]][li["2"]]) == "<ul><li>1</li><li>2</li></ul>"
    assert str(p["x"](id="later")) == '<p id="later">x</p>'


def test_raw_text_elements_escape_by_default() -> None:
    # Text inside <script> is still escaped: trusted code goes in as Markup.
    assert str(script["a < b"]) == "<script>a &lt; b</script>"
    assert str(script[Markup("a < b")]) == "<script>a < b</script>"


def test_render_accepts_anything_renderable() -> None:
    assert render(title["T"]) == "<title>T</title>"
    assert render("<x>") == "&lt;x&gt;"
    assert render(None) == ""
    assert render([meta(charset="utf-8"), (title["a"], None), 3]) == (
        '<meta charset="utf-8"><title>a</title>3'
    )
    assert render(Markup("<b>")) == "<b>"


def test_custom_elements() -> None:
    assert str(Element("my-widget")(size=2)["x"]) == '<my-widget size="2">x</my-widget>'
    assert str(Element("x-icon", void=True)) == "<x-icon>"
    with pytest.raises(ValueError, match="invalid HTML tag name"):
        Element("a b")


def test_every_exported_element_renders_its_own_tag() -> None:
    names = [n for n in h.__all__ if n.islower() and isinstance(getattr(h, n), Element)]
    assert len(names) > 100
    for name in names:
        tag = name.removesuffix("_")
        assert str(getattr(h, name)) in (f"<{tag}></{tag}>", f"<{tag}>")
    assert str(del_["x"]) == "<del>x</del>"
    assert str(h.link) == "<link>"  # the <link> element, not pagemill.Link


def test_link_renders_a_marked_anchor() -> None:
    assert str(Link(href="/about", id="nav-about")["About"]) == (
        '<a data-pagemill-link href="/about" id="nav-about">About</a>'
    )


def test_link_prefetch_becomes_a_data_attribute() -> None:
    assert str(Link(href="/p", prefetch="intent")["P"]) == (
        '<a data-pagemill-link href="/p" data-pagemill-prefetch="intent">P</a>'
    )
    assert str(Link(href="/p", prefetch=None)) == '<a data-pagemill-link href="/p"></a>'
    with pytest.raises(ValueError, match="the only prefetch is 'intent'"):
        Link(href="/p", prefetch="viewport")


def test_link_is_a_child_like_any_element() -> None:
    assert str(li[Link(href="/")["Home"]]) == '<li><a data-pagemill-link href="/">Home</a></li>'
    assert str(Link) == "<a data-pagemill-link></a>"


@given(st.text())
def test_any_text_round_trips_and_cannot_open_a_tag(text: str) -> None:
    rendered = str(p[text])
    inner = rendered.removeprefix("<p>").removesuffix("</p>")
    assert len(rendered) == len(inner) + len("<p></p>")
    assert "<" not in inner
    assert stdlib_html.unescape(inner) == text


@given(st.text())
def test_any_attribute_value_stays_inside_its_quotes(value: str) -> None:
    rendered = str(div(title=value))
    match = re.fullmatch(r'<div title="([^"<>]*)"></div>', rendered)
    assert match is not None
    assert stdlib_html.unescape(match.group(1)) == value
