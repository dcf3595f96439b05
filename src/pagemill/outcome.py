"""What running a page produced (props, a 404, a redirect, or a body it sent itself), in a
form the response cache can keep and answer from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .cacherules import Lifetime, lifetime
from .responses import RawHeaders, has_header, header_value
from .results import RedirectOutcome


@dataclass(slots=True)
class PageOutcome:
    """What running a page produced: enough to answer in any form, and to cache."""

    kind: Literal["props", "not_found", "redirect", "ended"]
    status: int
    headers: RawHeaders
    page_props: dict[str, Any] = field(default_factory=dict)
    app_props: dict[str, Any] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    redirect: RedirectOutcome | None = None
    body: bytes = b""  # what `ctx.res.end()` sent
    gssp_props: object = None  # as gSSP returned them, to name a value JSON cannot carry

    def props_object(self) -> dict[str, Any]:
        return {"pageProps": self.page_props, **self.app_props}

    def lifetime(self, authorization: bool) -> Lifetime | None:
        """How long it may be shared: 2xx props, 404s and redirects, as its headers say."""
        if self.kind == "ended" or (self.kind == "props" and not 200 <= self.status < 300):
            return None
        cache_control = header_value(self.headers, b"cache-control")
        return lifetime(
            cache_control.decode("latin-1") if cache_control is not None else None,
            sets_cookie=has_header(self.headers, b"set-cookie"),
            authorization=authorization,
        )

    def to_json(self) -> dict[str, Any]:
        redirect = self.redirect
        return {
            "kind": self.kind,
            "status": self.status,
            "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in self.headers],
            "page_props": self.page_props,
            "app_props": self.app_props,
            "flags": self.flags,
            "redirect": None
            if redirect is None
            else [redirect.destination, redirect.status_code, redirect.base_path],
            "body": self.body.decode("latin-1"),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageOutcome:
        redirect = data["redirect"]
        return cls(
            kind=data["kind"],
            status=data["status"],
            headers=[(k.encode("latin-1"), v.encode("latin-1")) for k, v in data["headers"]],
            page_props=data["page_props"],
            app_props=data["app_props"],
            flags=data["flags"],
            redirect=None if redirect is None else RedirectOutcome(*redirect),
            body=data["body"].encode("latin-1"),
            gssp_props=data["page_props"],
        )
