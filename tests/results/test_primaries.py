"""A CT primary day: one EMS election per party, two sources of one stage, contests kept apart."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import httpx

from endorse.elections.service import stage_id
from endorse.results.pipeline import poll_source
from endorse.results.sources import ensure_source
from tests.results import night as truth
from tests.results.replay import FAST, Night, Reply

PRIMARIES = Path(__file__).resolve().parents[1] / "fixtures" / "20260811_ct_sots_primaries"


def _serve(night: Night) -> None:
    for file in PRIMARIES.rglob("*.json"):
        path = "/primaries/" + file.relative_to(PRIMARIES).as_posix()
        night.server.files[path] = Reply(file.read_bytes(), content_type="application/json")


async def _by_party(conn: asyncpg.Connection) -> dict[tuple[str, str, str], dict[str, int]]:
    rows = await conn.fetch(
        """select c.office, c.district, c.party, ca.ballot_name, t.votes
             from candidacy_totals t
             join candidacies ca on ca.id = t.candidacy_id
             join contests c on c.id = t.contest_id"""
    )
    out: dict[tuple[str, str, str], dict[str, int]] = {}
    for r in rows:
        out.setdefault((r["office"], r["district"], r["party"]), {})[r["ballot_name"]] = r["votes"]
    return out


async def test_two_party_primaries_are_two_sources_of_one_stage(
    conn: asyncpg.Connection, stage: int, night: Night, http: httpx.AsyncClient
) -> None:
    _serve(night)
    primary = await stage_id(conn, truth.SLUG, "primary")
    sources = [
        await ensure_source(
            conn,
            stage_id=primary,
            format="ct-sots",
            url=f"{night.base_url}/primaries/ng-app/data/election/{election}/",
            mapping=FAST,
            default_seconds=60,
            actor="test",
        )
        for election in ("108", "109")
    ]
    for source_id in sources:
        assert (await poll_source(conn, source_id, http, force=True)).outcome == "applied"
    governor = "Governor"  # the canonical office; the feed's own name is kept beside it
    assert await _by_party(conn) == {
        (governor, "", "Democratic"): {
            "Maria T. Alvarez and Owen Park": 1202,
            "Luis Ortega and Kim Sato": 857,
        },
        ("State Senate", "7", "Democratic"): {"Helen Okafor": 1000, "Dev Patel": 850},
        # "Erin Walsh and Tom Burke" is on a line with no party: still the Republican contest
        (governor, "", "Republican"): {
            "Gary Holt and Dana Reyes": 900,
            "Erin Walsh and Tom Burke": 710,
        },
        ("State Senate", "7", "Republican"): {"Gary Pelletier": 1300},
    }
    # Polling one again changes nothing of the other's contests.
    assert (await poll_source(conn, sources[0], http, force=True)).outcome == "unchanged"
    assert len(await _by_party(conn)) == 4
    printed = await conn.fetch("select distinct source_office from contests order by 1")
    assert [r[0] for r in printed] == ["Governor and Lieutenant Governor", "State Senate 7"]
