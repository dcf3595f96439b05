"""What `get_server_side_props` returned, checked, and props turned into JSON.

Pure functions, no I/O: the request pipeline calls `check_result` on the returned value,
awaits `PropsOutcome.props` if needed, calls `check_props`, then serializes with `dump_json`
and only when that fails asks `serialization_error` to explain why.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import json
import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import orjson

from pagemill.errors import PageError

__all__ = [
    "NotFoundOutcome",
    "Outcome",
    "PropsOutcome",
    "RedirectOutcome",
    "check_props",
    "check_result",
    "dump_json",
    "next_data_script_json",
    "redirect_location",
    "serialization_error",
]


@dataclass(frozen=True, slots=True)
class PropsOutcome:
    """Render the page. `props` may still be an awaitable: await it, then `check_props`."""

    props: object


@dataclass(frozen=True, slots=True)
class NotFoundOutcome:
    """Answer 404 with the app's 404 page."""


@dataclass(frozen=True, slots=True)
class RedirectOutcome:
    """Redirect; `base_path` is False only when the page gave `"base_path": False`."""

    destination: str
    status_code: int
    base_path: bool


Outcome = PropsOutcome | NotFoundOutcome | RedirectOutcome

# ---------------------------------------------------------------------------------------------
# Steps 1-3: the shape of the result.

_RESULT_KEYS = ("props", "not_found", "redirect")
_REDIRECT_KEYS = ("destination", "permanent", "status_code", "base_path")
_REDIRECT_STATUSES = (301, 302, 303, 307, 308)
_RESULT_SHAPES = '{"props": {...}}, {"not_found": True} or {"redirect": {"destination": "/"}}'
_REDIRECT_EXAMPLE = 'e.g. return {"redirect": {"destination": "/login", "permanent": False}}'

# Misspellings worth a "did you mean", keyed by the name lowercased without underscores, so
# `notFound`, `NotFound` and `not_Found` all point at `not_found`.
_RESULT_HINTS = {
    "notfound": "did you mean `not_found`?",
    "props": "did you mean `props`?",
    "redirect": "did you mean `redirect`?",
    "destination": "did you mean `destination`, inside `redirect`?",
    "permanent": "did you mean `permanent`, inside `redirect`?",
    "statuscode": "did you mean `status_code`, inside `redirect`?",
    "basepath": "did you mean `base_path`, inside `redirect`?",
}
_REDIRECT_HINTS = {
    "destination": "did you mean `destination`?",
    "permanent": "did you mean `permanent`?",
    "statuscode": "did you mean `status_code`?",
    "basepath": "did you mean `base_path`?",
    "url": "did you mean `destination`?",
    "location": "did you mean `destination`?",
    "href": "did you mean `destination`?",
    "dest": "did you mean `destination`?",
    "to": "did you mean `destination`?",
}

# C0, DEL and C1: CR/LF would split the Location header, and browsers drop tabs and newlines
# from URLs, which can turn a harmless-looking destination into another one.
_CONTROL_CHAR = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {"\r": "CR", "\n": "LF", "\t": "tab", "\x00": "NUL"}


def check_result(result: object, page_file: str) -> Outcome:
    """Check what `get_server_side_props` in `page_file` (e.g. "pages/x.py") returned.

    Raises `PageError` naming the file and the fix. A result with no `props` (`{}` or
    `{"not_found": False}`) is the props error of `check_props`, raised here already.
    """
    if result is None:
        raise PageError(
            f"`get_server_side_props` in {page_file} did not return a dict. "
            "Did you forget a `return`?"
        )
    if not isinstance(result, dict):
        raise PageError(
            f"`get_server_side_props` in {page_file} must return a dict, "
            f"got {_received(result)}. Return {_RESULT_SHAPES}."
        )
    invalid = [key for key in result if key not in _RESULT_KEYS]
    if invalid:
        raise PageError(_invalid_keys_message(invalid, page_file))
    if result.get("not_found"):
        # Checked before `redirect`, as Next.js does: both given means 404.
        return NotFoundOutcome()
    if "redirect" in result:
        return _check_redirect(result["redirect"], page_file)
    if "props" not in result:
        raise _props_error("nothing: the result has no `props` key", page_file)
    return PropsOutcome(result["props"])


def _invalid_keys_message(invalid: list[object], page_file: str) -> str:
    hinted: list[str] = []
    to_move: list[str] = []
    for key in invalid:
        hint = _RESULT_HINTS.get(_normalized(key))
        if hint is None:
            to_move.append(_show_key(key))
        else:
            hinted.append(f"{_show_key(key)}: {hint}")
    parts = [
        f"`get_server_side_props` in {page_file} returned keys other than "
        "`props`, `not_found` and `redirect`."
    ]
    if hinted:
        parts.extend(hinted)
    if to_move:
        parts.append(
            "Props for the page must be nested under `props`, e.g. "
            'return {"props": {"title": "My Title"}}. '
            f"Keys that need to be moved: {', '.join(to_move)}."
        )
    return " ".join(parts)


def _check_redirect(redirect: object, page_file: str) -> RedirectOutcome:
    prefix = f"Invalid redirect returned from `get_server_side_props` in {page_file}: "
    if not isinstance(redirect, dict):
        raise PageError(
            f"{prefix}`redirect` must be a dict, got {_received(redirect)}; {_REDIRECT_EXAMPLE}."
        )
    reasons: list[str] = []
    for key in redirect:
        if key not in _REDIRECT_KEYS:
            hint = _REDIRECT_HINTS.get(_normalized(key))
            known = "`destination`, `permanent`, `status_code` and `base_path`"
            reasons.append(f"unknown key {_show_key(key)} ({hint or f'a redirect takes {known}'})")
    permanent = redirect.get("permanent")
    status_code = redirect.get("status_code")
    destination = redirect.get("destination")
    if "permanent" in redirect and "status_code" in redirect:
        reasons.append("`permanent` and `status_code` can not both be given")
    if "permanent" in redirect and type(permanent) is not bool:
        reasons.append(f"`permanent` must be True or False, received {_received(permanent)}")
    # An int, or an int subclass such as `http.HTTPStatus.FOUND`, but never a bool.
    if "status_code" in redirect and (
        not isinstance(status_code, int)
        or isinstance(status_code, bool)
        or status_code not in _REDIRECT_STATUSES
    ):
        reasons.append(
            "`status_code` must be absent or one of 301, 302, 303, 307, 308, "
            f"received {_received(status_code)}"
        )
    if not isinstance(destination, str):
        received = _received(destination) if "destination" in redirect else "nothing"
        reasons.append(f"`destination` must be a str, received {received}")
    elif (control := _CONTROL_CHAR.search(destination)) is not None:
        char = control.group()
        name = _CONTROL_NAMES.get(char, f"U+{ord(char):04X}")
        reasons.append(
            f"`destination` contains a control character ({name} at index {control.start()}); "
            "percent-encode it (e.g. with urllib.parse.quote)"
        )
    base_path = redirect.get("base_path")
    if "base_path" in redirect and type(base_path) is not bool:
        reasons.append(f"`base_path` must be absent or False, received {_received(base_path)}")
    if reasons:
        raise PageError(f"{prefix}{' and '.join(reasons)}. Fix it, {_REDIRECT_EXAMPLE}.")
    status = int(status_code) if status_code is not None else 308 if permanent else 307
    # `base_path: True` behaves like an absent one.
    return RedirectOutcome(str(destination), status, base_path is not False)


def _normalized(key: object) -> str:
    return key.lower().replace("_", "") if isinstance(key, str) else ""


def _show_key(key: object) -> str:
    return f"`{key}`" if isinstance(key, str) else f"`{key!r}` ({type(key).__name__})"


def _received(value: object) -> str:
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    if value is None or isinstance(value, bool):
        return shown
    return f"{type(value).__name__} {shown}"


# ---------------------------------------------------------------------------------------------
# Step 4: the props themselves.


def check_props(props: object, page_file: str) -> dict[str, Any]:
    """Return `props` if it is a plain `dict`, else raise `PageError` saying what it was.

    Only `dict` itself: a subclass (`OrderedDict`, `defaultdict`) or another mapping is
    refused, as anywhere inside the props (see `dump_json`), so the rule is the same at
    every depth; the message says to use `dict(value)`.
    """
    if type(props) is not dict:
        raise _props_error(_received_props(props), page_file)
    return props


def _props_error(received: str, page_file: str) -> PageError:
    return PageError(
        f'Error serializing props returned from `get_server_side_props` in "{page_file}": '
        'props must be a plain dict, e.g. return {"props": {"title": "My Title"}} '
        f"(received: {received})."
    )


def _received_props(props: object) -> str:
    if props is None:
        return '`None`; use {"props": {}} for a page without props'
    received = f"`{type(props).__name__}`"
    if isinstance(props, dict) or hasattr(props, "keys"):
        return f"{received}; convert it with dict(value)"
    if dataclasses.is_dataclass(props) and not isinstance(props, type):
        return f"{received}; convert it with dataclasses.asdict(value)"
    if hasattr(props, "model_dump"):
        return f'{received}; convert it with value.model_dump(mode="json")'
    return received


# orjson would otherwise turn datetimes, dataclasses and subclasses of str/int/float/dict/
# list/tuple into JSON quietly; passed through they reach `_refuse` and fail, so
# only the types props may hold get in. What orjson still serializes natively and no
# option turns off: `uuid.UUID` (as its canonical str), `enum.Enum` members, `IntEnum` and
# `StrEnum` included (as their value, itself checked), and `orjson.Fragment` (trusted raw
# JSON). These are accepted: rejecting them would cost a walk of every value.
_DUMP_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)
# orjson refuses to nest containers deeper than this (its recursion limit is 255).
_ORJSON_MAX_DEPTH = 254
_PLAIN_LEAVES = frozenset({str, int, bool, type(None)})


def _refuse(value: object) -> Any:
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")


def dump_json(value: object) -> bytes:
    """Serialize compactly with orjson, failing on anything JSON cannot carry as it is.

    Raises `TypeError` (orjson's `JSONEncodeError`) or `ValueError` (NaN or infinity).
    """
    data = orjson.dumps(value, default=_refuse, option=_DUMP_OPTIONS)
    # orjson writes NaN and infinities as null (no option makes it fail), so an output with a
    # null is walked for them; one without (a fast byte scan) costs nothing more.
    if _NULL.search(data) is not None and _has_non_finite(value):
        raise ValueError("NaN and infinity cannot be serialized as JSON")
    return data


# A compiled search beats `b"null" in data` (~1.5x on props full of "n"s, such as "name").
_NULL = re.compile(rb"null")


def _has_non_finite(value: object) -> bool:
    # orjson already succeeded, so there is no cycle and no unknown type to worry about. None
    # is common in props, so this runs often: only containers go on the stack, and the
    # commonest children (str, int, bool, None) cost one set lookup each.
    stack: list[Collection[Any]] = [(value,)]
    while stack:
        container = stack.pop()
        for child in container.values() if type(container) is dict else container:
            kind = type(child)
            if kind in _PLAIN_LEAVES:
                continue
            if kind is float:
                if not math.isfinite(child):
                    return True
            elif kind is dict or kind is list or kind is tuple:
                stack.append(child)
            elif isinstance(child, enum.Enum):
                # Written as its value; a UUID or an orjson.Fragment holds no float.
                stack.append((child.value,))
    return False


def serialization_error(props: object, page_file: str) -> PageError:
    """Explain why `dump_json` failed on something holding `props`: the path and the fix.

    Walks `props` in the order orjson does, so the first problem reported is the one it hit.
    """
    if type(props) is not dict:
        return _props_error(_received_props(props), page_file)
    found = _find_problem(props, "", {}, 1)
    origin = f'returned from `get_server_side_props` in "{page_file}"'
    if found is None:
        # The props are fine on their own: what failed is around them (the app's props, or
        # nesting that only the wrapping of `__NEXT_DATA__` pushes past orjson's limit).
        return PageError(
            f"Error serializing props {origin}: the data around them could not be "
            "serialized as JSON (check what `_app.py` returns and how deep the props nest)."
        )
    path, reason = found
    where = f"`{path}`" if path else "props"
    return PageError(f"Error serializing {where} {origin}: {reason}")


def find_serialization_problem(props: dict[str, Any]) -> tuple[str, str] | None:
    """The first value in `props` JSON cannot carry, as orjson meets it: its key path (e.g.
    `.user.joined`) and what to do, or None when the props themselves are fine."""
    return _find_problem(props, "", {}, 1)


# The two levels `__NEXT_DATA__` wraps the page props in ({"props": {"pageProps": ...}}).
_MAX_PROPS_DEPTH = _ORJSON_MAX_DEPTH - 2
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


def _find_problem(
    value: object, path: str, ancestors: dict[int, str], depth: int
) -> tuple[str, str] | None:
    if type(value) is dict or type(value) is list or type(value) is tuple:
        ancestor = ancestors.get(id(value))
        if ancestor is not None:
            return path, (
                f"circular reference (it refers back to `{ancestor or '(self)'}`"
                f"{', the props themselves' if not ancestor else ''}). JSON cannot express "
                "a cycle: return a copy without the back-reference."
            )
        if depth > _MAX_PROPS_DEPTH:
            return path, (
                f"the value nests more than {_MAX_PROPS_DEPTH} dicts/lists deep, "
                "more than JSON serialization allows. Return flatter data."
            )
        ancestors[id(value)] = path
        if isinstance(value, dict):
            for key, item in value.items():
                if type(key) is not str:
                    return path, (
                        f"keys must be str, got {_received(key)}: use str(key). "
                        "JSON object keys are always strings."
                    )
                found = _find_problem(item, path + _key_path(key), ancestors, depth + 1)
                if found is not None:
                    return found
        else:
            for index, item in enumerate(value):
                found = _find_problem(item, f"{path}[{index}]", ancestors, depth + 1)
                if found is not None:
                    return found
        del ancestors[id(value)]
        return None
    if isinstance(value, enum.Enum):
        # orjson writes a member as its value, so the value is what must be serializable.
        return _find_problem(value.value, path, ancestors, depth)
    reason = _leaf_problem(value)
    return None if reason is None else (path, reason)


def _key_path(key: str) -> str:
    if _IDENTIFIER.fullmatch(key):
        return f".{key}"
    return f"[{json.dumps(key, ensure_ascii=False)}]"


def _leaf_problem(value: object) -> str | None:
    name = f"`{type(value).__name__}`"
    cannot = f"{name} cannot be serialized as JSON."
    if value is None or type(value) is bool:
        return None
    if type(value) is int:
        if -(2**63) <= value < 2**64:
            return None
        return (
            f"the int {value} is outside the 64-bit range JSON serialization allows. "
            "Return a str (str(value))."
        )
    if type(value) is float:
        if math.isfinite(value):
            return None
        return (
            f"`float` {value!r} cannot be serialized as JSON (it has no JSON form). "
            "Return None or a str."
        )
    if type(value) is str:
        try:
            value.encode()
        except UnicodeEncodeError as error:
            return (
                f"the str has a lone surrogate at index {error.start}, which is not valid "
                'UTF-8. Decode the text it came from properly (e.g. errors="replace").'
            )
        return None
    if isinstance(value, datetime.date | datetime.time):
        return f"{cannot} Return a str (e.g. value.isoformat()) or a number."
    if isinstance(value, datetime.timedelta):
        return f"{cannot} Return a number (e.g. value.total_seconds()) or a str."
    if isinstance(value, decimal.Decimal):
        return f"{cannot} Return a str (str(value)) or a float (float(value))."
    if isinstance(value, set | frozenset):
        return f"{cannot} Return a list (e.g. sorted(value))."
    if isinstance(value, bytes | bytearray | memoryview):
        return (
            f"{cannot} Return a str: value.decode() for text, "
            "base64.b64encode(value).decode() for binary data."
        )
    for plain in (str, int, float, dict, list, tuple):
        if isinstance(value, plain):
            # Refused rather than converted, so whatever the subclass adds is not lost silently.
            convert = "list" if plain is tuple else plain.__name__
            return (
                f"{name} (a subclass of `{plain.__name__}`) cannot be serialized as JSON. "
                f"Return a plain {convert} ({convert}(value))."
            )
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return f"{cannot} Return a dict (e.g. dataclasses.asdict(value))."
    if hasattr(value, "model_dump"):
        return f'{cannot} Return a dict (e.g. value.model_dump(mode="json")).'
    return (
        f"{cannot} Return None, a bool, int, float, str, list or dict "
        "(e.g. a dict of the object's fields)."
    )


# ---------------------------------------------------------------------------------------------
# Output: the `__NEXT_DATA__` script and the redirect Location.

_SCRIPT_ESCAPES = ((b"&", b"\\u0026"), (b"<", b"\\u003c"), (b">", b"\\u003e"))
# U+2028 and U+2029 in UTF-8; both start with the byte E2, which a one-byte scan finds far
# faster than a search for the three-byte sequences.
_LINE_SEPARATORS = (("\u2028".encode(), b"\\u2028"), ("\u2029".encode(), b"\\u2029"))


def next_data_script_json(data: bytes) -> bytes:
    """Escape compact JSON (orjson's UTF-8) for a `<script>` element.

    These characters only occur inside JSON strings, where a `\\uXXXX` escape means the
    same, so the text still parses to the same value and can neither close the element
    nor break it as a JavaScript line terminator.
    """
    for raw, escaped in _SCRIPT_ESCAPES:
        # The check is a fast scan; most pages have none of these characters.
        if raw in data:
            data = data.replace(raw, escaped)
    if b"\xe2" in data:
        for raw, escaped in _LINE_SEPARATORS:
            if raw in data:
                data = data.replace(raw, escaped)
    return data


_SLASHES = re.compile(r"[/\\]+")


def redirect_location(destination: str, base_path: str, use_base_path: bool) -> str:
    """The Location for a redirect: base path added, repeated slashes collapsed.

    A destination starting with a backslash is treated like one starting with "/":
    browsers read `\\\\evil.com` as `//evil.com`, another host.
    """
    if not destination.startswith(("/", "\\")):
        return destination
    if use_base_path:
        destination = base_path + destination
    end = len(destination)
    for mark in ("?", "#"):
        found = destination.find(mark)
        if found != -1:
            end = min(end, found)
    # Browsers treat "\" in a path as "/", so both are collapsed: "//evil.com" and
    # "/\evil.com" would otherwise name another host.
    return _SLASHES.sub("/", destination[:end]) + destination[end:]
