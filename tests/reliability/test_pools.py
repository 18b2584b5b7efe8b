"""Item 2 of issue 14, the database side: the worker and the API never wait on each other's
connections, and an API request that gets no connection in time answers 503, never hangs."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import httpx
import msgspec
from litestar.testing import AsyncTestClient

from endorse.app import create_app
from endorse.settings import Settings
from tests.hostile import Hostile
from tests.reliability.conftest import SLUG, add
from tests.serving import serve


def _settings(tmp_path: Path, **changes: object) -> Settings:
    base = Settings(data_dir=tmp_path / "data", fetch_allow_private=True, pool_min=1, pool_max=1)
    return msgspec.structs.replace(base, **changes)


async def test_a_request_without_a_free_connection_answers_503(
    conn: asyncpg.Connection, db_url: str, tmp_path: Path, stage: int
) -> None:
    app = create_app(_settings(tmp_path, pool_max=2, db_acquire_seconds=0.5), db_url)
    with serve(app) as base:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            async with conn.transaction():  # a slow query: both pooled connections wait on it
                await conn.execute("lock table elections in access exclusive mode")
                slow = [asyncio.create_task(http.get("/api/v1/elections")) for _ in range(2)]
                await _until(conn, WAITING, 2)
                busy = await http.get("/api/v1/elections")
            assert [(await s).status_code for s in slow] == [200, 200]  # served once unlocked
        assert busy.status_code == 503, busy.text
        assert "database busy: no connection came free within 0.5 s" in busy.json()["detail"]
        assert busy.headers["retry-after"] == "5"


WAITING = """select count(*) from pg_locks
              where not granted and relation = 'elections'::regclass"""


async def _until(conn: asyncpg.Connection, sql: str, wanted: int) -> None:
    for _ in range(600):  # a bound on the wait, not an assertion on time
        if await conn.fetchval(sql) == wanted:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never {wanted}: {sql}")


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
