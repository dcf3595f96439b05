"""The benchmark's data: 100 items (or `count`) built per request, shared by the pagemill page
and the hand-written baseline so both do exactly the same work."""

from __future__ import annotations

from typing import Any

TAGS = ("new", "sale", "eco", "bulk", "gift", "limited")


MAX_COUNT = 10_000


def make_items(page: int, count: int = 100) -> list[dict[str, Any]]:
    # Every tenth name carries characters that must be escaped, as real data does.
    start = (page - 1) * count
    return [
        {
            "id": n,
            "name": f'Item {n} <b>"special"</b> & more' if n % 10 == 0 else f"Item number {n}",
            "price": round(n * 1.37 + 0.99, 2),
            "tags": [TAGS[n % 6], TAGS[(n * 7) % 6]] if n % 3 else [TAGS[n % 6]],
        }
        for n in range(start, start + count)
    ]


def number(raw: object, default: int, maximum: int = MAX_COUNT) -> int:
    """A query parameter read as a positive number (`default` when it is not one)."""
    if isinstance(raw, str) and raw.isdigit() and 0 < int(raw) <= maximum:
        return int(raw)
    return default
