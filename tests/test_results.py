"""Tests for `pagemill.results`: gSSP result checks, props to JSON, script escaping, Location."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import math
import uuid
from collections import OrderedDict
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pagemill.errors import PageError
from pagemill.results import (
    NotFoundOutcome,
    PropsOutcome,
    RedirectOutcome,
    check_props,
    check_result,
    dump_json,
    next_data_script_json,
    redirect_location,
    serialization_error,
)

PAGE = "pages/x.py"


def result_error(result: object) -> str:
    with pytest.raises(PageError) as caught:
        check_result(result, PAGE)
    message = str(caught.value)
    assert PAGE in message
    return message


def redirect_error(redirect: object) -> str:
    message = result_error({"redirect": redirect})
    assert message.startswith(f"Invalid redirect returned from `get_server_side_props` in {PAGE}")
    assert '{"redirect": {"destination": "/login", "permanent": False}}' in message
    return message


def props_error(props: dict[str, Any], page_file: str = PAGE) -> str:
    with pytest.raises((TypeError, ValueError)):
        dump_json({"pageProps": props, "__N_SSP": True})
    message = str(serialization_error(props, page_file))
    assert f'returned from `get_server_side_props` in "{page_file}"' in message
    return message


# --- step 1: not a dict ---------------------------------------------------------------------


def test_none_is_a_missing_return() -> None:
    assert result_error(None) == (
        "`get_server_side_props` in pages/x.py did not return a dict. Did you forget a `return`?"
    )


@pytest.mark.parametrize(("value", "shown"), [([1, 2], "list [1, 2]"), ("hi", "str 'hi'")])
def test_non_dict_result(value: object, shown: str) -> None:
    message = result_error(value)
    assert f"must return a dict, got {shown}" in message
    assert '{"props": {...}}' in message


def test_none_is_checked_first() -> None:
    assert "Did you forget a `return`?" in result_error(None)


# --- step 2: keys ---------------------------------------------------------------------------


def test_extra_keys_must_move_under_props_in_order() -> None:
    message = result_error({"title": "T", "props": {}, "content": "C"})
    assert "must be nested under `props`" in message
    assert 'return {"props": {"title": "My Title"}}' in message
    assert "Keys that need to be moved: `title`, `content`." in message


def test_non_str_keys_are_listed() -> None:
    assert "Keys that need to be moved: `1` (int)." in result_error({1: "a", "props": {}})


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("notFound", "did you mean `not_found`?"),
        ("statusCode", "did you mean `status_code`, inside `redirect`?"),
        ("basePath", "did you mean `base_path`, inside `redirect`?"),
        ("Props", "did you mean `props`?"),
    ],
)
def test_camel_case_keys_get_a_hint(key: str, hint: str) -> None:
    message = result_error({key: True})
    assert f"`{key}`: {hint}" in message
    assert "Keys that need to be moved" not in message


def test_hints_and_keys_to_move_together() -> None:
    message = result_error({"notFound": True, "title": "T"})
    assert "`notFound`: did you mean `not_found`?" in message
    assert "Keys that need to be moved: `title`." in message


def test_invalid_keys_are_checked_before_not_found_and_redirect() -> None:
    assert "`extra`" in result_error({"not_found": True, "extra": 1})
    assert "`extra`" in result_error({"redirect": {"destination": 5}, "extra": 1})


# --- outcomes -------------------------------------------------------------------------------


def test_props() -> None:
    props = {"a": 1}
    assert check_result({"props": props}, PAGE) == PropsOutcome(props)
    assert check_result({"not_found": False, "props": props}, PAGE) == PropsOutcome(props)


def test_props_may_be_an_awaitable_left_for_the_caller() -> None:
    async def later() -> dict[str, Any]:
        return {}

    pending = later()
    outcome = check_result({"props": pending}, PAGE)
    assert isinstance(outcome, PropsOutcome)
    assert outcome.props is pending
    pending.close()


def test_not_found() -> None:
    assert check_result({"not_found": True}, PAGE) == NotFoundOutcome()


def test_not_found_wins_over_redirect_even_an_invalid_one() -> None:
    assert check_result({"not_found": True, "redirect": {"destination": "/"}}, PAGE) == (
        NotFoundOutcome()
    )
    assert check_result({"not_found": True, "redirect": 5}, PAGE) == NotFoundOutcome()


@pytest.mark.parametrize("result", [{}, {"not_found": False}])
def test_no_props_is_the_props_error(result: dict[str, Any]) -> None:
    message = result_error(result)
    assert message.startswith(
        'Error serializing props returned from `get_server_side_props` in "pages/x.py": '
        "props must be a plain dict"
    )
    assert "no `props` key" in message


@pytest.mark.parametrize(
    ("redirect", "status"),
    [
        ({"destination": "/a"}, 307),
        ({"destination": "/a", "permanent": True}, 308),
        ({"destination": "/a", "permanent": False}, 307),
        ({"destination": "/a", "status_code": 301}, 301),
        ({"destination": "/a", "status_code": 302}, 302),
        ({"destination": "/a", "status_code": 303}, 303),
        ({"destination": "/a", "status_code": 307}, 307),
        ({"destination": "/a", "status_code": 308}, 308),
    ],
)
def test_redirect_status(redirect: dict[str, Any], status: int) -> None:
    assert check_result({"redirect": redirect}, PAGE) == RedirectOutcome("/a", status, True)


def test_redirect_drops_props_and_keeps_base_path_false() -> None:
    result = {"props": {"x": 1}, "redirect": {"destination": "/a", "base_path": False}}
    assert check_result(result, PAGE) == RedirectOutcome("/a", 307, False)
    result = {"redirect": {"destination": "https://example.com", "base_path": True}}
    assert check_result(result, PAGE) == RedirectOutcome("https://example.com", 307, True)


# --- step 3: redirect -----------------------------------------------------------------------


@pytest.mark.parametrize("redirect", ["/login", None, ["/login"]])
def test_redirect_must_be_a_dict(redirect: object) -> None:
    assert "`redirect` must be a dict, got" in redirect_error(redirect)


@pytest.mark.parametrize(
    ("redirect", "reason"),
    [
        (
            {"destination": "/", "permanent": True, "status_code": 301},
            "`permanent` and `status_code` can not both be given",
        ),
        ({"destination": "/", "permanent": 1}, "`permanent` must be True or False, received int 1"),
        (
            {"destination": "/", "status_code": 200},
            "`status_code` must be absent or one of 301, 302, 303, 307, 308, received int 200",
        ),
        ({"destination": "/", "status_code": 301.0}, "received float 301.0"),
        ({"destination": "/", "status_code": True}, "`status_code` must be absent or one of"),
        ({"destination": 5}, "`destination` must be a str, received int 5"),
        ({}, "`destination` must be a str, received nothing"),
        ({"destination": "/", "base_path": None}, "`base_path` must be absent or False"),
        ({"destination": "/", "base_path": "no"}, "received str 'no'"),
        ({"destination": "/", "statusCode": 301}, "`statusCode` (did you mean `status_code`?)"),
        ({"destination": "/", "basePath": False}, "`basePath` (did you mean `base_path`?)"),
        ({"url": "/"}, "`url` (did you mean `destination`?)"),
        ({"destination": "/", "foo": 1}, "unknown key `foo` (a redirect takes `destination`"),
    ],
)
def test_redirect_reasons(redirect: dict[str, Any], reason: str) -> None:
    assert reason in redirect_error(redirect)


def test_redirect_reasons_are_all_joined() -> None:
    message = redirect_error({"destination": 5, "permanent": "yes", "base_path": 0})
    assert (
        "`permanent` must be True or False, received str 'yes' and "
        "`destination` must be a str, received int 5 and "
        "`base_path` must be absent or False, received int 0"
    ) in message


@pytest.mark.parametrize(
    ("destination", "name"),
    [
        ("/a\r\nSet-Cookie: x=1", "CR at index 2"),
        ("/a\nb", "LF at index 2"),
        ("/a\tb", "tab at index 2"),
        ("/\x00", "NUL at index 1"),
        ("/\x1b", "U+001B at index 1"),
        ("/a\x7f", "U+007F at index 2"),
        ("/a\x85", "U+0085 at index 2"),
        ("/a\x9f", "U+009F at index 2"),
    ],
)
def test_redirect_destination_control_characters(destination: str, name: str) -> None:
    message = redirect_error({"destination": destination})
    assert f"`destination` contains a control character ({name})" in message
    assert "percent-encode it" in message


def test_redirect_destination_non_ascii_is_fine() -> None:
    outcome = check_result({"redirect": {"destination": "/caf\u00e9\u00a0"}}, PAGE)
    assert outcome == RedirectOutcome("/caf\u00e9\u00a0", 307, True)


def test_redirect_status_may_be_an_http_status() -> None:
    from http import HTTPStatus

    result = {"redirect": {"destination": "/", "status_code": HTTPStatus.SEE_OTHER}}
    outcome = check_result(result, PAGE)
    assert outcome == RedirectOutcome("/", 303, True)
    assert isinstance(outcome, RedirectOutcome)
    assert type(outcome.status_code) is int


# --- step 4: check_props --------------------------------------------------------------------


def test_check_props_returns_a_dict() -> None:
    props = {"a": 1}
    assert check_props(props, PAGE) is props


@dataclasses.dataclass
class User:
    name: str


@pytest.mark.parametrize(
    ("props", "received"),
    [
        (None, '(received: `None`; use {"props": {}} for a page without props)'),
        ([1], "(received: `list`)"),
        ("x", "(received: `str`)"),
        (OrderedDict(a=1), "(received: `OrderedDict`; convert it with dict(value))"),
        (User("a"), "(received: `User`; convert it with dataclasses.asdict(value))"),
    ],
)
def test_check_props_refuses_anything_but_a_dict(props: object, received: str) -> None:
    with pytest.raises(PageError) as caught:
        check_props(props, PAGE)
    message = str(caught.value)
    assert message.startswith(
        'Error serializing props returned from `get_server_side_props` in "pages/x.py": '
        'props must be a plain dict, e.g. return {"props": {"title": "My Title"}}'
    )
    assert message.endswith(f"{received}.")


# --- dump_json ------------------------------------------------------------------------------


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


def test_allowed_values_pass() -> None:
    value: dict[str, Any] = {
        "none": None,
        "bool": True,
        "int": -(2**63),
        "big": 2**64 - 1,
        "float": 1.5,
        "str": "s",
        "list": [1, [2, {"a": ()}]],
        "tuple": (1, (2, (3,))),
        "dict": {"nested": {"deeper": {}}},
    }
    assert orjson.loads(dump_json(value)) == {
        **value,
        "list": [1, [2, {"a": []}]],
        "tuple": [1, [2, [3]]],
    }


def test_shared_references_are_fine() -> None:
    shared = {"a": [1]}
    assert dump_json({"x": shared, "y": shared, "z": [shared, shared]}) == (
        b'{"x":{"a":[1]},"y":{"a":[1]},"z":[{"a":[1]},{"a":[1]}]}'
    )


def test_enum_members_and_uuid_are_accepted_as_orjson_writes_them() -> None:
    # No orjson option refuses them, and finding them would cost a walk of every value.
    ident = uuid.UUID(int=1)
    assert dump_json({"c": Color.RED, "l": Level.HIGH, "u": ident}) == (
        b'{"c":"red","l":3,"u":"00000000-0000-0000-0000-000000000001"}'
    )


class Text(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2024, 1, 2),
        datetime.date(2024, 1, 2),
        decimal.Decimal("1.5"),
        {1, 2},
        b"x",
        User("a"),
        Text("subclass"),
        OrderedDict(a=1),
        2**64,
        "\ud800",
        math.nan,
        math.inf,
        -math.inf,
        object(),
    ],
)
def test_refused_values_fail(value: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        dump_json({"props": {"deep": [value]}})


def test_non_str_keys_fail() -> None:
    with pytest.raises(TypeError):
        dump_json({3: "x"})
    with pytest.raises(TypeError):
        dump_json({"a": {Text("k"): 1}})


def test_nan_detection_does_not_mistake_nulls() -> None:
    assert dump_json({"a": None, "b": "null", "c": [1.0, None]}) == (
        b'{"a":null,"b":"null","c":[1.0,null]}'
    )
    with pytest.raises(ValueError, match="NaN"):
        dump_json({"a": None, "b": ({"c": [math.inf]},)})


any_floats = st.recursive(
    st.none() | st.floats() | st.text(max_size=3) | st.sampled_from([Color.RED, Level.HIGH]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=15,
)


def has_non_finite(value: object) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(map(has_non_finite, value.values()))
    if isinstance(value, list | tuple):
        return any(map(has_non_finite, value))
    return False


@given(any_floats)
def test_dump_json_fails_exactly_on_non_finite_floats(value: object) -> None:
    if has_non_finite(value):
        with pytest.raises(ValueError):
            dump_json(value)
    else:
        assert dump_json(value) == orjson.dumps(value)


def test_nan_inside_an_enum_is_found() -> None:
    class Bad(enum.Enum):
        NAN = math.nan

    with pytest.raises(ValueError):
        dump_json({"a": Bad.NAN})


# --- serialization_error --------------------------------------------------------------------


def test_datetime_message_in_full() -> None:
    props = {"items": [{}, {}, {}, {"created": datetime.datetime(2024, 1, 2)}]}
    assert props_error(props, "pages/index.py") == (
        "Error serializing `.items[3].created` returned from `get_server_side_props` in "
        '"pages/index.py": `datetime` cannot be serialized as JSON. Return a str '
        "(e.g. value.isoformat()) or a number."
    )


@pytest.mark.parametrize(
    ("props", "path", "reason"),
    [
        ({"time": datetime.date(2024, 1, 1)}, ".time", "`date` cannot be serialized"),
        ({"time": datetime.time(1, 2)}, ".time", "value.isoformat()"),
        ({"k": {"a": [0, {"n": decimal.Decimal(1)}]}}, ".k.a[1].n", "float(value)"),
        ({"a": {"x-y": {1}}}, '.a["x-y"]', "Return a list (e.g. sorted(value))"),
        ({"tags": frozenset()}, ".tags", "`frozenset` cannot be serialized"),
        ({"raw": b"x"}, ".raw", "base64.b64encode(value).decode()"),
        ({"f": math.nan}, ".f", "`float` nan cannot be serialized as JSON"),
        ({"f": [math.inf]}, ".f[0]", "Return None or a str."),
        ({"user": User("a")}, ".user", "dataclasses.asdict(value)"),
        ({"o": object()}, ".o", "`object` cannot be serialized as JSON"),
        ({"s": Text("x")}, ".s", "`Text` (a subclass of `str`)"),
        ({"d": OrderedDict()}, ".d", "Return a plain dict (dict(value))"),
        ({"n": 2**64}, ".n", "outside the 64-bit range"),
        ({"s": "a\udc80"}, ".s", "lone surrogate at index 1"),
        ({"$ok_1": [datetime.timedelta(1)]}, ".$ok_1[0]", "value.total_seconds()"),
        ({"1a": {"caf\u00e9": b""}}, '["1a"]["caf\u00e9"]', "`bytes`"),
        ({"t": ((1, (2, b"")),)}, ".t[0][1][1]", "`bytes`"),
        ({"a": {3: "x"}}, ".a", "keys must be str, got int 3: use str(key)"),
        ({"e": Color.RED, "bad": [{None: 1}]}, ".bad[0]", "keys must be str, got None"),
    ],
)
def test_serialization_reasons_and_paths(props: dict[str, Any], path: str, reason: str) -> None:
    message = props_error(props)
    assert message.startswith(f"Error serializing `{path}` returned from")
    assert reason in message


def test_model_like_objects_suggest_model_dump() -> None:
    class Model:
        def model_dump(self) -> dict[str, Any]:
            return {}

    assert 'value.model_dump(mode="json")' in props_error({"m": Model()})


def test_non_str_key_at_the_top() -> None:
    message = props_error({3: 1})  # type: ignore[dict-item]
    assert message.startswith("Error serializing props returned from")
    assert "keys must be str, got int 3" in message


def test_first_problem_in_order_is_reported() -> None:
    assert "`.a`" in props_error({"a": {1}, "b": b""})


def test_cycle_to_self() -> None:
    props: dict[str, Any] = {"x": 1}
    props["child"] = props
    message = props_error(props)
    assert message.startswith("Error serializing `.child` returned from")
    assert "circular reference (it refers back to `(self)`, the props themselves)" in message


def cycle_in_a_list_item() -> dict[str, Any]:
    item: dict[str, Any] = {}
    item["child"] = item
    return {"k": [item]}


def cycle_in_a_list() -> dict[str, Any]:
    arr: list[Any] = [1, 2]
    arr.append(arr)
    return {"arr": arr}


def cycle_deep_down() -> dict[str, Any]:
    k: list[Any] = [0, 1, 2, [0, [5, 6]]]
    k[3][1].append(k)
    return {"k": k}


@pytest.mark.parametrize(
    ("props", "path", "target"),
    [
        (cycle_in_a_list_item(), ".k[0].child", ".k[0]"),
        (cycle_in_a_list(), ".arr[2]", ".arr"),
        (cycle_deep_down(), ".k[3][1][2]", ".k"),
    ],
)
def test_cycle_reports_the_ancestor(props: dict[str, Any], path: str, target: str) -> None:
    message = props_error(props)
    assert message.startswith(f"Error serializing `{path}` returned from")
    assert f"(it refers back to `{target}`)" in message


def test_too_deep() -> None:
    props: dict[str, Any] = {}
    inner = props
    for _ in range(300):
        inner["n"] = {}
        inner = inner["n"]
    assert "nests more than 252 dicts/lists deep" in props_error(props)


def test_props_that_are_not_a_dict() -> None:
    message = str(serialization_error([1], PAGE))
    assert "props must be a plain dict" in message


def test_failure_outside_the_props() -> None:
    with pytest.raises(TypeError):
        dump_json({"pageProps": {"ok": 1}, "app": {1}})
    message = str(serialization_error({"ok": 1}, PAGE))
    assert message.startswith('Error serializing props returned from `get_server_side_props` in "')
    assert "_app.py" in message


# --- next_data_script_json ------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=20,
)
risky_text = st.text(alphabet=st.sampled_from('<>&"\\/\u2028\u2029a\u00e9\U0001f600 '))


@given(st.one_of(json_values, st.dictionaries(risky_text, risky_text)))
def test_script_json_round_trips_and_hides_markup(value: object) -> None:
    escaped = next_data_script_json(dump_json(value))
    assert orjson.loads(escaped) == value
    for raw in (b"<", b">", b"&", "\u2028".encode(), "\u2029".encode()):
        assert raw not in escaped


def test_script_json_escapes_a_closing_tag() -> None:
    data = dump_json({"html": "</script><!-- & \u2028\u2029"})
    assert next_data_script_json(data) == (
        b'{"html":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"}'
    )


def test_script_json_leaves_other_text_alone() -> None:
    data = dump_json({"q": 'it\'s "fine" \\ caf\u00e9 \u2027'})
    assert next_data_script_json(data) == data


# --- redirect_location ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("destination", "base_path", "use_base_path", "location"),
    [
        ("/404", "/docs", True, "/docs/404"),
        ("/404", "/docs", False, "/404"),
        ("/404", "", True, "/404"),
        ("//evil.com", "", True, "/evil.com"),
        ("/\\evil.com", "", True, "/evil.com"),
        ("\\\\evil.com", "", True, "/evil.com"),
        ("//evil.com", "/docs", True, "/docs/evil.com"),
        ("/a//b?x=//y", "", True, "/a/b?x=//y"),
        ("/a//b#//h", "", True, "/a/b#//h"),
        ("/a\\b//c?x=\\\\y#z//", "/docs", True, "/docs/a/b/c?x=\\\\y#z//"),
        ("https://example.com//a", "/docs", True, "https://example.com//a"),
        ("mailto:x@example.com", "/docs", True, "mailto:x@example.com"),
        ("relative//x", "/docs", True, "relative//x"),
    ],
)
def test_redirect_location(
    destination: str, base_path: str, use_base_path: bool, location: str
) -> None:
    assert redirect_location(destination, base_path, use_base_path) == location
