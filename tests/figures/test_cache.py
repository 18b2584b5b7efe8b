"""The figures cache shared by concurrent requests: one computation, and never a stale answer."""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg

from endorse.db.pool import create_pool
from endorse.figures.cache import FiguresCache


async def test_concurrent_reads_share_the_answer_and_see_every_earlier_commit(
    db_url: str, conn: asyncpg.Connection
) -> None:
    pool = await create_pool(db_url, min_size=1, max_size=4)
    cache, computed = FiguresCache(), []

    async def compute(c: asyncpg.Connection) -> tuple[bytes, str]:
        row = await c.fetchrow(
            "select count(*)::text as n, pg_current_snapshot()::text as s from bodies"
        )
        computed.append(row["n"])
        return row["n"].encode(), row["s"]

    async def burst() -> set[bytes]:
        return set(await asyncio.gather(*(cache.get(pool, "k", compute) for _ in range(20))))

    try:
        assert await burst() == {b"0"} and computed == ["0"]
        assert await burst() == {b"0"} and computed == ["0"]  # served, proven unchanged
        await conn.execute("insert into bodies (name) values ('Local 1')")  # a committed change
        assert await burst() == {b"1"} and computed == ["0", "1"]
        await conn.execute("insert into bodies (name) values ('Local 2')")
        assert await cache.get(conn, "k", compute) == b"2"  # a connection works as before
    finally:
        await pool.close()


async def test_keys_that_compute_nothing_leave_nothing_behind(conn: asyncpg.Connection) -> None:
    """Cache keys come from the URL; a request for an election that does not exist raises in
    compute (a 404) and must not leave a lock or an entry per key it named."""
    cache = FiguresCache()

    async def unknown(c: asyncpg.Connection) -> tuple[bytes, str]:
        await c.fetchval("select 1")
        raise LookupError("election: no election with this slug")

    for i in range(200):
        with contextlib.suppress(LookupError):
            await cache.get(conn, ("stats", f"nope-{i}", "general"), unknown)
    assert cache._locks == {} and cache._entries == {} and cache._waiting == {}
