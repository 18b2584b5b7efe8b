"""A contest's status never goes backwards: a late unofficial payload leaves an official or
certified contest whole (votes and status), applies the rest, and says so on the source."""

from __future__ import annotations

import asyncpg

from endorse.results.ingest import apply_parsed
from scrapers.records import Parsed, ResultRecord
from tests.integration.conftest import ingest, night
from tests.results.helpers import reporting, totals
from tests.results.night import GOV, SEN, TOTALS

CERTIFIED = {"status": "certified"}


def governor_only(body: bytes) -> bytes:
    lines = body.decode().splitlines(keepends=True)
    return "".join([lines[0], *(line for line in lines[1:] if ",Governor," in line)]).encode()


async def test_late_unofficial_payload_leaves_a_certified_contest_alone(
    conn: asyncpg.Connection, stage: int
) -> None:
    feed = "file:///night/feed.csv"
    await ingest(conn, stage, night(1), url=feed)  # the night's feed, unofficial
    # the canvass certifies the governor's race at the v2 count (1165 / 1090 / 4)
    certified = await ingest(
        conn, stage, governor_only(night(2)), url="file:///canvass.csv", mapping=CERTIFIED
    )
    assert certified.outcome == "applied"
    assert (await totals(conn))[GOV] == TOTALS[2][GOV]
    # then the night's feed catches up with v3: its governor count differs (1170 / 1088)
    late = await ingest(conn, stage, night(3), url=feed)
    assert late.outcome == "applied" and late.stats is not None
    assert late.stats.held_back == ["Governor: is certified, the payload says unofficial"]
    now = await totals(conn)
    assert now[GOV] == TOTALS[2][GOV]  # not 1170 / 1088: the certified count stands
    assert now[SEN] == TOTALS[3][SEN]  # the rest of the payload is applied
    assert (await reporting(conn))[GOV][2] == "certified"
    assert late.stats.contests_changed == 2
    # the warning stays on the snapshot, and shows on the source until its next poll
    snap = await conn.fetchrow(
        "select status, error from snapshots where id = $1", late.snapshot_id
    )
    assert snap["status"] == "applied" and "Governor: is certified" in snap["error"]
    source = await conn.fetchval("select last_error from sources where url = $1", feed)
    assert "held back" in source and "Governor" in source
    # the same bytes again: nothing to do, nothing written
    assert (await ingest(conn, stage, night(3), url=feed)).outcome == "unchanged"


def _senate(votes: int, status: str) -> Parsed:
    rows = [
        ResultRecord("State Senate", "9", "Ian Cho", "Democratic", "", votes, status=status),
        ResultRecord("State Senate", "9", "Beth Lyle", "Republican", "", 100, status=status),
    ]
    return Parsed(rows)


async def test_equal_or_more_final_status_still_applies(
    conn: asyncpg.Connection, stage: int
) -> None:
    await apply_parsed(conn, stage_id=stage, parsed=_senate(200, "official"))
    fixed = await apply_parsed(conn, stage_id=stage, parsed=_senate(201, "official"))  # correction
    assert (fixed.held_back, (await totals(conn))[SEN]["Ian Cho"]) == ([], 201)
    up = await apply_parsed(conn, stage_id=stage, parsed=_senate(202, "certified"))
    assert (up.held_back, (await reporting(conn))[SEN][2]) == ([], "certified")
    down = await apply_parsed(conn, stage_id=stage, parsed=_senate(150, "official"))
    assert down.held_back == ["State Senate 9: is certified, the payload says official"]
    assert (down.contests_changed, (await totals(conn))[SEN]["Ian Cho"]) == (0, 202)
