"""Recent cache HITs answered again without the pipeline: the bytes this process sent for a
request, reused for the same request while the stored entry they came from is unchanged.

A HIT's answer depends only on the request's method, target, Host and the headers that
choose its form and encoding (and, with i18n, its language): not on the page, nor anything
gSSP would read, since gSSP does not run. So once the full pipeline has answered a request
with a HIT, the exact messages it sent (compressed already, with config headers added) are
kept, keyed by those parts, beside the stamp of the stored entry. The next such request is
answered with them at once if the entry is still fresh and the store still holds the same
stamp, one small read in the shared store; a purge or a refresh by any process changes the
stamp, and the pipeline answers (and is remembered) anew. Requests that could be answered
differently (draft mode cookies, Authorization, conditional, with a body) always take the
pipeline, as do answers that vary on a header outside the key and apps whose config rules
look at headers or cookies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from .cache import ResponseCache

# The stored entry a HIT came from: its key, its stamp and until when it is fresh. Set in the
# scope by the cache step.
HIT_SCOPE_KEY = "pagemill.hit"
# Per worker: answers remembered, and the bytes of their bodies.
MEMO_LIMIT = 1024
MEMO_BYTES = 32 * 1024 * 1024
_ALWAYS_PIPELINE = frozenset(
    (b"authorization", b"if-none-match", b"if-modified-since", b"content-length",
     b"transfer-encoding", b"range")
)  # fmt: skip
_FORM_HEADERS = (b"accept-encoding", b"x-pagemill-render", b"x-nextjs-data")
_LOCALE_HEADERS = (b"accept-language", b"cookie")
_PREVIEW_COOKIES = (b"__prerender_bypass", b"__next_preview_data")

Remembered = tuple[str, bytes, float, list[Message]]  # key, stamp, fresh until, messages


class HitMemo:
    """ASGI middleware in front of the compression and pipeline, for one app's cache.

    `by_locale`: the answer may depend on Accept-Language and cookies (locale detection), so
    they join the memo's key.
    """

    def __init__(self, app: ASGIApp, cache: ResponseCache, *, by_locale: bool) -> None:
        self.app = app
        self.cache = cache
        self.headers = _FORM_HEADERS + (_LOCALE_HEADERS if by_locale else ())
        self._memo: dict[tuple[bytes, ...], Remembered] = {}
        self._bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        memo_key = self._memo_key(scope) if scope["type"] == "http" else None
        if memo_key is None:
            await self.app(scope, receive, send)
            return
        remembered = self._memo.get(memo_key)
        if remembered is not None:
            key, stamp, fresh_until, messages = remembered
            if fresh_until > self.cache.clock() and await self.cache.stamp(key) == stamp:
                for message in messages:
                    await send(message)
                self.cache.count(b"HIT")
                return
            self._forget(memo_key)
        sent: list[Message] = []

        async def send_and_keep(message: Message) -> None:
            sent.append(message)
            await send(message)

        await self.app(scope, receive, send_and_keep)
        hit = scope.get(HIT_SCOPE_KEY)
        if hit is not None and _complete(sent) and self._keyed_by_all_it_varies_on(sent[0]):
            if memo_key in self._memo:  # remembered meanwhile by a concurrent request
                self._forget(memo_key)
            size = len(sent[1].get("body", b""))
            if len(self._memo) >= MEMO_LIMIT or self._bytes + size > MEMO_BYTES:
                # A copy of what the store keeps: forgetting it is safe.
                self._memo.clear()
                self._bytes = 0
            if size <= MEMO_BYTES:
                self._memo[memo_key] = (*hit, sent)
                self._bytes += size

    def _forget(self, memo_key: tuple[bytes, ...]) -> None:
        _, _, _, messages = self._memo.pop(memo_key)
        self._bytes -= len(messages[1].get("body", b""))

    def _keyed_by_all_it_varies_on(self, start: Message) -> bool:
        """Whether every request header the answer's `Vary` names is part of the memo's key
        (an answer varying on another one must be chosen by the pipeline each time)."""
        for name, value in start["headers"]:
            if name == b"vary":
                varied = {part.strip().lower() for part in value.split(b",") if part.strip()}
                if not varied <= set(self.headers):
                    return False
        return True

    def _memo_key(self, scope: Scope) -> tuple[bytes, ...] | None:
        """What a HIT's answer depends on, or None for a request that must take the
        pipeline."""
        method = scope["method"]
        if method not in ("GET", "HEAD"):
            return None
        values = dict.fromkeys(self.headers, b"")
        host = b""
        for name, value in scope["headers"]:
            if name in _ALWAYS_PIPELINE:
                return None
            if name == b"cookie" and any(c in value for c in _PREVIEW_COOKIES):
                return None
            if name == b"host":
                host = value
            elif name in values:
                values[name] = value
        target = scope.get("raw_path") or scope["path"].encode()
        return (method.encode(), target, scope["query_string"], host, *values.values())


def _complete(messages: list[Message]) -> bool:
    """A plain answer: one start and one whole body (not streamed, not file-sent)."""
    return (
        len(messages) == 2
        and messages[0]["type"] == "http.response.start"
        and messages[1]["type"] == "http.response.body"
        and not messages[1].get("more_body", False)
    )
