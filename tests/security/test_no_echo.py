"""Item 4 of issue 14: no fetched content is echoed into a public field. A source that serves
something that looks like a secret (what a fetch pointed at an internal service would get):
the parse error quotes it, staff can read it, the public reads never show it."""

from __future__ import annotations

import asyncpg
import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from endorse.results.fetching import FetchLimits
from endorse.results.pipeline import poll_source
from endorse.results.public import HELD, PROBLEM
from tests.hostile import Hostile
from tests.security.conftest import SLUG, add

SECRET = "AKIA-DO-NOT-SHOW"
LIMITS = FetchLimits(allow_private=True, deadline_seconds=5)


@pytest.mark.parametrize(
    ("route", "outcome"),
    [("/files/metadata_credentials.json", "quarantined"), ("/status/500", "failed")],
)
async def test_error_text_is_for_staff_only(
    conn: asyncpg.Connection,
    stage: int,
    hostile: Hostile,
    client: AsyncTestClient[Litestar],
    auth: dict[str, dict[str, str]],
    route: str,
    outcome: str,
) -> None:
    await conn.execute("update stages set visibility = 'public'")
    source_id = await add(conn, hostile.url(route), http={"attempts": 1})
    async with httpx.AsyncClient() as http:
        result = await poll_source(conn, source_id, http, force=True, limits=LIMITS)
    assert result.outcome == outcome
    detail = "HTTP 500" if outcome == "failed" else SECRET

    staff = (await client.get(f"/api/v1/sources/{source_id}", headers=auth["viewer"])).text
    assert detail in staff  # the error did quote it: this test can fail

    election = await client.get(f"/api/v1/elections/{SLUG}")
    contests = await client.get(f"/api/v1/elections/{SLUG}/contests")
    night = await client.get(f"/elections/{SLUG}")
    for public in (election, contests, night):
        assert public.status_code == 200, public.text
        assert detail not in public.text and "AccessKeyId" not in public.text
    (shown,) = election.json()["sources"]
    assert shown["health"] in ("failing", "degraded")
    said = HELD if outcome == "quarantined" else PROBLEM
    assert said in election.text and said in contests.text + night.text
