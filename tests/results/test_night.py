"""An election night replayed over real HTTP in every format: 0% -> 40% -> 100% -> official.

Each format's fixtures encode the same invented night (tests/results/night.py has the totals
worked out by hand), so every format must land on the same candidate totals.
"""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from endorse.results.pipeline import poll_source
from tests.results import night as truth
from tests.results.helpers import accept_held, footprint, reporting, totals
from tests.results.replay import FORMATS, Night


@pytest.mark.parametrize("fmt", FORMATS)
async def test_night_in_every_format(
    conn: asyncpg.Connection, stage: int, night: Night, http: httpx.AsyncClient, fmt: str
) -> None:
    source_id = await night.register(conn, stage, fmt)
    for version in range(4):
        night.publish(fmt, version)
        result = await poll_source(conn, source_id, http, force=True)
        assert result.outcome == "applied", result.error
        if version == 3:  # the canvass lowers a Governor row: held until a person accepts it
            assert await totals(conn) != truth.TOTALS[3]
            assert await accept_held(conn) == ["Governor"]
        assert await totals(conn) == truth.TOTALS[version], f"v{version}"
        shown = await reporting(conn)
        for contest, (done, total) in truth.PRECINCTS[version].items():
            if fmt == "html":  # the page states one page-wide count: "N of 5"
                done, total = (5 if version >= 2 else 2 * (version == 1), 5)
            if fmt == "openelections":  # the format has no reporting counts
                done = total = None
            assert shown[contest][:2] == (done, total), (version, contest)

    # the official canvass: CT SOTS marks its towns official; the HTML page marks winners
    statuses = {status for _, _, status in (await reporting(conn)).values()}
    assert statuses == ({"official"} if fmt == "ct-sots" else {"unofficial"})
    winners = await conn.fetch("select ballot_name from candidacies where declared_winner")
    expected = {"Rosa Delgado", "Beth Lyle", "Tom Best", "Ana Ruiz"} if fmt == "html" else set()
    assert {r["ballot_name"] for r in winners} == expected
    seats = dict(await conn.fetch("select office, seats from contests"))
    # only Clarity states vote-for-N per contest (voteFor); the others leave the default 1
    assert seats["Board of Education"] == (2 if fmt == "clarity" else 1)

    # fusion is kept: one candidacy, two party lines, summed by the view
    lines = await conn.fetch(
        """select r.party, sum(r.votes) from results r join candidacies ca on ca.id = r.candidacy_id
            where ca.ballot_name = 'Rosa Delgado' group by r.party"""
    )
    assert len(lines) == 2 and sum(v for _, v in lines) == 1170

    # polling an unchanged source: a conditional GET, and not one row written
    before = await footprint(conn)
    requests = len(night.server.requests)
    result = await poll_source(conn, source_id, http, force=True)
    assert result.outcome == "unchanged"
    assert await footprint(conn) == before
    assert night.server.requests[requests:] == [(night.main_path(fmt), 304)]


async def test_only_changed_contests_and_rows_are_written(
    conn: asyncpg.Connection, stage: int, night: Night, http: httpx.AsyncClient
) -> None:
    source_id = await night.register(conn, stage, "openelections")
    night.publish("openelections", 2)
    first = await poll_source(conn, source_id, http, force=True)
    assert first.stats is not None
    assert (first.stats.contests_created, first.stats.rows_written) == (3, 44)  # 4*5 + 3*5 + 3*3
    night.publish("openelections", 3)  # the canvass corrects two Governor precinct rows
    result = await poll_source(conn, source_id, http, force=True)
    assert result.stats is not None
    assert result.stats.contests_changed == 0  # State Senate and the board were skipped by hash
    assert len(result.stats.held) == 1  # and the Governor's lowered row is held for a person
    assert await accept_held(conn) == ["Governor"]
    after = await conn.fetchval("select after from audit_log where action = 'held.accept'")
    assert after["rows_changed"] == 2
    changed = await conn.fetchval(
        "select count(*) from results where snapshot_id = $1", result.snapshot_id
    )
    assert changed == 2  # the other 42 rows still point at the snapshot that set their values


async def test_same_bytes_under_a_new_etag_are_not_parsed_or_kept(
    conn: asyncpg.Connection, stage: int, night: Night, http: httpx.AsyncClient
) -> None:
    source_id = await night.register(conn, stage, "openelections")
    night.publish("openelections", 2)
    assert (await poll_source(conn, source_id, http, force=True)).outcome == "applied"
    before = await footprint(conn)
    night.publish("openelections", 2, etag_salt="restarted")  # a new ETag, the same bytes
    result = await poll_source(conn, source_id, http, force=True)
    assert result.outcome == "unchanged"
    after = await footprint(conn)
    assert after["snapshots"] == before["snapshots"]
    assert {k: v for k, v in after.items() if k != "source_state"} == {
        k: v for k, v in before.items() if k != "source_state"
    }
    # ... and the new ETag is remembered, so the next poll is a 304
    assert (await poll_source(conn, source_id, http, force=True)).outcome == "unchanged"
    assert night.server.requests[-1] == (night.main_path("openelections"), 304)
