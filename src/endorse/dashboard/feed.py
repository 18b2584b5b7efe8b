"""The night page's event stream: numbered changes per election, resumable without a gap.

sql/0050 numbers every change of an election in commit order and NOTIFYs `night_changed` with
the election id. Each API process reads the new changes once per notification and hands them
to its subscribers of that election; a client is sent one event per batch, whose id is the
highest change number in it. A client that comes back with Last-Event-ID N (or ?since=N) is
first sent everything after N from the table, then the live changes it has not seen: it
subscribes before it reads, so a change committed in between arrives twice at worst and is
skipped by number, never lost.

Events name the change number and the stage kinds only. The client then asks the page for
what changed since its last number, so everything endorsement-derived goes through the page
handler and its visibility check.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import asyncpg
import msgspec
from litestar.response import ServerSentEventMessage

from endorse.dashboard.slots import StreamSlots
from endorse.db.queries import load

q = load("night")
log = logging.getLogger(__name__)
CHANNEL = "night_changed"
BATCH = 500  # changes read per query; a client further behind gets several events
KEEPALIVE_SECONDS = 15.0
RETRY_MS = 1000


Recorder = Callable[[asyncpg.Connection, int], Awaitable[None]]


class Change(msgspec.Struct, frozen=True):
    seq: int
    stages: list[str]


class Event(msgspec.Struct):
    seq: int
    stages: list[str]


@dataclass(eq=False)
class Subscriber:
    last: int
    inbox: asyncio.Queue[list[Change]] = field(default_factory=asyncio.Queue)


class NightHub:
    def __init__(
        self,
        pool: asyncpg.Pool | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        recorder: Recorder | None = None,
    ) -> None:
        self.pool = pool
        self.loop = loop  # the loop the streams run on (drop_all from another thread uses it)
        self.recorder = recorder  # keeps the headline after each change (dashboard.history)
        self._subscribers: dict[int, set[Subscriber]] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._record_locks: dict[int, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def clients(self) -> int:
        return sum(len(s) for s in self._subscribers.values())

    def notify(self, election_id: int) -> None:
        """Called by the LISTEN connection; reads the new changes once for all subscribers."""
        if self._subscribers.get(election_id):
            self._spawn(self._deliver(election_id))
        if self.recorder is not None and self.pool is not None:
            self._spawn(self._record(election_id))

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.get_running_loop().create_task(work)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _record(self, election_id: int) -> None:
        assert self.pool is not None and self.recorder is not None
        lock = self._record_locks.setdefault(election_id, asyncio.Lock())
        async with lock:  # a burst of changes is recorded one at a time
            try:
                async with self.pool.acquire() as conn:
                    await self.recorder(conn, election_id)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("headline not recorded", extra={"error": type(exc).__name__})

    async def _deliver(self, election_id: int) -> None:
        lock = self._locks.setdefault(election_id, asyncio.Lock())
        async with lock:  # one read at a time per election, in order
            subscribers = list(self._subscribers.get(election_id, ()))
            if not subscribers or self.pool is None:
                return
            since = min(s.last for s in subscribers)
            try:
                async with self.pool.acquire() as conn:
                    changes = await read_changes(conn, election_id, since)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("night changes not read", extra={"error": type(exc).__name__})
                return
            for s in subscribers:
                fresh = [c for c in changes if c.seq > s.last]
                if fresh:
                    s.inbox.put_nowait(fresh)

    @contextlib.asynccontextmanager
    async def subscribe(self, election_id: int, since: int) -> AsyncIterator[Subscriber]:
        subscriber = Subscriber(since)
        self._subscribers.setdefault(election_id, set()).add(subscriber)
        try:
            yield subscriber
        finally:
            self._subscribers[election_id].discard(subscriber)

    def resync(self) -> None:
        """After the LISTEN connection was away: send every stream what it has not seen yet."""
        for election_id, subscribers in list(self._subscribers.items()):
            if subscribers:
                self._spawn(self._deliver(election_id))

    def drop_all(self) -> None:
        """End every stream (clients reconnect with Last-Event-ID): before a restart, in tests."""
        for subscribers in self._subscribers.values():
            for s in subscribers:
                s.inbox.put_nowait([])


async def read_changes(conn: asyncpg.Connection, election_id: int, since: int) -> list[Change]:
    rows = await conn.fetch(*q.changes_since(election_id=election_id, since=since, limit=BATCH))
    return [Change(r["seq"], list(r["stages"])) for r in rows]


def _event(changes: list[Change]) -> ServerSentEventMessage:
    stages = sorted({k for c in changes for k in c.stages})
    seq = changes[-1].seq
    body = msgspec.json.encode(Event(seq, stages)).decode()
    return ServerSentEventMessage(event="change", data=body, id=str(seq))


async def stream(
    hub: NightHub, pool: asyncpg.Pool, election_id: int, since: int, slots: StreamSlots
) -> AsyncIterator[ServerSentEventMessage]:
    """Held in one of the process's stream slots from its first event to its end."""
    with slots.hold():
        async with hub.subscribe(election_id, since) as me:
            yield ServerSentEventMessage(event="hello", data="{}", retry=RETRY_MS)
            while True:  # catch up from the table, a batch at a time
                async with pool.acquire() as conn:
                    missed = await read_changes(conn, election_id, me.last)
                if not missed:
                    break
                me.last = missed[-1].seq
                yield _event(missed)
            while True:
                try:
                    batch = await asyncio.wait_for(me.inbox.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ServerSentEventMessage(comment="keep-alive")
                    continue
                if not batch:
                    return  # dropped on purpose: the client reconnects and resumes
                while not me.inbox.empty():  # coalesce what queued meanwhile into one event
                    batch += me.inbox.get_nowait()
                fresh = sorted((c for c in batch if c.seq > me.last), key=lambda c: c.seq)
                if fresh:
                    me.last = fresh[-1].seq
                    yield _event(fresh)
