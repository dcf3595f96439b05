"""The app's configuration: `pagemill.toml` read and checked, with `PAGEMILL_*` overrides.

The schema is the dataclasses below; one generic reader walks them, so every key of every
section gets the same checks: unknown keys name the nearest valid one, wrong types name the
key path, and each message starts with the file.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

from .bodies import parse_size
from .errors import PagemillError

CONFIG_FILE = "pagemill.toml"
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class ConfigError(PagemillError):
    """`pagemill.toml` (or a `PAGEMILL_*` variable) holds something pagemill cannot use."""


@dataclass(frozen=True, slots=True)
class Condition:
    """A `has`/`missing` item of a redirect, rewrite or header rule."""

    type: Literal["header", "cookie", "query", "host"]
    key: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Domain:
    domain: str
    default_locale: str
    locales: tuple[str, ...] = ()
    http: bool = False


@dataclass(frozen=True, slots=True)
class I18n:
    locales: tuple[str, ...]
    default_locale: str
    locale_detection: bool = True
    domains: tuple[Domain, ...] = ()


@dataclass(frozen=True, slots=True)
class RedirectRule:
    source: str
    destination: str
    permanent: bool | None = None
    status_code: int | None = None
    base_path: bool = True
    locale: bool | None = None  # False: the source is matched as written, locale and all
    has: tuple[Condition, ...] = ()
    missing: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class RewriteRule:
    source: str
    destination: str
    phase: Literal["before-files", "after-files", "fallback"] = "after-files"
    base_path: bool = True
    locale: bool | None = None  # False: the source is matched as written, locale and all
    has: tuple[Condition, ...] = ()
    missing: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class Header:
    key: str
    value: str


@dataclass(frozen=True, slots=True)
class HeaderRule:
    source: str
    headers: tuple[Header, ...]
    base_path: bool = True
    locale: bool | None = None  # False: the source is matched as written, locale and all
    has: tuple[Condition, ...] = ()
    missing: tuple[Condition, ...] = ()


CACHE_SCHEMES = ("memory://", "redis://", "rediss://", "unix://")


@dataclass(frozen=True, slots=True)
class CacheConfig:
    """Where the response cache lives. Without `url`, in one store on this machine shared by
    every worker (in `dir`, by default the build output's `cache/`); `memory://` keeps one
    per process, `redis://…` one per deployment."""

    url: str | None = None
    dir: str | None = None
    max_entries: int = 10_000
    max_bytes: int = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """How `pagemill start` serves: where, how many workers, and the bounds on each request.

    Durations are seconds; 0 turns a bound off where that is allowed.
    """

    workers: int | None = None
    host: str = "127.0.0.1"
    port: int = 3000
    # A request body past this size is refused with 413 (pages and API routes alike).
    body_size_limit: str = "1mb"
    # The whole body must arrive within this time of the first read, else 408. Below the
    # gSSP timeout, so that a page reading a slow body answers 408, not 504.
    body_timeout: float = 20.0
    # Request headers (and, on a kept-alive connection, the next request) within this time.
    header_timeout: float = 10.0
    keep_alive: bool = True
    # Connections the kernel holds before the server accepts them.
    backlog: int = 1024
    # Requests one worker serves at once; more wait for a slot (None: backlog / workers).
    max_concurrency: int | None = None
    # `get_server_side_props` running longer than this answers 504.
    gssp_timeout: float = 30.0
    # A worker past this resident memory (MiB) is replaced after its requests finish.
    max_worker_memory: int = 0
    # A worker older than this is replaced (at least 60 s).
    worker_lifetime: float = 0.0
    # On stop or replacement, how long a worker may take to finish its requests.
    shutdown_timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class Config:
    base_path: str = ""
    trailing_slash: bool = False
    powered_by_header: bool = True
    generate_etags: bool = True
    compress: bool = True
    preview_secret: str | None = None
    i18n: I18n | None = None
    redirects: tuple[RedirectRule, ...] = ()
    rewrites: tuple[RewriteRule, ...] = ()
    headers: tuple[HeaderRule, ...] = ()
    cache: CacheConfig = field(default_factory=CacheConfig)
    server: ServerConfig = field(default_factory=ServerConfig)


def load_config(app_dir: Path, environ: Mapping[str, str] = os.environ) -> Config:
    """Read `pagemill.toml` in `app_dir` (all keys optional), then apply `PAGEMILL_*` overrides."""
    path = app_dir / CONFIG_FILE
    raw: dict[str, Any] = {}
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    config = parse_config(raw, str(path))
    return apply_environ(config, environ)


def parse_config(raw: Mapping[str, Any], origin: str) -> Config:
    """Check every key and type of a parsed config table; `origin` names the file in errors."""
    problems: list[str] = []
    config = _read(Config, raw, "", problems)
    if config is not None:
        problems.extend(_meaning_problems(config))
    if problems or config is None:
        raise ConfigError("\n".join(f"{origin}: {problem}" for problem in problems))
    return config


T = TypeVar("T")


def _read(cls: type[T], raw: object, where: str, problems: list[str]) -> T | None:
    """A dataclass from a TOML table, every problem appended (None when any was found)."""
    if not isinstance(raw, dict):
        problems.append(f"`{where}` must be a table, got {_kind(raw)}")
        return None
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    found = len(problems)
    for key, value in raw.items():
        path = f"{where}.{key}" if where else key
        if key not in known:
            problems.append(f"unknown key `{path}`{_did_you_mean(key, known)}")
            continue
        values[key] = _value(hints[key], value, path, problems)
    for name, spec in known.items():
        required = (
            spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
        )
        if required and name not in raw:
            path = f"{where}.{name}" if where else name
            problems.append(f"`{path}` is required")
    if len(problems) > found:
        return None
    return cls(**values)


def _value(hint: Any, value: object, path: str, problems: list[str]) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):  # X | None
        inner = next(arg for arg in args if arg is not type(None))
        return _value(inner, value, path, problems)
    if origin is Literal:
        if value not in args:
            choices = ", ".join(repr(a) for a in args)
            problems.append(f"`{path}` must be one of {choices}, got {value!r}")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            problems.append(f"`{path}` must be an array, got {_kind(value)}")
            return ()
        return tuple(
            _value(args[0], item, f"{path}[{n}]", problems) for n, item in enumerate(value)
        )
    if dataclasses.is_dataclass(hint):
        return _read(hint, value, path, problems)  # type: ignore[arg-type]
    if hint is float and type(value) is int:  # `timeout = 30` means 30.0
        return float(value)
    if type(value) is not hint:
        article = "an" if hint.__name__[0] in "aeiou" else "a"
        problems.append(f"`{path}` must be {article} {hint.__name__}, got {_kind(value)} {value!r}")
    return value


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def _meaning_problems(config: Config) -> list[str]:
    """Checks across keys, once every type is right."""
    problems = _base_path_problems(config.base_path, "base_path")
    for n, rule in enumerate(config.redirects):
        if (rule.permanent is None) == (rule.status_code is None):
            problems.append(
                f"`redirects[{n}]` needs exactly one of `permanent = true|false` or "
                "`status_code = 301|302|303|307|308`"
            )
        elif rule.status_code is not None and rule.status_code not in REDIRECT_STATUSES:
            problems.append(
                f"`redirects[{n}].status_code` must be one of 301, 302, 303, 307, 308, "
                f"got {rule.status_code}"
            )
    i18n = config.i18n is not None
    for kind, rules in (("redirects", config.redirects), ("rewrites", config.rewrites)):
        for n, rule in enumerate(rules):  # type: ignore[assignment]
            problems.extend(_rule_problems(f"{kind}[{n}]", rule, i18n))
    for n, header_rule in enumerate(config.headers):
        problems.extend(_rule_problems(f"headers[{n}]", header_rule, i18n))
        for m, header in enumerate(header_rule.headers):
            if _has_control(header.key) or _has_control(header.value):
                problems.append(f"`headers[{n}].headers[{m}]` contains a control character")
    if config.i18n is not None:
        problems.extend(_i18n_problems(config.i18n))
    problems.extend(server_problems(config.server))
    problems.extend(cache_problems(config.cache))
    return problems


def cache_problems(cache: CacheConfig) -> list[str]:
    if cache.url is not None and not cache.url.startswith(CACHE_SCHEMES):
        return [
            f'`cache.url` is {cache.url!r}: use "memory://" (one cache per process), a Redis '
            'URL like "redis://localhost:6379/0", or leave it out for one cache per machine'
        ]
    return []


def server_problems(server: ServerConfig) -> list[str]:
    """The `[server]` values that are of the right type but cannot be used."""
    problems = []
    for name in ("workers", "port", "backlog", "max_concurrency"):
        number = getattr(server, name)
        if number is not None and number < 1:
            problems.append(f"`server.{name}` must be at least 1, got {number}")
    for name in ("body_timeout", "gssp_timeout", "max_worker_memory", "shutdown_timeout"):
        if getattr(server, name) < 0:
            problems.append(
                f"`server.{name}` must be 0 (no limit) or more, got {getattr(server, name)}"
            )
    if not 0 < server.header_timeout <= 60:
        problems.append(
            f"`server.header_timeout` must be more than 0 and at most 60 seconds, "
            f"got {server.header_timeout}"
        )
    if server.worker_lifetime and server.worker_lifetime < 60:
        problems.append(
            "`server.worker_lifetime` must be 0 (workers live until stopped) or at least 60 "
            f"seconds, got {server.worker_lifetime}"
        )
    if parse_size(server.body_size_limit) is None:
        problems.append(
            f"`server.body_size_limit` is {server.body_size_limit!r}: use a size like "
            '"1mb", "500kb" or "1gb"'
        )
    return problems


def _rule_problems(
    where: str, rule: RedirectRule | RewriteRule | HeaderRule, i18n: bool
) -> list[str]:
    problems = []
    if not rule.source.startswith("/"):
        problems.append(f"`{where}.source` must start with `/`, got {rule.source!r}")
    if rule.locale is True:
        problems.append(
            f"`{where}.locale` can only be false (match the source as written, locale "
            "included); leave it out and the rule applies under every locale"
        )
    elif rule.locale is False and not i18n:
        problems.append(
            f"`{where}.locale` only means something with `[i18n]` locales: remove it, or "
            "add an `[i18n]` table"
        )
    destination = getattr(rule, "destination", "/")
    if _has_control(destination):
        problems.append(f"`{where}.destination` contains a control character")
    elif not destination.startswith(("/", "http://", "https://")):
        problems.append(
            f"`{where}.destination` must start with `/` (a path of this app), `http://` or "
            f"`https://`, got {destination!r}"
        )
    if isinstance(rule, RewriteRule) and not rule.base_path and destination.startswith("/"):
        problems.append(
            f"`{where}` has `base_path = false`, so its destination would be outside the base "
            "path, and pagemill does not proxy to other servers: remove `base_path = false`"
        )
    if isinstance(rule, HeaderRule) and not rule.headers:
        problems.append(
            f'`{where}.headers` is empty: list the headers to set, like [{{ key = "x-frame-'
            'options", value = "DENY" }]'
        )
    for kind in ("has", "missing"):
        for m, condition in enumerate(getattr(rule, kind)):
            if condition.type != "host" and condition.key is None:
                problems.append(f"`{where}.{kind}[{m}]` of type {condition.type!r} needs a `key`")
    return problems


def _i18n_problems(i18n: I18n) -> list[str]:
    problems = []
    if not i18n.locales:
        problems.append("`i18n.locales` must list at least one locale")
    if i18n.default_locale not in i18n.locales:
        problems.append(
            f"`i18n.default_locale` {i18n.default_locale!r} is not one of `i18n.locales` "
            f"({', '.join(i18n.locales)})"
        )
    lowered = [locale.lower() for locale in i18n.locales]
    repeated = [locale for n, locale in enumerate(i18n.locales) if lowered[n] in lowered[:n]]
    if repeated:
        problems.append(
            f"`i18n.locales` has duplicate locales (compared in any case): "
            f"{', '.join(repeated)}; list each locale once"
        )
    defaults: dict[str, int] = {}
    for n, domain in enumerate(i18n.domains):
        if any(c in domain.domain for c in ":/"):
            problems.append(
                f"`i18n.domains[{n}].domain` is {domain.domain!r}: give the host name alone "
                '(like "example.fr"), without a protocol or port'
            )
        for locale in (domain.default_locale, *domain.locales):
            if locale not in i18n.locales:
                problems.append(
                    f"`i18n.domains[{n}]` uses locale {locale!r}, which is not in `i18n.locales`"
                )
        first = defaults.setdefault(domain.default_locale, n)
        if first != n:
            problems.append(
                f"`i18n.domains[{first}]` ({i18n.domains[first].domain}) and `i18n.domains[{n}]` "
                f"({domain.domain}) both have default_locale {domain.default_locale!r}: a "
                "locale can be the default of one domain only"
            )
    return problems


def _has_control(text: str) -> bool:
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def apply_environ(config: Config, environ: Mapping[str, str]) -> Config:
    """`PAGEMILL_BASE_PATH=/docs`, `PAGEMILL_SERVER_PORT=8000`… win over the file.

    Every scalar key of the top level, `[cache]` and `[server]` can be overridden.
    """
    overrides: dict[str, Any] = _environ_overrides(config, "", environ)
    for section in ("cache", "server"):
        values = _environ_overrides(getattr(config, section), section, environ)
        if values:
            overrides[section] = replace(getattr(config, section), **values)
    if "server" in overrides:
        problems = server_problems(overrides["server"])
        if problems:
            raise ConfigError(f"environment variables PAGEMILL_SERVER_*: {problems[0]}")
    if "base_path" in overrides:
        problems = _base_path_problems(overrides["base_path"], "base_path")
        if problems:
            raise ConfigError(f"environment variable PAGEMILL_BASE_PATH: {problems[0]}")
    return replace(config, **overrides)


def _environ_overrides(section: Any, prefix: str, environ: Mapping[str, str]) -> dict[str, Any]:
    hints = typing.get_type_hints(type(section))
    overrides: dict[str, Any] = {}
    for spec in fields(section):
        name = "_".join(filter(None, ("PAGEMILL", prefix.upper(), spec.name.upper())))
        if name not in environ:
            continue
        text = environ[name]
        hint = hints[spec.name]
        kinds = typing.get_args(hint) or (hint,)
        if bool in kinds:
            if text.lower() not in _BOOLEANS:
                raise ConfigError(
                    f"environment variable {name}: expected true or false, got {text!r}"
                )
            overrides[spec.name] = _BOOLEANS[text.lower()]
        elif int in kinds or float in kinds:
            number = int if int in kinds else float
            try:
                overrides[spec.name] = number(text)
            except ValueError:
                expected = "a whole number" if number is int else "a number"
                raise ConfigError(
                    f"environment variable {name}: expected {expected}, got {text!r}"
                ) from None
        elif str in kinds:
            overrides[spec.name] = text
    return overrides


_BOOLEANS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def _base_path_problems(base_path: str, key: str) -> list[str]:
    if base_path == "":
        return []
    if not base_path.startswith("/") or base_path.endswith("/") or "//" in base_path:
        return [
            f'`{key}` must start with `/` and not end with `/` (e.g. "/docs"), got {base_path!r}'
        ]
    return []


def _did_you_mean(key: str, known: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    if close:
        return f": did you mean `{close[0]}`?"
    return f"; valid keys are {', '.join(sorted(known))}"
