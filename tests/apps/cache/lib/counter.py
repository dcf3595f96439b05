"""How many times each page's gSSP ran (tests compare before and after)."""

runs: dict[str, int] = {}


def run(name: str) -> int:
    runs[name] = runs.get(name, 0) + 1
    return runs[name]
