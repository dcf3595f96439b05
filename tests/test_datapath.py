from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pagemill.datapath import data_path, data_url, parse_data_url


@pytest.mark.parametrize(
    ("page_path", "encoded"),
    [
        ("/", "/index"),
        ("/blog", "/blog"),
        ("/index", "/index/index"),
        ("/index/foo", "/index/index/foo"),
        ("/blog/post-1", "/blog/post-1"),
        ("/catchall/a/b", "/catchall/a/b"),
        ("/indexes", "/indexes"),
        ("/blog/index", "/blog/index"),
    ],
)
def test_data_path(page_path: str, encoded: str) -> None:
    assert data_path(page_path) == encoded


@pytest.mark.parametrize(
    ("args", "url"),
    [
        (("B", "/"), "/_next/data/B/index.json"),
        (("B", "/blog"), "/_next/data/B/blog.json"),
        (("B", "/blog/post-1", "x=1"), "/_next/data/B/blog/post-1.json?x=1"),
        (("B", "/index"), "/_next/data/B/index/index.json"),
        (("B", "/gssp", "", "en-US"), "/_next/data/B/en-US/gssp.json"),
        (("B", "/", "a=1&b=2", "fr"), "/_next/data/B/fr.json?a=1&b=2"),
    ],
)
def test_data_url(args: tuple[str, ...], url: str) -> None:
    assert data_url(*args) == url


@pytest.mark.parametrize(
    ("path", "parsed"),
    [
        ("/_next/data/B/index.json", ("B", "/")),
        ("/_next/data/B/blog.json", ("B", "/blog")),
        ("/_next/data/B/blog/post-1.json", ("B", "/blog/post-1")),
        ("/_next/data/B/index/index.json", ("B", "/index")),
        ("/_next/data/B/index/index/foo.json", ("B", "/index/foo")),
        ("/_next/data/B/index/foo.json", ("B", "/foo")),
        ("/_next/data/B/en-US/gssp.json", ("B", "/en-US/gssp")),
        ("/_next/data/B/a%2Fb.json", ("B", "/a%2Fb")),
        ("/_next/data/B/blog.json.json", ("B", "/blog.json")),
    ],
)
def test_parse_data_url(path: str, parsed: tuple[str, str]) -> None:
    assert parse_data_url(path) == parsed


@pytest.mark.parametrize(
    "path",
    [
        "/_next/data/B/blog",
        "/_next/data/B/blog.json/",
        "/_next/data/B/blog/.json",
        "/_next/data/B/.json",
        "/_next/data/B.json",
        "/_next/data/B/",
        "/_next/data/B",
        "/_next/data//index.json",
        "/_next/data/B//blog.json",
        "/_next/data/B/a//b.json",
        "/_next/static/B/index.json",
        "/blog.json",
        "/_next/data/.json",
    ],
)
def test_parse_data_url_rejects_malformed_urls(path: str) -> None:
    assert parse_data_url(path) is None


_SAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~%"
segments = st.one_of(
    st.sampled_from(["index", "json", "_next", "data"]), st.text(_SAFE, min_size=1)
)
page_paths = st.lists(segments, max_size=5).map(lambda parts: "/" + "/".join(parts))
build_ids = st.text(_SAFE.replace("%", ""), min_size=1, max_size=20)


@given(build_ids, page_paths)
def test_parse_reverses_data_url(build_id: str, page_path: str) -> None:
    assert parse_data_url(data_url(build_id, page_path)) == (build_id, page_path)


@given(build_ids, page_paths, st.sampled_from(["en-US", "fr", "nl-NL"]))
def test_parse_keeps_the_locale_in_the_page_path(
    build_id: str, page_path: str, locale: str
) -> None:
    localized = f"/{locale}" if page_path == "/" else f"/{locale}{page_path}"
    assert parse_data_url(data_url(build_id, page_path, locale=locale)) == (build_id, localized)
