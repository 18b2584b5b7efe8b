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

An entry also carries what a reader must be allowed to see it: `public`, whether the
endorsements behind the answer were announced (endorse.elections.visibility), read in the same
snapshot as the answer. A change of visibility is an update of `stages`, which figures_changes
records like any other change (sql/functions/changes.sql), so the check that proves the answer
current proves its `public` current too: a public read of unchanged figures makes no round trip
of its own, however many arrive together, and a stage made private is never served from an
entry computed while it was public.
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
    public: bool = True  # the endorsements behind body were announced, as of snapshot


# (body, snapshot) or (body, snapshot, public), all read in one snapshot
Computed = tuple[bytes, str] | tuple[bytes, str, bool]
Compute = Callable[[asyncpg.Connection], Awaitable[Computed]]
Db = asyncpg.Connection | asyncpg.Pool


class FiguresCache:
    def __init__(self, *, acquire_seconds: float | None = None) -> None:
        self._acquire_seconds = acquire_seconds  # given the pool: the wait for a connection
        self._entries: dict[Hashable, Entry] = {}
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._waiting: dict[Hashable, int] = {}  # requests using a key's lock now
        self._joinable: dict[Entry, asyncio.Future[bool]] = {}  # next check, not started yet
        self._running: dict[Entry, asyncio.Future[bool]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def _fresh(self, db: Db, key: Hashable) -> Entry | None:
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
        return entry

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
            async with pool.acquire(timeout=self._acquire_seconds) as conn:
                result.set_result(
                    not await conn.fetchval(*q.changed_since(snapshot=entry.snapshot))
                )
        except Exception as exc:
            result.set_exception(exc)
        finally:
            if self._running.get(entry) is result:
                del self._running[entry]

    async def get(self, db: Db, key: Hashable, compute: Compute) -> bytes:
        """The cached answer if nothing changed since it was computed, else compute(conn).

        compute returns (body, snapshot[, public]); a miss is computed once per key at a time,
        so a burst of requests after an ingest costs one computation, not one per request.
        `db` is a connection, or the pool (a connection is then taken only to compute).
        """
        return (await self.entry(db, key, compute)).body

    async def entry(self, db: Db, key: Hashable, compute: Compute) -> Entry:
        """As get(), the whole entry: the caller decides from `public` who may read the body."""
        entry = await self._fresh(db, key)
        if entry is not None:
            return entry
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                entry = await self._fresh(db, key)
                if entry is not None:
                    return entry
                if isinstance(db, asyncpg.Pool):
                    async with db.acquire(timeout=self._acquire_seconds) as conn:
                        computed = await compute(conn)
                else:
                    computed = await compute(db)
                body, snapshot, *public = computed
                entry = Entry(snapshot, body, time.monotonic(), *public)
                self._entries[key] = entry
                return entry
        finally:
            # keys come from the URL: a lock outlives its last user only beside an entry, so
            # requests for elections that do not exist (a 404 each) cannot grow the process
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                if key not in self._entries:
                    del self._locks[key]

    def clear(self) -> None:
        self._entries.clear()
