"""Numbered changes: one number per transaction in commit order, and a stream that resumes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import asyncpg
import httpx
from litestar import Litestar

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
