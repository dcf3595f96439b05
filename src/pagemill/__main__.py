"""`python -m pagemill` runs the command line."""

from .cli import main

main()
