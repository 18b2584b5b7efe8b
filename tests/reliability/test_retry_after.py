"""Retry-After across polls: the server is never asked more often than it allowed, even when
the last try of a poll was the one told to wait (issue 14, item 2). The upstream is the real
hostile server on 127.0.0.1 (tests/hostile.py), which counts every request."""

from __future__ import annotations

import asyncpg
import httpx

from endorse.db.pool import create_pool
from endorse.results.fetching import FetchLimits
from endorse.results.pipeline import poll_source
from endorse.results.worker import Worker
from tests.hostile import Hostile
from tests.reliability.conftest import add

# two tries a poll, the second told to wait too; a deadline with room for the first wait
LIMITS = FetchLimits(allow_private=True, deadline_seconds=10.0, max_bytes=1 << 20)
TWO_TRIES = {"attempts": 2, "backoff": 0.01, "timeout": 2.0}


async def test_the_last_tries_retry_after_holds_the_next_poll_back(
    conn: asyncpg.Connection, db_url: str, stage: int, hostile: Hostile
) -> None:
    path = "/retry-after/1"  # always 429, Retry-After: 1
    source_id = await add(conn, hostile.url(path), seconds=5, http=TWO_TRIES)
    pool = await create_pool(db_url, max_size=2)
    http = httpx.AsyncClient()
    worker = Worker(pool, client=http, limits=LIMITS)  # polled by hand, not on its schedule
    try:
        first = await worker.poll(source_id)
        assert first is not None and first.outcome == "failed"
        assert hostile.hits[path] == 2  # asked, waited the second out, asked again
        assert first.retry_after == 1 and "Retry-After 1s" in (first.error or "")
        await conn.execute(  # the interval has passed, the last Retry-After not yet
            "update sources set last_checked_at = now() - interval '1 hour' where id = $1",
            source_id,
        )
        held = await worker.poll(source_id)
        assert held is not None and held.outcome == "not_due" and hostile.hits[path] == 2
        await conn.execute(  # as when the second is over
            "update sources set retry_not_before = now() - interval '1 second' where id = $1",
            source_id,
        )
        assert await worker.poll(source_id) is not None and hostile.hits[path] == 4
    finally:
        await worker.stop()
        await http.aclose()
        await pool.close()


async def test_retry_after_binds_every_poller_not_only_the_worker_that_heard_it(
    conn: asyncpg.Connection, db_url: str, stage: int, hostile: Hostile
) -> None:
    """A second worker process, `endorse worker --once` from cron and a person's forced load
    all read the hold from the source's row: none asks before the server allowed."""
    path = "/retry-after/120"
    source_id = await add(conn, hostile.url(path), seconds=5, http=TWO_TRIES)
    pool = await create_pool(db_url, max_size=2)
    http = httpx.AsyncClient()
    heard, other = (Worker(pool, client=http, limits=LIMITS) for _ in range(2))
    try:
        first = await heard.poll(source_id)
        assert first is not None and first.outcome == "failed" and hostile.hits[path] == 1
        await conn.execute(  # the interval has passed, the Retry-After has not
            "update sources set last_checked_at = now() - interval '1 hour' where id = $1",
            source_id,
        )
        held = await other.poll(source_id)
        assert held is not None and held.outcome == "not_due"
        forced = await poll_source(conn, source_id, http, force=True, limits=LIMITS)
        assert forced.outcome == "not_due" and "Retry-After" in (forced.error or "")
        assert hostile.hits[path] == 1
        until = await conn.fetchval(
            "select retry_not_before - now() from sources where id = $1", source_id
        )
        assert 100 < until.total_seconds() <= 120  # the server's 120 s, from its answer
    finally:
        for worker in (heard, other):
            await worker.stop()
        await http.aclose()
        await pool.close()
