"""The apps the fuzz suite serves, what each offers to aim at, and which of its URLs are made
to fail with a 500 on purpose (the only 5xx answers the suite accepts)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote

ROOT = Path(__file__).resolve().parents[2]
APPS = ROOT / "tests" / "apps"
ABSOLUTE_FORM = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?]*")


@dataclass(frozen=True)
class Sent:
    """What a made-to-fail rule looks at: the path and query pairs as the app sees them
    (decoded; a data URL's page path), the Content-Type (lower-case, "" without one) and
    the body as sent."""

    path: str
    pairs: list[tuple[str, str]]
    content_type: str = ""
    body: bytes = b""

    def values(self, key: str) -> list[str]:
        """Every value of query key `key`, in order."""
        return [value for name, value in self.pairs if name == key]


# Whether the fixture itself makes this request fail with a 500.
FailsOnPurpose = Callable[[Sent], bool]


@dataclass(frozen=True)
class AppProfile:
    """One app to fuzz. Targets are request-target strings (ASCII, already percent-encoded);
    in `slots` and `redirectors` a `{}` marks where hostile text goes."""

    name: str
    source: Path
    weight: int  # this app's share of PAGEMILL_FUZZ_COUNT, in percent
    pages: tuple[str, ...]  # well-formed targets (any status but 5xx is fine)
    failing: tuple[str, ...]  # targets made to fail on purpose, sent now and then
    slots: tuple[str, ...]
    redirectors: tuple[str, ...]  # slots whose text can end up in a Location
    catch_alls: tuple[str, ...]  # prefixes taking any number of segments
    data_paths: tuple[str, ...]  # what goes between the build id and `.json`
    posts: tuple[str, ...]  # targets that read a request body
    public_files: tuple[str, ...]  # files under public/
    cookie_source: str | None  # a target whose Set-Cookie holds real preview cookies
    trusted_origins: frozenset[str]  # other origins the app's own config redirects to
    fails_on_purpose: FailsOnPurpose
    hosts: tuple[str, ...] = ()  # Host values the app's config knows (i18n domains)
    health: str = "/"  # a page that answers 200: readiness and the final liveness check


def sent(target: str, content_type: str = "", body: bytes = b"") -> Sent:
    """What the app sees of a request to `target` (a string of the target's bytes)."""
    path, _, query = ABSOLUTE_FORM.sub("", target, count=1).partition("?")
    path = unquote(path, errors="replace")
    if path.startswith("/_next/data/") and path.endswith(".json"):
        page = "/" + path[len("/_next/data/") : -len(".json")].partition("/")[2]
        path = "/" if page == "/index" else page.removeprefix("/index")
    pairs = parse_qsl(query, keep_blank_values=True, errors="replace")
    return Sent(path, pairs, content_type, body)


def _single(request: Sent, key: str, allowed: frozenset[str]) -> bool:
    values = request.values(key)
    return len(values) == 1 and values[0] in allowed


def _breaks_line(text: str) -> bool:
    return any(char in text for char in "\r\n\0")


def _not_a_header_value(text: str) -> bool:
    """A character no header value may hold: CR, LF, NUL and other controls, or anything
    beyond Latin-1 (Node's setHeader refuses the same, ERR_INVALID_CHAR)."""
    return any(ord(char) > 0xFF or (ord(char) < 0x20 and char != "\t") for char in text)


ECHOABLE_TYPES = ("application/json", "text/", "application/x-www-form-urlencoded")


def _echoes_bytes(request: Sent) -> bool:
    """A handler that returns `req.body` as JSON fails when pagemill gave it bytes (a body
    of any type but JSON, text and forms) or an uploaded file (a multipart file part)."""
    if not request.body:
        return False
    if request.content_type.startswith("multipart/"):
        return b"filename=" in request.body
    return not request.content_type.startswith(ECHOABLE_TYPES)


# --- tests/apps/gssp -----------------------------------------------------------------------

# gSSP raises (blog/post-100) or returns what pagemill must refuse (the rest).
GSSP_FAILING = frozenset(
    {"/blog/post-100", "/invalid-keys", "/no-return", "/non-json", "/camel", "/crlf-redirect"}
)


REDIRECT_CODES = frozenset({"301", "302", "303", "307", "308"})


def gssp_blog_fails(post: str) -> bool:
    """pages/gssp-blog/[post].py builds a redirect from its segment, and its page() raises:
    any segment not asking for a redirect fails, as does an unusable status code or a
    destination with a line break."""
    if not post.startswith("redir"):
        return True
    if "statusCode-" in post and post.split("statusCode-", 1)[1][:3] not in REDIRECT_CODES:
        return True
    return "dest-" in post and _breaks_line(post.split("dest-", 1)[1])


def gssp_fails(request: Sent) -> bool:
    """The pages above, pages/gssp-blog/[post].py as described there, and /header-injection
    whose `note`, copied into a response header, holds what no header value may."""
    if request.path.rstrip("/") in GSSP_FAILING:
        return True
    if request.path.startswith("/gssp-blog/"):
        return gssp_blog_fails(request.path.removeprefix("/gssp-blog/"))
    notes = request.values("note")
    return request.path == "/header-injection" and any(map(_not_a_header_value, notes))


GSSP = AppProfile(
    name="gssp",
    source=APPS / "gssp",
    weight=25,
    pages=(
        "/", "/something?a=1&a=2&b=", "/normal", "/blog/post-1", "/blog/post-1?hello=world",
        "/blog/post-1/comment-1", "/catchall/a/b/c", "/shop", "/shop/x/y", "/not-found",
        "/not-found/x", "/not-found?hiding=1", "/not-found/x?hiding=1", "/teapot", "/big",
        "/merge", "/promise", "/counter", "/xss", "/early-request-end", "/custom-cache",
        "/cached-redirect", "/gssp-blog/redirect-permanent", "/gssp-blog/redir-dest-external",
        "/gssp-blog/redir-statusCode-301", "/gssp-blog/redir-dest-_blog_post-1",
        "/gssp-blog/redir-no-basepath", "/gssp-blog/post-1", "/header-injection?note=ok",
        "/post", "/robots.txt", "/nested/file.txt", "/with%20space.txt", "/no/such/page",
    ),
    failing=(
        "/blog/post-100", "/invalid-keys", "/no-return", "/non-json", "/camel",
        "/crlf-redirect", "/header-injection?note=a%0d%0aSet-Cookie:%20injected=1",
    ),
    slots=(
        "/blog/{}", "/blog/post-1/{}", "/catchall/{}", "/shop/{}", "/not-found/{}",
        "/gssp-blog/{}", "/{}", "/something?q={}", "/something?{}", "/header-injection?note={}",
        "/nested/{}", "/blog/{}?hello={}",
    ),
    redirectors=("/{}/", "/blog/{}/", "/catchall/{}//", "/shop/a/{}/", "//{}"),
    catch_alls=("/catchall/", "/shop/"),
    data_paths=(
        "index", "something", "blog/post-1", "blog/post-1/comment-1", "catchall/a/b", "shop",
        "shop/x", "not-found", "teapot", "xss", "gssp-blog/redir-dest-external",
        "cached-redirect", "normal", "index/index",
    ),
    posts=("/post", "/something", "/blog/post-1", "/normal", "/catchall/a"),
    public_files=("/robots.txt", "/nested/file.txt", "/with%20space.txt"),
    cookie_source=None,
    # pages/gssp-blog/[post].py redirects `redir-dest-external` to https://example.com/.
    trusted_origins=frozenset({"https://example.com"}),
    fails_on_purpose=gssp_fails,
)


# --- tests/apps/api ------------------------------------------------------------------------

RESPOND_OK = frozenset(
    {
        "created", "send_str", "send_bytes", "send_dict", "send_list", "send_number",
        "send_none", "send_typed_str", "send_typed_bytes", "json_over_type", "no_content",
        "end", "redirect", "redirect_status", "headers", "twice", "header_after_send",
        "send_then_raise",
    }
)
RETURNS_OK = frozenset(
    {"value", "status", "response", "sent_and_value", "sent_and_res", "int_keys"}
)
PREVIEW_OK = frozenset({"draft_on", "draft_off", "data", "data_defaults", "clear"})


def api_fails(request: Sent) -> bool:
    """pages/api/boom.py raises; respond/returns/preview fail for every `case` but their
    working ones (a bad status, CR/LF in a header or redirect, a value JSON cannot carry,
    nothing sent, oversized preview data, or a missing/unknown case: a KeyError in the
    handler); revalidate fails unless `path` is one value starting with `/`; sync_handler
    returns the parsed body as JSON."""
    route = request.path.rstrip("/")
    cases = {"/api/respond": RESPOND_OK, "/api/returns": RETURNS_OK, "/api/preview": PREVIEW_OK}
    if route == "/api/boom":
        return True
    if route in cases:
        return not _single(request, "case", cases[route])
    if route == "/api/revalidate":
        values = request.values("path")
        return len(values) != 1 or not values[0].startswith("/")
    return route == "/api/sync_handler" and _echoes_bytes(request)


def _cases(route: str, names: frozenset[str]) -> tuple[str, ...]:
    return tuple(f"{route}?case={name}" for name in sorted(names))


API = AppProfile(
    name="api",
    source=APPS / "api",
    weight=20,
    pages=(
        "/api/echo", "/api/echo?a=1&a=2&b=%C3%A9", "/api/sync_handler", "/api/raw",
        "/api/methods", "/api/small_limit", "/api/big_limit", "/api/revalidate?path=/blog/x",
        "/", "/api/nope", "/api", *_cases("/api/respond", RESPOND_OK),
        *_cases("/api/returns", RETURNS_OK), *_cases("/api/preview", PREVIEW_OK),
    ),
    failing=(
        "/api/boom", "/api/respond?case=redirect_crlf", "/api/respond?case=redirect_bad",
        "/api/respond?case=header_crlf", "/api/respond?case=bad_status",
        "/api/returns?case=unserializable", "/api/returns?case=nothing",
        "/api/preview?case=too_big", "/api/revalidate?path=blog",
    ),
    slots=(
        "/api/echo?x={}", "/api/{}", "/api/echo/{}", "/api/respond?case=created&x={}",
        "/api/revalidate?path=/{}", "/api/echo?{}", "/{}", "/api/methods?{}",
    ),
    redirectors=("/api/{}/", "/api/respond?case=redirect&x={}", "/{}/"),
    catch_alls=("/api/echo/",),
    data_paths=("index", "api/echo", "nope"),
    posts=(
        "/api/echo", "/api/sync_handler", "/api/raw", "/api/small_limit", "/api/big_limit",
        "/api/methods", "/api/respond?case=created", "/api/echo?x=1",
    ),
    public_files=(),
    cookie_source="/api/preview?case=data",
    trusted_origins=frozenset(),
    fails_on_purpose=api_fails,
    health="/api/echo",
)


# --- tests/apps/draft ----------------------------------------------------------------------

# pages/api/preview.py stores the whole query as preview data; over 2 KB of data cookie is
# an error by design. The cookie is 4/3 of (37 bytes + the data's compact UTF-8
# JSON), so it overflows from 1,500 bytes of JSON on. The pairs' ASCII-escaped JSON measured
# here is never shorter than that, and the allowance starts 100 bytes early, for rounding.
PREVIEW_JSON_LIMIT = 1400


def draft_fails(request: Sent) -> bool:
    """/api/preview with `too_big`, or with a query too large for the 2 KB data cookie;
    /api/hello/[name] returns the parsed body as JSON."""
    route = request.path.rstrip("/")
    if route.startswith("/api/hello/"):
        return _echoes_bytes(request)
    if route != "/api/preview":
        return False
    too_big = any(name == "too_big" for name, _ in request.pairs)
    return too_big or len(json.dumps(request.pairs)) >= PREVIEW_JSON_LIMIT


DRAFT = AppProfile(
    name="draft",
    source=APPS / "draft",
    weight=8,
    pages=(
        "/", "/api/draft", "/api/draft?off=1", "/api/preview?a=1", "/api/preview?x=%C3%A9",
        "/api/reset", "/api/hello/x", "/api/hello/%C3%A9?y=2",
    ),
    failing=("/api/preview?too_big=1",),
    slots=("/api/hello/{}", "/api/preview?a={}", "/?x={}", "/{}", "/api/draft?{}"),
    redirectors=("/{}/", "/api/hello/{}/"),
    catch_alls=("/api/hello/",),
    data_paths=("index", "api/preview"),
    posts=("/api/hello/x", "/api/draft", "/", "/api/preview?a=1"),
    public_files=(),
    cookie_source="/api/preview?a=1",
    trusted_origins=frozenset(),
    fails_on_purpose=draft_fails,
)


# --- tests/apps/rules ----------------------------------------------------------------------


def never_fails(request: Sent) -> bool:
    """No URL of this app is made to fail: every 5xx is a defect."""
    return False


RULES = AppProfile(
    name="rules",
    source=APPS / "rules",
    weight=10,
    pages=(
        "/", "/about", "/another", "/blog/post-1", "/blog-post-1", "/blog-post-2",
        "/blog-anything", "/old-blog/x", "/docs-old/a/b", "/docs-old", "/external", "/guarded",
        "/legacy/a/b", "/nope",
    ),
    failing=(),
    slots=("/old-blog/{}", "/docs-old/{}", "/blog/{}", "/blog-{}", "/legacy/{}", "/{}"),
    redirectors=("/old-blog/{}", "/docs-old/{}", "/docs-old/a/{}", "/old-blog/{}/", "/{}/"),
    catch_alls=("/docs-old/", "/legacy/"),
    data_paths=("another", "blog/post-1", "index", "about"),
    posts=("/another", "/blog/post-1", "/about", "/old-blog/x"),
    public_files=(),
    cookie_source=None,
    # pagemill.toml redirects /external to https://example.com/landing.
    trusted_origins=frozenset({"https://example.com"}),
    fails_on_purpose=never_fails,
)


# --- tests/apps/i18n -----------------------------------------------------------------------

I18N = AppProfile(
    name="i18n",
    source=APPS / "i18n",
    weight=7,
    pages=(
        "/", "/fr", "/nl-NL/about", "/gssp", "/fr/gssp/x", "/about", "/go-BE/gssp", "/FR/gssp",
        "/en-US/gssp/y?z=1", "/xx/gssp",
    ),
    failing=(),
    slots=("/fr/gssp/{}", "/gssp/{}", "/{}", "/{}/gssp", "/fr/{}"),
    redirectors=("/{}/", "/fr/{}/"),
    catch_alls=("/fr/",),
    data_paths=("en-US/gssp", "fr/gssp/x", "en-US", "fr", "gssp", "nl/about"),
    posts=("/gssp", "/fr/gssp/x", "/about"),
    public_files=(),
    cookie_source=None,
    # [i18n.domains]: locale detection sends visitors to https://example.com/ and
    # http://example.do/ (`http = true`).
    trusted_origins=frozenset({"https://example.com", "http://example.do"}),
    fails_on_purpose=never_fails,
    hosts=("example.com", "example.do", "EXAMPLE.com", "example.do:80"),
)


# --- examples/bookshelf --------------------------------------------------------------------

BOOK_SLUGS = (
    "the-salt-crown", "a-map-of-lesser-winds", "hollow-signal", "tea-and-arsenic",
    "salt-and-iron", "how-forests-talk", "letters-from-the-ferry", "the-understudy",
)

BOOKSHELF = AppProfile(
    name="bookshelf",
    source=ROOT / "examples" / "bookshelf",
    weight=30,
    pages=(
        "/", "/?sort=rating&page=2", "/?sort=newest", "/?page=4", "/books/the-lost-book",
        *(f"/books/{slug}" for slug in BOOK_SLUGS), "/books/the-salt-crown?reviewed=1",
        "/book/1", "/book/99", "/random", "/shelves/fiction/mystery/cozy", "/shelves/nonfiction",
        "/shelves/fiction", "/search", "/search/salt/Baltic", "/search/Juniper%20Vale",
        "/search?q=salt+baltic", "/about", "/fr", "/fr/about", "/fr/books/hollow-signal",
        "/api/books", "/api/books?sort=rating&page=2", "/api/draft", "/api/draft?off",
        "/api/draft?token=let-me-in&to=/books/hollow-signal", "/styles.css", "/favicon.svg",
        "/slow",
    ),
    failing=(),
    slots=(
        "/books/{}", "/book/{}", "/shelves/{}", "/shelves/fiction/{}", "/search/{}",
        "/search?q={}", "/?sort={}", "/?page={}", "/?sort=rating&page={}", "/api/books?page={}",
        "/api/books?sort={}", "/fr/{}", "/{}", "/fr/books/{}", "/api/revalidate?token={}",
    ),
    redirectors=(
        "/search?q={}", "/api/draft?token=let-me-in&to={}", "/{}/", "/books/{}/",
        "/api/draft?off&to={}", "/fr/search?q={}",
    ),
    catch_alls=("/shelves/", "/search/", "/shelves/fiction/", "/fr/search/"),
    data_paths=(
        "en", "en/books/the-salt-crown", "fr/books/hollow-signal", "en/shelves/fiction",
        "en/search/salt", "en/book/1", "en/random", "fr", "en/about", "index",
        "books/the-salt-crown",
    ),
    posts=(
        "/books/the-salt-crown", "/api/revalidate?token=let-me-in&path=/", "/api/books",
        "/search", "/", "/about", "/fr/books/hollow-signal",
    ),
    public_files=("/styles.css", "/favicon.svg"),
    cookie_source="/api/draft?token=let-me-in&to=/",
    trusted_origins=frozenset(),
    fails_on_purpose=never_fails,
)

PROFILES = (GSSP, API, DRAFT, RULES, I18N, BOOKSHELF)
