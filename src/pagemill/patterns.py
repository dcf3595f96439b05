"""Route patterns of `[[redirects]]`, `[[rewrites]]` and `[[headers]]`, matched as Next.js does.

A rule's `source` is a path-to-regexp (v6.3) pattern, the syntax of Next's `redirects()`,
`rewrites()` and `headers()`:

- `/blog/:slug` one segment (`[^/]+?`); `:slug?` an optional one; `:slug*` zero or more
  segments and `:slug+` one or more, each given as a *list* of segments (Next's matcher splits
  the capture on `/`; the destination joins it back);
- `:id(\\d+)` a param with its own regex; `(.*)` an unnamed group, named "0", "1"... in order,
  which Next drops from the params and forbids in a destination;
- `{...}` a group of literal text and at most one param, e.g. `{-:lang}?`;
- everything else is literal; `\\` escapes one character (`\\(`, `\\:`, `\\*`...).

Matching is on the whole raw path, case-insensitive unless asked otherwise (Next's default;
its `experimental.caseSensitiveRoutes` turns it off), and one trailing slash is always
optional: Next appends `(?:/)?` to every user rule so one config serves both `trailing_slash`
settings. A rule may also need `has` conditions to hold and `missing` ones not to.

What a rule's destination does with the params is `destinations.py`'s.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pagemill.errors import PagemillError
from pagemill.routing import Params


class PatternError(PagemillError):
    """A malformed `source` or `has`/`missing` item; the message says what and where.

    The caller prefixes it with the config file and the rule, e.g. `redirects[2]`.
    """


ConditionType = Literal["header", "cookie", "query", "host"]
_CONDITION_TYPES: tuple[ConditionType, ...] = ("header", "cookie", "query", "host")
_CONDITION_FIELDS = ("type", "key", "value")

# The characters of a param name, as path-to-regexp reads them.
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
# A one-segment param; Next passes `/` as the only delimiter.
_SEGMENT = "[^/]+?"
# JavaScript spells a named group `(?<name>...)` and its back-reference `\k<name>`; Python
# spells them `(?P<name>...)` and `(?P=name)`. Escapes and classes are matched first so that
# `\(?<` or `[(?<]` are left alone.
_JS_REGEX_PART = re.compile(r"\\k<(\w+)>|\\.|\[(?:\\.|[^\\\]])*\]|\(\?<(?![=!])")


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What `has`/`missing` conditions look at."""

    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case
    cookies: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str | list[str]] = field(default_factory=dict)
    host: str = ""  # without the port


@dataclass(frozen=True, slots=True)
class Condition:
    """One `has` or `missing` item: `{type, key, value}`.

    `value` is a regex that must match the whole value (JavaScript named groups allowed);
    without it, any non-empty value will do. `key` is None only for `host`, which requires
    `value` and tests it against the request's host. Raises PatternError when malformed.
    """

    type: ConditionType
    key: str | None
    value: str | None
    regex: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    # The params a successful test adds, known at load time so destinations can be checked.
    provides: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _lookup: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.type not in _CONDITION_TYPES:
            expected = ", ".join(f'"{t}"' for t in _CONDITION_TYPES)
            got = "missing" if self.type is None else f'"{self.type}"'
            raise PatternError(f"`type` is {got}; expected one of {expected}")
        if self.value is not None and not isinstance(self.value, str):
            raise PatternError(
                f"`value` must be a string (a regex), got {type(self.value).__name__}"
            )
        if self.type == "host":
            if self.value is None:
                raise PatternError('a "host" condition needs a `value` (a regex for the host)')
            # Next ignores a host condition's key.
            object.__setattr__(self, "key", None)
        elif not isinstance(self.key, str) or not self.key:
            raise PatternError(f'a "{self.type}" condition needs a `key` (a non-empty string)')
        lookup = self.key.lower() if self.type == "header" and self.key else self.key or ""
        regex = None if self.value is None else _compile_js_regex(self.value)
        if regex is None:
            # Next names the param after the key, keeping only its ASCII letters.
            name = "".join(c for c in lookup if c.isascii() and c.isalpha())
            provides: tuple[str, ...] = (name,) if name else ()
        elif regex.groupindex:
            provides = tuple(regex.groupindex)
        else:
            provides = ("host",) if self.type == "host" else ()
        object.__setattr__(self, "regex", regex)
        object.__setattr__(self, "provides", provides)
        object.__setattr__(self, "_lookup", lookup)

    def test(self, request: RequestFacts) -> Params | None:
        """The params this condition captures from `request`, or None when it does not hold."""
        value: str | list[str] | None
        if self.type == "header":
            value = request.headers.get(self._lookup)
        elif self.type == "cookie":
            value = request.cookies.get(self._lookup)
        elif self.type == "query":
            value = request.query.get(self._lookup)
        else:
            value = request.host.lower()
        # Next tests the value's truthiness: an empty header, cookie or query counts as absent.
        if not value:
            return None
        if self.regex is None:
            return {self.provides[0]: value} if self.provides else {}
        # A repeated query key is tested on its last value, as Next does.
        found = self.regex.fullmatch(value[-1] if isinstance(value, list) else value)
        if found is None:
            return None
        if self.regex.groupindex:
            return {k: v for k, v in found.groupdict().items() if v is not None}
        return {"host": found[0]} if self.type == "host" else {}


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A `source` ready to match, with its `has` and `missing` conditions.

    `param_names` lists the source's groups in order, unnamed ones as "0", "1"...;
    `repeated_params` the names written `:name*` or `:name+`.
    """

    source: str
    regex: re.Pattern[str]  # use `fullmatch`
    param_names: tuple[str, ...]
    has: tuple[Condition, ...] = ()
    missing: tuple[Condition, ...] = ()
    repeated_params: frozenset[str] = frozenset()
    # (regex group, param name, separator to split a repeated capture on, else None)
    _captures: tuple[tuple[str, str, str | None], ...] = field(default=(), repr=False)

    @property
    def available_params(self) -> frozenset[str]:
        """The names a destination may use: named source params and what `has` captures."""
        named = {name for _, name, _ in self._captures}  # `:0` is a name; `(...)` none
        return frozenset(named.union(*(c.provides for c in self.has)))

    def match(self, path: str, request: RequestFacts) -> Params | None:
        """The params of `path`, or None when the source, a `has` or a `missing` says no.

        Params come from the path (`:name*`/`:name+` as lists of segments, unnamed groups
        left out), then from `has` conditions, which win on a shared name, as in Next.
        Values are as found: path params stay percent-encoded.
        """
        found = self.regex.fullmatch(path)
        if found is None:
            return None
        params: Params = {}
        for group, name, separator in self._captures:
            value = found[group]
            if value is not None:
                params[name] = value if separator is None else value.split(separator)
        for condition in self.has:
            captured = condition.test(request)
            if captured is None:
                return None
            params.update(captured)
        for condition in self.missing:
            if condition.test(request) is not None:
                return None
        return params


def compile_rule(
    source: str,
    has: Sequence[Mapping[str, object]] = (),
    missing: Sequence[Mapping[str, object]] = (),
    *,
    case_sensitive: bool = False,
    restricted_paths: Sequence[str] = (),
) -> CompiledRule:
    """Parse and compile a rule's `source` and conditions, or raise PatternError.

    `restricted_paths` are prefixes the rule never matches: Next gives redirects
    `[base_path + "/_next"]` so a redirect can never swallow the framework's own URLs.
    A condition field set to None counts as absent (so `dataclasses.asdict` of a config
    condition can be passed as is).
    """
    if not isinstance(source, str):
        raise PatternError(f"`source` must be a string, got {type(source).__name__}")
    if not source.startswith("/"):
        raise PatternError(f'source "{source}" must start with "/"')
    keys, body = _source_regex(source)
    lookahead = "".join(f"(?!{re.escape(prefix)})" for prefix in restricted_paths)
    try:
        regex = re.compile(f"{lookahead}{body}/?", 0 if case_sensitive else re.IGNORECASE)
    except re.error as error:  # each user regex was checked alone; this is their sum
        raise PatternError(f'source "{source}" does not compile: {error}') from None
    captures = tuple(
        (f"_{n}", key.name, key.prefix + key.suffix if key.modifier in ("*", "+") else None)
        for n, key in enumerate(keys)
        if not key.unnamed  # Next drops unnamed groups from a custom route's params
    )
    return CompiledRule(
        source=source,
        regex=regex,
        param_names=tuple(key.name for key in keys),
        has=_conditions(has, "has"),
        missing=_conditions(missing, "missing"),
        repeated_params=frozenset(k.name for k in keys if k.modifier in ("*", "+")),
        _captures=captures,
    )


def _conditions(items: Sequence[Mapping[str, object]], kind: str) -> tuple[Condition, ...]:
    if isinstance(items, str | bytes) or not isinstance(items, Sequence):
        raise PatternError(f"`{kind}` must be an array of tables, got {type(items).__name__}")
    return tuple(_condition(item, f"{kind}[{n}]") for n, item in enumerate(items))


def _condition(item: object, where: str) -> Condition:
    if not isinstance(item, Mapping):
        raise PatternError(
            f"`{where}` must be a table with `type`, `key` and `value`, got {type(item).__name__}"
        )
    for name in item:
        if name not in _CONDITION_FIELDS:
            near = difflib.get_close_matches(str(name), _CONDITION_FIELDS, n=1)
            hint = f' (did you mean "{near[0]}"?)' if near else " (expected type, key, value)"
            raise PatternError(f'`{where}` has an unknown field "{name}"{hint}')
    try:
        return Condition(item.get("type"), item.get("key"), item.get("value"))  # type: ignore[arg-type]
    except PatternError as error:
        raise PatternError(f"`{where}`: {error}") from None


def _compile_js_regex(pattern: str) -> re.Pattern[str]:
    """A `has` value, written for JavaScript's RegExp, compiled by Python's `re`."""

    def translate(part: re.Match[str]) -> str:
        if part[1] is not None:
            return f"(?P={part[1]})"
        return "(?P<" if part[0] == "(?<" else part[0]

    try:
        return re.compile(_JS_REGEX_PART.sub(translate, pattern))
    except re.error as error:
        raise PatternError(f'`value` "{pattern}" is not a valid regex: {error}') from None


# --- Parsing a source -----------------------------------------------------------------------
# The grammar is path-to-regexp 6.3's, Next's matcher; the error messages are ours.


@dataclass(frozen=True, slots=True)
class _Lexeme:
    kind: Literal["char", "escaped", "name", "pattern", "modifier", "open", "close", "end"]
    index: int  # where it starts in the source, for messages
    value: str


@dataclass(frozen=True, slots=True)
class _Key:
    """A capturing part of a source: a named or unnamed param."""

    name: str
    unnamed: bool
    prefix: str  # "/" or "." written just before it, or a `{...}` group's leading text
    suffix: str
    pattern: str
    custom: bool  # the pattern was written in the source, not our default
    modifier: str  # "", "?", "*" or "+"
    index: int


def _fail(source: str, index: int, what: str) -> PatternError:
    return PatternError(f'source "{source}", character {index + 1}: {what}')


def _lex(source: str) -> list[_Lexeme]:
    lexemes: list[_Lexeme] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char in "*+?":
            lexemes.append(_Lexeme("modifier", i, char))
            i += 1
        elif char == "\\":
            if i + 1 == len(source):
                raise _fail(source, i, 'a "\\" that escapes nothing')
            lexemes.append(_Lexeme("escaped", i, source[i + 1]))
            i += 2
        elif char in "{}":
            lexemes.append(_Lexeme("open" if char == "{" else "close", i, char))
            i += 1
        elif char == ":":
            end = i + 1
            while end < len(source) and source[end] in _NAME_CHARS:
                end += 1
            if end == i + 1:
                raise _fail(
                    source,
                    i,
                    'a ":" with no parameter name after it (letters, digits, _); '
                    'write "\\:" for a literal colon',
                )
            lexemes.append(_Lexeme("name", i, source[i + 1 : end]))
            i = end
        elif char == "(":
            pattern, end = _lex_pattern(source, i)
            lexemes.append(_Lexeme("pattern", i, pattern))
            i = end
        elif char == ")":
            # path-to-regexp takes a stray ")" literally; it is far more often a typo.
            raise _fail(source, i, 'an unbalanced ")" (write "\\)" for a literal one)')
        else:
            lexemes.append(_Lexeme("char", i, char))
            i += 1
    lexemes.append(_Lexeme("end", len(source), ""))
    return lexemes


def _lex_pattern(source: str, start: int) -> tuple[str, int]:
    """The regex inside the parentheses opening at `start`, and the index after them."""
    if source[start + 1 : start + 2] == "?":
        raise _fail(
            source,
            start,
            'a group that starts with "?" (wrap it in a plain group, e.g. ((?!api).*))',
        )
    depth = 1
    i = start + 1
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == ")":
            depth -= 1
            if depth == 0:
                break
        elif char == "(":
            depth += 1
            if source[i + 1 : i + 2] != "?":
                raise _fail(source, i, "a capturing group inside a pattern (use a (?:...) group)")
        i += 1
    if depth:
        raise _fail(source, start, 'an unbalanced "(" (never closed)')
    if i == start + 1:
        raise _fail(source, start, 'an empty pattern "()"')
    return source[start + 1 : i], i + 1


class _Parser:
    """Turns lexemes into literal text and keys, as path-to-regexp's `parse` does."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lexemes = _lex(source)
        self.at = 0
        self.parts: list[str | _Key] = []
        self.unnamed = 0

    def take(self, kind: str) -> _Lexeme | None:
        lexeme = self.lexemes[self.at]
        if lexeme.kind != kind:
            return None
        self.at += 1
        return lexeme

    def text(self) -> str:
        out = ""
        while (lexeme := self.take("char") or self.take("escaped")) is not None:
            out += lexeme.value
        return out

    def parse(self) -> list[str | _Key]:
        literal = ""
        while self.at < len(self.lexemes):
            char = self.take("char")
            name = self.take("name")
            pattern = self.take("pattern")
            if name or pattern:
                prefix = char.value if char else ""
                if prefix not in ("", "/", "."):
                    literal += prefix
                    prefix = ""
                if literal:
                    self.parts.append(literal)
                    literal = ""
                index = name.index if name else pattern.index if pattern else 0
                self.parts.append(self.key(name, pattern, prefix, "", index))
                continue
            plain = char or self.take("escaped")
            if plain:
                literal += plain.value
                continue
            if literal:
                self.parts.append(literal)
                literal = ""
            opening = self.take("open")
            if opening:
                prefix = self.text()
                name = self.take("name")
                pattern = self.take("pattern")
                suffix = self.text()
                if not self.take("close"):
                    self.unexpected(opening)
                if name or pattern:
                    self.parts.append(self.key(name, pattern, prefix, suffix, opening.index))
                else:  # text only: optional literal text, captured by nothing
                    modifier = self.modifier()
                    self.parts.append(_Key("", False, prefix, suffix, "", False, modifier, 0))
                continue
            if not self.take("end"):
                self.unexpected(None)
        return self.parts

    def modifier(self) -> str:
        lexeme = self.take("modifier")
        return lexeme.value if lexeme else ""

    def key(
        self, name: _Lexeme | None, pattern: _Lexeme | None, prefix: str, suffix: str, index: int
    ) -> _Key:
        if name:
            key_name, unnamed = name.value, False
        else:
            key_name, unnamed = str(self.unnamed), True
            self.unnamed += 1
        regex = pattern.value if pattern else self.default_pattern(prefix, key_name, index)
        return _Key(
            key_name, unnamed, prefix, suffix, regex, pattern is not None, self.modifier(), index
        )

    def default_pattern(self, prefix: str, name: str, index: int) -> str:
        previous = self.parts[-1] if self.parts else None
        before = prefix or (previous if isinstance(previous, str) else "")
        if isinstance(previous, _Key) and not before:
            raise _fail(
                self.source,
                index,
                f'":{name}" right after another parameter; put text between them',
            )
        if not before or "/" in before:
            return _SEGMENT
        # path-to-regexp 6.3 keeps a param from swallowing the text before it, which bounds
        # backtracking: in "/:a-:b", `b` cannot contain "-".
        return f"(?:(?!{re.escape(before)})[^/])+?"

    def unexpected(self, opening: _Lexeme | None) -> None:
        lexeme = self.lexemes[self.at]
        if opening and lexeme.kind == "end":
            raise _fail(self.source, opening.index, 'a "{" never closed')
        if lexeme.kind == "modifier":
            raise _fail(
                self.source,
                lexeme.index,
                f'a "{lexeme.value}" that follows no parameter (as in ":name{lexeme.value}"); '
                f'write "\\{lexeme.value}" to match it literally',
            )
        if lexeme.kind == "close":
            raise _fail(self.source, lexeme.index, 'a "}" with no "{" before it')
        raise _fail(self.source, lexeme.index, f'an unexpected "{lexeme.value}" inside "{{...}}"')


def _source_regex(source: str) -> tuple[list[_Key], str]:
    """The keys of `source` and the regex body (unanchored) that matches it."""
    keys: list[_Key] = []
    body = ""
    for part in _Parser(source).parse():
        if isinstance(part, str):
            body += re.escape(part)
            continue
        prefix, suffix = re.escape(part.prefix), re.escape(part.suffix)
        if not part.pattern:  # a `{...}` group of text only
            body += f"(?:{prefix}{suffix}){part.modifier}"
            continue
        _check_user_regex(source, part)
        group = f"?P<_{len(keys)}>"
        keys.append(part)
        if part.modifier in ("*", "+"):
            if not (prefix or suffix):
                written = f"({part.pattern})" if part.unnamed else f":{part.name}"
                raise _fail(
                    source,
                    part.index,
                    f'"{written}{part.modifier}" repeats without "/" or "." before it '
                    f'(write "/{written}{part.modifier}")',
                )
            once = f"(?:{part.pattern})"
            more = f"(?:{suffix}{prefix}{once})*"
            optional = "?" if part.modifier == "*" else ""
            body += f"(?:{prefix}({group}{once}{more}){suffix}){optional}"
        elif prefix or suffix:
            body += f"(?:{prefix}({group}{part.pattern}){suffix}){part.modifier}"
        else:
            body += f"({group}{part.pattern}){part.modifier}"
    return keys, body


def _check_user_regex(source: str, key: _Key) -> None:
    if not key.custom:
        return
    if re.search(r"\(\?<(?![=!])", key.pattern):
        raise _fail(
            source,
            key.index,
            f'a named group in "({key.pattern})" (name the parameter instead: ":name(...)")',
        )
    try:
        re.compile(key.pattern)
    except re.error as error:
        raise _fail(source, key.index, f'an invalid regex "({key.pattern})" ({error})') from None
