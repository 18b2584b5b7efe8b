"""The real recorded files in ../shared/data load cleanly (skipped when the folder is absent)."""

from __future__ import annotations

import csv
import io

import asyncpg
import pytest

from endorse.results.ingest import apply_parsed
from scrapers import ct_sots, openelections
from tests.conftest import SHARED_DATA
from tests.results.helpers import footprint

OE_2016 = SHARED_DATA / "openelections-ct" / "20161108__ct__general__precinct.csv"
SOTS_2022 = SHARED_DATA / "ct-sots" / "ng-app" / "data" / "election" / "80"


@pytest.mark.skipif(not OE_2016.exists(), reason="shared OpenElections sample absent")
async def test_openelections_2016_general(conn: asyncpg.Connection, stage: int) -> None:
    body = OE_2016.read_bytes()
    parsed = openelections.parse(body, {"duplicates": "sum"})  # CT repeats tallies per precinct
    stats = await apply_parsed(conn, stage_id=stage, parsed=parsed)
    assert stats.rows_written == len(parsed.records)

    # fusion summed by the view equals the file's own sum over all party lines and precincts
    by_hand = sum(
        int(row["votes"].replace(",", "") or 0)
        for row in csv.DictReader(io.StringIO(body.decode()))
        if row["office"] == "President" and row["candidate"] == "Clinton and Kaine"
    )
    in_db = await conn.fetchval(
        """select t.votes from candidacy_totals t join candidacies ca on ca.id = t.candidacy_id
            join contests c on c.id = ca.contest_id
           where c.office = 'President' and ca.ballot_name = 'Clinton and Kaine'"""
    )
    assert in_db == by_hand > 800_000
    # "Registrar of Voters - Darien": each town's office is its own contest, district = town
    registrars = await conn.fetch(
        "select district from contests where office = 'Registrar of Voters'"
    )
    assert len(registrars) > 100 and {"Hartford", "New Haven"} <= {
        r["district"] for r in registrars
    }

    before = await footprint(conn)
    again = await apply_parsed(conn, stage_id=stage, parsed=parsed)
    assert again.rows_changed == 0 and await footprint(conn) == before


@pytest.mark.skipif(not SOTS_2022.exists(), reason="shared CT SOTS sample absent")
async def test_ct_sots_2022_state_election(conn: asyncpg.Connection, stage: int) -> None:
    parsed = ct_sots.parse(ct_sots.load_path(SOTS_2022))
    stats = await apply_parsed(conn, stage_id=stage, parsed=parsed)
    assert stats.contests == len({(r.office, r.district) for r in parsed.records})
    statewide = await conn.fetchrow(
        """select cs.precincts_reporting, cs.precincts_total from contest_status cs
            join contests c on c.id = cs.contest_id where c.office = 'Governor'"""
    )
    assert tuple(statewide) == (760, 763)  # "760 of 763 (99.61%)" in the feed
