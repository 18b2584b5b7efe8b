"""LISTEN results_changed (and night_changed) once per process and fan it out to SSE clients.

One PostgreSQL connection per API process listens; each client gets a one-slot mailbox, so a
burst of ingests collapses into one pending event per client (the page re-reads the figures,
it does not need every notification). Payloads carry ids only; clients read the rows.

Delivery is the hot path (2,000 clients per process on election night, bench/bench_sse.py): an
event is encoded to its SSE bytes once per publish, not once per client, and each stream waits
on its mailbox alone. Keep-alive comments come from one timer for the whole hub, which drops
one into every empty mailbox, instead of a timeout (and, in Python 3.11, a Task) per wait.

The connection is kept alive: a ping every PING_SECONDS notices a connection that died without
a word (a dropped network path), and it is opened again until the database answers.
Notifications sent while nobody listened are lost, so each time it listens the clients are
resynced: API clients get a `results` event naming no election (re-read everything) and
night-page streams are sent every change recorded after the last one they saw.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import msgspec
from litestar import Litestar
from litestar.datastructures import State

from endorse.dashboard import feed, history
from endorse.dashboard.feed import CHANNEL as NIGHT_CHANNEL
from endorse.dashboard.feed import NightHub
from endorse.dashboard.mailbox import END, KEEPALIVE, Mailbox, tick
from endorse.dashboard.slots import StreamSlots
from endorse.db.pool import connect
from endorse.results.notify import CHANNEL

log = logging.getLogger(__name__)

APPLICATION_NAME = "endorse listen"  # how the connection shows in pg_stat_activity
PING_SECONDS = 15.0
PING_TIMEOUT = 5.0
RESYNC: dict[str, Any] = {"election": None, "contests": [], "resync": True}
KEEPALIVE_SECONDS = 15.0  # an idle stream is sent a comment this often (proxies drop silence)

# the hello frame, byte for byte what litestar's ServerSentEventMessage.encode() writes
HELLO = b"event: hello\r\ndata: {}\r\nretry: 3000\r\n\r\n"


def frame(event: dict[str, Any]) -> bytes:
    """One `results` event as SSE bytes (msgspec's JSON has no line breaks: one data line)."""
    return b"event: results\r\ndata: " + msgspec.json.encode(event) + b"\r\n\r\n"


class Broadcaster:
    def __init__(self) -> None:
        self._mailboxes: set[Mailbox[dict[str, Any]]] = set()
        self.ended = False

    @property
    def clients(self) -> int:
        return len(self._mailboxes)

    def publish(self, event: dict[str, Any]) -> None:
        if self.ended:
            return
        data = frame(event)  # once for every client whose mailbox was empty: the usual case
        for box in self._mailboxes:
            if box.pending is None:
                box.put(event, data)
            else:
                merged = _merge(box.pending, event)
                box.put(merged, frame(merged))

    def keep_alive(self) -> None:
        """A comment into every empty mailbox: the idle streams say they are still there."""
        if self.ended:
            return
        for box in self._mailboxes:
            if box.data is None:
                box.put(None, KEEPALIVE)

    def end_all(self) -> None:
        """End every stream, now and from now on (the server is stopping)."""
        self.ended = True
        for box in self._mailboxes:
            box.put(None, END)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Mailbox[dict[str, Any]]]:
        box: Mailbox[dict[str, Any]] = Mailbox()
        self._mailboxes.add(box)
        try:
            yield box
        finally:
            self._mailboxes.discard(box)


async def stream(hub: Broadcaster, slots: StreamSlots) -> AsyncIterator[bytes]:
    """GET /api/v1/events: the stream's frames, ready to write. Held in one of the process's
    stream slots from its first event to its end."""
    with slots.hold():
        async with hub.subscribe() as box:
            # tell the client it is connected so it can show "live" before the first ingest
            yield HELLO
            while not hub.ended:
                _, data = await box.take()  # an event, a keep-alive comment, or END
                if data == END:
                    return  # the server is stopping; the client reconnects
                yield data


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Two pending notifications become one: the union of what changed."""
    if old.get("election") != new.get("election"):
        return {"election": None, "contests": []}  # several elections: clients re-read all
    contests = sorted({*old.get("contests", []), *new.get("contests", [])})
    return {**new, "contests": contests}


def _decode(payload: str) -> dict[str, Any]:
    try:
        event = json.loads(payload)
    except ValueError:
        return {"election": None, "contests": []}
    return event if isinstance(event, dict) else {"election": None, "contests": []}


def _election_id(payload: str) -> int | None:
    return int(payload) if payload.isdigit() else None


async def _listen_once(url: str, hub: Broadcaster, night: NightHub, ping_seconds: float) -> None:
    """Listen until the connection drops or stops answering its ping."""
    conn = await connect(url, application_name=APPLICATION_NAME)
    listening = False
    try:
        closed = asyncio.Event()
        conn.add_termination_listener(lambda _: closed.set())
        await conn.add_listener(CHANNEL, lambda *args: hub.publish(_decode(args[3])))
        await conn.add_listener(NIGHT_CHANNEL, lambda *args: _night(night, args[3]))
        listening = True
        if hub.clients or night.clients:  # listening again: what was notified meanwhile is lost
            log.info("listening; clients resynced", extra={"clients": hub.clients + night.clients})
            hub.publish(dict(RESYNC))
            night.resync()
        while not closed.is_set():
            try:
                await asyncio.wait_for(closed.wait(), ping_seconds)
            except TimeoutError:
                await conn.fetchval("select 1", timeout=PING_TIMEOUT)
    finally:
        if listening:  # night streams cannot hear changes now: they end, the pages reconnect
            night.drop_all()  # (and resume from the table) or poll until the database is back
        if not conn.is_closed():
            conn.terminate()  # no goodbye to a server that may not answer


def _night(night: NightHub, payload: str) -> None:
    election_id = _election_id(payload)
    if election_id is not None:
        night.notify(election_id)


async def _listen(
    url: str,
    hub: Broadcaster,
    night: NightHub,
    retry_seconds: float,
    ping_seconds: float = PING_SECONDS,
) -> None:
    """Keep one LISTEN connection alive; reconnect after the database comes back."""
    while True:
        try:
            await _listen_once(url, hub, night, ping_seconds)
            log.warning("listen connection closed; reconnecting")
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("listen connection failed", extra={"error": type(exc).__name__})
        await asyncio.sleep(retry_seconds)


def end_streams(state: State) -> None:
    """Before the server stops (endorse.serving): end every event stream of this process, so
    its clients reconnect elsewhere instead of holding the shutdown until its grace is over."""
    events, night = state.get("events"), state.get("night")
    if events is not None:
        events.end_all()
    if night is not None:
        night.drop_all()


@contextlib.asynccontextmanager
async def listen_lifespan(app: Litestar) -> AsyncIterator[None]:
    app.state.events = Broadcaster()
    state = app.state
    app.state.night = NightHub(
        state.get("pool"),
        asyncio.get_running_loop(),
        lambda conn, election_id: history.record(state, conn, election_id),
    )
    tasks = [
        asyncio.create_task(
            _listen(app.state.database_url, app.state.events, app.state.night, 2.0)
        ),
        asyncio.create_task(tick(KEEPALIVE_SECONDS, app.state.events.keep_alive)),
        asyncio.create_task(tick(feed.KEEPALIVE_SECONDS, app.state.night.keep_alive)),
    ]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
