"""Where a request goes once redirects are done: a public file, a client asset or a route.

No I/O. Rewrites run in Next's order and chain: before-files rewrites all see the path the
previous one produced; then the files and non-dynamic pages; then each after-files
rewrite, stopping at the first path a file or page (dynamic ones too) answers; then the
dynamic routes; then the fallback rewrites, likewise. Under i18n the path carries its
locale, which is stripped to find the file or page.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .api import ApiRoute
from .i18n import Locales
from .loader import Page
from .patterns import RequestFacts
from .routing import Match, RouteTable
from .rules import Rewrite, Rules, apply_rewrite
from .types import Query

STATIC_PREFIX = "/_next/static/"


@dataclass(frozen=True, slots=True)
class PublicFile:
    file: Path  # in the app's `public/`


@dataclass(frozen=True, slots=True)
class Asset:
    url: str | None  # a client asset's URL; None: under `/_next/static/` but not one


@dataclass(frozen=True, slots=True)
class RouteTarget:
    match: Match[Page | ApiRoute]
    locale: str | None  # the locale the routed path names (None: it names none)


Target = PublicFile | Asset | RouteTarget


@dataclass(frozen=True, slots=True)
class Resolved:
    target: Target
    # What the rewrites set in the query, replacing the request's values of those keys.
    query: Query


class Resolver:
    """An app's routes, rules and files, asked where one path goes."""

    def __init__(
        self,
        routes: RouteTable[Page | ApiRoute],
        rules: Rules,
        public_files: Mapping[str, Path],
        asset_urls: Container[str],
        locales: Locales | None,
    ) -> None:
        self.routes = routes
        self.rules = rules
        self.public_files = public_files
        self.asset_urls = asset_urls
        self.locales = locales
        # Files are served under no locale or a default one (the app's or a domain's).
        self.file_locales: set[str | None] = {None}
        if locales is not None:
            self.file_locales.add(locales.i18n.default_locale)
            self.file_locales.update(d.default_locale for d in locales.i18n.domains)

    def resolve(
        self, path: str, facts: Callable[[], RequestFacts], api_ok: bool = True
    ) -> Resolved | None:
        """Where `path` (as rules see it) goes, or None for a 404. Without `api_ok` the path
        itself may not name an API route (a locale's path); a rewrite of it may."""
        asked = path
        query: Query = {}
        for rewrite in self.rules.before_files:
            applied = apply_rewrite(rewrite, path, facts())
            if applied is not None:
                path, query = applied[0], {**query, **applied[1]}
        found = self._target(path, api_ok or path != asked)
        if found is None or _is_dynamic(found):
            # After-files rewrites come before dynamic routes (one match serves both).
            answered, rewritten, query = self._first_answered(
                self.rules.after_files, path, query, facts
            )
            if answered is not None:
                return Resolved(answered, query)
            if rewritten != path:
                path, found = rewritten, self._target(rewritten, True)
        if found is None:
            found, path, query = self._first_answered(self.rules.fallback, path, query, facts)
        return None if found is None else Resolved(found, query)

    def _first_answered(
        self,
        rewrites: tuple[Rewrite, ...],
        path: str,
        query: Query,
        facts: Callable[[], RequestFacts],
    ) -> tuple[Target | None, str, Query]:
        """Each rewrite in turn on the path the last one produced, until a file or page
        answers the path."""
        for rewrite in rewrites:
            applied = apply_rewrite(rewrite, path, facts())
            if applied is not None:
                path, query = applied[0], {**query, **applied[1]}
                found = self._target(path, True)
                if found is not None:
                    return found, path, query
        return None, path, query

    def _target(self, path: str, api_ok: bool) -> Target | None:
        page_path, locale = self._without_locale(path)
        if page_path.startswith(STATIC_PREFIX):
            served = locale in self.file_locales and page_path in self.asset_urls
            return Asset(page_path if served else None)
        if self.public_files and locale in self.file_locales:
            file = self.public_files.get(unquote(page_path))
            if file is not None:
                return PublicFile(file)
        match = self.routes.match(page_path.rstrip("/") or "/")
        if match is None:
            return None
        if isinstance(match.route.payload, ApiRoute) and not api_ok:
            return None
        return RouteTarget(match, locale)

    def _without_locale(self, path: str) -> tuple[str, str | None]:
        if self.locales is None:
            return path, None
        split = self.locales.split_data_path(path)
        return (path, None) if split is None else (split[1], split[0])


def _is_dynamic(target: Target) -> bool:
    return isinstance(target, RouteTarget) and target.match.route.is_dynamic
