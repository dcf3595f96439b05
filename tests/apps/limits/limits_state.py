"""What the hanging pages record, read back by /state."""

events: list[str] = []
