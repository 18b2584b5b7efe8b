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

Delivery is the hot path (the election-night room: 2,000 streams of one election per process,
bench/bench_sse.py). Every subscriber has a one-slot mailbox: the batch it has not taken yet
(later batches merge into it) and that batch's SSE bytes. Subscribers at the same number, which
is nearly all of them, share one encoding of the batch. Keep-alive comments come from one
timer for the whole hub, not from a timeout (in Python 3.11, a Task) per wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import msgspec

from endorse.dashboard.mailbox import END, KEEPALIVE, Mailbox
from endorse.dashboard.slots import StreamSlots
from endorse.db.queries import load

q = load("night")
log = logging.getLogger(__name__)
CHANNEL = "night_changed"
BATCH = 500  # changes read per query; a client further behind gets several events
KEEPALIVE_SECONDS = 15.0  # an idle stream is sent a comment this often (proxies drop silence)
RETRY_MS = 1000

# the hello frame as litestar's ServerSentEventMessage.encode() writes it
HELLO = f"event: hello\r\ndata: {{}}\r\nretry: {RETRY_MS}\r\n\r\n".encode()


Recorder = Callable[[asyncpg.Connection, int], Awaitable[None]]


class Change(msgspec.Struct, frozen=True):
    seq: int
    stages: list[str]


class Event(msgspec.Struct):
    seq: int
    stages: list[str]


class Subscriber(Mailbox[list[Change]]):
    """One stream: the last number it sent, and its mailbox (the changes not taken yet, in
    order of number, with their frame; a keep-alive comment; or END)."""

    __slots__ = ("last",)

    def __init__(self, last: int) -> None:
        super().__init__()
        self.last = last  # the highest number the stream has sent (or resumed after)

    def add(self, fresh: list[Change], data: bytes | None) -> None:
        """Changes for this stream; `data` is their frame when the caller has encoded it."""
        if self.data == END:
            return  # dropped while the changes were read: the stream ends all the same
        if self.pending:  # not taken yet: one event for both, each number once
            merged = {c.seq: c for c in self.pending}
            merged.update((c.seq, c) for c in fresh)
            fresh = [merged[n] for n in sorted(merged)]
            data = None
        self.put(fresh, data if data is not None else frame(fresh))


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
            # the subscribers at one number get the same changes: cut and encode them once
            shared: dict[int, tuple[list[Change], bytes | None]] = {}
            for s in subscribers:
                cut = shared.get(s.last)
                if cut is None:
                    fresh = [c for c in changes if c.seq > s.last]
                    cut = shared[s.last] = (fresh, frame(fresh) if fresh else None)
                if cut[0]:
                    s.add(*cut)

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
        """End every stream (clients reconnect with Last-Event-ID): before a restart, in tests.
        What a stream had not taken yet is dropped too: it resumes from the table."""
        for subscribers in self._subscribers.values():
            for s in subscribers:
                s.put(None, END)

    def keep_alive(self) -> None:
        """A comment into every empty mailbox: the idle streams say they are still there."""
        for subscribers in self._subscribers.values():
            for s in subscribers:
                if s.data is None:
                    s.put(None, KEEPALIVE)


async def read_changes(conn: asyncpg.Connection, election_id: int, since: int) -> list[Change]:
    rows = await conn.fetch(*q.changes_since(election_id=election_id, since=since, limit=BATCH))
    return [Change(r["seq"], list(r["stages"])) for r in rows]


def frame(changes: list[Change]) -> bytes:
    """One `change` event as SSE bytes: its id is the highest number, its data that number
    and the stage kinds of every change in it (msgspec's JSON has no line breaks)."""
    stages = sorted({k for c in changes for k in c.stages})
    seq = changes[-1].seq
    body = msgspec.json.encode(Event(seq, stages))
    return b"id: %d\r\nevent: change\r\ndata: %b\r\n\r\n" % (seq, body)


async def stream(
    hub: NightHub, pool: asyncpg.Pool, election_id: int, since: int, slots: StreamSlots
) -> AsyncIterator[bytes]:
    """The stream's frames, ready to write. Held in one of the process's stream slots from
    its first event to its end."""
    with slots.hold():
        async with hub.subscribe(election_id, since) as me:
            yield HELLO
            while True:  # catch up from the table, a batch at a time
                async with pool.acquire() as conn:
                    missed = await read_changes(conn, election_id, me.last)
                if not missed:
                    break
                me.last = missed[-1].seq
                yield frame(missed)
            while True:
                changes, data = await me.take()
                if data == END:
                    return  # dropped on purpose: the client reconnects and resumes
                if changes is None:
                    yield data  # a keep-alive comment
                elif changes[0].seq > me.last:  # the usual case: all of it is news
                    me.last = changes[-1].seq
                    yield data
                else:  # delivered while catching up: send only what the table did not
                    fresh = [c for c in changes if c.seq > me.last]
                    if fresh:
                        me.last = fresh[-1].seq
                        yield frame(fresh)
