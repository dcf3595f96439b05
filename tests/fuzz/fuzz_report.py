"""The fuzz run's results and how they are reported: a summary line, and failures with the
exact bytes of each request, written as a Python expression that rebuilds them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from fuzz_cases import FuzzRequest
from fuzz_wire import Response

MAX_SHOWN = 20
MIN_RUN = 16  # repeats at least this long are written as `b"..." * n`
MAX_INLINE = 8000  # longer request expressions are cut in the message, kept whole in a file


@dataclass(frozen=True)
class Failure:
    request: FuzzRequest
    check: str
    detail: str
    response: Response | None


@dataclass
class Tally:
    """What one app's run sent and got back."""

    sent: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)

    def add(self, outcome: str, failures: list[Failure]) -> None:
        self.sent += 1
        self.statuses[outcome] += 1
        self.failures += failures

    def merge(self, other: Tally) -> None:
        self.sent += other.sent
        self.statuses += other.statuses
        self.failures += other.failures

    def summary(self, app: str, seed: int, seconds: float) -> str:
        classes = ", ".join(f"{name} {number}" for name, number in sorted(self.statuses.items()))
        return (
            f"fuzz {app} (seed {seed}): {self.sent} requests in {seconds:.1f} s — {classes}; "
            f"{len(self.failures)} failures"
        )


def bytes_expr(data: bytes) -> str:
    """An exact Python expression for `data`, long repeats folded: b'/' + b'a/' * 1000."""
    parts: list[str] = []
    literal_start = position = 0
    while position < len(data):
        unit, count = _repeat_at(data, position)
        if unit:
            if literal_start < position:
                parts.append(repr(data[literal_start:position]))
            parts.append(f"{data[position : position + unit]!r} * {count}")
            position += unit * count
            literal_start = position
        else:
            position += 1
    if literal_start < len(data) or not parts:
        parts.append(repr(data[literal_start:]))
    return " + ".join(parts)


def _repeat_at(data: bytes, position: int) -> tuple[int, int]:
    """The shortest unit (up to 8 bytes) repeated from `position` over at least MIN_RUN
    bytes, and how many times; (0, 0) when there is none."""
    for unit in range(1, 9):
        piece = data[position : position + unit]
        if len(piece) < unit or data[position + unit : position + 2 * unit] != piece:
            continue
        count = 1
        while data[position + count * unit : position + (count + 1) * unit] == piece:
            count += 1
        if unit * count >= MIN_RUN:
            return unit, count
    return 0, 0


def shown(failures: list[Failure]) -> list[Failure]:
    """Up to MAX_SHOWN failures, taken in turn from each check so that every kind shows."""
    by_check: dict[str, list[Failure]] = {}
    for failure in sorted(failures, key=lambda item: item.request.index):
        by_check.setdefault(failure.check, []).append(failure)
    picked: list[Failure] = []
    while len(picked) < MAX_SHOWN and any(by_check.values()):
        for group in by_check.values():
            if group and len(picked) < MAX_SHOWN:
                picked.append(group.pop(0))
    return picked


def describe(failure: Failure, directory: Path) -> str:
    """One failure: the request as an expression of its exact bytes (cut when very long, the
    bytes then saved under `directory`), and the status and start of the response."""
    request, response = failure.request, failure.response
    expression = bytes_expr(request.raw)
    if len(expression) > MAX_INLINE:
        saved = directory / f"{request.app}-request-{request.index}.bin"
        saved.write_bytes(request.raw)
        expression = f"{expression[:2000]} … ({len(request.raw)} bytes, all of them in {saved})"
    lines = [
        f"--- [{failure.check}] request #{request.index} ({request.kind}"
        f"{', malformed: ' + request.malformed if request.malformed else ''}) ---",
        f"  problem:  {failure.detail}",
        f"  request:  {expression}",
    ]
    if response is not None:
        status = f"HTTP {response.status} {response.reason.decode('latin-1')}"
        lines.append(f"  response: {status}; body {bytes_expr(response.body[:300])}")
    return "\n".join(lines)


def report(app: str, seed: int, count: int, tally: Tally, directory: Path) -> str:
    checks = Counter(failure.check for failure in tally.failures)
    kinds = ", ".join(f"{check} x{number}" for check, number in checks.most_common())
    head = (
        f"{app}: {len(tally.failures)} failures in {tally.sent} requests ({kinds}).\n"
        f"Replay: PAGEMILL_FUZZ_SEED={seed} PAGEMILL_FUZZ_COUNT={count} "
        f".venv/bin/pytest tests/fuzz -k {app}; each request below is sent as is by\n"
        f"socket.create_connection(ADDRESS).sendall(<request>)."
    )
    return "\n".join([head, *(describe(item, directory) for item in shown(tally.failures))])
