"""Item 2 of issue 14, the database side: the worker and the API never wait on each other's
connections, and an API request that gets no connection in time answers 503, never hangs."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import msgspec
from litestar.testing import AsyncTestClient

from endorse.app import create_app
from endorse.settings import Settings
from tests.hostile import Hostile
from tests.reliability.conftest import SLUG, add


def _settings(tmp_path: Path, **changes: object) -> Settings:
    base = Settings(data_dir=tmp_path / "data", fetch_allow_private=True, pool_min=1, pool_max=1)
    return msgspec.structs.replace(base, **changes)


async def test_a_request_without_a_free_connection_answers_503(
    db_url: str, tmp_path: Path, stage: int
) -> None:
    app = create_app(_settings(tmp_path, db_acquire_seconds=0.3), db_url)
    async with AsyncTestClient(app=app) as client:
        held = await app.state.pool.acquire()  # the pool's only connection, busy elsewhere
        try:
            async with asyncio.timeout(30):  # a hang fails the test instead of stalling it
                busy = await client.get("/api/v1/elections")
        finally:
            await app.state.pool.release(held)
        assert busy.status_code == 503, busy.text
        assert "database busy: no connection came free within 0.3 s" in busy.json()["detail"]
        assert busy.headers["retry-after"] == "5"
        assert (await client.get("/api/v1/elections")).status_code == 200


async def test_polls_stuck_on_a_hung_source_never_hold_the_api_connections(
    conn: asyncpg.Connection, db_url: str, tmp_path: Path, stage: int, hostile: Hostile
) -> None:
    await add(conn, hostile.url("/hang"), seconds=5, http={"attempts": 1, "timeout": 5})
    settings = _settings(tmp_path, worker_pool_max=1, db_acquire_seconds=2.0)
    app = create_app(settings, db_url, worker=True)
    async with AsyncTestClient(app=app) as client:
        for _ in range(200):  # the worker is inside its poll, holding its connection
            if hostile.hits["/hang"]:
                break
            await asyncio.sleep(0.05)
        assert hostile.hits["/hang"] == 1
        assert app.state.results_worker.pool is not app.state.pool
        for _ in range(3):  # more requests than the API pool has connections, one by one
            answer = await client.get(f"/api/v1/elections/{SLUG}")
            assert answer.status_code == 200, answer.text
