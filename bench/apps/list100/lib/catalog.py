"""The benchmark's data: 100 items built per request, shared by the pagemill page and the
hand-written baseline so both do exactly the same work."""

from __future__ import annotations

from typing import Any

TAGS = ("new", "sale", "eco", "bulk", "gift", "limited")


def make_items(page: int) -> list[dict[str, Any]]:
    # Every tenth name carries characters that must be escaped, as real data does.
    start = (page - 1) * 100
    return [
        {
            "id": n,
            "name": f'Item {n} <b>"special"</b> & more' if n % 10 == 0 else f"Item number {n}",
            "price": round(n * 1.37 + 0.99, 2),
            "tags": [TAGS[n % 6], TAGS[(n * 7) % 6]] if n % 3 else [TAGS[n % 6]],
        }
        for n in range(start, start + 100)
    ]
