"""A per-process cache of encoded figures, checked against the database on every read.

An entry remembers the snapshot (pg_current_snapshot()) its answer was computed under, read in
the same statement as the answer. A read asks one indexed question of figures_changes (sql/0006):
has a transaction that snapshot could not see committed a change since? No -> the cached bytes
are exactly what a fresh computation would return. This costs one tiny query instead of the
whole computation, and it cannot serve a stale answer after a commit (the check is by
transaction id, not by time). Entries also expire after MAX_AGE, the bound the change log's
pruning relies on.

Given the pool (the stats and races routes), requests for one entry share that check: a
request joins the next check to *start*, never one already running, so every answer is still
proven against every commit made before its request arrived; a burst of N requests costs two
checks, not N, and no request holds a pooled connection unless it must compute.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

import asyncpg

from endorse.db.queries import load

q = load("figures")
MAX_AGE = 3600.0  # seconds; figures_changes keeps a day of history (sql/0031)


@dataclass(frozen=True)
class Entry:
    snapshot: str
    body: bytes
    at: float


Compute = Callable[[asyncpg.Connection], Awaitable[tuple[bytes, str]]]
Db = asyncpg.Connection | asyncpg.Pool


class FiguresCache:
    def __init__(self) -> None:
        self._entries: dict[Hashable, Entry] = {}
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._joinable: dict[Entry, asyncio.Future[bool]] = {}  # next check, not started yet
        self._running: dict[Entry, asyncio.Future[bool]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def _fresh(self, db: Db, key: Hashable) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None or time.monotonic() - entry.at > MAX_AGE:
            return None
        if isinstance(db, asyncpg.Pool):
            unchanged = await self._shared_check(db, entry)
        else:
            unchanged = not await db.fetchval(*q.changed_since(snapshot=entry.snapshot))
        if not unchanged:
            if self._entries.get(key) is entry:
                del self._entries[key]
            return None
        return entry.body

    async def _shared_check(self, pool: asyncpg.Pool, entry: Entry) -> bool:
        joined = self._joinable.get(entry)
        if joined is None:
            joined = self._joinable[entry] = asyncio.get_running_loop().create_future()
            task = asyncio.create_task(self._check(pool, entry, joined))
            self._tasks.add(task)  # held: a task nobody references can be collected
            task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(joined)  # a client gone mid-check cancels only itself

    async def _check(self, pool: asyncpg.Pool, entry: Entry, result: asyncio.Future[bool]) -> None:
        running = self._running.get(entry)
        if running is not None:  # one check of an entry at a time; ours starts after it
            await asyncio.wait([running])
        del self._joinable[entry]  # from here on, newcomers wait for the next check
        self._running[entry] = result
        try:
            result.set_result(not await pool.fetchval(*q.changed_since(snapshot=entry.snapshot)))
        except Exception as exc:
            result.set_exception(exc)
        finally:
            if self._running.get(entry) is result:
                del self._running[entry]

    async def get(self, db: Db, key: Hashable, compute: Compute) -> bytes:
        """The cached answer if nothing changed since it was computed, else compute(conn).

        compute returns (body, snapshot); a None-like miss is computed once per key at a time,
        so a burst of requests after an ingest costs one computation, not one per request.
        `db` is a connection, or the pool (a connection is then taken only to compute).
        """
        body = await self._fresh(db, key)
        if body is not None:
            return body
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            body = await self._fresh(db, key)
            if body is not None:
                return body
            if isinstance(db, asyncpg.Pool):
                async with db.acquire() as conn:
                    body, snapshot = await compute(conn)
            else:
                body, snapshot = await compute(db)
            self._entries[key] = Entry(snapshot, body, time.monotonic())
            return body

    def clear(self) -> None:
        self._entries.clear()
