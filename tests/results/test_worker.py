"""Polling: a source is fetched once however many workers poll it, on the schedule it asks for."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import asyncpg
import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from endorse.app import create_app
from endorse.db.pool import connect, create_pool
from endorse.results.fetching import FetchLimits
from endorse.results.pipeline import poll_source
from endorse.results.worker import Worker
from endorse.settings import Settings
from tests.results import night as truth
from tests.results.helpers import totals
from tests.results.replay import Night


async def _wait_for(condition: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_two_workers_never_fetch_one_source_twice(
    conn: asyncpg.Connection, db_url: str, stage: int, night: Night, http: httpx.AsyncClient
) -> None:
    source_id = await night.register(conn, stage, "clarity")
    night.publish("clarity", 2)
    night.server.files[night.main_path("clarity")].delay = 0.3  # a slow source: polls overlap
    other = await connect(db_url)
    try:
        results = await asyncio.gather(
            poll_source(conn, source_id, http), poll_source(other, source_id, http)
        )
        assert sorted(r.outcome for r in results) == ["applied", "busy"]
        assert night.server.count(night.main_path("clarity")) == 1
        # a third worker right after: the source was just checked, so it is not due yet
        assert (await poll_source(other, source_id, http)).outcome == "not_due"
        assert night.server.count(night.main_path("clarity")) == 1
        # the claim is released: a forced poll (a person's `results load`) goes through
        assert (await poll_source(other, source_id, http, force=True)).outcome == "unchanged"
    finally:
        await other.close()
    assert await totals(conn) == truth.TOTALS[2]


async def test_worker_schedules_enabled_sources_and_picks_up_changes(
    conn: asyncpg.Connection, db_url: str, stage: int, night: Night
) -> None:
    first = await night.register(conn, stage, "openelections")
    night.publish("openelections", 1)
    night.publish("html", 1)
    pool = await create_pool(db_url, max_size=4)
    worker = Worker(pool, refresh_seconds=0.2, limits=FetchLimits(allow_private=True))
    try:
        await worker.start()
        await _wait_for(lambda: _applied(conn, first))
        assert worker.schedules == {first: 60}
        job = worker.scheduler.get_job(f"source-{first}")
        assert (job.max_instances, job.coalesce) == (1, True)

        second = await night.register(conn, stage, "html")  # registered while running
        await _wait_for(lambda: _applied(conn, second))
        await conn.execute("update sources set enabled = false where id = $1", first)
        await _wait_for(lambda: _true(first not in worker.schedules))
        assert worker.scheduler.get_job(f"source-{first}") is None
    finally:
        await worker.stop()
        await pool.close()
    assert await totals(conn) == truth.TOTALS[1]


async def test_serve_runs_the_worker_unless_told_not_to(
    conn: asyncpg.Connection, db_url: str, settings: Settings, stage: int, night: Night
) -> None:
    source_id = await night.register(conn, stage, "ct-sots")
    night.publish("ct-sots", 1)
    quiet: Litestar = create_app(settings, db_url, worker=False)
    async with AsyncTestClient(app=quiet):
        await asyncio.sleep(0.3)
    assert not await _applied(conn, source_id)
    app: Litestar = create_app(settings, db_url, worker=True)
    async with AsyncTestClient(app=app) as client:
        await _wait_for(lambda: _applied(conn, source_id))
        page = (await client.get(f"/api/v1/elections/{truth.SLUG}/contests")).json()
    assert {c["office"]: c["total_votes"] for c in page["contests"]}["Governor"] == 943


async def _applied(conn: asyncpg.Connection, source_id: int) -> bool:
    sql = "select last_success_at is not null from sources where id = $1"
    return bool(await conn.fetchval(sql, source_id))


async def _true(value: bool) -> bool:
    return value
