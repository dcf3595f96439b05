"""Next.js getServerSideProps cases pagemill answers otherwise (not collected: the file name does
not start with `test_`; run it with `python -m pytest tests/next/gaps_getserversideprops.py`).

Each test states Next's exact answer. When one passes, move it into
tests/next/test_getserversideprops.py.
"""

from __future__ import annotations

import re

import pytest
from conftest import ClientFactory

pytestmark = pytest.mark.anyio


# --- SPEC-level differences ------------------------------------------------------------------
# Kept so that the difference is on record; they fail by design unless the SPEC changes.


async def test_invalid_json_props_render_in_production(client_for: ClientFactory) -> None:
    """Ports test/e2e/getserversideprops/test/index.test.ts "should not show error for invalid
    JSON returned from getServerSideProps" (production) exactly: Next checks props only in dev
    (isSerializableProps runs when `dev` is set, packages/next/src/server/render.tsx), so in
    production `props: {time: new Date()}` renders `hello <date>` with 200. pagemill (SPEC 3.2
    rule 4) checks in production too: 500 with the custom pages/500."""
    client = await client_for("next_gssp")
    response = await client.get("/non-json")
    assert response.status_code == 200
    assert "Error serializing" not in response.text
    assert re.search(r"hello \d", response.text)
