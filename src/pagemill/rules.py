"""Redirects, rewrites and headers from `pagemill.toml`: compiled once, matched per request.

No I/O: the pipeline hands in the path and what `has`/`missing` may look at, and gets back a
destination, a rewritten path with query pairs, or headers to add.

With `[i18n]`, rules match the path with its locale (the default locale put in front of a
path that names none), as Next does: a rule applies under every locale prefix unless it has
`locale = false`, in which case its source is matched as written. A redirect's internal
destination keeps the locale it was matched under, except that the default locale (of the
app, or of a locale domain) is left out, and a domain's default locale sends the visitor to
that domain.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from urllib.parse import quote

from .config import Config, HeaderRule, RedirectRule, RewriteRule
from .destinations import destination_params, destination_problems, fill_destination, fill_value
from .patterns import CompiledRule, PatternError, RequestFacts, compile_rule
from .types import Query
from .urls import encode_query, group_pairs, parse_query

NO_FACTS = RequestFacts()
# The param a locale-aware rule captures its locale in (Next's name, never in a query).
LOCALE_PARAM = "nextInternalLocale"
# Next refuses a rule whose source or destination makes a longer regex than this.
MAX_PATTERN_LENGTH = 4096
# What a destination's own query keeps unencoded: all RFC 3986 allows in a query value
# but the characters that would split it (`&`, `=`, `#`, `+`).
_QUERY_SAFE = ":/?@!$'()*,;"
# What a locale name needs escaped to be read literally inside a pattern's `(…)`.
_NOT_LITERAL = re.compile(r"[^\w-]")


@dataclass(frozen=True, slots=True)
class Redirect:
    match: CompiledRule
    destination: str  # internal destinations already carry the base path
    status: int
    base_path: bool


@dataclass(frozen=True, slots=True)
class Rewrite:
    match: CompiledRule
    destination: str
    base_path: bool
    # Next adds the matched params to a rewrite's query only when its path uses none of them.
    params_to_query: bool


@dataclass(frozen=True, slots=True)
class Headers:
    match: CompiledRule
    headers: tuple[tuple[str, str], ...]
    base_path: bool


@dataclass(frozen=True, slots=True)
class Rules:
    redirects: tuple[Redirect, ...] = ()
    before_files: tuple[Rewrite, ...] = ()
    after_files: tuple[Rewrite, ...] = ()
    fallback: tuple[Rewrite, ...] = ()
    headers: tuple[Headers, ...] = ()

    @property
    def any(self) -> bool:
        return bool(
            self.redirects or self.before_files or self.after_files or self.fallback or self.headers
        )

    @property
    def needs_facts(self) -> bool:
        """Whether any rule has `has`/`missing` conditions (else requests need not be read)."""
        rules: list[Redirect | Rewrite | Headers] = [
            *self.redirects,
            *self.before_files,
            *self.after_files,
            *self.fallback,
            *self.headers,
        ]
        return any(rule.match.has or rule.match.missing for rule in rules)


def compile_rules(config: Config) -> tuple[Rules, list[str]]:
    """Every rule of the config compiled, and every problem found (prefixed with its key)."""
    problems: list[str] = []
    redirects: list[Redirect] = []
    rewrites: dict[str, list[Rewrite]] = {"before-files": [], "after-files": [], "fallback": []}
    headers: list[Headers] = []
    restricted = [f"{config.base_path}/_next"]  # redirects never swallow the framework's URLs
    for n, redirect in enumerate(config.redirects):
        if not _usable(f"redirects[{n}]", redirect, redirect.destination, problems):
            continue
        status = redirect.status_code or (308 if redirect.permanent else 307)
        for source, destination in _redirect_forms(config, redirect):
            if redirect.base_path and destination.startswith("/"):
                destination = config.base_path + destination
            match = _compile(source, redirect, restricted)
            redirects.append(Redirect(match, destination, status, redirect.base_path))
    for n, rewrite in enumerate(config.rewrites):
        where = f"rewrites[{n}]"
        if "://" in rewrite.destination:
            problems.append(
                f"`{where}.destination` is an external URL: pagemill does not proxy requests. "
                "Use a redirect, or a path of this app."
            )
            continue
        if not _usable(where, rewrite, rewrite.destination, problems):
            continue
        source, destination = _localized(config, rewrite, rewrite.destination)
        used = destination_params(rewrite.destination)
        rewrites[rewrite.phase].append(
            Rewrite(_compile(source, rewrite), destination, rewrite.base_path, not used)
        )
    for n, rule in enumerate(config.headers):
        if _usable(f"headers[{n}]", rule, None, problems):
            source, _ = _localized(config, rule, "")
            pairs = tuple((h.key, h.value) for h in rule.headers)
            headers.append(Headers(_compile(source, rule), pairs, rule.base_path))
    rules = Rules(
        tuple(redirects),
        tuple(rewrites["before-files"]),
        tuple(rewrites["after-files"]),
        tuple(rewrites["fallback"]),
        tuple(headers),
    )
    return rules, problems


def _usable(
    where: str,
    rule: RedirectRule | RewriteRule | HeaderRule,
    destination: str | None,
    problems: list[str],
) -> bool:
    """Whether a rule's own source, conditions and destination compile (each problem noted,
    naming the rule as the user wrote it)."""
    try:
        compiled = _compile(rule.source, rule)
        lengths = {"source": len(compiled.regex.pattern)}
        if destination is not None and destination.startswith("/"):
            lengths["destination"] = len(compile_rule(destination.partition("?")[0]).regex.pattern)
    except PatternError as exc:
        problems.append(f"`{where}`: {exc}")
        return False
    for key, length in lengths.items():
        if length > MAX_PATTERN_LENGTH:
            problems.append(
                f"`{where}`: its {key} is too long (its pattern comes to {length} "
                f"characters, more than {MAX_PATTERN_LENGTH}); shorten it or split the rule"
            )
            return False
    if destination is None:
        return True
    found = destination_problems(
        destination, compiled.available_params, repeated=compiled.repeated_params
    )
    problems.extend(f"`{where}`: {problem}" for problem in found)
    return not found


def _compile(
    source: str,
    rule: RedirectRule | RewriteRule | HeaderRule,
    restricted: list[str] | None = None,
) -> CompiledRule:
    return compile_rule(
        source,
        [dataclasses.asdict(c) for c in rule.has],
        [dataclasses.asdict(c) for c in rule.missing],
        restricted_paths=restricted or (),
    )


def _redirect_forms(config: Config, rule: RedirectRule) -> list[tuple[str, str]]:
    """The (source, destination) pairs one redirect rule stands for, in matching order.

    Under i18n a locale-aware rule with an internal destination first matches each locale
    domain's default locale (sending the visitor to that domain) and the app's default
    locale (dropping the prefix), then any locale (keeping it).
    """
    i18n = config.i18n
    forms = []
    if i18n is not None and rule.locale is not False and rule.destination.startswith("/"):
        rest = _after_locale(rule.source, config.trailing_slash)
        base = config.base_path if rule.base_path else ""
        for domain in i18n.domains:
            scheme = "http" if domain.http else "https"
            origin = f"{scheme}://{domain.domain}{base}"
            forms.append((f"/{domain.default_locale}{rest}", origin + rule.destination))
        forms.append((f"/{i18n.default_locale}{rest}", rule.destination))
    forms.append(_localized(config, rule, rule.destination))
    return forms


def _localized(
    config: Config, rule: RedirectRule | RewriteRule | HeaderRule, destination: str
) -> tuple[str, str]:
    """A rule's source and destination as matched under i18n: behind any locale, which an
    internal destination keeps, unless the rule says `locale = false`."""
    if config.i18n is None or rule.locale is False:
        return rule.source, destination
    any_locale = "|".join(_NOT_LITERAL.sub(r"\\\g<0>", locale) for locale in config.i18n.locales)
    source = f"/:{LOCALE_PARAM}({any_locale})" + _after_locale(rule.source, config.trailing_slash)
    if destination.startswith("/"):
        destination = f"/:{LOCALE_PARAM}" + _after_locale(destination, config.trailing_slash)
    return source, destination


def _after_locale(path: str, trailing_slash: bool) -> str:
    """What follows a locale segment for `path`: `/` alone becomes nothing (`/fr`)."""
    return "" if path == "/" and not trailing_slash else path


def find_redirect(
    rules: Rules,
    app_path: str | None,
    full_path: str,
    facts: RequestFacts,
    query: list[tuple[str, str]],
) -> tuple[str, int] | None:
    """The Location and status of the first redirect rule matching this request, or None.

    A rule with `base_path = false` sees the whole path; others the path inside the base
    path. The request's query passes through to the destination (its own keys win).
    """
    for redirect in rules.redirects:
        path = app_path if redirect.base_path else full_path
        if path is None:
            continue
        params = redirect.match.match(path, facts)
        if params is None:
            continue
        location = fill_destination(redirect.destination, params)
        return _with_query(location, query), redirect.status
    return None


def apply_rewrite(rewrite: Rewrite, path: str, facts: RequestFacts) -> tuple[str, Query] | None:
    """The path a rewrite sends `path` to, and the query it sets; None if it does not match.
    The query is the destination's, then the source's params (`:path*` ones as lists) when
    the destination's path uses none of them."""
    params = rewrite.match.match(path, facts)
    if params is None:
        return None
    target = fill_destination(rewrite.destination, params)
    target_path, _, target_query = target.partition("?")
    query: Query = group_pairs(parse_query(target_query))
    if rewrite.params_to_query:
        for key, value in params.items():
            if key != LOCALE_PARAM:
                query.setdefault(key, value)
    return target_path or "/", query


def matching_headers(
    rules: Rules, app_path: str | None, full_path: str, facts: RequestFacts
) -> list[tuple[str, str]]:
    """The headers the matching `[[headers]]` rules set: a later rule's value for a name
    replaces an earlier one's, except `Set-Cookie`, where each rule adds one (as Next)."""
    found: dict[str, tuple[str, str]] = {}
    cookies: list[tuple[str, str]] = []
    for rule in rules.headers:
        path = app_path if rule.base_path else full_path
        if path is None:
            continue
        params = rule.match.match(path, facts)
        if params is None:
            continue
        for key, value in rule.headers:
            header = (fill_value(key, params), fill_value(value, params))
            if header[0].lower() == "set-cookie":
                cookies.append(header)
            else:
                found[header[0].lower()] = header
    return [*found.values(), *cookies]


def _with_query(location: str, query: list[tuple[str, str]]) -> str:
    """The Location for a redirect: the destination's own query as written (only what would
    break the URL encoded), then the request's query (encoded), the destination's keys
    winning; a bare origin gets its `/`, as Next formats it."""
    head, _, fragment = location.partition("#")
    path, _, own = head.partition("?")
    _, colon_slashes, rest = path.partition("://")
    if colon_slashes and "/" not in rest:
        path += "/"
    own_pairs = parse_query(own)
    own_keys = {key for key, _ in own_pairs}
    fields = [f"{_lenient(k)}={_lenient(v)}" for k, v in own_pairs]
    request_pairs = [(k, v) for k, v in query if k not in own_keys]
    if request_pairs:
        fields.append(encode_query(request_pairs))
    location = f"{path}?{'&'.join(fields)}" if fields else path
    return f"{location}#{fragment}" if fragment else location


def _lenient(text: str) -> str:
    return quote(text, safe=_QUERY_SAFE)
