"""More concurrent readers of stats and races than the pool has connections never hang.

The routes used to hold the request's pooled connection (for the visibility check) while the
figures cache took a second one: with pool_max readers arriving together every connection was
held by a request waiting for another, for ever (found by bench/load_readers.py, issue 14 item
10). Over a real socket with a pool of 2 and 12 readers at once.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import httpx
import pytest

from endorse.elections.visibility import set_visibility
from endorse.settings import Settings
from tests.staff import pages_data


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", pool_min=1, pool_max=2)


async def test_readers_beyond_the_pool_size_are_all_answered(
    live: str, conn: asyncpg.Connection
) -> None:
    await pages_data.ballot(conn)
    await set_visibility(conn, pages_data.SLUG, "general", "public", actor="test")
    paths = [
        f"/api/v1/elections/{pages_data.SLUG}/{part}?stage=general" for part in ("stats", "races")
    ]
    async with httpx.AsyncClient(base_url=live, timeout=60) as client:
        answers = await asyncio.gather(*(client.get(paths[i % 2]) for i in range(12)))
    assert [a.status_code for a in answers] == [200] * 12
    assert answers[0].json()["headline"]["won"] == 0
