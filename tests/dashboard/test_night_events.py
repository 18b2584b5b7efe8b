"""Numbered changes: one number per transaction in commit order, and a stream that resumes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from litestar import Litestar

from endorse.dashboard import feed
from endorse.dashboard.feed import NightHub
from endorse.dashboard.slots import StreamSlots
from endorse.db.pool import create_pool
from tests.dashboard.conftest import Scenario
from tests.serving import serve

EVENTS = "/elections/2026-ct-general/events"


async def _seq(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("select coalesce(max(seq), 0) from night_counters")


async def _read(lines: AsyncIterator[str], wanted: int) -> list[tuple[str, str, str]]:
    """(event, id, data) of the next `wanted` events carrying data."""
    found: list[tuple[str, str, str]] = []
    event = ident = ""
    async for line in lines:
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("id:"):
            ident = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            found.append((event, ident, line.split(":", 1)[1].strip()))
            event = ident = ""
            if len(found) >= wanted:
                return found
    return found


async def test_writers_of_one_election_get_numbers_in_commit_order(
    conn: asyncpg.Connection, db_url: str, scenario: Scenario
) -> None:
    await scenario.ingest(1)
    start = await _seq(conn)
    other = await asyncpg.connect(db_url)
    try:
        first = conn.transaction()
        await first.start()
        await conn.execute("update contest_status set precincts_reporting = 3")
        await conn.execute("update candidacies set incumbent = true")  # same transaction
        second = asyncio.create_task(
            other.execute("update contest_status set precincts_reporting = 4")
        )
        await asyncio.sleep(0.3)
        assert not second.done()  # waits on the election's counter row until the first commits
        await first.commit()
        await asyncio.wait_for(second, 10)
    finally:
        await other.close()
    rows = await conn.fetch(
        "select seq, xact from night_changes where seq > $1 order by seq", start
    )
    assert [r["seq"] for r in rows] == [start + 1, start + 2]  # one number per transaction


async def test_stream_resumes_after_last_event_id_without_a_gap(
    app: Litestar, conn: asyncpg.Connection, scenario: Scenario
) -> None:
    await scenario.ingest(1)
    seen = await _seq(conn)
    await scenario.ingest(2)  # happens while the client is away
    missed = await _seq(conn)
    assert missed > seen
    with serve(app) as base:
        async with (
            httpx.AsyncClient(timeout=10) as http,
            http.stream("GET", base + EVENTS, headers={"Last-Event-ID": str(seen)}) as response,
        ):
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = response.aiter_lines()
            hello, catch_up = await _read(lines, 2)
            assert hello[0] == "hello"
            assert catch_up[:2] == ("change", str(missed))
            assert json.loads(catch_up[2]) == {"seq": missed, "stages": ["general"]}
            await scenario.ingest(3)  # and one live, after the catch-up
            (live,) = await asyncio.wait_for(_read(lines, 1), 10)
            assert live[0] == "change" and int(live[1]) > missed
        # a fresh client with no number starts from now: nothing old is replayed
        async with (
            httpx.AsyncClient(timeout=10) as http,
            http.stream("GET", base + EVENTS) as response,
        ):
            lines = response.aiter_lines()
            (hello,) = await _read(lines, 1)
            assert hello[0] == "hello"
            reader = asyncio.create_task(_read(lines, 1))
            await asyncio.sleep(0.5)
            assert not reader.done()
            reader.cancel()


async def test_every_contest_table_moves_its_contest_card(
    conn: asyncpg.Connection, scenario: Scenario
) -> None:
    """contest_status, candidacies and source_contest_totals share one trigger function
    (sql/functions/night.sql): each insert or update notes exactly the contests it touched."""
    await scenario.ingest(1)
    contest = await conn.fetchval("select min(contest_id) from contest_status")
    source = await conn.fetchval(
        "insert into sources (stage_id, format, url) select stage_id, 'openelections',"
        " 'file:///night.csv' from contests where id = $1 returning id",
        contest,
    )
    writes = [
        "update contest_status set precincts_reporting = 7 where contest_id = $1",
        "update candidacies set incumbent = true where contest_id = $1",
        "insert into source_contest_totals (contest_id, source_id, status, totals)"
        " values ($1, $2, 'unofficial', '{}')",
        "update source_contest_totals set totals = '{\"x\": 1}' where contest_id = $1",
        "delete from contest_status where contest_id = $1",
        "insert into contest_status (contest_id) values ($1)",
    ]
    for sql in writes:
        start = await _seq(conn)
        args = (contest, source) if "$2" in sql else (contest,)
        await conn.execute(sql, *args)
        noted = await conn.fetch("select contest_ids from night_changes where seq > $1", start)
        if sql.startswith("delete"):
            assert noted == []  # deleting a status is no trigger of ours
        else:
            assert [r["contest_ids"] for r in noted] == [[contest]], sql
    old = await conn.fetchval(
        "select count(*) from pg_proc where proname in"
        " ('night_contest_status_changed', 'night_candidacies_changed',"
        "  'night_source_totals_changed')"
    )
    assert old == 0


async def _change(conn: asyncpg.Connection, precincts: int) -> int:
    """Commit one numbered change of the election; its number."""
    await conn.execute("update contest_status set precincts_reporting = $1", precincts)
    return await _seq(conn)


def _frame(seq: int) -> bytes:
    """The `change` event a client is sent for changes up to `seq`, as written on the wire."""
    data = json.dumps({"seq": seq, "stages": ["general"]}, separators=(",", ":"))
    return f"id: {seq}\r\nevent: change\r\ndata: {data}\r\n\r\n".encode()


async def test_a_stream_sends_each_change_once_coalesces_and_ends_when_dropped(
    conn: asyncpg.Connection, db_url: str, scenario: Scenario
) -> None:
    """Changes delivered while the stream catches up from the table are not sent twice; the
    changes queued while it was busy go out as one event; drop_all ends it even when changes
    are waiting (it resumes from the table)."""
    await scenario.ingest(1)
    election = await conn.fetchval("select id from elections where slug = '2026-ct-general'")
    pool = await create_pool(db_url, max_size=2)
    hub, slots = NightHub(pool), StreamSlots(10)
    stream = feed.stream(hub, pool, election, await _seq(conn), slots)
    try:
        assert await anext(stream) == feed.HELLO
        first = await _change(conn, 101)
        await hub._deliver(election)  # reaches the mailbox before the catch-up reads the table
        assert await anext(stream) == _frame(first)
        second = await _change(conn, 102)
        await hub._deliver(election)
        assert await anext(stream) == _frame(second)  # the table again; the mailbox: both
        live = asyncio.create_task(anext(stream))  # catches up (nothing), then waits: live
        third = await _change(conn, 103)
        await hub._deliver(election)
        assert await asyncio.wait_for(live, 10) == _frame(third)  # not first, second again
        await _change(conn, 104)
        await hub._deliver(election)
        fifth = await _change(conn, 105)
        await hub._deliver(election)  # the stream has not taken the fourth: one event
        assert await anext(stream) == _frame(fifth)
        await _change(conn, 106)
        await hub._deliver(election)
        hub.drop_all()
        with pytest.raises(StopAsyncIteration):
            await asyncio.wait_for(anext(stream), 10)
        assert slots.taken == 0 and hub.clients == 0
    finally:
        await stream.aclose()
        await pool.close()


async def test_subscribers_at_one_number_share_one_encoding_of_a_change(
    conn: asyncpg.Connection, db_url: str, scenario: Scenario
) -> None:
    await scenario.ingest(1)
    election = await conn.fetchval("select id from elections where slug = '2026-ct-general'")
    earlier = await _change(conn, 201)
    now = await _change(conn, 202)
    pool = await create_pool(db_url, max_size=2)
    hub = NightHub(pool)
    try:
        async with (
            hub.subscribe(election, now) as a,
            hub.subscribe(election, now) as b,
            hub.subscribe(election, earlier) as behind,
        ):
            new = await _change(conn, 203)
            await hub._deliver(election)
            assert a.data == _frame(new)
            assert a.data is b.data  # encoded once for both
            assert behind.pending is not None
            assert [c.seq for c in behind.pending] == [now, new]  # its own cut
            assert behind.data == _frame(new)
            changes, data = await a.take()
            assert [c.seq for c in changes or []] == [new] and data == _frame(new)
            hub.keep_alive()  # a comment goes only where nothing is pending
            assert await a.take() == (None, feed.KEEPALIVE)
            assert b.data == _frame(new)  # a change is news enough
    finally:
        await pool.close()


async def test_idle_night_streams_get_hello_first_then_keep_alive_comments(
    app: Litestar, scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feed, "KEEPALIVE_SECONDS", 0.2)  # read when the app starts
    await scenario.ingest(1)
    seen: list[str] = []
    with serve(app) as base:
        async with (
            httpx.AsyncClient(timeout=10) as http,
            http.stream("GET", base + EVENTS) as response,
        ):
            assert response.headers["content-type"].startswith("text/event-stream")
            assert response.headers["cache-control"] == "no-cache"
            assert response.headers["x-accel-buffering"] == "no"
            lines = response.aiter_lines()
            while not seen or seen[-1] != ": keep-alive":
                seen.append(await asyncio.wait_for(anext(lines), 10))
    assert seen[:4] == ["event: hello", "data: {}", "retry: 1000", ""]
    assert "data: " not in seen[4:]  # a comment alone: no empty message for the page
