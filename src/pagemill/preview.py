"""Draft mode and preview data: the two cookies, how they are written and how a request's are read.

IO-free: `PreviewMode` turns a build's preview id and the app's secret into Set-Cookie
values, and turns a request's cookies into a `PreviewState`. The ASGI layer sends the headers.

The data cookie is `base64url(version | nonce | AES-256-GCM(expiry | JSON))` with the build's
preview id as associated data, so it is confidential, tamper-evident, and refused by any other
build or secret. Next.js uses a JWT around PBKDF2-keyed AES-GCM instead; only the cookie names,
the attributes and the 2 KB limit are observable, and those match.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import math
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pagemill.errors import PagemillError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

BYPASS_COOKIE = "__prerender_bypass"
DATA_COOKIE = "__next_preview_data"

# Next's limit, on the encoded cookie value: browsers cap a cookie near 4 KB, and this leaves room.
MAX_DATA_COOKIE_LENGTH = 2048
# A shorter secret is guessable offline from one captured cookie.
MIN_SECRET_BYTES = 16

_EXPIRED = "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"
_VERSION = b"\x01"  # first byte of every data cookie, so the format can change without confusion
_NONCE_BYTES = 12
_EXPIRY_BYTES = 8
_KEY_INFO = b"pagemill preview data v1: aes-256-gcm key"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
# RFC 3986 unreserved characters: safe unquoted in a cookie value and in a URL.
_PREVIEW_ID = re.compile(r"[A-Za-z0-9._~-]+")
# A Path attribute must not end the attribute list early or split the header.
_COOKIE_PATH = re.compile(r"/[\x21-\x3a\x3c-\x7e]*")


class PreviewDataTooLarge(PagemillError):
    """`set_preview_data` was given more than fits in the 2 KB data cookie."""

    def __init__(self) -> None:
        super().__init__(
            "Preview data is limited to 2KB currently, reduce how much data you are storing "
            "as preview data to continue"
        )


@dataclass(frozen=True, slots=True)
class PreviewState:
    """What a request's cookies say about draft and preview mode."""

    draft_mode: bool
    preview: bool
    # `{}` for draft mode alone, the decoded data in preview mode, `None` outside both.
    data: Any
    # The request carried cookies that are invalid here: the response must expire both.
    clear_cookies: bool


NOT_IN_PREVIEW = PreviewState(draft_mode=False, preview=False, data=None, clear_cookies=False)
_REJECTED = PreviewState(draft_mode=False, preview=False, data=None, clear_cookies=True)


def new_preview_id() -> str:
    """A fresh bypass cookie value for a build: 256 random bits, URL-safe, 43 characters."""
    return secrets.token_urlsafe(32)


def new_secret() -> str:
    """A fresh value for `PAGEMILL_PREVIEW_SECRET`; pass it on as `secret=value.encode()`."""
    return secrets.token_urlsafe(32)


class PreviewMode:
    """Writes and reads the draft mode and preview data cookies of one build."""

    __slots__ = ("_aad", "_aead", "_attributes", "_preview_id", "_secret")

    def __init__(self, *, preview_id: str, secret: bytes, dev: bool) -> None:
        """
        `preview_id` is the build's bypass cookie value (`new_preview_id()`), `secret` the app's
        key material (`PAGEMILL_PREVIEW_SECRET`, or `new_secret()` kept with the build), and
        `dev` picks the dev cookie attributes (`SameSite=Lax`, not `Secure`, for plain http).
        """
        if not _PREVIEW_ID.fullmatch(preview_id):
            raise ValueError(
                f"preview id {preview_id!r} must be non-empty letters, digits and '._~-'"
            )
        if len(secret) < MIN_SECRET_BYTES:
            raise PagemillError(
                f"The preview secret is {len(secret)} bytes; it must be at least "
                f"{MIN_SECRET_BYTES}. Set PAGEMILL_PREVIEW_SECRET to a long random value, "
                "or leave it unset and the build generates one."
            )
        self._secret = secret
        self._aead: AESGCM | None = None  # made by the first data cookie written or read
        self._preview_id = preview_id
        # Binding the cookie to the preview id refuses a data cookie from any other build.
        self._aad = b"pagemill preview data\x00" + _VERSION + preview_id.encode()
        self._attributes = "HttpOnly; SameSite=Lax" if dev else "HttpOnly; SameSite=None; Secure"

    # --- writing ---------------------------------------------------------------------------

    def enable_draft(self) -> list[str]:
        """Set-Cookie values turning draft mode on: the bypass cookie alone."""
        return [self._cookie(BYPASS_COOKIE, self._preview_id, path="/", max_age=None)]

    def disable_draft(self, path: str = "/") -> list[str]:
        """Set-Cookie values turning draft mode off: the bypass cookie, expired."""
        return [self._expired(BYPASS_COOKIE, path)]

    def set_data(
        self,
        data: object,
        max_age: int | None = None,
        path: str = "/",
        *,
        now: float | None = None,
    ) -> list[str]:
        """
        Set-Cookie values entering preview mode with `data` (any JSON-serializable value).

        With `max_age` both cookies get `Max-Age`, and the data cookie also carries its expiry
        inside, so a copy kept past that time is refused. `now` (seconds since the epoch) is for
        tests. Raises `PreviewDataTooLarge` when the data cookie would exceed 2048 characters,
        `TypeError` when `data` is not JSON-serializable.
        """
        if max_age is not None and max_age < 0:
            raise ValueError(f"max_age must be zero or more seconds, not {max_age}")
        expiry = 0 if max_age is None else math.ceil(_now(now) + max_age)
        plaintext = expiry.to_bytes(_EXPIRY_BYTES, "big") + _dump_json(data)
        value = self._seal(plaintext)
        if len(value) > MAX_DATA_COOKIE_LENGTH:
            raise PreviewDataTooLarge
        return [
            self._cookie(BYPASS_COOKIE, self._preview_id, path=path, max_age=max_age),
            self._cookie(DATA_COOKIE, value, path=path, max_age=max_age),
        ]

    def clear(self, path: str = "/") -> list[str]:
        """Set-Cookie values leaving draft and preview mode: both cookies, expired."""
        return [self._expired(BYPASS_COOKIE, path), self._expired(DATA_COOKIE, path)]

    def clear_headers(self) -> list[str]:
        """The Set-Cookie values to send when a request's `PreviewState.clear_cookies` is set."""
        return self.clear()

    # --- reading ---------------------------------------------------------------------------

    def read(self, cookies: Mapping[str, str], *, now: float | None = None) -> PreviewState:
        """
        The preview state of a request with these cookies. Never raises: whatever a client
        sends that is not valid here gives "not in preview", with `clear_cookies` set.

        As in Next, an empty cookie value counts as absent (a browser may send back a cleared
        cookie), so a valid bypass cookie beside an empty data cookie is draft mode.
        """
        bypass = cookies.get(BYPASS_COOKIE, "")
        token = cookies.get(DATA_COOKIE, "")
        if not bypass and not token:
            return NOT_IN_PREVIEW
        # Constant time, so response timing does not reveal how much of a guess was right.
        if not bypass or not hmac.compare_digest(
            bypass.encode("utf-8", "surrogatepass"), self._preview_id.encode()
        ):
            return _REJECTED
        if not token:
            return PreviewState(draft_mode=True, preview=True, data={}, clear_cookies=False)
        plaintext = self._open(token)
        if plaintext is None or len(plaintext) < _EXPIRY_BYTES:
            return _REJECTED
        expiry = int.from_bytes(plaintext[:_EXPIRY_BYTES], "big")
        if expiry and _now(now) >= expiry:
            return _REJECTED
        try:
            data = json.loads(plaintext[_EXPIRY_BYTES:])
        except (ValueError, RecursionError):
            # Only reachable if this module wrote bad JSON: the bytes are authenticated.
            return _REJECTED
        return PreviewState(draft_mode=True, preview=True, data=data, clear_cookies=False)

    # --- internals -------------------------------------------------------------------------

    def _seal(self, plaintext: bytes) -> str:
        """Encrypt and authenticate `plaintext` into a data cookie value."""
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = _VERSION + nonce + self._cipher().encrypt(nonce, plaintext, self._aad)
        return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")

    def _open(self, token: str) -> bytes | None:
        """The plaintext of a data cookie value made by `_seal` with this key, else `None`."""
        if not _BASE64URL.fullmatch(token):
            return None
        try:
            sealed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            return None
        # Refuse non-canonical encodings (stray trailing bits) so one cookie has one spelling.
        if base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii") != token:
            return None
        if len(sealed) < 1 + _NONCE_BYTES or sealed[:1] != _VERSION:
            return None
        nonce, ciphertext = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        from cryptography.exceptions import InvalidTag

        try:
            return self._cipher().decrypt(nonce, ciphertext, self._aad)
        except InvalidTag:
            return None

    def _cipher(self) -> AESGCM:
        """The AES-GCM key, derived on first use: `cryptography` (several MB in every worker)
        is imported only by an app that uses preview data."""
        if self._aead is None:
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            from cryptography.hazmat.primitives.kdf.hkdf import HKDF

            # HKDF rather than the raw secret: the secret may be any string a person chose,
            # and the label keeps this key apart from anything else ever derived from the same
            # secret. AES-GCM authenticates what it encrypts: no second (signing) key needed.
            hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO)
            self._aead = AESGCM(hkdf.derive(self._secret))
        return self._aead

    def _cookie(self, name: str, value: str, *, path: str, max_age: int | None) -> str:
        age = "" if max_age is None else f"; Max-Age={max_age}"
        return f"{name}={value}; Path={_check_path(path)}{age}; {self._attributes}"

    def _expired(self, name: str, path: str) -> str:
        return f"{name}=; Path={_check_path(path)}; {_EXPIRED}; {self._attributes}"


def _check_path(path: str) -> str:
    if not _COOKIE_PATH.fullmatch(path):
        raise ValueError(f"cookie path {path!r} must start with '/' and hold no ';' or spaces")
    return path


def _dump_json(data: object) -> bytes:
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError) as error:
        raise TypeError(f"preview data must be JSON-serializable: {error}") from error
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate has no UTF-8 form; \u escapes keep it, at some cost in size.
        return json.dumps(data, allow_nan=False, separators=(",", ":")).encode("ascii")


def _now(now: float | None) -> float:
    return time.time() if now is None else now


def preview_id_for(secret: bytes, build_id: str) -> str:
    """The bypass cookie's value for a build: every instance with the same secret agrees."""
    return hmac.new(secret, b"pagemill preview id:" + build_id.encode(), "sha256").hexdigest()
