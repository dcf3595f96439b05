"""The HTML document around a page: the shell, `__NEXT_DATA__`, and the built-in error pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import html as h
from .i18n import LocaleOfRequest
from .islands import Islands
from .loader import DocumentModule

_SLOT = "\x00"
PAGE_HEAD_START = "<!--pagemill-head-->"
PAGE_HEAD_END = "<!--/pagemill-head-->"


class DocumentShell:
    """The parts of the document that are the same for every page, rendered once at load."""

    def __init__(
        self,
        document: DocumentModule,
        script_src: str,
        islands: Islands | None = None,
        dev_script_src: str | None = None,
    ) -> None:
        self._islands = islands
        self._html_attrs = dict(document.html_attrs)
        self._opening: dict[str | None, bytes] = {}
        body_open, _ = _split(h.body(dict(document.body_attrs)))
        head_extra = h.render(document.head)
        # The page's own head tags sit between two comments, so the client can swap them on
        # an in-app navigation without touching the document's.
        self._head_open = (
            '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            + head_extra
            + PAGE_HEAD_START
        ).encode()
        self._body_open = f'{PAGE_HEAD_END}</head>{body_open}<div id="__next">'.encode()
        self._data_open = b'</div><script id="__NEXT_DATA__" type="application/json">'
        self._close = (
            f"</script>{h.render(h.script(src=script_src, defer=True))}"
            # `pagemill dev`: the error overlay and live updates, after the runtime.
            f"{h.render(dev_script_src and h.script(src=dev_script_src, defer=True))}"
            f"{h.render(document.body_end)}</body></html>"
        ).encode()

    def render(self, *, head: str, body: str, next_data: bytes, lang: str | None) -> bytes:
        """The whole document: `head`/`body` are rendered HTML, `next_data` escaped JSON."""
        return b"".join(
            (
                self._html_open(lang),
                self._head_open,
                head.encode(),
                self._body_open,
                body.encode(),
                self._data_open,
                next_data,
                self._close,
            )
        )

    def island_tags(self, body: str, page: Callable[..., Any] | None = None) -> str:
        """The page head's tags for the islands `body` renders (see `Islands.head_tags`)."""
        islands = self._islands
        if islands is None or not islands.active or 'data-island="' not in body:
            return ""
        return islands.head_tags(body, page)

    def _html_open(self, lang: str | None) -> bytes:
        opening = self._opening.get(lang)
        if opening is None:
            # With i18n the request's locale is the document's language, whatever _document says.
            attrs = self._html_attrs if lang is None else {**self._html_attrs, "lang": lang}
            opening = ("<!DOCTYPE html>" + _split(h.html(attrs))[0]).encode()
            self._opening[lang] = opening
        return opening


def _split(element: h.Element) -> tuple[str, str]:
    """An element's opening and closing tags, rendered by the element builder itself."""
    opening, closing = h.render(element[_SLOT]).split(_SLOT)
    return opening, closing


def next_data(
    *,
    props: Mapping[str, Any],
    page: str,
    query: Mapping[str, Any],
    build_id: str,
    gssp: bool,
    err: Mapping[str, Any] | None = None,
    locale: LocaleOfRequest | None = None,
    locales: list[str] | None = None,
    domain_locales: list[dict[str, Any]] | None = None,
    is_preview: bool = False,
) -> dict[str, Any]:
    """`__NEXT_DATA__`, keys in Next's order."""
    data: dict[str, Any] = {
        "props": props,
        "page": page,
        "query": query,
        "buildId": build_id,
        "isFallback": False,
    }
    if err is not None:
        data["err"] = err
    if gssp:
        data["gssp"] = True
    if locale is not None:
        data["locale"] = locale.locale
        data["locales"] = locales
        data["defaultLocale"] = locale.default_locale
        if domain_locales:
            data["domainLocales"] = domain_locales
    if is_preview:
        data["isPreview"] = True
    data["scriptLoader"] = []
    return data


PRODUCTION_ERROR = {
    "name": "Internal Server Error.",
    "message": "500 - Internal Server Error.",
    "statusCode": 500,
}

_REASONS = {
    400: "Bad Request.",
    404: "This page could not be found.",
    405: "Method Not Allowed.",
    500: "Internal Server Error.",
}


def builtin_error_page(props: Mapping[str, Any]) -> h.Renderable:
    status = props.get("status_code", 500)
    reason = _REASONS.get(status, "An unexpected error has occurred.")
    return h.div(class_="pagemill-error")[h.h1[str(status)], h.h2[reason]]


def builtin_error_head(props: Mapping[str, Any]) -> h.Renderable:
    status = props.get("status_code", 500)
    return h.title[f"{status}: {_REASONS.get(status, 'An unexpected error has occurred.')}"]
