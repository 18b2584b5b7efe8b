"""Time runs forward: an older version or as-of time is never applied over newer numbers, and
rows that count ballots rather than a candidate's votes never become candidates, in any format.

Fixtures: tests/fixtures/hostile/semantic/ (tests/reliability/make_semantic_fixtures.py).
"""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from endorse.results.pipeline import poll_source
from scrapers import FORMATS
from scrapers._common import is_pseudo_candidate
from scrapers.records import ResultRecord
from tests.reliability.make_semantic_fixtures import PSEUDO, WRITERS, path
from tests.reliability.semantic import HTML_MAPPING, REP, SEN, load, source, totals
from tests.results.conftest import fixture_server, http, night, stage  # noqa: F401 (fixtures)
from tests.results.replay import Night, zipped

GROWN = {
    SEN: {"Ann Park": 190, "Bo Reyes": 170, "Ed Voss": 15},
    REP: {"Cy Lund": 100, "Di Marsh": 99},
}


@pytest.mark.parametrize(
    "text",
    [*PSEUDO, "OVERVOTES", "Over-Votes", "undervotes", "Total", "TOTALS", "Total Votes Cast:",
     "Blank", "blanks", "Void", "Times Blank Voted", "Ballots Cast", "Registered Voters"],
)  # fmt: skip
def test_one_rule_names_the_pseudo_candidates(text: str) -> None:
    assert is_pseudo_candidate(text)


@pytest.mark.parametrize(
    "text", ["Ann Park", "Write-ins", "Scattering", "Totalia Smith", "Blanka Over", "Overton"]
)
def test_people_and_write_ins_are_not_pseudo_candidates(text: str) -> None:
    assert not is_pseudo_candidate(text)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_each_parser_drops_pseudo_rows(fmt: str) -> None:
    body = path(fmt, "pseudo").read_bytes()
    records: list[ResultRecord] = (
        FORMATS[fmt].parse(body, HTML_MAPPING if fmt == "html" else None).records
    )
    assert records and not [r.candidate for r in records if is_pseudo_candidate(r.candidate)]
    assert {r.candidate for r in records} == {n for c in GROWN.values() for n in c}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
async def test_pseudo_rows_never_become_candidates(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    fmt: str,
) -> None:
    source_id = await source(conn, stage, fmt)
    assert (await load(conn, source_id, fmt, "pseudo")).outcome == "applied"
    assert await totals(conn) == GROWN
    names = [r[0] for r in await conn.fetch("select ballot_name from candidacies")]
    assert not [n for n in names if is_pseudo_candidate(n)]


async def test_an_older_ct_sots_version_is_not_applied(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
) -> None:
    source_id = await source(conn, stage, "ct-sots")
    assert (await load(conn, source_id, "ct-sots", "grown")).outcome == "applied"
    older = await load(conn, source_id, "ct-sots", "version_back")
    assert older.outcome == "quarantined"
    assert older.error is not None and "version went backwards: 9 after 11" in older.error
    assert await totals(conn) == GROWN
    flagged = await conn.fetchrow(
        """select sn.status, sn.version, so.last_error from snapshots sn
             join sources so on so.quarantined_snapshot_id = sn.id where so.id = $1""",
        source_id,
    )
    assert (flagged["status"], flagged["version"]) == ("quarantined", "9")
    assert "version went backwards" in flagged["last_error"]
    # the newer version again is not news; nothing changes
    assert (await load(conn, source_id, "ct-sots", "grown")).outcome == "unchanged"
    assert await totals(conn) == GROWN


async def test_clarity_older_version_or_as_of_over_http_is_not_applied(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    night: Night,  # noqa: F811
    http: httpx.AsyncClient,  # noqa: F811
) -> None:
    source_id = await night.register(conn, stage, "clarity")
    grown = zipped(path("clarity", "grown").read_bytes())
    older = zipped(path("clarity", "version_back").read_bytes())  # Timestamp 8:30, not 9:30
    night.publish("clarity", 0, body=grown, number=10)  # current_ver.txt: 211
    assert (await poll_source(conn, source_id, http, force=True)).outcome == "applied"

    night.publish("clarity", 0, body=grown + b" ", number=5)  # 206: an edge serving old bytes
    result = await poll_source(conn, source_id, http, force=True)
    assert result.outcome == "quarantined"
    assert result.error is not None and "version went backwards: 206 after 211" in result.error
    assert await totals(conn) == GROWN

    night.publish("clarity", 0, body=older, number=20)  # 221, but stamped earlier
    result = await poll_source(conn, source_id, http, force=True)
    assert result.outcome == "quarantined"
    assert result.error is not None and "as-of time went backwards" in result.error
    assert await totals(conn) == GROWN
