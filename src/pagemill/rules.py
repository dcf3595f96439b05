"""Redirects, rewrites and headers from `pagemill.toml`: compiled once, matched per request.

No I/O: the pipeline hands in the path and what `has`/`missing` may look at, and gets back a
destination, a rewritten path with query pairs, or headers to add.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .config import Config, HeaderRule, RedirectRule, RewriteRule
from .patterns import (
    CompiledRule,
    PatternError,
    RequestFacts,
    compile_rule,
    destination_params,
    destination_problems,
    fill_destination,
    fill_value,
)
from .urls import encode_query, parse_query

NO_FACTS = RequestFacts()


@dataclass(frozen=True, slots=True)
class Redirect:
    match: CompiledRule
    destination: str
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
    for n, redirect in enumerate(config.redirects):
        match = _compile(f"redirects[{n}]", redirect, problems, config.base_path)
        if match is not None:
            status = redirect.status_code or (308 if redirect.permanent else 307)
            redirects.append(Redirect(match, redirect.destination, status, redirect.base_path))
    for n, rewrite in enumerate(config.rewrites):
        where = f"rewrites[{n}]"
        if "://" in rewrite.destination:
            problems.append(
                f"`{where}.destination` is an external URL: pagemill does not proxy requests. "
                "Use a redirect, or a path of this app."
            )
            continue
        match = _compile(where, rewrite, problems, None)
        if match is not None:
            used = destination_params(rewrite.destination)
            rewrites[rewrite.phase].append(
                Rewrite(match, rewrite.destination, rewrite.base_path, not used)
            )
    for n, rule in enumerate(config.headers):
        match = _compile(f"headers[{n}]", rule, problems, None)
        if match is not None:
            pairs = tuple((h.key, h.value) for h in rule.headers)
            headers.append(Headers(match, pairs, rule.base_path))
    rules = Rules(
        tuple(redirects),
        tuple(rewrites["before-files"]),
        tuple(rewrites["after-files"]),
        tuple(rewrites["fallback"]),
        tuple(headers),
    )
    return rules, problems


def _compile(
    where: str,
    rule: RedirectRule | RewriteRule | HeaderRule,
    problems: list[str],
    base_path: str | None,
) -> CompiledRule | None:
    # Redirects never swallow the framework's own URLs (as Next).
    restricted = [f"{base_path}/_next"] if base_path is not None else []
    try:
        compiled = compile_rule(
            rule.source,
            [dataclasses.asdict(c) for c in rule.has],
            [dataclasses.asdict(c) for c in rule.missing],
            restricted_paths=restricted,
        )
    except PatternError as exc:
        problems.append(f"`{where}`: {exc}")
        return None
    destination = getattr(rule, "destination", None)
    if destination is not None:
        found = destination_problems(
            destination, compiled.available_params, repeated=compiled.repeated_params
        )
        problems.extend(f"`{where}`: {problem}" for problem in found)
        if found:
            return None
    return compiled


def find_redirect(
    rules: Rules,
    app_path: str | None,
    full_path: str,
    facts: RequestFacts,
    query: list[tuple[str, str]],
    base_path: str,
) -> tuple[str, int] | None:
    """The Location and status of the first redirect rule matching this request, or None.

    A rule with `base_path = false` sees the whole path; others the path inside the base
    path, and their internal destinations get it back in front. The request's query passes
    through to the destination (its own keys win).
    """
    for redirect in rules.redirects:
        path = app_path if redirect.base_path else full_path
        if path is None:
            continue
        params = redirect.match.match(path, facts)
        if params is None:
            continue
        location = fill_destination(redirect.destination, params)
        if redirect.base_path and location.startswith("/"):
            location = base_path + location
        return _with_query(location, query), redirect.status
    return None


def find_rewrite(
    rewrites: tuple[Rewrite, ...], path: str, facts: RequestFacts
) -> tuple[str, list[tuple[str, str]]] | None:
    """The path a rewrite sends `path` to, and the query pairs it adds; None when none matches."""
    for rewrite in rewrites:
        params = rewrite.match.match(path, facts)
        if params is None:
            continue
        target = fill_destination(rewrite.destination, params)
        target_path, _, target_query = target.partition("?")
        pairs = parse_query(target_query)
        if rewrite.params_to_query:
            present = {key for key, _ in pairs}
            for key, value in params.items():
                if key not in present:
                    values = value if isinstance(value, list) else [value]
                    pairs.extend((key, item) for item in values)
        return target_path or "/", pairs
    return None


def matching_headers(
    rules: Rules, app_path: str | None, full_path: str, facts: RequestFacts
) -> list[tuple[str, str]]:
    """The headers every matching `[[headers]]` rule adds, in rule order."""
    found: list[tuple[str, str]] = []
    for rule in rules.headers:
        path = app_path if rule.base_path else full_path
        if path is None:
            continue
        params = rule.match.match(path, facts)
        if params is not None:
            found.extend((fill_value(k, params), fill_value(v, params)) for k, v in rule.headers)
    return found


def _with_query(location: str, query: list[tuple[str, str]]) -> str:
    if not query:
        return location
    path, _, own = location.partition("?")
    own_pairs = parse_query(own)
    own_keys = {key for key, _ in own_pairs}
    merged = own_pairs + [(k, v) for k, v in query if k not in own_keys]
    return f"{path}?{encode_query(merged)}"
