"""Config route patterns: sources, has/missing, destinations, as Next.js matches them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pagemill.destinations import (
    destination_params,
    destination_problems,
    fill_destination,
    fill_value,
)
from pagemill.patterns import CompiledRule, Condition, PatternError, RequestFacts, compile_rule

NOTHING = RequestFacts()
REQUEST = RequestFacts(
    headers={"x-user-id": "42", "x-authorized": "yes", "x-empty": "", "accept-language": "fr"},
    cookies={"loggedIn": "true", "theme": "dark"},
    query={"page": "home", "tag": ["a", "b"], "blank": ""},
    host="shop.example.com",
)


def matched(source: str, path: str) -> dict[str, str | list[str]] | None:
    return compile_rule(source).match(path, NOTHING)


def error(source: str, **conditions: Sequence[Mapping[str, object]]) -> str:
    with pytest.raises(PatternError) as info:
        compile_rule(source, conditions.get("has", ()), conditions.get("missing", ()))
    return str(info.value)


# -- sources ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "path", "params"),
    [
        # literal
        ("/about", "/about", {}),
        ("/about", "/about/", {}),  # Next appends an optional trailing slash to user rules
        ("/about", "/about//", None),
        ("/about", "/about-us", None),
        ("/about", "/x/about", None),
        ("/about/", "/about/", {}),
        ("/about/", "/about", None),  # a slash the source writes is required
        ("/", "/", {}),
        ("/", "/x", None),
        # :name, one segment
        ("/blog/:slug", "/blog/hello-world", {"slug": "hello-world"}),
        ("/blog/:slug", "/blog/hello/", {"slug": "hello"}),
        ("/blog/:slug", "/blog/a/b", None),
        ("/blog/:slug", "/blog", None),
        ("/blog/:slug", "/blog/", None),
        ("/blog/:slug", "/blog/caf%C3%A9", {"slug": "caf%C3%A9"}),  # raw, not decoded
        ("/:a/:b", "/x/y", {"a": "x", "b": "y"}),
        ("/post-:id", "/post-12", {"id": "12"}),
        ("/:a-:b", "/x-y-z", {"a": "x-y", "b": "z"}),  # 6.3: `b` cannot contain "-"
        ("/:name.:ext", "/a.b.png", {"name": "a.b", "ext": "png"}),
        # :name*, zero or more segments, as a list
        ("/blog/:slug*", "/blog", {}),
        ("/blog/:slug*", "/blog/", {}),
        ("/blog/:slug*", "/blog/a", {"slug": ["a"]}),
        ("/blog/:slug*", "/blog/a/b/c", {"slug": ["a", "b", "c"]}),
        ("/blog/:slug*", "/blogs/a", None),
        ("/:path*", "/", {}),
        ("/:path*", "/x/y", {"path": ["x", "y"]}),
        # :name+, one or more segments
        ("/blog/:slug+", "/blog", None),
        ("/blog/:slug+", "/blog/a", {"slug": ["a"]}),
        ("/blog/:slug+", "/blog/a/b/", {"slug": ["a", "b"]}),
        # :name?, an optional segment
        ("/blog/:slug?", "/blog", {}),
        ("/blog/:slug?", "/blog/x", {"slug": "x"}),
        ("/blog/:slug?", "/blog/x/y", None),
        ("/:a?/end", "/end", {}),
        ("/:a?/end", "/x/end", {"a": "x"}),
        # :name(regex)
        ("/post/:id(\\d+)", "/post/123", {"id": "123"}),
        ("/post/:id(\\d+)", "/post/abc", None),
        ("/post/:id(\\d{1,})", "/post/7", {"id": "7"}),
        ("/:lang(en|fr)/:rest*", "/fr/a/b", {"lang": "fr", "rest": ["a", "b"]}),
        ("/:lang(en|fr)/:rest*", "/de/a", None),
        ("/file/:name([a-z]+\\.txt)", "/file/notes.txt", {"name": "notes.txt"}),
        ("/p/:id(\\d+)*", "/p/1/2/3", {"id": ["1", "2", "3"]}),
        ("/p/:id(\\d+)*", "/p/1/x", None),
        # unnamed groups are matched, then dropped from the params (Next: removeUnnamedParams)
        ("/(.*)", "/anything/at/all", {}),
        ("/(.*)", "/", {}),
        ("/old/(.*)", "/old/x/y", {}),
        ("/old/(.*)", "/old", None),
        ("/v(\\d+)/:rest*", "/v2/a", {"rest": ["a"]}),
        ("/v(\\d+)/:rest*", "/vx/a", None),
        ("/((?!api|_next).*)", "/about", {}),
        ("/((?!api|_next).*)", "/api/x", None),
        # escapes and {...} groups
        ("/english\\(default\\)/:slug", "/english(default)/x", {"slug": "x"}),
        ("/a\\:b", "/a:b", {}),
        ("/a\\*", "/a*", {}),
        ("/a.b", "/a.b", {}),
        ("/a.b", "/aXb", None),  # "." is literal, not a regex wildcard
        ("/docs{/:version}?", "/docs", {}),
        ("/docs{/:version}?", "/docs/v2", {"version": "v2"}),
        ("/x{-:lang}?", "/x-en", {"lang": "en"}),
        ("/x{-:lang}?", "/x", {}),
        ("/x{-suffix}?", "/x-suffix", {}),
        ("/x{-suffix}?", "/x", {}),
        ("/t{-:tag}*", "/t-a-b", {"tag": ["a", "b"]}),
    ],
)
def test_source_matches_as_next(
    source: str, path: str, params: dict[str, str | list[str]] | None
) -> None:
    assert matched(source, path) == params


def test_matching_ignores_case_unless_asked() -> None:
    # Next compiles custom routes with `sensitive: false` (experimental.caseSensitiveRoutes).
    assert matched("/About/:Id", "/aBOUT/X") == {"Id": "X"}
    rule = compile_rule("/About/:Id", case_sensitive=True)
    assert rule.match("/About/X", NOTHING) == {"Id": "X"}
    assert rule.match("/about/X", NOTHING) is None


def test_restricted_paths_are_never_matched() -> None:
    # Next gives redirects `^(?!/_next)` so they never swallow its own URLs.
    rule = compile_rule("/:path*", restricted_paths=["/_next"])
    assert rule.match("/_next/static/app.js", NOTHING) is None
    assert rule.match("/_nextish", NOTHING) is None  # a plain prefix, as Next's lookahead
    assert rule.match("/blog/_next", NOTHING) == {"path": ["blog", "_next"]}
    assert compile_rule("/:path*").match("/_next/x", NOTHING) == {"path": ["_next", "x"]}


def test_compiled_rule_describes_its_params() -> None:
    rule = compile_rule(
        "/:lang(en|fr)/(.*)/:rest*/:id?",
        has=[
            {"type": "header", "key": "X-Tenant-Id"},
            {"type": "cookie", "key": "ab", "value": "(?<bucket>[ab])"},
            {"type": "host", "value": "(?<sub>[^.]+)\\.example\\.com"},
            {"type": "query", "key": "page", "value": "home"},
        ],
        missing=[{"type": "cookie", "key": "skip", "value": "(?<never>.*)"}],
    )
    assert rule.param_names == ("lang", "0", "rest", "id")
    assert rule.repeated_params == frozenset({"rest"})
    # the header's param is named after its key with only the letters kept, as Next does
    assert rule.available_params == frozenset({"lang", "rest", "id", "xtenantid", "bucket", "sub"})
    assert isinstance(rule, CompiledRule)
    assert rule.regex.fullmatch("/en/x/a") is not None


# -- has / missing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "params"),
    [
        # presence only: the value becomes a param named after the key (letters only)
        ({"type": "header", "key": "x-user-id"}, {"xuserid": "42"}),
        ({"type": "header", "key": "X-User-Id"}, {"xuserid": "42"}),  # header names: any case
        ({"type": "header", "key": "x-missing"}, None),
        ({"type": "header", "key": "x-empty"}, None),  # Next: an empty value is no value
        ({"type": "cookie", "key": "loggedIn"}, {"loggedIn": "true"}),
        ({"type": "cookie", "key": "loggedin"}, None),  # cookie names are case-sensitive
        ({"type": "query", "key": "page"}, {"page": "home"}),
        ({"type": "query", "key": "tag"}, {"tag": ["a", "b"]}),  # every value of a repeated key
        ({"type": "query", "key": "blank"}, None),
        ({"type": "query", "key": "nope"}, None),
        # a value without named groups: must match the whole value, adds nothing
        ({"type": "header", "key": "x-authorized", "value": "yes|true"}, {}),
        ({"type": "header", "key": "x-authorized", "value": "ye"}, None),  # full match only
        ({"type": "header", "key": "x-authorized", "value": "YES"}, None),  # case-sensitive
        ({"type": "cookie", "key": "theme", "value": "dark|light"}, {}),
        ({"type": "cookie", "key": "theme", "value": "light"}, None),
        ({"type": "query", "key": "page", "value": "home"}, {}),
        ({"type": "query", "key": "tag", "value": "b"}, {}),  # Next tests the last value
        ({"type": "query", "key": "tag", "value": "a"}, None),
        # named groups, written the JavaScript way, become params
        (
            {"type": "header", "key": "x-authorized", "value": "(?<authorized>yes|true)"},
            {"authorized": "yes"},
        ),
        ({"type": "cookie", "key": "loggedIn", "value": "(?<loggedIn>true)"}, {"loggedIn": "true"}),
        ({"type": "query", "key": "page", "value": "h(?<rest>.*)"}, {"rest": "ome"}),
        (
            {"type": "header", "key": "accept-language", "value": "(?<lang>fr)(?<region>-..)?"},
            {"lang": "fr"},
        ),
        # host: a value is required; without named groups the host itself becomes `host`
        ({"type": "host", "value": "shop\\.example\\.com"}, {"host": "shop.example.com"}),
        ({"type": "host", "value": ".*\\.example\\.com"}, {"host": "shop.example.com"}),
        ({"type": "host", "value": "(?<sub>[^.]+)\\.example\\.com"}, {"sub": "shop"}),
        ({"type": "host", "value": "example\\.com"}, None),
        (
            {"type": "host", "key": "ignored", "value": "shop\\.example\\.com"},
            {"host": "shop.example.com"},
        ),
    ],
)
def test_has_condition(condition: dict[str, str], params: dict[str, object] | None) -> None:
    rule = compile_rule("/x", has=[condition])
    assert rule.match("/x", REQUEST) == params
    # the same item under `missing` holds exactly when it fails under `has`
    expected: dict[str, object] | None = {} if params is None else None
    assert compile_rule("/x", missing=[condition]).match("/x", REQUEST) == expected


def test_host_is_compared_in_lower_case() -> None:
    request = RequestFacts(host="Shop.Example.COM")
    rule = compile_rule("/", has=[{"type": "host", "value": "shop\\.example\\.com"}])
    assert rule.match("/", request) == {"host": "shop.example.com"}


def test_every_has_must_hold_and_no_missing() -> None:
    has = [{"type": "cookie", "key": "loggedIn"}, {"type": "query", "key": "page"}]
    assert compile_rule("/x", has=has).match("/x", REQUEST) == {"loggedIn": "true", "page": "home"}
    has_one_absent = [*has, {"type": "cookie", "key": "session"}]
    assert compile_rule("/x", has=has_one_absent).match("/x", REQUEST) is None
    missing = [{"type": "cookie", "key": "session"}, {"type": "header", "key": "x-user-id"}]
    assert compile_rule("/x", has=has, missing=missing).match("/x", REQUEST) is None
    assert compile_rule("/x", missing=missing[:1]).match("/x", REQUEST) == {}
    assert compile_rule("/x", has=has).match("/y", REQUEST) is None  # the path still counts


def test_has_params_win_over_path_params() -> None:
    rule = compile_rule("/:page", has=[{"type": "query", "key": "page"}])
    assert rule.match("/from-path", REQUEST) == {"page": "home"}


def test_has_value_regex_translation() -> None:
    # \k<name> back-references and lookbehinds are JavaScript too; an escaped "(" is literal.
    backref = {"type": "header", "key": "x-pair", "value": "(?<w>[a-z]+)-\\k<w>"}
    rule = compile_rule("/", has=[backref])
    assert rule.match("/", RequestFacts(headers={"x-pair": "ab-ab"})) == {"w": "ab"}
    assert rule.match("/", RequestFacts(headers={"x-pair": "ab-cd"})) is None
    behind = {"type": "header", "key": "x-v", "value": ".*(?<=z)(?<!yz)"}
    assert compile_rule("/", has=[behind]).match("/", RequestFacts(headers={"x-v": "az"})) == {}
    literal = {"type": "header", "key": "x-v", "value": "\\(?<a>"}
    assert compile_rule("/", has=[literal]).match("/", RequestFacts(headers={"x-v": "(<a>"})) == {}


def test_condition_can_be_built_directly() -> None:
    condition = Condition("header", "X-Api-Version", "(?<version>\\d+)")
    assert condition.provides == ("version",)
    assert condition.test(RequestFacts(headers={"x-api-version": "3"})) == {"version": "3"}
    assert Condition("host", None, "a\\.b").provides == ("host",)


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("blog/:slug", 'source "blog/:slug" must start with "/"'),
        ("", 'must start with "/"'),
        ("/blog/:", 'character 7: a ":" with no parameter name'),
        ("/blog/:-x", 'character 7: a ":" with no parameter name'),
        ("/blog/(abc", 'character 7: an unbalanced "(" (never closed)'),
        ("/blog/((?:a)", 'an unbalanced "("'),
        ("/blog/abc)", 'character 10: an unbalanced ")"'),
        ("/blog/()", 'character 7: an empty pattern "()"'),
        ("/blog/(?!api).*", 'character 7: a group that starts with "?"'),
        ("/blog/((a))", "character 8: a capturing group inside a pattern"),
        ("/blog/:id([a-)", "character 7: an invalid regex"),
        ("/blog/:id((?<n>a))", "a named group"),
        ("/blog*", 'character 6: a "*" that follows no parameter'),
        ("/blog/+", 'a "+" that follows no parameter'),
        ("/a/?", 'a "?" that follows no parameter'),
        ("/blog{/:id", 'character 6: a "{" never closed'),
        ("/blog}", 'character 6: a "}" with no "{" before it'),
        ("/a{{b}}", 'an unexpected "{" inside "{...}"'),
        ("/:a:b", 'character 4: ":b" right after another parameter'),
        ("/:a(\\d+):b", '":b" right after another parameter'),
        ("/post-:slug*", '":slug*" repeats without "/" or "." before it'),
        ("/post-(.*)+", '"(.*)+" repeats without "/" or "." before it'),
        ("/blog\\", 'a "\\" that escapes nothing'),
    ],
)
def test_malformed_source(source: str, message: str) -> None:
    assert message in error(source)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"type": "headers", "key": "x"}, '`has[0]`: `type` is "headers"; expected one of'),
        ({"key": "x"}, "`type` is missing"),
        ({"type": "header"}, 'a "header" condition needs a `key`'),
        ({"type": "cookie", "key": ""}, 'a "cookie" condition needs a `key`'),
        ({"type": "query", "key": 3}, 'a "query" condition needs a `key`'),
        ({"type": "header", "key": "x", "value": 3}, "`value` must be a string (a regex), got int"),
        ({"type": "header", "key": "x", "value": ["a"]}, "got list"),
        ({"type": "host"}, 'a "host" condition needs a `value`'),
        ({"type": "header", "key": "x", "value": "(a"}, '`value` "(a" is not a valid regex'),
        (
            {"type": "header", "key": "x", "vaule": "a"},
            'unknown field "vaule" (did you mean "value"?)',
        ),
        ({"type": "header", "key": "x", "zzz": "a"}, "(expected type, key, value)"),
    ],
)
def test_malformed_condition(item: dict[str, object], message: str) -> None:
    assert message in error("/", has=[item])


def test_malformed_condition_names_its_list_and_index() -> None:
    good = {"type": "cookie", "key": "a"}
    assert error("/", missing=[good, {"type": "nope", "key": "x"}]).startswith("`missing[1]`:")
    assert "`has[0]` must be a table" in error("/", has=["header"])  # type: ignore[list-item]


def test_conditions_must_be_a_list() -> None:
    with pytest.raises(PatternError, match="`has` must be an array of tables, got str"):
        compile_rule("/", has="header")  # type: ignore[arg-type]


def test_none_fields_count_as_absent() -> None:
    # So `dataclasses.asdict(config.Condition(...))` can be passed through.
    rule = compile_rule("/", has=[{"type": "cookie", "key": "theme", "value": None}])
    assert rule.match("/", REQUEST) == {"theme": "dark"}


# -- destinations -----------------------------------------------------------------------------

PARAMS: dict[str, str | list[str]] = {
    "slug": ["a", "b"],
    "id": "7",
    "sub": "eu",
    "empty": [],
    "q": "x y",
}


@pytest.mark.parametrize(
    ("destination", "filled"),
    [
        ("/news", "/news"),
        ("/news/:id", "/news/7"),
        ("/news/:id/edit", "/news/7/edit"),
        ("/news-:id", "/news-7"),
        ("/news/:slug*", "/news/a/b"),
        ("/news/:slug+", "/news/a/b"),
        ("/news/:slug*/more", "/news/a/b/more"),
        ("/news/:slug", "/news/a/b"),  # lenient where Next errors; destination_problems warns
        ("/news/:empty*", "/news"),
        ("/news/:absent*", "/news"),  # a param that did not match leaves out its "/"
        ("/news/:absent", "/news"),
        ("/news/:absent/x", "/news/x"),
        ("/file.:absent", "/file"),
        ("/:identity", "/"),  # `id` is a param, but this names `identity`
        ("/:absent*", "/"),
        ("/:absent*?id=:id", "/?id=7"),
        ("https://example.com/:absent*", "https://example.com"),
        ("/news?id=:id", "/news?id=7"),
        ("/news?p=:slug*", "/news?p=a/b"),
        ("/news?at=10:30&id=:id", "/news?at=10:30&id=7"),  # unknown `:30` stays literal
        ("/news?:id=:id", "/news?:id=7"),  # keys are not filled, as in Next
        ("/news?q=:q", "/news?q=x y"),  # as is: no encoding
        ("/news?x=:nope", "/news?x=:nope"),
        ("/news#:id", "/news#7"),
        ("/news?a=1#s-:id", "/news?a=1#s-7"),
        ("https://example.com/blog/:id", "https://example.com/blog/7"),
        ("https://:sub.example.com/:id", "https://eu.example.com/7"),
        ("https://www.:sub.example.com", "https://www.eu.example.com"),
        ("http://localhost:3000/:id", "http://localhost:3000/7"),  # a port, not a param
        ("https://:sub.example.com:8443/x?id=:id", "https://eu.example.com:8443/x?id=7"),
        ("https://user:pw@example.com/:id", "https://user:pw@example.com/7"),
        ("mailto:me@example.com", "mailto:me@example.com"),
    ],
)
def test_fill_destination(destination: str, filled: str) -> None:
    assert fill_destination(destination, PARAMS) == filled


def test_fill_destination_round_trip_from_a_match() -> None:
    rule = compile_rule(
        "/old-blog/:year(\\d{4})/:slug*",
        has=[{"type": "host", "value": "(?<sub>[^.]+)\\.example\\.com"}],
    )
    params = rule.match("/old-blog/2024/a/b", REQUEST)
    assert params is not None
    assert fill_destination("https://:sub.example.org/:year/:slug*", params) == (
        "https://shop.example.org/2024/a/b"
    )
    assert fill_destination("/blog?year=:year", params) == "/blog?year=2024"


@pytest.mark.parametrize(
    ("text", "filled"),
    [
        ("max-age=0", "max-age=0"),
        ("s-maxage=10:id", "s-maxage=107"),  # Next too: no look-behind, only `(?!\\w)`
        ("x:identity", "x:identity"),  # names `identity`, not `id`
        ("v=:id", "v=7"),
        ("x-:id", "x-7"),
        ("default-src 'self' data: blob:", "default-src 'self' data: blob:"),
        ("/:slug*", "/a/b"),
        (":id?", "7"),
    ],
)
def test_fill_value_fills_known_params_only(text: str, filled: str) -> None:
    assert fill_value(text, PARAMS) == filled


@pytest.mark.parametrize(
    ("destination", "names"),
    [
        ("/about", set()),
        ("/news/:slug*", {"slug"}),
        ("/news?id=:id", set()),  # the query does not count (Next's appendParamsToQuery rule)
        ("/:a/:b?x=:d#:c", {"a", "b", "c"}),
        ("/:a#:b?x=:c", {"a", "b", "c"}),  # after "#" a "?" is part of the hash
        ("https://:sub.example.com:8080/x", {"sub"}),
    ],
)
def test_destination_params(destination: str, names: set[str]) -> None:
    assert destination_params(destination) == names


def test_destination_problems() -> None:
    rule = compile_rule(
        "/blog/:slug*/(.*)", has=[{"type": "header", "key": "x-ver", "value": "(?<ver>\\d)"}]
    )

    def problems(destination: str) -> list[str]:
        return destination_problems(
            destination, rule.available_params, repeated=rule.repeated_params
        )

    assert problems("/news/:slug*") == []
    assert problems("/news/:slug+?v=:ver&other=:nope") == []
    assert problems("https://:ver.example.com/:slug*") == []
    assert problems("/news/:nope") == [
        'destination "/news/:nope" uses :nope, which neither the source nor a `has` condition '
        "defines (write %3A for a literal colon)"
    ]
    assert problems("/news/:0") == [
        'destination "/news/:0" uses :0, an unnamed group; name it in the source (:name(...))'
    ]
    assert problems("/news/:slug") == [
        'destination "/news/:slug" uses :slug, which matches several segments; write ":slug*" there'
    ]
    assert problems("https://:host.example.com/:nope/:nope") == [
        'destination "https://:host.example.com/:nope/:nope" uses :host, which neither the '
        "source nor a `has` condition defines (write %3A for a literal colon)",
        'destination "https://:host.example.com/:nope/:nope" uses :nope, which neither the '
        "source nor a `has` condition defines (write %3A for a literal colon)",
    ]
    # plain names work without a compiled rule
    assert destination_problems("/x/:a", ["a"]) == []


# -- properties -------------------------------------------------------------------------------

_SPECIAL = set(":()*+?{}\\")
_segment = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="/"),
    min_size=1,
    max_size=12,
)


def _escape(text: str) -> str:
    return "".join("\\" + c if c in _SPECIAL else c for c in text)


@given(st.lists(_segment, min_size=1, max_size=5))
def test_literal_source_matches_exactly_its_path(segments: list[str]) -> None:
    path = "/" + "/".join(segments)
    rule = compile_rule("/" + "/".join(_escape(s) for s in segments), case_sensitive=True)
    assert rule.param_names == ()
    assert rule.match(path, NOTHING) == {}
    assert rule.match(path + "/", NOTHING) == {}  # the optional trailing slash
    assert rule.match(path + "x", NOTHING) is None
    assert rule.match(path[:-1], NOTHING) is None
    assert rule.match("/x" + path, NOTHING) is None
    if path.swapcase() != path:
        assert rule.match(path.swapcase(), NOTHING) is None


@given(st.lists(st.from_regex(re.compile(r"[a-z0-9_-]{1,8}"), fullmatch=True), max_size=6))
def test_catch_all_round_trips_through_its_destination(segments: list[str]) -> None:
    path = "/docs" + "".join("/" + s for s in segments)
    params = compile_rule("/docs/:path*").match(path, NOTHING)
    assert params is not None
    assert fill_destination("/docs/:path*", params) == path
