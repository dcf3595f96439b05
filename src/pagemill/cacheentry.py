"""How the response cache keeps an entry: the page's outcome and the answers rendered from it,
in a binary form whose stored answers are read without decoding the outcome."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from .cacherules import Lifetime

# One stored answer: status, raw headers and body, ready to send.
Answer = tuple[int, list[tuple[bytes, bytes]], bytes]
_TIMES = struct.Struct("<4sdddd")  # format tag, stored at, fresh, stale, error
STAMP_SIZE = _TIMES.size
_FORMAT = b"pm1\0"
_LENGTH = struct.Struct("<I")
_ANSWER = struct.Struct("<HII")  # status, length of the headers, length of the body


class Entry:
    """What the cache keeps for one key: the outcome (JSON-able, decoded only when asked
    for) and the answers rendered from it so far, by form. A HIT reads the answer it needs
    without decoding the outcome."""

    __slots__ = ("_json", "_outcome", "forms", "kept")

    def __init__(
        self,
        outcome: dict[str, Any] | None = None,
        forms: dict[str, Answer] | None = None,
        *,
        json: bytes | memoryview | None = None,
    ) -> None:
        self._outcome = outcome
        self._json = json
        self.forms = forms if forms is not None else {}
        # Where and until when a copy answered from the store is kept: (key, tags, stored).
        self.kept: tuple[str, Sequence[str], Stored] | None = None

    @property
    def outcome(self) -> dict[str, Any]:
        if self._outcome is None:
            self._outcome = orjson.loads(self._json or b"{}")
        return self._outcome

    def encode(self) -> bytes:
        if self._json is None:
            self._json = orjson.dumps(self._outcome)
        parts = [_LENGTH.pack(len(self._json)), bytes(self._json)]
        for name, (status, headers, body) in self.forms.items():
            raw_headers = b"\0".join(k + b"\0" + v for k, v in headers)
            label = name.encode()
            parts += [bytes([len(label)]), label]
            parts += [_ANSWER.pack(status, len(raw_headers), len(body)), raw_headers, body]
        return b"".join(parts)

    @staticmethod
    def decode(raw: memoryview) -> Entry:
        (length,) = _LENGTH.unpack_from(raw)
        at = _LENGTH.size + length
        entry = Entry(json=raw[_LENGTH.size : at])  # decoded only if asked for
        while at < len(raw):
            size = raw[at]
            name = bytes(raw[at + 1 : at + 1 + size]).decode()
            at += 1 + size
            status, headers_length, body_length = _ANSWER.unpack_from(raw, at)
            at += _ANSWER.size
            fields = bytes(raw[at : at + headers_length]).split(b"\0") if headers_length else []
            at += headers_length
            body = bytes(raw[at : at + body_length])
            at += body_length
            entry.forms[name] = (status, list(zip(fields[::2], fields[1::2], strict=True)), body)
        return entry


@dataclass(frozen=True, slots=True)
class Stored:
    """An entry as the backend keeps it: the entry and when and how long it is good."""

    outcome: Entry
    stored_at: float
    life: Lifetime

    @property
    def stamp(self) -> bytes:
        """The first bytes of the encoded entry: when and for how long it was stored, which
        a refresh changes (see `STAMP_SIZE`)."""
        life = self.life
        return _TIMES.pack(_FORMAT, self.stored_at, life.fresh, life.stale, life.error)

    def encode(self) -> bytes:
        return self.stamp + self.outcome.encode()

    @staticmethod
    def decode(raw: bytes) -> Stored | None:
        try:
            tag, stored_at, fresh, stale, error = _TIMES.unpack_from(raw)
            if tag != _FORMAT:
                return None  # written by another version: a miss
            entry = Entry.decode(memoryview(raw)[_TIMES.size :])
        except (struct.error, ValueError, IndexError):
            return None
        return Stored(entry, stored_at, Lifetime(fresh, stale, error))
