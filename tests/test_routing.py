from __future__ import annotations

import random

import pytest

from pagemill.errors import AppLoadError, BadRequest
from pagemill.routing import Route, RouteTable, SegmentKind, parse_segment, route_pattern


def route(pattern: str, source: str | None = None) -> Route[str]:
    return Route(pattern, source or f"pages{pattern}.py", pattern)


def table(*patterns: str) -> RouteTable[str]:
    return RouteTable.build(route(p) for p in patterns)


def problems(*routes: Route[str]) -> list[str]:
    with pytest.raises(AppLoadError) as info:
        RouteTable.build(routes)
    return info.value.problems


def matched(t: RouteTable[str], path: str) -> tuple[str, dict[str, str | list[str]]] | None:
    m = t.match(path)
    return None if m is None else (m.route.pattern, m.params)


# -- route_pattern ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relpath", "pattern"),
    [
        ("index.py", "/"),
        ("about.py", "/about"),
        ("blog/index.py", "/blog"),
        ("blog/[slug].py", "/blog/[slug]"),
        ("docs/[...path].py", "/docs/[...path]"),
        ("shop/[[...path]].py", "/shop/[[...path]]"),
        ("post-[id].py", "/post-[id]"),
        ("index/index.py", "/index"),
        ("index/foo.py", "/index/foo"),
        ("blog/index/[id].py", "/blog/index/[id]"),
    ],
)
def test_route_pattern(relpath: str, pattern: str) -> None:
    assert route_pattern(relpath) == pattern


def test_route_pattern_rejects_non_python_files() -> None:
    with pytest.raises(ValueError, match="not a page file"):
        route_pattern("about.html")


# -- segments and routes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("blog", SegmentKind.STATIC, "blog"),
        ("post-[id]", SegmentKind.STATIC, "post-[id]"),
        ("[slug]", SegmentKind.PARAM, "slug"),
        ("[root-slug]", SegmentKind.PARAM, "root-slug"),
        ("[...path]", SegmentKind.CATCH_ALL, "path"),
        ("[[...path]]", SegmentKind.OPTIONAL_CATCH_ALL, "path"),
    ],
)
def test_parse_segment(text: str, kind: SegmentKind, name: str) -> None:
    segment = parse_segment(text)
    assert (segment.kind, segment.name, segment.problem) == (kind, name, None)


def test_route_param_names_and_is_dynamic() -> None:
    dynamic = route("/blog/[id]/comments/[...rest]")
    assert dynamic.param_names == ("id", "rest")
    assert dynamic.is_dynamic
    static = route("/post-[id]")
    assert static.param_names == ()
    assert not static.is_dynamic


# -- precedence -------------------------------------------------------------------------------

NEXT_ORDER = [
    "/",
    "/apples/[ab]/[cd]/ef",
    "/blog/abc",
    "/blog/abc/post",
    "/blog/abc/[id]",
    "/blog/[id]",
    "/blog/[id]/comments/[cid]",
    "/p2/[id]",
    "/p2/[id]/abc",
    "/p2/[...rest]",
    "/p3/[id]",
    "/p3/[[...rest]]",
    "/posts",
    "/posts/[id]",
    "/[root-slug]",
    "/[...rest]",
]


@pytest.mark.parametrize("seed", range(5))
def test_routes_are_in_next_order_whatever_the_input_order(seed: int) -> None:
    shuffled = NEXT_ORDER[:]
    random.Random(seed).shuffle(shuffled)
    assert [r.pattern for r in table(*shuffled).routes] == NEXT_ORDER


def test_static_children_sort_as_plain_strings() -> None:
    t = table("/b", "/B", "/a-b", "/a", "/ab", "/_x", "/[id]")
    assert [r.pattern for r in t.routes] == ["/B", "/_x", "/a", "/a-b", "/ab", "/b", "/[id]"]


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        ("/", "/"),
        ("/blog/abc", "/blog/abc"),
        ("/blog/abc/post", "/blog/abc/post"),
        ("/blog/abc/other", "/blog/abc/[id]"),
        ("/blog/xyz", "/blog/[id]"),
        ("/blog/xyz/comments/1", "/blog/[id]/comments/[cid]"),
        ("/p2/1", "/p2/[id]"),
        ("/p2/1/abc", "/p2/[id]/abc"),
        ("/p2/1/other", "/p2/[...rest]"),
        ("/p3", "/p3/[[...rest]]"),
        ("/p3/1", "/p3/[id]"),
        ("/p3/1/2", "/p3/[[...rest]]"),
        ("/posts", "/posts"),
        ("/anything", "/[root-slug]"),
        ("/any/thing", "/[...rest]"),
        ("/apples/1/2/ef", "/apples/[ab]/[cd]/ef"),
        ("/apples/1/2/gh", "/[...rest]"),
    ],
)
def test_first_match_in_precedence_order_wins(path: str, pattern: str) -> None:
    m = table(*NEXT_ORDER).match(path)
    assert m is not None
    assert m.route.pattern == pattern


def test_backtracks_from_a_static_dead_end_into_a_param() -> None:
    t = table("/blog/abc/post", "/blog/[id]/comments")
    assert matched(t, "/blog/abc/comments") == ("/blog/[id]/comments", {"id": "abc"})
    assert matched(t, "/blog/abc/post") == ("/blog/abc/post", {})


def test_backtracks_from_a_param_dead_end_into_a_catch_all() -> None:
    t = table("/[a]/x", "/[...rest]")
    assert matched(t, "/1/x") == ("/[a]/x", {"a": "1"})
    assert matched(t, "/1/y") == ("/[...rest]", {"rest": ["1", "y"]})


# -- matching and decoding --------------------------------------------------------------------


def test_param_matches_one_segment() -> None:
    t = table("/blog/[slug]")
    assert matched(t, "/blog/hello") == ("/blog/[slug]", {"slug": "hello"})
    assert t.match("/blog") is None
    assert t.match("/blog/a/b") is None


def test_catch_all_matches_one_or_more_segments() -> None:
    t = table("/docs/[...path]")
    assert t.match("/docs") is None
    assert matched(t, "/docs/a") == ("/docs/[...path]", {"path": ["a"]})
    assert matched(t, "/docs/a/b/c") == ("/docs/[...path]", {"path": ["a", "b", "c"]})


def test_optional_catch_all_leaves_the_key_out_when_empty() -> None:
    t = table("/shop/[[...path]]")
    assert matched(t, "/shop") == ("/shop/[[...path]]", {})
    assert matched(t, "/shop/a/b") == ("/shop/[[...path]]", {"path": ["a", "b"]})


def test_root_optional_catch_all_matches_the_root() -> None:
    t = table("/[[...all]]")
    assert matched(t, "/") == ("/[[...all]]", {})
    assert matched(t, "/a") == ("/[[...all]]", {"all": ["a"]})


def test_params_are_decoded_per_segment() -> None:
    t = table("/blog/[slug]", "/docs/[...path]")
    assert matched(t, "/blog/a%2Fb") == ("/blog/[slug]", {"slug": "a/b"})
    assert matched(t, "/docs/a%2Fb/c") == ("/docs/[...path]", {"path": ["a/b", "c"]})
    assert matched(t, "/blog/a+b%20c") == ("/blog/[slug]", {"slug": "a+b c"})
    assert matched(t, "/blog/%C3%BCber-%E2%9C%93") == ("/blog/[slug]", {"slug": "über-✓"})
    assert matched(t, "/blog/%25") == ("/blog/[slug]", {"slug": "%"})


def test_params_with_literal_unicode_pass_through() -> None:
    assert matched(table("/blog/[slug]"), "/blog/über") == ("/blog/[slug]", {"slug": "über"})


def test_static_segments_match_raw_or_percent_decoded() -> None:
    t = table("/über", "/a b", "/[id]")
    assert matched(t, "/%C3%BCber") == ("/über", {})
    assert matched(t, "/a%20b") == ("/a b", {})
    assert matched(t, "/a+b") == ("/[id]", {"id": "a+b"})


def test_literal_brackets_are_a_static_segment() -> None:
    t = table("/post-[id]", "/[slug]")
    assert matched(t, "/post-[id]") == ("/post-[id]", {})
    assert matched(t, "/post-1") == ("/[slug]", {"slug": "post-1"})


@pytest.mark.parametrize(
    "path", ["/blog/%zz", "/blog/%", "/blog/a%2", "/blog/%E0%A4", "/blog/%ED%A0%80", "/docs/a/%C3"]
)
def test_malformed_escapes_in_a_param_are_a_bad_request(path: str) -> None:
    t = table("/blog/[slug]", "/docs/[...path]")
    with pytest.raises(BadRequest):
        t.match(path)


def test_a_malformed_escape_in_a_route_that_does_not_match_is_not_an_error() -> None:
    t = table("/[a]/x", "/static/y")
    assert t.match("/%zz/y") is None
    assert matched(t, "/static/y") == ("/static/y", {})


def test_no_match() -> None:
    t = table("/about", "/blog/[slug]")
    assert t.match("/") is None
    assert t.match("/contact") is None
    assert t.match("/about/more") is None
    assert table().match("/") is None


def test_empty_segments_match_nothing() -> None:
    t = table("/[a]/[b]", "/docs/[...path]")
    assert t.match("/x//y") is None
    assert t.match("/docs/a//b") is None


def test_get_looks_up_an_exact_pattern() -> None:
    t = table("/404", "/blog/[slug]")
    assert t.get("/404") == route("/404")
    assert t.get("/blog/[slug]") is not None
    assert t.get("/blog/x") is None


def test_match_returns_the_route_with_its_payload() -> None:
    t = RouteTable.build([Route("/about", "pages/about.py", 42)])
    m = t.match("/about")
    assert m is not None
    assert (m.route.source, m.route.payload) == ("pages/about.py", 42)


def test_two_thousand_routes_all_match_their_own_paths() -> None:
    patterns = [f"/s{i}" for i in range(700)]
    patterns += [f"/d{i}/[id]" for i in range(700)]
    patterns += [f"/n{i % 50}/c{i}/[...rest]" for i in range(600)]
    t = table(*patterns, "/[slug]")
    assert len(t.routes) == 2001
    for i in range(700):
        assert matched(t, f"/s{i}") == (f"/s{i}", {})
        assert matched(t, f"/d{i}/x") == (f"/d{i}/[id]", {"id": "x"})
    for i in range(600):
        assert matched(t, f"/n{i % 50}/c{i}/a/b") == (
            f"/n{i % 50}/c{i}/[...rest]",
            {"rest": ["a", "b"]},
        )
    assert matched(t, "/d5") == ("/[slug]", {"slug": "d5"})
    assert t.match("/d5/x/y") is None


# -- route errors -----------------------------------------------------------------------------


def test_different_param_names_at_one_level_name_both_files() -> None:
    [problem] = problems(route("/blog/[id]"), route("/blog/[cid]/edit"))
    assert "pages/blog/[id].py" in problem
    assert "pages/blog/[cid]/edit.py" in problem
    assert "You cannot use different slug names for the same dynamic path ('id' !== 'cid')" in (
        problem
    )


def test_different_catch_all_names_at_one_level() -> None:
    [problem] = problems(route("/docs/[...a]"), route("/docs/[...b]"))
    assert "pages/docs/[...a].py and pages/docs/[...b].py" in problem
    assert "('a' !== 'b')" in problem


def test_same_param_name_twice_in_one_path() -> None:
    [problem] = problems(route("/[id]/x/[id]"))
    assert "pages/[id]/x/[id].py" in problem
    assert 'You cannot have the same slug name "id" repeat within a single dynamic path' in (
        problem
    )


def test_same_name_for_a_param_and_a_catch_all_in_one_path() -> None:
    [problem] = problems(route("/[id]/[...id]"))
    assert 'same slug name "id" repeat' in problem


def test_names_differing_only_by_non_word_symbols() -> None:
    [problem] = problems(route("/[ab]/[a-b]"))
    assert "pages/[ab]/[a-b].py" in problem
    assert (
        'You cannot have the slug names "ab" and "a-b" differ only by non-word symbols '
        "within a single dynamic path"
    ) in problem


@pytest.mark.parametrize("pattern", ["/[...a]/b", "/docs/[...a]/[b]", "/[[...a]]/b"])
def test_catch_all_not_last(pattern: str) -> None:
    [problem] = problems(route(pattern))
    assert f"pages{pattern}.py" in problem
    assert "Catch-all must be the last part of the URL." in problem


def test_optional_non_catch_all() -> None:
    [problem] = problems(route("/blog/[[id]]"))
    assert "pages/blog/[[id]].py" in problem
    assert 'Optional route parameters are not yet supported ("[[id]]")' in problem


@pytest.mark.parametrize(
    ("first", "second", "phrase"),
    [
        ("/x/[...a]", "/x/[[...a]]", "both a required and optional catch-all route at the same"),
        ("/x/[[...a]]", "/x/[...a]", "both an optional and required catch-all route at the same"),
        ("/x/[...a]", "/x/[[...b]]", "both a required and optional catch-all route at the same"),
    ],
)
def test_required_beside_optional_catch_all(first: str, second: str, phrase: str) -> None:
    [problem] = problems(route(first), route(second))
    assert f"pages{first}.py and pages{second}.py" in problem
    assert phrase in problem


@pytest.mark.parametrize(
    ("plain", "catch_all"),
    [
        (route("/shop", "pages/shop.py"), route("/shop/[[...path]]")),
        (route("/shop", "pages/shop/index.py"), route("/shop/[[...path]]")),
        (route("/", "pages/index.py"), route("/[[...all]]")),
    ],
)
def test_route_with_the_same_specificity_as_an_optional_catch_all(
    plain: Route[str], catch_all: Route[str]
) -> None:
    for order in [(plain, catch_all), (catch_all, plain)]:
        [problem] = problems(*order)
        assert f"{plain.source} and {catch_all.source}" in problem
        assert "You cannot define a route with the same specificity as" in problem
        assert f'("{plain.pattern}" and "{catch_all.pattern}")' in problem


@pytest.mark.parametrize(
    ("pattern", "phrase"),
    [
        ("/[...id", "Segment names may not start or end with extra brackets ('[...id')"),
        ("/[id", "Segment names may not start or end with extra brackets ('[id')"),
        ("/id]", "Segment names may not start or end with extra brackets ('id]')"),
        ("/[...id]]", "Segment names may not start or end with extra brackets ('id]')"),
        ("/[[...id]", "Segment names may not start or end with extra brackets ('[...id')"),
        ("/[]", "Segment names may not be empty ('[]')"),
        ("/[...]", "Segment names may not be empty ('[...]')"),
        ("/[..x]", "Segment names may not start with erroneous periods ('..x')"),
        ("/[....x]", "Segment names may not start with erroneous periods ('.x')"),
        ("/[…x]", "Detected a three-dot character ('…') at ('…x')"),
        ("/[[…x]]", "Detected a three-dot character ('…') at ('…x')"),
    ],
)
def test_malformed_segments(pattern: str, phrase: str) -> None:
    [problem] = problems(route(f"/blog{pattern}"))
    assert f"pages/blog{pattern}.py" in problem
    assert phrase in problem


def test_two_files_with_the_same_pattern() -> None:
    [problem] = problems(route("/blog", "pages/blog.py"), route("/blog", "pages/blog/index.py"))
    assert "pages/blog.py and pages/blog/index.py" in problem
    assert "Duplicate page detected" in problem
    assert "/blog" in problem


def test_two_files_with_the_same_catch_all_pattern() -> None:
    [problem] = problems(
        route("/d/[...p]", "pages/d/[...p].py"), route("/d/[...p]", "pages/d/[...p]/index.py")
    )
    assert "pages/d/[...p].py and pages/d/[...p]/index.py" in problem
    assert "Duplicate page detected" in problem


def test_every_problem_is_reported_together() -> None:
    found = problems(
        route("/ok"),
        route("/blog/[id]"),
        route("/blog/[cid]"),
        route("/[...a]/b"),
        route("/[x"),
        route("/shop"),
        route("/shop/[[...p]]"),
        route("/about", "pages/about.py"),
        route("/about", "pages/about/index.py"),
    )
    assert len(found) == 5
    assert any("('id' !== 'cid')" in p for p in found)
    assert any("Catch-all must be the last part" in p for p in found)
    assert any("extra brackets ('[x')" in p for p in found)
    assert any("same specificity" in p for p in found)
    assert any("Duplicate page detected" in p for p in found)
