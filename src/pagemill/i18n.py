"""Locales with no I/O: the locale of a path, of a host, and of a visitor's preferences."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .config import Domain, I18n

LOCALE_COOKIE = "NEXT_LOCALE"


@dataclass(frozen=True, slots=True)
class LocaleOfRequest:
    """What a request's path and host say about its locale."""

    locale: str
    default_locale: str
    path: str  # the path without its locale segment
    prefixed: bool  # the path named the locale
    domain: Domain | None


class Locales:
    """An app's `[i18n]` settings, indexed for per-request lookups."""

    def __init__(self, i18n: I18n) -> None:
        self.i18n = i18n
        self.locales = list(i18n.locales)
        self._canonical = {locale.lower(): locale for locale in i18n.locales}
        self._domains = {domain.domain.lower(): domain for domain in i18n.domains}

    def canonical(self, segment: str) -> str | None:
        """The configured spelling of a locale named in any case (`FR` → `fr`), or None."""
        return self._canonical.get(segment.lower())

    def of_request(self, path: str, host: str) -> LocaleOfRequest:
        """The locale from the path's first segment, else the host's domain, else the default."""
        domain = self.domain_of(host)
        default = domain.default_locale if domain is not None else self.i18n.default_locale
        first, _, rest = path[1:].partition("/")
        locale = self.canonical(first) if first else None
        if locale is None:
            return LocaleOfRequest(default, default, path, False, domain)
        return LocaleOfRequest(locale, default, "/" + rest, True, domain)

    def split_data_path(self, page_path: str) -> tuple[str, str] | None:
        """`/fr/blog` of a data URL → (`fr`, `/blog`); None without a locale segment."""
        first, _, rest = page_path[1:].partition("/")
        locale = self.canonical(first)
        if locale is None:
            return None
        return locale, "/" + rest

    def domain_of(self, host: str) -> Domain | None:
        return self._domains.get(host.partition(":")[0].lower()) if self._domains else None

    def detection_redirect(
        self, found: LocaleOfRequest, cookies: Mapping[str, str], accept_language: str
    ) -> str | None:
        """Where `/` sends a visitor whose preferred locale is not the default, or None.

        The `NEXT_LOCALE` cookie wins over `Accept-Language`. A locale that belongs to
        another domain sends the visitor there; otherwise to `/<locale>`.
        """
        if not self.i18n.locale_detection or found.prefixed or found.path != "/":
            return None
        cookie = cookies.get(LOCALE_COOKIE)
        wanted = self.canonical(cookie) if cookie else None
        if wanted is None:
            wanted = preferred_locale(accept_language, self.locales)
        if wanted is None or wanted == found.default_locale:
            return None
        for domain in self.i18n.domains:
            if wanted == domain.default_locale and domain is not found.domain:
                scheme = "http" if domain.http else "https"
                return f"{scheme}://{domain.domain}/"
        return f"/{wanted}"


def preferred_locale(accept_language: str, locales: list[str]) -> str | None:
    """The best of `locales` for an `Accept-Language` header, by quality then order.

    An exact match of any listed tag wins; failing that, a tag matches a locale of its
    language (`fr-CA` → `fr`, else `fr-BE`; `en` → `en-US`), as browsers' language lists are
    often more or less specific than an app's locales.
    """
    ranked = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag.lower()))
    lowered = {locale.lower(): locale for locale in locales}
    tags = [tag for _, _, tag in sorted(ranked)]
    for tag in tags:
        if tag in lowered:
            return lowered[tag]
    for tag in tags:
        language = tag.partition("-")[0]
        if language in lowered:
            return lowered[language]
        for lower, locale in lowered.items():
            if lower.partition("-")[0] == language:
                return locale
    return None
