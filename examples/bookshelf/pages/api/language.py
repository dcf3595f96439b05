"""`/api/language?locale=fr&path=/about` — the language switch: remember the choice, go there.

It sets the `NEXT_LOCALE` cookie, as Next.js's docs recommend for a language switcher: on `/`,
the cookie wins over the browser's `Accept-Language`, so a visitor whose browser prefers
French who picks English is not sent back to `/fr` on the next visit. Then it redirects to
the same page in that language (the default locale has no prefix).
"""

from pagemill import ApiRequest, ApiResponse

methods = ("GET",)

LOCALES = ("en", "fr")  # pagemill.toml's [i18n]
DEFAULT = "en"
YEAR = 365 * 24 * 3600


def handler(req: ApiRequest, res: ApiResponse) -> None:
    locale = req.query.get("locale")
    path = req.query.get("path", "/")
    if locale not in LOCALES:
        res.status(400).json({"error": f"locale must be one of {', '.join(LOCALES)}"})
        return
    # Only paths of this site: never an open redirect (see api/draft.py).
    if not (
        isinstance(path, str)
        and path.startswith("/")
        and not path.startswith(("//", "/\\"))
        and not any(c in path for c in "\r\n\0")
    ):
        path = "/"
    res.set_cookie("NEXT_LOCALE", str(locale), max_age=YEAR)
    if locale != DEFAULT:
        path = f"/{locale}" + ("" if path == "/" else path)
    res.redirect(307, path)
