"""gSSP runs per page, counted in the server process (the tests start one worker)."""

hits: dict[str, int] = {}


def hit(name: str) -> int:
    hits[name] = hits.get(name, 0) + 1
    return hits[name]
