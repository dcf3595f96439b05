"""The app's configuration: `pagemill.toml` read and checked, with `PAGEMILL_*` overrides."""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import PagemillError

CONFIG_FILE = "pagemill.toml"


class ConfigError(PagemillError):
    """`pagemill.toml` (or a `PAGEMILL_*` variable) holds something pagemill cannot use."""


@dataclass(frozen=True, slots=True)
class Config:
    base_path: str = ""
    trailing_slash: bool = False
    powered_by_header: bool = True
    generate_etags: bool = True
    compress: bool = True


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
    known = {f.name: f for f in fields(Config)}
    values: dict[str, Any] = {}
    problems = []
    for key, value in raw.items():
        if key not in known:
            problems.append(f"{origin}: unknown key `{key}`{_did_you_mean(key, known)}")
            continue
        expected = type(getattr(Config(), key))
        if type(value) is not expected:
            problems.append(
                f"{origin}: `{key}` must be a {expected.__name__}, got {type(value).__name__} "
                f"{value!r}"
            )
            continue
        values[key] = value
    if "base_path" in values:
        problems.extend(_base_path_problems(values["base_path"], origin))
    if problems:
        raise ConfigError("\n".join(problems))
    return Config(**values)


def apply_environ(config: Config, environ: Mapping[str, str]) -> Config:
    """`PAGEMILL_BASE_PATH=/docs`, `PAGEMILL_COMPRESS=false`… win over the file."""
    overrides: dict[str, Any] = {}
    for field in fields(Config):
        name = f"PAGEMILL_{field.name.upper()}"
        if name not in environ:
            continue
        text = environ[name]
        if isinstance(getattr(config, field.name), bool):
            if text.lower() not in _BOOLEANS:
                raise ConfigError(
                    f"environment variable {name}: expected true or false, got {text!r}"
                )
            overrides[field.name] = _BOOLEANS[text.lower()]
        else:
            overrides[field.name] = text
    if "base_path" in overrides:
        problems = _base_path_problems(overrides["base_path"], "PAGEMILL_BASE_PATH")
        if problems:
            raise ConfigError("\n".join(problems))
    return replace(config, **overrides)


_BOOLEANS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def _base_path_problems(base_path: str, origin: str) -> list[str]:
    if base_path == "":
        return []
    if not base_path.startswith("/") or base_path.endswith("/") or "//" in base_path:
        return [
            f"{origin}: `base_path` must start with `/` and not end with `/` "
            f'(e.g. "/docs"), got {base_path!r}'
        ]
    return []


def _did_you_mean(key: str, known: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    if close:
        return f": did you mean `{close[0]}`?"
    return f"; valid keys are {', '.join(sorted(known))}"
