"""Stands in for the external site Next's i18n-api-support proxies its fallback rewrite to."""

from pagemill.html import p


def page(props):
    return p(id="fallback")["Example Domain"]
