"""Draft mode and preview data cookies: writing them, reading them, refusing bad ones."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pagemill.errors import PagemillError
from pagemill.preview import (
    BYPASS_COOKIE,
    DATA_COOKIE,
    MAX_DATA_COOKIE_LENGTH,
    NOT_IN_PREVIEW,
    PreviewDataTooLarge,
    PreviewMode,
    PreviewState,
    new_preview_id,
    new_secret,
)

PREVIEW_ID = "build-one-preview-id-0123456789abcdef"
SECRET = b"a secret of at least sixteen bytes"
EPOCH = "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"


def make(preview_id: str = PREVIEW_ID, secret: bytes = SECRET, dev: bool = False) -> PreviewMode:
    return PreviewMode(preview_id=preview_id, secret=secret, dev=dev)


def sent_back(set_cookies: list[str]) -> dict[str, str]:
    """The cookies a browser would send after receiving these Set-Cookie values."""
    pairs = (header.split(";", 1)[0].split("=", 1) for header in set_cookies)
    return {name: value for name, value in pairs if value}


def in_preview(data: Any) -> PreviewState:
    return PreviewState(draft_mode=True, preview=True, data=data, clear_cookies=False)


REJECTED = PreviewState(draft_mode=False, preview=False, data=None, clear_cookies=True)
DRAFT = in_preview({})


def data_cookie(mode: PreviewMode, data: object) -> str:
    return sent_back(mode.set_data(data))[DATA_COOKIE]


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


# --- round trips -----------------------------------------------------------------------------


def test_no_cookies_is_not_preview() -> None:
    assert make().read({}) is NOT_IN_PREVIEW
    assert make().read({"session": "abc"}) is NOT_IN_PREVIEW


def test_draft_mode_round_trip() -> None:
    mode = make()
    assert sent_back(mode.enable_draft()) == {BYPASS_COOKIE: PREVIEW_ID}
    assert mode.read(sent_back(mode.enable_draft())) == DRAFT


def test_preview_data_round_trip() -> None:
    mode = make()
    cookies = sent_back(mode.set_data({"lets": "goooo"}))
    assert cookies.keys() == {BYPASS_COOKIE, DATA_COOKIE}
    assert cookies[BYPASS_COOKIE] == PREVIEW_ID
    assert mode.read(cookies) == in_preview({"lets": "goooo"})


def test_another_instance_with_the_same_build_and_secret_reads_it() -> None:
    # The server restarting on the same build output keeps preview sessions.
    cookies = sent_back(make().set_data({"a": [1, 2.5, None, True]}))
    assert make(dev=True).read(cookies) == in_preview({"a": [1, 2.5, None, True]})


@pytest.mark.parametrize("data", ["a string", [1, "two"], 3, None, {"nested": {"x": ["é", "☃"]}}])
def test_any_json_value_round_trips(data: object) -> None:
    # Like Next's `setPreviewData(object | string)`: the cookie is authenticated, so whatever
    # JSON it holds was written by `set_data` and is handed back as is.
    mode = make()
    assert mode.read(sent_back(mode.set_data(data))) == in_preview(data)


def test_lone_surrogate_round_trips() -> None:
    mode = make()
    assert mode.read(sent_back(mode.set_data({"s": "\ud800x"}))).data == {"s": "\ud800x"}


def test_each_cookie_is_freshly_encrypted() -> None:
    mode = make()
    assert data_cookie(mode, {"a": 1}) != data_cookie(mode, {"a": 1})


def test_the_data_cookie_hides_the_data() -> None:
    value = data_cookie(make(), {"password": "swordfish-hunter2"})
    decoded = unb64(value)
    for text in ("swordfish", "password"):
        assert text not in value
        assert text.encode() not in decoded


def test_unserializable_data_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="JSON-serializable"):
        make().set_data({"when": object()})
    with pytest.raises(TypeError, match="JSON-serializable"):
        make().set_data({"x": float("nan")})


# --- requests that must be refused, and the cookies cleared ------------------------------------


def test_data_cookie_alone() -> None:
    mode = make()
    assert mode.read({DATA_COOKIE: data_cookie(mode, {"a": 1})}) == REJECTED


def test_bypass_from_another_build_alone() -> None:
    assert make().read({BYPASS_COOKIE: "an-older-build-id"}) == REJECTED


def test_bypass_from_another_build_with_data() -> None:
    old = make(preview_id="old-build-id-000000000000000000000")
    assert make().read(sent_back(old.set_data({"a": 1}))) == REJECTED


def test_data_cookie_made_for_another_build() -> None:
    # Same secret, a valid bypass cookie for this build, but data sealed for another preview id.
    mode, old = make(), make(preview_id="old-build-id-000000000000000000000")
    cookies = {BYPASS_COOKIE: PREVIEW_ID, DATA_COOKIE: data_cookie(old, {"a": 1})}
    assert mode.read(cookies) == REJECTED


def test_data_cookie_made_with_another_secret() -> None:
    other = make(secret=b"another secret, also long enough")
    assert make().read(sent_back(other.set_data({"a": 1}))) == REJECTED


def test_server_restarted_with_a_new_build_and_secret() -> None:
    # Next's "cookies expired after dev server reboot": no error, both cookies cleared.
    before = make(preview_id=new_preview_id(), secret=new_secret().encode(), dev=True)
    after = make(preview_id=new_preview_id(), secret=new_secret().encode(), dev=True)
    assert after.read(sent_back(before.set_data({"client": "mode"}))) == REJECTED
    assert after.read(sent_back(before.enable_draft())) == REJECTED


@pytest.mark.parametrize("index", [0, 1, 5, 13, 20, -17, -1])
def test_every_flipped_byte_is_refused(index: int) -> None:
    # Version byte, nonce, ciphertext and tag: a change anywhere fails.
    mode = make()
    raw = bytearray(unb64(data_cookie(mode, {"a": 1})))
    raw[index] ^= 0x01
    assert mode.read({BYPASS_COOKIE: PREVIEW_ID, DATA_COOKIE: b64(bytes(raw))}) == REJECTED


@pytest.mark.parametrize("keep", [1, 2, 10, 20, 40, -1, -4])
def test_truncated_data_cookie(keep: int) -> None:
    mode = make()
    value = data_cookie(mode, {"a": 1})
    assert mode.read({BYPASS_COOKIE: PREVIEW_ID, DATA_COOKIE: value[:keep]}) == REJECTED


def test_data_cookie_with_bytes_appended() -> None:
    mode = make()
    value = b64(unb64(data_cookie(mode, {"a": 1})) + b"\x00")
    assert mode.read({BYPASS_COOKIE: PREVIEW_ID, DATA_COOKIE: value}) == REJECTED


@pytest.mark.parametrize(
    "garbage",
    [
        "not base64!",
        "%%%%",
        "abcde",  # a length no base64 has
        "AAAA",
        "A" * 60,
        "é" * 40,
        "\ud800",
        "eyJhbGciOiJIUzI1NiJ9.eyJkYXRhIjoiIn0.c2ln",  # a JWT, as Next would send
    ],
)
def test_garbage_data_cookie(garbage: str) -> None:
    assert make().read({BYPASS_COOKIE: PREVIEW_ID, DATA_COOKIE: garbage}) == REJECTED


def test_garbage_bypass_cookie() -> None:
    mode = make()
    for garbage in ("é", "\ud800", PREVIEW_ID + "x", PREVIEW_ID[:-1], " " + PREVIEW_ID):
        assert mode.read({BYPASS_COOKIE: garbage}) == REJECTED


def test_non_canonical_base64_is_refused() -> None:
    # Changing the unused low bits of the last character keeps the bytes but not the spelling.
    mode = make()
    value = data_cookie(mode, {"a": 1})
    assert len(value) % 4 in (2, 3)  # so the last character carries unused bits
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    twin = value[:-1] + alphabet[alphabet.index(value[-1]) ^ 1]
    assert unb64(twin) == unb64(value)
    assert mode.read({BYPASS_COOKIE: PREVIEW_ID, DATA_COOKIE: twin}) == REJECTED


def test_authenticated_but_undecodable_plaintext_is_refused() -> None:
    # Only this module's own bug could produce these; they are still refused, not raised.
    mode = make()
    for plaintext in (b"", b"\x00" * 7, b"\x00" * 8 + b"{not json", b"\x00" * 8 + b"\xff\xfe"):
        cookies = {BYPASS_COOKIE: PREVIEW_ID, DATA_COOKIE: mode._seal(plaintext)}
        assert mode.read(cookies) == REJECTED


def test_unknown_version_is_refused() -> None:
    mode = make()
    raw = unb64(data_cookie(mode, {"a": 1}))
    assert mode.read({BYPASS_COOKIE: PREVIEW_ID, DATA_COOKIE: b64(b"\x02" + raw[1:])}) == REJECTED


def test_empty_values_count_as_absent() -> None:
    # As in Next (`!cookie`): a browser may send a cleared cookie back with an empty value.
    mode = make()
    valid = sent_back(mode.set_data({"a": 1}))
    assert mode.read({BYPASS_COOKIE: "", DATA_COOKIE: ""}) is NOT_IN_PREVIEW
    assert mode.read({BYPASS_COOKIE: ""}) is NOT_IN_PREVIEW
    assert mode.read({DATA_COOKIE: ""}) is NOT_IN_PREVIEW
    assert mode.read({BYPASS_COOKIE: PREVIEW_ID, DATA_COOKIE: ""}) == DRAFT
    assert mode.read({BYPASS_COOKIE: "", DATA_COOKIE: valid[DATA_COOKIE]}) == REJECTED


def test_clear_headers_expire_both_cookies() -> None:
    mode = make()
    assert mode.clear_headers() == mode.clear()
    assert sent_back(mode.clear_headers()) == {}
    assert [header.split("=", 1)[0] for header in mode.clear_headers()] == [
        BYPASS_COOKIE,
        DATA_COOKIE,
    ]


# --- max_age: the cookie and the sealed expiry --------------------------------------------------


def test_max_age_is_enforced_inside_the_data_cookie() -> None:
    # A copy of the cookie kept past Max-Age is refused by the server, not only by the browser.
    mode = make()
    cookies = sent_back(mode.set_data({"a": 1}, max_age=60, now=1000.0))
    assert mode.read(cookies, now=1000.0) == in_preview({"a": 1})
    assert mode.read(cookies, now=1059.9) == in_preview({"a": 1})
    assert mode.read(cookies, now=1060.0) == REJECTED


def test_without_max_age_the_data_cookie_does_not_expire() -> None:
    mode = make()
    cookies = sent_back(mode.set_data({"a": 1}, now=1000.0))
    assert mode.read(cookies, now=1e12) == in_preview({"a": 1})


def test_negative_max_age_is_refused() -> None:
    with pytest.raises(ValueError, match="max_age"):
        make().set_data({}, max_age=-1)


# --- cookie attributes ---------------------------------------------------------------------


def test_production_attributes() -> None:
    mode = make()
    [bypass] = mode.enable_draft()
    assert bypass == f"{BYPASS_COOKIE}={PREVIEW_ID}; Path=/; HttpOnly; SameSite=None; Secure"
    bypass, data = mode.set_data({"lets": "goooo"})
    assert bypass == f"{BYPASS_COOKIE}={PREVIEW_ID}; Path=/; HttpOnly; SameSite=None; Secure"
    value = sent_back([data])[DATA_COOKIE]
    assert data == f"{DATA_COOKIE}={value}; Path=/; HttpOnly; SameSite=None; Secure"
    assert "Max-Age" not in bypass + data


def test_dev_attributes() -> None:
    mode = make(dev=True)
    [bypass] = mode.enable_draft()
    assert bypass == f"{BYPASS_COOKIE}={PREVIEW_ID}; Path=/; HttpOnly; SameSite=Lax"
    for header in mode.set_data({"a": 1}) + mode.clear():
        assert header.endswith("; HttpOnly; SameSite=Lax")
        assert "Secure" not in header


def test_max_age_and_path() -> None:
    bypass, data = make().set_data({"a": 1}, max_age=3600, path="/blog")
    assert bypass == (
        f"{BYPASS_COOKIE}={PREVIEW_ID}; Path=/blog; Max-Age=3600; HttpOnly; SameSite=None; Secure"
    )
    assert data.endswith("; Path=/blog; Max-Age=3600; HttpOnly; SameSite=None; Secure")


@pytest.mark.parametrize("path", ["", "blog", "/a;Domain=evil.example", "/a b", "/a\r\nX: y"])
def test_unsafe_path_is_refused(path: str) -> None:
    with pytest.raises(ValueError, match="cookie path"):
        make().set_data({}, path=path)


def test_expired_cookies() -> None:
    assert make().clear() == [
        f"{BYPASS_COOKIE}=; Path=/; {EPOCH}; HttpOnly; SameSite=None; Secure",
        f"{DATA_COOKIE}=; Path=/; {EPOCH}; HttpOnly; SameSite=None; Secure",
    ]
    assert make().disable_draft() == [
        f"{BYPASS_COOKIE}=; Path=/; {EPOCH}; HttpOnly; SameSite=None; Secure"
    ]
    assert make(dev=True).disable_draft("/docs") == [
        f"{BYPASS_COOKIE}=; Path=/docs; {EPOCH}; HttpOnly; SameSite=Lax"
    ]


# --- the 2 KB limit ------------------------------------------------------------------------


def fits(mode: PreviewMode, size: int) -> bool:
    try:
        mode.set_data({"k": "x" * size})
    except PreviewDataTooLarge:
        return False
    return True


def test_the_2kb_limit_boundary() -> None:
    mode = make()
    low, high = 0, MAX_DATA_COOKIE_LENGTH  # fits(low) and not fits(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(mode, middle) else (low, middle)
    # The largest data that fits makes a cookie of at most 2048 characters and round-trips.
    largest = mode.set_data({"k": "x" * low})
    value = sent_back(largest)[DATA_COOKIE]
    assert MAX_DATA_COOKIE_LENGTH - 2 <= len(value) <= MAX_DATA_COOKIE_LENGTH
    assert mode.read(sent_back(largest)) == in_preview({"k": "x" * low})
    # One more byte of data is too much.
    with pytest.raises(PreviewDataTooLarge) as raised:
        mode.set_data({"k": "x" * (low + 1)})
    assert str(raised.value) == (
        "Preview data is limited to 2KB currently, reduce how much data you are storing as "
        "preview data to continue"
    )
    assert isinstance(raised.value, PagemillError)


# --- construction and build helpers -----------------------------------------------------------


def test_new_preview_id_and_secret() -> None:
    ids = {new_preview_id() for _ in range(20)}
    assert len(ids) == 20
    for value in ids | {new_secret()}:
        assert len(value) >= 32
        assert set(value) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert new_secret() != new_secret()
    make(preview_id=new_preview_id(), secret=new_secret().encode())


def test_short_secret_is_refused() -> None:
    with pytest.raises(PagemillError, match="PAGEMILL_PREVIEW_SECRET"):
        make(secret=b"too short")


@pytest.mark.parametrize("preview_id", ["", "has space", "semi;colon", 'quote"', "é"])
def test_unsafe_preview_id_is_refused(preview_id: str) -> None:
    with pytest.raises(ValueError, match="preview id"):
        make(preview_id=preview_id)


# --- property: any JSON-able dict within the limit round-trips --------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=30,
)


@given(st.dictionaries(st.text(), json_values, max_size=8))
def test_any_json_dict_round_trips(data: dict[str, Any]) -> None:
    mode = make()
    try:
        cookies = sent_back(mode.set_data(data))
    except PreviewDataTooLarge:
        # 2048 base64 characters hold 1536 bytes, 37 of which are version, nonce, tag and expiry.
        compact = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        assert len(compact.encode()) > 1536 - 37
        return
    assert len(cookies[DATA_COOKIE]) <= MAX_DATA_COOKIE_LENGTH
    assert mode.read(cookies) == in_preview(data)


def test_cryptography_is_loaded_by_the_first_data_cookie_only() -> None:
    """A worker whose app never uses preview data does not carry `cryptography`."""
    script = """
import sys
from pagemill.app import create_app
from pagemill.preview import BYPASS_COOKIE, DATA_COOKIE, PreviewMode

create_app("tests/apps/draft")
mode = PreviewMode(preview_id="build-id", secret=b"sixteen bytes or more", dev=False)
draft = mode.read({BYPASS_COOKIE: "build-id"})
assert draft.draft_mode and not any(m.startswith("cryptography") for m in sys.modules)
cookies = dict(c.split(";", 1)[0].split("=", 1) for c in mode.set_data({"a": 1}))
assert "cryptography" in sys.modules
assert mode.read(cookies).data == {"a": 1}
assert mode.read({**cookies, DATA_COOKIE: cookies[DATA_COOKIE][:-2] + "AA"}).clear_cookies
"""
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).parent.parent)
