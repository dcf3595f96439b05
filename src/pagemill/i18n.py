"""Locales with no I/O: the locale of a path, of a host, and of a visitor's preferences."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
        # `__NEXT_DATA__.domainLocales`: the domains as Next's config spells them.
        self.domain_locales: list[dict[str, Any]] = [
            {
                "domain": d.domain,
                "defaultLocale": d.default_locale,
                **({"locales": list(d.locales)} if d.locales else {}),
                **({"http": True} if d.http else {}),
            }
            for d in i18n.domains
        ]
        self._canonical = {locale.lower(): locale for locale in i18n.locales}

    def canonical(self, segment: str) -> str | None:
        """The configured spelling of a locale named in any case (`FR` → `fr`), or None."""
        return self._canonical.get(segment.lower())

    def of_request(self, path: str, host: str) -> LocaleOfRequest:
        """The locale from the path's first segment, else the domain's, else the default.

        The domain is the first locale domain that is the request's host or owns the path's
        locale; its default locale is the request's default.
        """
        first, _, rest = path[1:].partition("/")
        locale = self.canonical(first) if first else None
        domain = self.domain_of(host, locale)
        default = domain.default_locale if domain is not None else self.i18n.default_locale
        if locale is None:
            return LocaleOfRequest(default, default, path, False, domain)
        return LocaleOfRequest(locale, default, "/" + rest, True, domain)

    def rule_path(self, found: LocaleOfRequest, path: str, trailing_slash: bool) -> str:
        """The path config rules see: the request's, with the default locale in front when
        it names none (`/about` → `/en/about`, `/` → `/en`)."""
        if found.prefixed:
            return path
        if path == "/":
            return f"/{found.default_locale}/" if trailing_slash else f"/{found.default_locale}"
        return f"/{found.default_locale}{path}"

    def split_data_path(self, page_path: str) -> tuple[str, str] | None:
        """`/fr/blog` of a data URL → (`fr`, `/blog`); None without a locale segment."""
        first, _, rest = page_path[1:].partition("/")
        locale = self.canonical(first)
        if locale is None:
            return None
        return locale, "/" + rest

    def domain_of(self, host: str, locale: str | None = None) -> Domain | None:
        """The first locale domain that is `host` or owns `locale`."""
        hostname = host.partition(":")[0].lower()
        for domain in self.i18n.domains:
            if domain.domain.partition(":")[0].lower() == hostname or (
                locale is not None and locale in (domain.default_locale, *domain.locales)
            ):
                return domain
        return None

    def detection_redirect(
        self,
        found: LocaleOfRequest,
        cookies: Mapping[str, str],
        accept_language: str,
        trailing_slash: bool,
    ) -> str | None:
        """Where a visit to `/` is sent for its visitor's locale: a path (`/fr`), a locale
        domain's URL, or None to stay.

        On a locale domain, a browser language owned by another domain (or by this one,
        but not its default) goes to that domain; the domain's default locale stays.
        Elsewhere the `NEXT_LOCALE` cookie, then the browser's languages, pick the locale.
        """
        if not self.i18n.locale_detection or found.prefixed or found.path != "/":
            return None
        preferred = preferred_locale(accept_language, self.locales)
        if found.domain is not None:
            owner = self.domain_of("", preferred) if preferred is not None else None
            if owner is None or (owner is found.domain and owner.default_locale == preferred):
                return None
            scheme = "http" if owner.http else "https"
            locale = "" if owner.default_locale == preferred else preferred
            return f"{scheme}://{owner.domain}/{locale}"
        cookie = cookies.get(LOCALE_COOKIE)
        wanted = (self.canonical(cookie) if cookie else None) or preferred
        if wanted is None or wanted == found.default_locale:
            return None
        return f"/{wanted}/" if trailing_slash else f"/{wanted}"


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
