"""The dev error overlay: an exception turned into a payload, and that payload into markup.

Only `pagemill dev` uses this: it shows the message, the traceback with source lines of the
app's own files, and the request. Production never sends any of it.
"""

from __future__ import annotations

import linecache
import re
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import html as h
from .errors import AppLoadError

CONTEXT_LINES = 3
# A load problem that names a place in the app: `pages/blog.py:12: ...`.
_PLACE = re.compile(r"(?P<file>[^\s:]+):(?P<line>\d+): ")


def error_payload(
    exc: BaseException, app_dir: Path, method: str | None = None, url: str | None = None
) -> dict[str, Any]:
    """What the overlay shows, as JSON the client can render too."""
    if isinstance(exc, AppLoadError):
        message = "\n".join(exc.problems)
        name = "The app could not be loaded"
    else:
        message = str(exc)
        name = type(exc).__name__
    frames = [_frame(summary, app_dir) for summary in traceback.extract_tb(exc.__traceback__)]
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, AppLoadError):
        if cause is not None:
            frames += [_frame(s, app_dir) for s in traceback.extract_tb(cause.__traceback__)]
        # The app's own lines first: each problem's place, with its code around it.
        frames = [*_problem_frames(exc.problems, app_dir), *frames]
    request = {"method": method, "url": url} if method is not None else None
    return {"name": name, "message": message, "frames": frames, "request": request}


def _problem_frames(problems: Iterable[str], app_dir: Path) -> Iterable[dict[str, Any]]:
    for problem in problems:
        place = _PLACE.match(problem)
        if place is not None and (app_dir / place["file"]).is_file():
            where = traceback.FrameSummary(
                str(app_dir / place["file"]), int(place["line"]), "<module>", lookup_line=False
            )
            yield _frame(where, app_dir)


def _frame(summary: traceback.FrameSummary, app_dir: Path) -> dict[str, Any]:
    linecache.checkcache(summary.filename)  # the file may have been saved since
    line = summary.lineno or 0
    first = max(1, line - CONTEXT_LINES)
    source: list[tuple[int, str]] = [
        (number, linecache.getline(summary.filename, number).rstrip("\n"))
        for number in range(first, line + CONTEXT_LINES + 1)
    ]
    path = Path(summary.filename)
    in_app = path.is_relative_to(app_dir)
    return {
        "file": path.relative_to(app_dir).as_posix() if in_app else summary.filename,
        "line": line,
        "function": summary.name,
        "source": [list(pair) for pair in source if pair[1] or pair[0] <= line],
        "app": in_app,
    }


def overlay_markup(payload: dict[str, Any]) -> h.Renderable:
    """The overlay as server-rendered markup (a full page load shows it without JavaScript)."""
    request = payload.get("request")
    frames = payload["frames"]
    app_frames = [frame for frame in frames if frame["app"]] or frames[-1:]
    return h.div(id="pagemill-error-overlay", role="alert", style=_STYLE)[
        h.h1(style="color:#ff6b6b;margin:0 0 .5rem")[payload["name"]],
        h.pre(style="white-space:pre-wrap;font-size:1rem")[payload["message"]],
        request and h.p[f"While handling {request['method']} {request['url']}"],
        (_frame_markup(frame) for frame in app_frames),
        h.details[
            h.summary[f"Full traceback ({len(frames)} frames)"],
            h.pre[(f"{f['file']}:{f['line']} in {f['function']}\n" for f in frames)],
        ],
        h.p(style="opacity:.7")["Fix the file and save: this page updates by itself."],
    ]


def _frame_markup(frame: dict[str, Any]) -> h.Element:
    return h.section[
        h.h2(style="font-size:1rem")[f"{frame['file']}:{frame['line']} in {frame['function']}"],
        h.pre(style="background:#222;padding:.5rem;overflow:auto")[
            (
                h.span(style="background:#5a1d1d;display:block" if n == frame["line"] else None)[
                    f"{n:>5} | {text}\n"
                ]
                for n, text in frame["source"]
            )
        ],
    ]


_STYLE = (
    "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#111;color:#eee;"
    "padding:2rem;font:14px/1.5 ui-monospace,monospace"
)
