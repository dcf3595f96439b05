"""Shared state the fixture pages use to count gSSP runs."""

hits: dict[str, int] = {}


def hit(name: str) -> int:
    hits[name] = hits.get(name, 0) + 1
    return hits[name]
