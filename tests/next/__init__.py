"""Ports of Next.js test cases. A package, so that mypy finds tests/conftest.py from here and
its test files may share basenames with tests/test_*.py; no conftest.py here (it would shadow
tests/conftest.py for `from conftest import ...`)."""
