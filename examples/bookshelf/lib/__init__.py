"""The bookshelf app's own code. `pages/*.py` import it as `from lib.db import ...`:
pagemill puts the app folder on `sys.path` (SPEC 1)."""
