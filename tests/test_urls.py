"""URL rules: slashes, base path, query parsing and resolved_url."""

from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pagemill.urls import (
    encode_query,
    parse_query,
    query_dict,
    resolved_url,
    slash_redirect,
    strip_base_path,
    without_param_echoes,
)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/", None),
        ("/about", None),
        ("/about/", "/about"),
        ("//evil.com", "/evil.com"),
        ("/a//b///c", "/a/b/c"),
        ("/a\\b", "/a/b"),
        ("/a/\\/b/", "/a/b"),
        ("/_next/data/x//y.json", None),
        ("/_next/static/a/", None),
    ],
)
def test_slash_redirect_without_trailing_slash(path: str, target: str | None) -> None:
    assert slash_redirect(path, trailing_slash=False) == target


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/", None),
        ("/about", "/about/"),
        ("/about/", None),
        ("/robots.txt", None),
        ("/.well-known/security", None),
        ("/a//b", "/a/b/"),
        ("/_next/data/b/x.json", None),
    ],
)
def test_slash_redirect_with_trailing_slash(path: str, target: str | None) -> None:
    assert slash_redirect(path, trailing_slash=True) == target


@pytest.mark.parametrize(
    ("path", "stripped"),
    [("/docs", "/"), ("/docs/a", "/a"), ("/docsx", None), ("/", None), ("/other/docs", None)],
)
def test_strip_base_path(path: str, stripped: str | None) -> None:
    assert strip_base_path(path, "/docs") == stripped


def test_no_base_path_keeps_the_path() -> None:
    assert strip_base_path("/a", "") == "/a"


def test_query_repeated_keys_become_lists_and_plus_is_a_space() -> None:
    pairs = parse_query("a=1&a=2&b=x+y&c=%2F&empty=")
    assert query_dict(pairs, {}) == {"a": ["1", "2"], "b": "x y", "c": "/", "empty": ""}


def test_params_win_over_query_keys() -> None:
    assert query_dict(parse_query("post=other&x=1"), {"post": "post-1"}) == {
        "post": "post-1",
        "x": "1",
    }


def test_param_echoes_are_dropped_but_conflicting_values_stay() -> None:
    params = {"post": "hello"}
    assert without_param_echoes(parse_query("post=hello&a=1"), params) == [("a", "1")]
    assert without_param_echoes(parse_query("post=other"), params) == [("post", "other")]


def test_resolved_url_worked_examples() -> None:
    # The data request /_next/data/B/blog/hello.json?post=hello&a=1
    pairs = without_param_echoes(parse_query("post=hello&a=1"), {"post": "hello"})
    assert resolved_url("/blog/[post]", {"post": "hello"}, encode_query(pairs)) == "/blog/hello?a=1"
    assert (
        resolved_url("/blog/[post]", {"post": "post-1"}, "post=other") == "/blog/post-1?post=other"
    )


def test_resolved_url_encodes_values_and_joins_catch_alls() -> None:
    assert resolved_url("/docs/[...path]", {"path": ["a b", "c/d"]}, "") == "/docs/a%20b/c%2Fd"
    assert resolved_url("/shop/[[...path]]", {}, "") == "/shop"
    assert resolved_url("/[[...all]]", {}, "") == "/"


def test_query_is_encoded_as_url_search_params() -> None:
    assert encode_query([("q", "a b&c"), ("s", "*~")]) == "q=a+b%26c&s=*%7E"


def test_resolved_url_trailing_slash_only_when_asked() -> None:
    assert resolved_url("/about", {}, "", trailing_slash=True) == "/about/"
    assert resolved_url("/", {}, "", trailing_slash=True) == "/"


@given(st.text(alphabet="ab=&;é ?#", max_size=30))
def test_fast_query_parsing_agrees_with_parse_qsl(query: str) -> None:
    assert parse_query(query) == parse_qsl(query, keep_blank_values=True)
