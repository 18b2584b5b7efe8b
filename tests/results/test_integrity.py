"""results.candidacy_id (sql/0090), results.snapshot_id (sql/0160) and candidacies.contest_id
and .candidate_id (sql/0120) are checked per statement (sql/functions/results_integrity.sql): the guarantees of the foreign keys
they replaced, each tried against the real server."""

from __future__ import annotations

import asyncpg
import pytest

from endorse.results.ingest import apply_parsed
from scrapers.records import Parsed, ResultRecord


def _record(candidate: str, unit: str, votes: int) -> ResultRecord:
    return ResultRecord(
        office="State Senator", district="5", candidate=candidate, party="DEM", unit=unit,
        votes=votes,
    )  # fmt: skip


@pytest.fixture
async def loaded(conn: asyncpg.Connection, stage: int) -> int:
    parsed = Parsed(records=[_record("Ana Ruiz", "Avon", 10), _record("Ben Cho", "Avon", 7)])
    await apply_parsed(conn, stage_id=stage, parsed=parsed)
    return await conn.fetchval("select count(*) from results")


async def test_a_row_for_no_candidacy_is_refused_with_nothing_written(
    conn: asyncpg.Connection, loaded: int
) -> None:
    real = await conn.fetchval("select min(id) from candidacies")
    rows = [(real, "DEM", "Bethel", 3), (real + 1000, "DEM", "Bethel", 4)]
    with pytest.raises(asyncpg.ForeignKeyViolationError, match=f"candidacy_id {real + 1000}"):
        await conn.copy_records_to_table(
            "results", records=rows, columns=("candidacy_id", "party", "unit", "votes")
        )
    with pytest.raises(asyncpg.ForeignKeyViolationError):
        await conn.execute(
            "insert into results (candidacy_id, party, unit, votes) values ($1, '', '', 1)",
            real + 1000,
        )
    assert await conn.fetchval("select count(*) from results") == loaded == 2


async def test_a_row_never_moves_to_another_candidacy(
    conn: asyncpg.Connection, loaded: int
) -> None:
    ids = [r[0] for r in await conn.fetch("select id from candidacies order by id")]
    with pytest.raises(asyncpg.RaiseError, match="candidacy_id cannot change"):
        await conn.execute(
            "update results set candidacy_id = $1 where candidacy_id = $2", ids[1], ids[0]
        )
    await conn.execute("update results set votes = votes + 1")  # other columns still change


async def test_deleting_an_election_deletes_its_results_as_the_cascade_did(
    conn: asyncpg.Connection, loaded: int
) -> None:
    await conn.execute("delete from candidacies where id = (select min(id) from candidacies)")
    assert await conn.fetchval("select count(*) from results") == 1
    await conn.execute("delete from elections")
    assert await conn.fetchval("select count(*) from results") == 0


async def test_a_candidacy_for_no_contest_or_no_candidate_is_refused_with_nothing_written(
    conn: asyncpg.Connection, loaded: int
) -> None:
    contest, person = await conn.fetchrow("select contest_id, candidate_id from candidacies")
    before = await conn.fetchval("select count(*) from candidacies")
    other = await conn.fetchval(
        "insert into candidates (name, name_key) values ('Cy', 'cy') returning id"
    )
    insert = "insert into candidacies (contest_id, candidate_id, ballot_name) values ($1, $2, 'x')"
    with pytest.raises(asyncpg.ForeignKeyViolationError, match=f"contest_id {contest + 1000} "):
        await conn.executemany(insert, [(contest, other), (contest + 1000, other)])
    with pytest.raises(asyncpg.ForeignKeyViolationError, match=f"candidate_id {other + 1000} "):
        await conn.execute(insert, contest, other + 1000)
    assert await conn.fetchval("select count(*) from candidacies") == before
    with pytest.raises(asyncpg.ForeignKeyViolationError, match="is not a candidate"):
        await conn.execute(
            "update candidacies set candidate_id = candidate_id + 1000 where candidate_id = $1",
            person,
        )
    await conn.execute(insert, contest, other)  # a real contest and candidate still go in


async def test_deleting_a_contest_deletes_its_candidacies_and_results(
    conn: asyncpg.Connection, loaded: int
) -> None:
    await conn.execute("delete from contests")
    assert await conn.fetchval("select count(*) from candidacies") == 0
    assert await conn.fetchval("select count(*) from results") == 0


async def test_a_candidate_on_a_ballot_is_not_deleted(
    conn: asyncpg.Connection, loaded: int
) -> None:
    with pytest.raises(asyncpg.ForeignKeyViolationError, match="named by a candidacy"):
        await conn.execute("delete from candidates")
    assert await conn.fetchval("select count(*) from candidates") == 2
    await conn.execute("delete from contests")
    await conn.execute("delete from candidates")  # no candidacy names them any more


async def _snapshot(conn: asyncpg.Connection, stage: int) -> int:
    source = await conn.fetchval(
        "insert into sources (stage_id, format, url) values ($1, 'openelections', 'file:///x')"
        " returning id",
        stage,
    )
    return await conn.fetchval(
        "insert into snapshots (source_id, sha256, body, size, status)"
        " values ($1, '\\x00', '\\x00', 1, 'applied') returning id",
        source,
    )


async def test_a_row_naming_no_snapshot_is_refused_on_insert_and_update(
    conn: asyncpg.Connection, stage: int, loaded: int
) -> None:
    snapshot = await _snapshot(conn, stage)
    real = await conn.fetchval("select min(id) from candidacies")
    columns = ("candidacy_id", "party", "unit", "votes", "snapshot_id")
    rows = [(real, "DEM", "Bethel", 3, snapshot), (real, "DEM", "Canton", 4, snapshot + 1000)]
    with pytest.raises(asyncpg.ForeignKeyViolationError, match=f"snapshot_id {snapshot + 1000} "):
        await conn.copy_records_to_table("results", records=rows, columns=columns)
    assert await conn.fetchval("select count(*) from results") == loaded
    with pytest.raises(asyncpg.ForeignKeyViolationError, match="is not a snapshot"):
        await conn.execute("update results set snapshot_id = $1", snapshot + 1000)
    assert await conn.fetchval("select count(*) from results where snapshot_id is not null") == 0
    await conn.copy_records_to_table("results", records=rows[:1], columns=columns)
    await conn.execute("update results set snapshot_id = $1", snapshot)  # a real one goes in


async def test_deleting_a_source_sets_its_snapshots_rows_to_null_as_the_key_did(
    conn: asyncpg.Connection, stage: int, loaded: int
) -> None:
    snapshot = await _snapshot(conn, stage)
    await conn.execute("update results set snapshot_id = $1", snapshot)
    await conn.execute("delete from sources")  # its snapshots go by the cascade
    assert await conn.fetchval("select count(*) from snapshots") == 0
    assert await conn.fetchval("select count(*) from results where snapshot_id is null") == loaded
