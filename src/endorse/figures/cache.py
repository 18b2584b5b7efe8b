"""A per-process cache of encoded figures, checked against the database on every read.

An entry remembers the snapshot (pg_current_snapshot()) its answer was computed under, read in
the same statement as the answer. A read asks one indexed question of figures_changes (sql/0006):
has a transaction that snapshot could not see committed a change since? No -> the cached bytes
are exactly what a fresh computation would return. This costs one tiny query instead of the
whole computation, and it cannot serve a stale answer after a commit (the check is by
transaction id, not by time). Entries also expire after MAX_AGE, the bound the change log's
pruning relies on.
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


class FiguresCache:
    def __init__(self) -> None:
        self._entries: dict[Hashable, Entry] = {}
        self._locks: dict[Hashable, asyncio.Lock] = {}

    async def _fresh(self, conn: asyncpg.Connection, key: Hashable) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None or time.monotonic() - entry.at > MAX_AGE:
            return None
        if await conn.fetchval(*q.changed_since(snapshot=entry.snapshot)):
            self._entries.pop(key, None)
            return None
        return entry.body

    async def get(self, conn: asyncpg.Connection, key: Hashable, compute: Compute) -> bytes:
        """The cached answer if nothing changed since it was computed, else compute(conn).

        compute returns (body, snapshot); a None-like miss is computed once per key at a time,
        so a burst of requests after an ingest costs one computation, not one per request.
        """
        body = await self._fresh(conn, key)
        if body is not None:
            return body
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            body = await self._fresh(conn, key)
            if body is not None:
                return body
            body, snapshot = await compute(conn)
            self._entries[key] = Entry(snapshot, body, time.monotonic())
            return body

    def clear(self) -> None:
        self._entries.clear()
