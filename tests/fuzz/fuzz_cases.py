"""Generated hostile requests. Each is a pure function of (seed, app, index), so any of them
can be rebuilt and sent again byte for byte; `malformed` says why the bytes break HTTP/1.1
message syntax (RFC 9112), the only requests a server may drop without answering."""

from __future__ import annotations

import base64
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from string import ascii_letters, digits

from fuzz_apps import AppProfile, Sent, sent

DEFAULT_HOST = b"127.0.0.1"
TCHAR = frozenset((ascii_letters + digits + "!#$%&'*+-.^_`|~").encode())
ABSOLUTE_FORM = re.compile(rb"[A-Za-z][A-Za-z0-9+.-]*:")
AUTHORITY_FORM = re.compile(rb"[^/?#@]+:[0-9]+")
HOST_VALUE = re.compile(rb"([A-Za-z0-9._~!$&'()*+,;=%-]*|\[[0-9A-Fa-f:.]+\])(:[0-9]*)?")
BODY_METHODS = frozenset({b"POST", b"PUT", b"PATCH"})


@dataclass(frozen=True)
class Facts:
    """What the running app says about itself, read once before fuzzing."""

    build_id: str
    asset: str  # the client runtime's URL
    bypass: str  # a valid __prerender_bypass value, or ""
    data_cookie: str  # a valid __next_preview_data value, or ""


@dataclass
class Draft:
    """A request before framing: `headers` are whole lines without their line ending."""

    target: bytes
    method: bytes = b"GET"
    headers: list[bytes] = field(default_factory=list)
    body: bytes = b""
    version: bytes = b"HTTP/1.1"
    host: bytes | None = DEFAULT_HOST  # the first header line; None sends no Host
    length: int | None = None  # a declared Content-Length other than the body's length
    eol: bytes = b"\r\n"


@dataclass(frozen=True)
class FuzzRequest:
    """One request as sent, with what the checks need to know about it."""

    app: str
    index: int
    kind: str  # the generator that made it
    raw: bytes
    method: bytes
    host: bytes | None
    keep_alive: bool  # sent on the thread's kept-alive connection
    malformed: str  # why the bytes break HTTP/1.1 syntax; "" when they do not
    truncated: bool  # the body is shorter than its Content-Length: sent, then closed
    fails_on_purpose: bool


Generator = Callable[[random.Random, AppProfile, Facts], Draft]


# --- payloads ------------------------------------------------------------------------------

BAD_ESCAPES = (
    "%", "%%", "%zz", "%ZZ", "%a", "%1", "100%", "%C0%AF", "%C0%80", "%C1%BF", "%E0%80%AF",
    "%F0%80%80%AF", "%ED%A0%80", "%ED%BF%BF", "%FF", "%FE%FF", "%E0%A4%A", "%F4%90%80%80",
    "%00", "%u002e", "%%32%65", "%252e%252e", "%C3%A9", "%e2%80%ae", "%F0%9F%98%80", "%C3",
    "a%2", "%2", "%G0", "%-1", "%+1", "%0", "%E2%82", "%F8%88%80%80%80", "%FC%84%80%80%80%80",
)
DOTS = (
    "..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%c0%ae%c0%ae", "%252e%252e", "..;", "....",
    "%u002e%u002e", ".%00.",
)
SEPARATORS = ("/", "%2f", "%2F", "\\", "%5c", "%5C", "%252f", "//", "/./", "%c0%af")
LEAK_FILES = (
    "pagemill.toml", "pages/index.py", ".pagemill/preview-secret", ".pagemill/BUILD_ID",
    "public/.hidden.txt", "lib/db.py", "canary.txt", "etc/passwd", "proc/self/environ",
    ".pagemill/manifest.json",
)
FIXED_TRAVERSALS = (
    "/public/../pagemill.toml", "/../pagemill.toml", "/%2e%2e/pagemill.toml",
    "/nested/..%2f..%2fpagemill.toml", "/.pagemill/preview-secret", "/.hidden.txt",
    "/.private/key.txt", "/%2ehidden.txt", "/nested/../.hidden.txt", "/pages/index.py",
    "/lib/db.py", "/nested/%2e%2e/%2e%2e/canary.txt", "/..%2f..%2fcanary.txt",
    "/_next/static/../../pagemill.toml", "/_next/static/chunks/..%2f..%2f..%2fpagemill.toml",
    "/.pagemill/static", "/nested%2f..%2f.hidden.txt", "/with%20space.txt/..",
    "/.%2fhidden.txt", "/%2e/.hidden.txt", "/.private%2fkey.txt", "/../../../../etc/passwd",
)
EVIL = (
    "//evil.com", "/\\evil.com", "/%2F%2Fevil.com", "/%5Cevil.com", "%2F%2Fevil.com",
    "%5C%5Cevil.com", "\\\\evil.com", "/%09/evil.com", "/%2F/evil.com", "https:%2F%2Fevil.com",
    "https://evil.com", "//evil.com/%2e%2e", "/.//evil.com", "%2F%5Cevil.com", "/%5C/evil.com",
    "//evil.com@x", "javascript:alert(1)", "/%E3%80%82evil.com", "///evil.com", "/\\/evil.com",
    "%2f%2fevil.com%2f", "/%0A/evil.com", "/%0D/evil.com", "/%20/evil.com", "http:evil.com",
    "//%65vil.com", "\\/evil.com", "/%5C%5Cevil.com", "//evil.com\\@x", "%09//evil.com",
)
CRLF = (
    "%0d%0aSet-Cookie:%20injected=1", "%0aSet-Cookie:injected=1", "%0dX-Injected:%201",
    "%0d%0aX-Injected:1%0d%0a%0d%0a<script>alert(1)</script>",
    "%E5%98%8A%E5%98%8DSet-Cookie:injected=1", "%00", "a%00b", "%0d%0a%09X-Injected:1",
    "%C4%8D%C4%8AX-Injected:1", "%u000d%u000aX-Injected:1", "%250d%250aX-Injected:1",
    "%0D%0ASet-Cookie:%20injected=1;%20Path=/", "%E2%80%A8X-Injected:1", "%C2%85X-Injected:1",
    "x%0d%0aLocation:%20//evil.com", "%0d%0a%0d%0aHTTP/1.1%20200%20OK",
)
SCRIPT_BREAKERS = (
    "</script><script>alert(1)</script>", "%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E",
    "%3C/SCRIPT%20%3E", "%3C!--%3Cscript%3E", "%E2%80%A8%E2%80%A9", "%3C%2Fscript",
    "%3Cscript%3E", "%22%3E%3Csvg/onload=alert(1)%3E", "%26lt;/script%26gt;", "</ScRiPt/>",
)
TEXT = ("a", "x", "post-1", "fiction", "salt", "index", "_next", "api", "%20", "+", "~", ".")


def hostile(rng: random.Random) -> str:
    """One piece of hostile text for a URL: an escape, a redirect, CR/LF, a script breaker."""
    pool = rng.choice((BAD_ESCAPES, EVIL, CRLF, SCRIPT_BREAKERS, DOTS, TEXT))
    text: str = rng.choice(pool)
    if rng.random() < 0.3:
        text = rng.choice(TEXT) + text + rng.choice(("", "/", rng.choice(BAD_ESCAPES)))
    return text


def fill(slot: str, payload: str) -> bytes:
    return slot.replace("{}", payload).encode("latin-1")


def from_slot(rng: random.Random, app: AppProfile, payload: str) -> bytes:
    return fill(rng.choice(app.slots), payload)


def pick_page(rng: random.Random, app: AppProfile) -> bytes:
    if app.failing and rng.random() < 0.05:
        return rng.choice(app.failing).encode()
    return rng.choice(app.pages).encode()


def data_url(build_id: str, path: str, query: str = "") -> bytes:
    url = f"/_next/data/{build_id}/{path}.json"
    return (f"{url}?{query}" if query else url).encode("latin-1")


# --- generators ----------------------------------------------------------------------------

ACCEPT_ENCODINGS = (
    b"gzip, deflate, br, zstd", b"br", b"zstd", b"gzip", b"deflate", b"gzip;q=0, br;q=1",
    b"*", b"identity;q=0, *;q=0", b"x-gzip", b"compress", b"gzip, gzip, gzip", b"br;q=abc",
    b"", b"zstd, br", b"\xff", b"GZIP",
)


def encoding_header(rng: random.Random) -> list[bytes]:
    if rng.random() < 0.5:
        return []
    return [b"Accept-Encoding: " + rng.choice(ACCEPT_ENCODINGS)]


def well_formed(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """Valid pages, public files, the client runtime and data URLs of this build."""
    roll = rng.random()
    headers = encoding_header(rng)
    if roll < 0.15:
        target = data_url(facts.build_id, rng.choice(app.data_paths), rng.choice(("", "a=1")))
        headers.append(b"x-nextjs-data: 1")
    elif roll < 0.25:
        target = rng.choice((facts.asset, *app.public_files)).encode()
        headers = [b"Accept-Encoding: " + rng.choice(ACCEPT_ENCODINGS[:4])]
    else:
        target = pick_page(rng, app)
    if rng.random() < 0.05:
        headers.append(b'If-None-Match: "' + rng.randbytes(8).hex().encode() + b'"')
    draft = Draft(target, method=b"HEAD" if rng.random() < 0.15 else b"GET", headers=headers)
    if rng.random() < 0.05:
        draft.version = b"HTTP/1.0"
    return draft


def bad_escape(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """Broken percent-escapes and overlong UTF-8 in paths, queries and data URLs."""
    escape = "".join(rng.choice(BAD_ESCAPES) for _ in range(rng.randint(1, 3)))
    roll = rng.random()
    if roll < 0.15:
        target = data_url(facts.build_id, rng.choice(app.data_paths) + escape)
    elif roll < 0.3:
        target = rng.choice(app.pages).partition("?")[0].encode() + b"?" + escape.encode() + b"=1"
    else:
        target = from_slot(rng, app, escape)
    return Draft(target, headers=encoding_header(rng))


def traversal(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """`..` in every spelling, aimed at the app's files, the build output and beyond."""
    if rng.random() < 0.35:
        return Draft(rng.choice(FIXED_TRAVERSALS).encode())
    prefix = rng.choice(("/", "/nested/", "/_next/static/", "/_next/static/chunks/", "/public/"))
    prefix = rng.choice((prefix, rng.choice(app.slots).partition("{}")[0]))
    steps = "".join(rng.choice(DOTS) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 8)))
    target = (prefix + steps + rng.choice(LEAK_FILES)).encode("latin-1")
    if rng.random() < 0.2:
        target = data_url(facts.build_id, steps + rng.choice(LEAK_FILES))
    return Draft(target)


def open_redirect(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """Shapes browsers read as another host, where a redirect could echo them."""
    evil = rng.choice(EVIL)
    roll = rng.random()
    if roll < 0.4:
        target = fill(rng.choice(app.redirectors), evil)
    elif roll < 0.7:
        suffix = rng.choice(("/", "//", "/?x=1", "/%2F", "", "/.", "?a=//evil.com"))
        target = (evil if evil.startswith("/") else "/" + evil).encode("latin-1") + suffix.encode()
    else:
        target = from_slot(rng, app, evil)
    return Draft(target)


REFLECTED_HEADERS = (
    b"Accept-Language", b"X-Forwarded-Host", b"Referer", b"Origin", b"If-None-Match",
    b"x-nextjs-data", b"X-Let-Me-In", b"User-Agent", b"X-Forwarded-Proto", b"x-pagemill-render",
)


def crlf(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """Percent-encoded CR/LF/NUL and script breakers where pages may reflect them: paths,
    queries, redirect targets, header values and cookies."""
    payload = rng.choice(CRLF + SCRIPT_BREAKERS)
    roll = rng.random()
    headers: list[bytes] = []
    if roll < 0.25:
        target = fill(rng.choice(app.redirectors), payload)
    elif roll < 0.4:
        target = from_slot(rng, app, payload)
    elif roll < 0.55:
        target = rng.choice(app.pages).partition("?")[0].encode() + b"?q=" + payload.encode()
    elif roll < 0.8:
        target = pick_page(rng, app)
        headers.append(rng.choice(REFLECTED_HEADERS) + b": " + payload.encode())
    else:
        target = pick_page(rng, app)
        name = rng.choice((b"NEXT_LOCALE", b"__prerender_bypass", b"session", b"x"))
        headers.append(b"Cookie: " + name + b"=" + payload.encode().replace(b";", b""))
    return Draft(target, headers=headers)


def big_headers(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """Huge values, hundreds of fields, and repeated Host/Content-Length fields."""
    roll = rng.random()
    draft = Draft(pick_page(rng, app))
    if roll < 0.2:
        size = rng.choice((16 * 1024, 17 * 1024, 32 * 1024, 64 * 1024, 128 * 1024))
        name = rng.choice((b"X-Big", b"Cookie", b"Referer", b"User-Agent", b"Accept-Language"))
        draft.headers.append(name + b": " + b"a=" + b"b" * size)
    elif roll < 0.4:
        count = rng.choice((99, 100, 101, 150, 200, 300))
        draft.headers += [b"X-H%d: v" % i for i in range(count)]
    elif roll < 0.55:
        draft.headers += [b"Host: h%d.example" % i for i in range(rng.randint(1, 60))]
    elif roll < 0.7:
        draft.method, draft.body = b"POST", b"a=1&b=2"
        value = b"Content-Length: %d" % len(draft.body)
        draft.headers += [value] * rng.randint(2, 20)
    elif roll < 0.8:
        tags = b", ".join(b'"%d"' % i for i in range(rng.choice((1000, 5000))))
        draft.headers.append(b"If-None-Match: " + tags)
    elif roll < 0.9:
        langs = b",".join(b"x%d;q=0.%d" % (i, i % 10) for i in range(2000))
        draft.headers.append(b"Accept-Language: " + langs)
    else:
        draft.headers += [b"Cookie: c%d=%d" % (i, i) for i in range(rng.randint(50, 99))]
    return draft


ODD_HOSTS = (
    b"", b"[::1]", b"[::1]:3000", b"127.0.0.1:99999", b"x@evil.com", b"evil.com:80@127.0.0.1",
    b"a" * 300, b"a." * 2000, b"\xff\xfe", b"ex\xc3\xa4mple.com", b"localhost:", b":80",
    b"evil.com", b"EVIL.COM.", b"127.0.0.1 x", b"127.0.0.1/path", b"[::ffff:127.0.0.1]",
    b"0x7f.1", b"%65vil.com", b"127.0.0.1:0", b"[zz]", b"evil.com\\@x", b"h" * 70000,
)


def odd_host(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """Hosts empty, missing, IPv6, with ports, userinfo, non-ASCII bytes or far too long."""
    draft = Draft(pick_page(rng, app), headers=encoding_header(rng))
    roll = rng.random()
    if roll < 0.1:
        draft.host = None
    elif roll < 0.3 and app.hosts:
        draft.host = rng.choice(app.hosts).encode()
    else:
        draft.host = rng.choice(ODD_HOSTS)
    if rng.random() < 0.3:
        draft.headers.append(b"Accept-Language: " + rng.choice((b"fr", b"go-BE", b"do", b"nl")))
    if rng.random() < 0.2:
        draft.headers.append(b"X-Forwarded-Host: evil.com")
    return draft


def tampered(rng: random.Random, value: str) -> bytes:
    """A real cookie value cut, flipped, extended, or replaced by base64 noise."""
    raw = value.encode() or base64.urlsafe_b64encode(rng.randbytes(40)).rstrip(b"=")
    roll = rng.random()
    if roll < 0.2:
        return raw[: rng.randrange(len(raw))]
    if roll < 0.4:
        spot = rng.randrange(len(raw))
        return raw[:spot] + bytes([rng.choice(b"AB_-z09")]) + raw[spot + 1 :]
    if roll < 0.5:
        return raw + rng.choice((b"=", b"==", b"x", b"%00", b"\xc3\xa9", raw))
    if roll < 0.6:
        return raw
    noise = rng.randbytes(rng.choice((0, 1, 12, 29, 60, 300, 3000)))
    encoder = rng.choice((base64.urlsafe_b64encode, base64.b64encode, base64.b16encode))
    return encoder(noise)


def cookies(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """Tampered draft/preview cookies and cookie syntax junk."""
    pairs = [b"__prerender_bypass=" + tampered(rng, facts.bypass)]
    if rng.random() < 0.7:
        pairs.append(b"__next_preview_data=" + tampered(rng, facts.data_cookie))
    if rng.random() < 0.3:
        pairs.append(b"NEXT_LOCALE=" + rng.choice((b"fr", b"xx", b"", b"FR", b"\xff", b"fr-")))
    if rng.random() < 0.2:
        pairs.append(rng.choice((b";;;", b"=", b"==x", b"a=b=c", b'q="x', b"\xff=\xfe")))
    if rng.random() < 0.2:
        pairs.append(b"__prerender_bypass=" + tampered(rng, facts.bypass))
    rng.shuffle(pairs)
    return Draft(pick_page(rng, app), headers=[b"Cookie: " + b"; ".join(pairs)])


CONTENT_TYPES = (
    b"text/plain; charset=undefined", b"text/plain; charset=punycode", b"text/plain; charset=utf-7",
    b"text/plain; charset=idna", b"text/plain; charset=rot13", b"text/plain; charset=base64",
    b"text/plain; charset=zlib", b"text/plain; charset=hex", b"text/plain; charset=utf-16",
    b"text/plain; charset=utf-32", b'text/plain; charset=""', b"text/plain; charset=",
    b"text/plain; charset=utf-8; charset=latin-1", b"text/plain; charset=mbcs",
    b"text/plain; charset=uu", b"text/plain; charset=\xc3\xa9", b"text/plain; charset=unicode",
    b"application/json", b"application/json; charset=undefined",
    b"application/json; charset=utf-16",
    b"application/json; charset=utf-7", b"application/x-www-form-urlencoded",
    b"application/x-www-form-urlencoded; charset=undefined",
    b"application/x-www-form-urlencoded; charset=punycode", b"multipart/form-data",
    b"multipart/form-data; boundary=", b"multipart/form-data; boundary=zz",
    b'multipart/form-data; boundary="unterminated', b"multipart/form-data; boundary=" + b"b" * 300,
    b"multipart/form-data; charset=undefined; boundary=zz", b"application/octet-stream",
    b"text/html", b";;;", b"\xff\xfe/\xff", b"text/plain; charset=utf_8_sig",
)
JSON_BODIES = (
    b"{", b'{"a":', b"[1,2", b"NaN", b'{"a":NaN}', b"[" * 100_000, b"1" + b"0" * 5000,
    b'"\\ud800"', b'{"__proto__":1}', b"\xff\xfe{\x00}\x00", b'{"a":"\x00"}', b"", b"null",
    b'{"a":1e99999}', b'{"a":' * 5000 + b"1" + b"}" * 5000, b"\xef\xbb\xbf{}", b"[]" * 10,
)
FORM_BODIES = (
    b"%zz=%C0%AF", b"a=1&a=2&&&==&", b"=" * 1000, b"a" * 100_000, b"%", b"name=" + b"\xff" * 10,
    b"&".join(b"k%d=v" % i for i in range(5000)), b"reader=x&rating=5&body=hello there",
    b"reader=</script>&rating=5&body=<script>alert(1)</script>",
    b"rating=9999999999999999999999&reader=a&body=abc", b"reader=%00&rating=%0d%0a&body=%E5%98%8A",
    b"name=%C0%AF%ED%A0%80", b"+%2B+=+",
)
TEXT_BODIES = (
    b"+AGEAYgBj-", b"+ZZZ-", b"xn--", b"xn--zz-", b"-", b"\x80\x81\xff", b"\xff\xfe\x00",
    b"\x00" * 100, b"hello", b"=?utf-8?b?zz?=", b"0x", b"\xc3\x28", b"\xed\xa0\x80",
)


def multipart_body(rng: random.Random) -> bytes:
    part = (
        b'Content-Disposition: form-data; name="reader"\r\n\r\nx',
        b'Content-Disposition: form-data; name="f"; filename="../../etc/passwd"\r\n\r\nroot',
        b"No-Disposition: 1\r\n\r\nx",
        b'Content-Disposition: form-data; name="' + b"n" * 10_000 + b'"\r\n\r\nx',
        b"Content-Disposition: form-data; name=\xff\xfe\r\n\r\n\xff",
        b"",
    )
    parts = [rng.choice(part) for _ in range(rng.choice((1, 2, 1000)))]
    body = b"".join(b"--zz\r\n" + item + b"\r\n" for item in parts)
    return body + rng.choice((b"--zz--\r\n", b"", b"--yy--\r\n", b"--zz", b"--zz--garbage"))


def request_body(rng: random.Random, content_type: bytes) -> bytes:
    if content_type.startswith(b"application/json"):
        return rng.choice(JSON_BODIES)
    if content_type.startswith(b"application/x-www-form-urlencoded"):
        return rng.choice(FORM_BODIES)
    if content_type.startswith(b"multipart/"):
        return multipart_body(rng)
    return rng.choice(TEXT_BODIES + FORM_BODIES[:3] + (rng.randbytes(rng.randint(0, 3000)),))


def chunked(body: bytes, rng: random.Random) -> bytes:
    size = rng.randint(1, 700)
    pieces = [body[start : start + size] for start in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def body(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """Bodies in odd charsets, invalid JSON, form and multipart junk, chunked bodies and
    Content-Length mismatches, to every route that reads a body."""
    content_type = rng.choice(CONTENT_TYPES)
    payload = request_body(rng, content_type)
    method = rng.choice((b"POST", b"POST", b"POST", b"PUT", b"PATCH", b"DELETE"))
    draft = Draft(rng.choice(app.posts).encode(), method=method, body=payload)
    if content_type:
        draft.headers.append(b"Content-Type: " + content_type)
    roll = rng.random()
    if roll < 0.08:
        draft.length = len(payload) + rng.randint(1, 100)  # shorter than declared
    elif roll < 0.15 and payload:
        draft.length = rng.randrange(len(payload))  # longer than declared
    elif roll < 0.3:
        draft.headers.append(b"Transfer-Encoding: chunked")
        draft.body = chunked(payload, rng)
    if rng.random() < 0.1:
        draft.headers.append(b"Expect: 100-continue")
    return draft


METHODS = (
    b"PROPFIND", b"TRACE", b"TRACK", b"get", b"GeT", b"post", b"DELETE", b"PUT", b"PATCH",
    b"MKCOL", b"LOCK", b"SEARCH", b"QUERY", b"M-SEARCH", b"X" * 100, b"A" * 1000, b"B" * 10_000,
    b"OPTIONS", b"HEAD", b"CONNECT", b"PRI", b"BREW", b"~", b"!#$%&'*+-.^_`|~",
)


def method(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """Methods WebDAV and nobody else uses, lower-case ones, and absurdly long ones."""
    verb = rng.choice(METHODS)
    target = pick_page(rng, app)
    if verb == b"CONNECT":
        target = rng.choice((b"127.0.0.1:80", b"evil.com:443", target))
    elif verb == b"OPTIONS" and rng.random() < 0.5:
        target = b"*"
    draft = Draft(target, method=verb)
    if verb == b"PROPFIND":
        draft.headers += [b"Depth: 1", b"Content-Type: application/xml"]
        draft.body = b'<?xml version="1.0"?><propfind xmlns="DAV:"><allprop/></propfind>'
    return draft


def odd_target(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """Request-targets that are not plain paths: no leading slash, `*`, absolute-form,
    fragments, dot segments, and very long ones."""
    page = rng.choice(app.pages + app.failing)
    targets = (
        "evil", "evil.com/x", "*", "http://x/", "http://evil.com" + page, "https://127.0.0.1/",
        "HTTP://X/", "http://[::1]/", "http://x", "http:/x", "file:///etc/passwd", "//evil.com/",
        "?", "/?", "/#frag", page + "#x", "/%", ".", "..", "./", "/./", "/.", "/..", "~",
        "/~root", "/index", "/index.html", "/index.json", "/_next", "/_next/", "/_next/data",
        "/_next/static/", "/_next/data/x", page.lstrip("/"), "a" * 8000, "mailto:x@evil.com",
    )
    roll = rng.random()
    if roll < 0.1:
        return Draft(b"/" + b"a" * rng.choice((8000, 20_000, 60_000, 100_000)))
    if roll < 0.2:
        return Draft(b"/?" + rng.choice((b"a=1&" * 5000, b"x" * 60_000, b"%41" * 10_000)))
    if roll < 0.25:
        return Draft(b"/" + b"%41" * rng.choice((1000, 5000)))
    return Draft(rng.choice(targets).encode("latin-1"))


PAGE_NUMBERS = (
    "999999999999999999999", "99999999999999999999999999999999", "-1", "0", "9" * 5000,
    "1e9", "%D9%A3", "%D9%A1%D9%A2%D9%A3%D9%A4%D9%A5%D9%A6%D9%A7%D9%A8%D9%A9%D9%A0" * 3,
    "%EF%BC%91", "%C2%B2", "2147483648", "9223372036854775808", "18446744073709551616", "4",
    "1&page=2", "%F0%9D%9F%8F", "00000000000000000000001", "+1", " 1", "1.0", "0x10", "inf",
)


def deep(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """1,000-segment catch-alls, 1,200-term searches, huge page numbers, huge queries."""
    roll = rng.random()
    if roll < 0.45:
        word = rng.choice(("a", "fiction", "x", "%C3%A9", "salt", "..", "%2F", rng.choice(TEXT)))
        count = rng.choice((1000, 1001, 1200, 1500, 999))
        prefix = rng.choice(app.catch_alls or ("/",))
        return Draft((prefix + "/".join([word] * count)).encode("latin-1"))
    if roll < 0.75:
        number = rng.choice(PAGE_NUMBERS)
        target = rng.choice(("/", "/api/books", "/fr", rng.choice(app.pages).partition("?")[0]))
        sort = rng.choice(("rating", "x", "newest"))
        return Draft(f"{target}?sort={sort}&page={number}".encode())
    if roll < 0.9:
        terms = "+".join(rng.choice(TEXT) for _ in range(1200))
        return Draft(rng.choice(("/search?q=", "/something?q=", "/?q=")).encode() + terms.encode())
    pairs = "&".join(f"k{i}={i}" for i in range(rng.choice((1000, 10_000))))
    return Draft((rng.choice(app.pages).partition("?")[0] + "?" + pairs).encode())


def data_route(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """Data URLs with this build's id and others, missing `.json`, traversal inside, and
    the client runtime's files under wrong names."""
    path = rng.choice(app.data_paths + tuple(target.lstrip("/") for target in app.failing))
    real = facts.build_id
    build = rng.choice(
        (real, real, real, real.upper(), real + "x", "development", "..", "%2e%2e", "", "x" * 300,
         real[:-1], rng.randbytes(10).hex(), "%00", real + "/..")
    )
    shapes = (
        f"/_next/data/{build}/{path}.json", f"/_next/data/{build}/{path}",
        f"/_next/data/{build}/{path}.json.json", f"/_next/data/{build}/{path}.JSON",
        f"/_next/data/{build}/../../pagemill.toml", f"/_next/data/{build}/%2e%2e/{path}.json",
        f"/_next/data/{build}/..%2f..%2fpagemill.toml.json", f"/_next/data/{build}/{path}.json/",
        f"/_next/data/{build}/.json", f"/_next/data/{build}//{path}.json",
        f"/_next/data/{build}/{path}/%00.json", f"/_next/data/{build}/" + "a/" * 1000 + "a.json",
        f"/_next/data/{build}/{path}.json?{rng.choice(CRLF + BAD_ESCAPES)}",
        f"/_next/data/{build}/{hostile(rng)}.json", facts.asset.replace("-", "-0"),
        facts.asset + "/..", facts.asset + "%00", "/_next/static/chunks/..%2f..%2fpagemill.toml",
        f"/_next/data/{build}/{path}.json?__nextDataReq=1&{hostile(rng)}",
    )
    headers = [b"x-nextjs-data: 1"] if rng.random() < 0.6 else []
    if rng.random() < 0.3:
        headers.append(b"x-pagemill-render: 1")
    headers += encoding_header(rng)
    return Draft(rng.choice(shapes).encode("latin-1"), headers=headers)


def protocol(rng: random.Random, app: AppProfile, facts: Facts) -> Draft:
    """Raw CR, LF and NUL in the request line and header values, and other violations of
    HTTP/1.1 message syntax: the protocol layer should refuse these with a 4xx."""
    page = pick_page(rng, app)
    roll = rng.randrange(14)
    draft = Draft(page)
    if roll == 0:
        bad = (b"\r", b"\x00", b"\n", b" x", b"\t", b"\xc3\xa9", b"\x7f")
        draft.target = page + rng.choice(bad)
    elif roll == 1:
        draft.eol = b"\n"
    elif roll == 2:
        junk = rng.choice((b"a\x00b", b"a\rb", b"x\r\nSet-Cookie: injected=1", b"\x01"))
        draft.headers.append(b"X-Test: " + junk)
    elif roll == 3:
        draft.headers.append(rng.choice((b"NoColon", b"X : y", b" folded", b"\tfolded", b": v")))
    elif roll == 4:
        draft.method, draft.body = b"POST", b"abcd"
        draft.headers += [b"Content-Length: 3", b"Content-Length: 4"]
    elif roll == 5:
        draft.method, draft.body = b"POST", b"abc"
        draft.headers.append(rng.choice((b"Content-Length: 3, 3", b"Content-Length: -1",
                                         b"Content-Length: abc", b"Content-Length: 0x3")))
    elif roll == 6:
        draft.method, draft.body = b"POST", b"3\r\nabc\r\n0\r\n\r\n"
        draft.headers += [b"Content-Length: 3", b"Transfer-Encoding: chunked"]
    elif roll == 7:
        draft.method, draft.body = b"POST", rng.choice((b"zz\r\nabc\r\n0\r\n\r\n", b"3\r\nabcd"))
        draft.headers.append(b"Transfer-Encoding: " + rng.choice((b"chunked", b"gzip")))
    elif roll == 8:
        draft.version = rng.choice((b"HTTP/2.0", b"HTTP/1.2", b"HTTP/1.1 extra", b"HTTP/0.9", b""))
    elif roll == 9:
        draft.method = rng.choice((b"G(T", b"GET\x00", b"G\xc3\xa9T", b"", b"GET /"))
    elif roll == 10:
        draft.host = None
    elif roll == 11:
        draft.target = b" " + page
    elif roll == 12:
        draft.headers.append(b"X-Test: " + rng.choice(CRLF).encode().replace(b"%0d", b"\r"))
    else:
        draft.target = page.replace(b"/", b"/\x00", 1)
    return draft


GENERATORS: tuple[tuple[str, int, Generator], ...] = (
    ("well_formed", 20, well_formed),
    ("bad_escape", 8, bad_escape),
    ("traversal", 7, traversal),
    ("open_redirect", 8, open_redirect),
    ("crlf", 8, crlf),
    ("big_headers", 6, big_headers),
    ("odd_host", 5, odd_host),
    ("cookies", 6, cookies),
    ("body", 10, body),
    ("method", 5, method),
    ("odd_target", 6, odd_target),
    ("deep", 5, deep),
    ("data_route", 8, data_route),
    ("protocol", 3, protocol),
)


# --- framing and syntax ---------------------------------------------------------------------


def build(app: AppProfile, facts: Facts, seed: int, index: int) -> FuzzRequest:
    """Request number `index` of `app` for `seed`."""
    rng = random.Random(f"{seed}:{app.name}:{index}")
    names, weights, makers = zip(*GENERATORS, strict=True)
    [position] = rng.choices(range(len(names)), weights=weights)
    draft = makers[position](rng, app, facts)
    return frame(draft, rng, app, index, names[position])


def frame(draft: Draft, rng: random.Random, app: AppProfile, index: int, kind: str) -> FuzzRequest:
    """Add Host, Content-Length and Connection, and say how the request is to be sent."""
    lines = ([b"Host: " + draft.host] if draft.host is not None else []) + draft.headers
    named = {line.partition(b":")[0].strip().lower() for line in lines}
    declared = len(draft.body) if draft.length is None else draft.length
    framed = b"content-length" in named or b"transfer-encoding" in named
    if not framed and (draft.body or draft.length is not None or draft.method in BODY_METHODS):
        lines.append(b"Content-Length: %d" % declared)
    truncated = not framed and declared > len(draft.body)
    problem = syntax_problem(draft, lines)
    keep_alive = (
        not problem
        and not truncated
        and declared == len(draft.body)
        and draft.version == b"HTTP/1.1"
        and rng.random() < 0.5
    )
    if not keep_alive:
        lines.append(b"Connection: close")
    elif rng.random() < 0.3:
        lines.append(b"Connection: keep-alive")
    head = draft.method + b" " + draft.target + (b" " + draft.version if draft.version else b"")
    raw = draft.eol.join([head, *lines, b"", b""]) + draft.body
    return FuzzRequest(
        app=app.name,
        index=index,
        kind=kind,
        raw=raw,
        method=draft.method,
        host=draft.host,
        keep_alive=keep_alive,
        malformed=problem,
        truncated=truncated,
        fails_on_purpose=app.fails_on_purpose(seen_by_app(draft, lines)),
    )


def seen_by_app(draft: Draft, lines: list[bytes]) -> Sent:
    """What the app's made-to-fail rule looks at: the target, Content-Type and body."""
    content_type = ""
    for line in lines:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-type":
            content_type = value.strip().decode("latin-1").lower()
            break
    return sent(draft.target.decode("latin-1"), content_type, draft.body)


def syntax_problem(draft: Draft, lines: list[bytes]) -> str:
    """Why the request breaks HTTP/1.1 message syntax (RFC 9112: the request line, field
    syntax, message framing and Host), or "". What lies inside a well-formed target (bad
    escapes, backslashes, dot segments, its length) is the application's to judge."""
    if draft.eol != b"\r\n":
        return "bare LF line endings"
    if not draft.method or not set(draft.method) <= TCHAR:
        return "the method is not a token"
    if draft.version not in (b"HTTP/1.1", b"HTTP/1.0"):
        return "not an HTTP/1.0 or HTTP/1.1 request line"
    return target_problem(draft) or field_problem(draft, lines) or framing_problem(draft, lines)


def target_problem(draft: Draft) -> str:
    """The request-target is visible ASCII in one of RFC 9112's four forms: origin-form
    (`/…`), absolute-form (`scheme:…`), authority-form (`host:port`, CONNECT only, and
    always for CONNECT) or asterisk-form (`*`, OPTIONS only)."""
    target = draft.target
    if not target or not all(0x21 <= byte <= 0x7E for byte in target):
        return "space, control or non-ASCII byte in the request-target"
    if draft.method == b"CONNECT":
        return "" if AUTHORITY_FORM.fullmatch(target) else "CONNECT without a host:port target"
    if target == b"*":
        return "" if draft.method == b"OPTIONS" else "`*` as the target of a method but OPTIONS"
    if target.startswith(b"/") or ABSOLUTE_FORM.match(target):
        return ""
    return "a request-target that is none of origin-, absolute-, authority- or asterisk-form"


def field_problem(draft: Draft, lines: list[bytes]) -> str:
    """Each line is `token: value` with no control character in the value, and an HTTP/1.1
    request has exactly one Host, a valid `host[:port]` (an HTTP/1.0 one at most one)."""
    hosts = []
    for line in lines:
        name, colon, value = line.partition(b":")
        if not colon or not name or not set(name) <= TCHAR:
            return "a header line that is not `token: value` (or an obs-fold line)"
        if any((byte < 0x20 and byte != 0x09) or byte == 0x7F for byte in value):
            return "CR, LF, NUL or another control character in a header value"
        if name.lower() == b"host":
            hosts.append(value.strip(b" \t"))
    if len(hosts) > 1 or (not hosts and draft.version == b"HTTP/1.1"):
        return f"{len(hosts)} Host fields (HTTP/1.1 needs exactly one)"
    if hosts and not HOST_VALUE.fullmatch(hosts[0]):
        return "a Host value that is not host[:port]"
    return ""


def framing_problem(draft: Draft, lines: list[bytes]) -> str:
    """Content-Length values agree and are numbers; Transfer-Encoding is `chunked` alone,
    without a Content-Length, over a well-formed chunked body."""
    lengths = set()
    encodings = []
    for line in lines:
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            lengths.add(value.strip(b" \t"))
        elif name.lower() == b"transfer-encoding":
            encodings.append(value.strip(b" \t").lower())
    if lengths and (len(lengths) > 1 or not next(iter(lengths)).isdigit()):
        return "invalid or conflicting Content-Length values"
    if encodings and lengths:
        return "both Content-Length and Transfer-Encoding"
    if encodings and (encodings != [b"chunked"] or not well_chunked(draft.body)):
        return "a Transfer-Encoding other than one valid chunked body"
    return ""


def well_chunked(body: bytes) -> bool:
    rest = body
    while True:
        size_line, found, rest = rest.partition(b"\r\n")
        if not found or not re.fullmatch(rb"[0-9a-fA-F]+", size_line):
            return False
        size = int(size_line, 16)
        if size == 0:
            return rest == b"\r\n"
        if rest[size : size + 2] != b"\r\n":
            return False
        rest = rest[size + 2 :]
