"""A re-poll patched from the payload this process applied last (endorse.results.delta): the
rows written are the rows whose counts moved, and the results are always those of the newest
payload, whether what was remembered still matches the database or not."""

from __future__ import annotations

import asyncpg
import msgspec
import pytest

from endorse.results import delta
from endorse.results.ingest import ApplyStats, apply_parsed
from endorse.results.prepare import prepare
from scrapers.records import Parsed, ResultRecord

UNITS = [f"Town {t} / Precinct {p}" for t in range(6) for p in range(1, 4)]


def _payload() -> list[ResultRecord]:
    """A statewide contest in every unit (two candidates, one on two lines) and a town's own."""
    out = []
    for i, unit in enumerate(UNITS):
        out += [
            ResultRecord("Governor", None, "Ana Ruiz", "DEM", unit, 100 + i),
            ResultRecord("Governor", None, "Ana Ruiz", "WFP", unit, 10 + i),
            ResultRecord("Governor", None, "Ben Cho", "REP", unit, 90 + i),
        ]
        if unit.startswith("Town 0 "):
            out.append(ResultRecord("Selectman - Town 0", None, "Cy Dee", "DEM", unit, 5 + i))
    return out


def _moved(records: list[ResultRecord], at: list[int], by: int = 7) -> list[ResultRecord]:
    out = list(records)
    for i in at:
        out[i] = msgspec.structs.replace(out[i], votes=out[i].votes + by)
    return out


async def _stored(conn: asyncpg.Connection) -> dict[tuple[str, str, str, str], int]:
    rows = await conn.fetch(
        "select c.office, ca.ballot_name, r.party, r.unit, r.votes from results r"
        " join candidacies ca on ca.id = r.candidacy_id join contests c on c.id = ca.contest_id"
    )
    return {(r[0], r[1], r[2], r[3]): r[4] for r in rows}


def _want(records: list[ResultRecord]) -> dict[tuple[str, str, str, str], int]:
    return {
        (b.office, b.candidacies[k].ballot_name, line, unit): v
        for b in prepare(records).values()
        for (k, line, unit), v in b.votes.items()
    }


@pytest.fixture(autouse=True)
def _forgotten() -> None:
    delta.forget()  # what another test's database left in this process


async def test_a_repoll_writes_the_rows_that_moved_and_reads_no_stored_rows(
    conn: asyncpg.Connection, stage: int
) -> None:
    first = _payload()
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(first))
    at = [4, 30, 31]  # one row in a unit whose other rows stay as they were, two in another
    logged: list[str] = []
    conn.add_query_logger(lambda q: logged.append(q.query))
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(_moved(first, at)))
    assert (stats.rows_written, stats.rows_deleted) == (3, 0)
    assert stats.contests_changed == 1
    assert await _stored(conn) == _want(_moved(first, at))
    assert not [q for q in logged if "stored rows of some contests" in q]  # patched, not read


async def test_anything_but_counts_reads_the_payload_whole(
    conn: asyncpg.Connection, stage: int
) -> None:
    first = _payload()
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(first))
    renamed = _moved(first, [0])
    renamed[5] = msgspec.structs.replace(renamed[5], unit="Town 9 / Precinct 1")
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(renamed))
    assert (stats.rows_written, stats.rows_deleted) == (2, 1)  # moved, new unit; old unit gone
    assert await _stored(conn) == _want(renamed)
    shorter = renamed[:-1]  # a row the feed no longer has is deleted
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(_moved(shorter, [1])))
    assert (stats.rows_written, stats.rows_deleted) == (1, 1)
    assert await _stored(conn) == _want(_moved(shorter, [1]))


async def test_a_database_unlike_what_was_remembered_is_compared_row_by_row(
    conn: asyncpg.Connection, stage: int
) -> None:
    first = _payload()
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(first))
    # a row gone behind the load's back (the contest's stored hash unchanged): the patched
    # update finds one row fewer than it was told, and the load runs again whole
    gone = await conn.execute(
        "delete from results r using candidacies ca where ca.id = r.candidacy_id"
        " and ca.ballot_name = 'Ben Cho' and r.unit = $1",
        UNITS[0],
    )
    assert gone == "DELETE 1"  # record 2's row
    second = _moved(first, [2, 5])
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(second))
    assert stats.rows_written == 2
    assert await _stored(conn) == _want(second)
    # a load rolled back after it was remembered: the database keeps the older payload
    third = _moved(second, [0, 1, 3])

    async def rolled_back() -> None:
        async with conn.transaction():
            await apply_parsed(conn, stage_id=stage, parsed=Parsed(third))
            raise RuntimeError("the caller's transaction fails")

    with pytest.raises(RuntimeError):
        await rolled_back()
    fourth = _moved(third, [6])
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(fourth))
    assert await _stored(conn) == _want(fourth)
    assert stats.rows_written == 4  # the three rolled back, and the one moved now


async def test_a_contest_another_process_wrote_since_is_compared_row_by_row(
    conn: asyncpg.Connection, stage: int
) -> None:
    first = _payload()
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(first))
    kept = dict(delta._last)  # what this process remembers: the first payload
    delta.forget()  # another process (remembering nothing) applies another version
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(_moved(first, [7, 8], by=3)))
    delta._last.clear()
    delta._last.update(kept)
    second = _moved(first, [7])  # this process's next poll, moved from the first payload
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(second))
    assert stats.rows_written == 2  # row 7 to its new count, row 8 back to the first's
    assert await _stored(conn) == _want(second)


async def test_counts_that_went_down_are_held_without_reading_the_stored_rows(
    conn: asyncpg.Connection, stage: int
) -> None:
    source = await conn.fetchval(
        "insert into sources (stage_id, format, url) values ($1, 'openelections', 'file:///x')"
        " returning id",
        stage,
    )

    async def load(records: list[ResultRecord]) -> ApplyStats:
        snapshot = await conn.fetchval(
            "insert into snapshots (source_id, sha256, body, size, status)"
            " values ($1, '\\x00', '\\x00', 1, 'applied') returning id",
            source,
        )
        parsed = Parsed(records)
        return await apply_parsed(
            conn, stage_id=stage, parsed=parsed, source_id=source, snapshot_id=snapshot
        )

    first = _payload()
    await load(first)
    second = _moved(_moved(first, [0], by=-5), [3])  # a governor's count down, a town's up
    logged: list[str] = []
    conn.add_query_logger(lambda q: logged.append(q.query))
    stats = await load(second)
    assert stats.held == [
        "Governor: votes went down: Ana Ruiz (Democratic, Town 0 / Precinct 1) 100 -> 95"
    ]
    assert stats.rows_written == 1  # the town's contest; the governor's keeps its numbers
    assert await _stored(conn) == _want(_moved(first, [3]))
    assert not [q for q in logged if "stored rows of some contests" in q]  # held's, the merge's


async def test_a_unit_counted_in_two_rows_is_read_whole(
    conn: asyncpg.Connection, stage: int
) -> None:
    first = [*_payload(), ResultRecord("Governor", None, "Ben Cho", "REP", UNITS[0], 4)]
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(first))  # unit 0: 90 + 4 for Cho
    second = _moved(first, [len(first) - 1])  # the second tally of unit 0 moves
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(second))
    assert stats.rows_written == 1
    assert await _stored(conn) == _want(second)
    assert _want(second)[("Governor", "Ben Cho", "Republican", UNITS[0])] == 90 + 4 + 7


async def test_a_caller_changing_its_own_list_afterwards_changes_nothing_remembered(
    conn: asyncpg.Connection, stage: int
) -> None:
    records = _payload()
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(records))
    records[:] = _moved(records, [0, 9])  # the same list object, changed in place
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(records))
    assert stats.rows_written == 2
    records[:] = _moved(records, [1])
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(records))
    assert stats.rows_written == 1
    assert await _stored(conn) == _want(records)


FIRED = """
create table fired (tbl text, op text);
create function note_fired() returns trigger language plpgsql as $$
begin
    insert into fired values (tg_table_name, tg_op);
    return null;
end
$$;
"""


async def test_a_repoll_of_counts_alone_writes_nothing_but_the_moved_rows(
    conn: asyncpg.Connection, stage: int
) -> None:
    """No upsert of the contest, its candidates and candidacies (they would write nothing, but
    lock each row), no COPY of new rows (there are none): one UPDATE of results."""
    first = _payload()
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(first))
    await conn.execute(FIRED)
    for table in ("results", "contests", "candidates", "candidacies"):
        await conn.execute(
            f"create trigger {table}_fired after insert or update or delete on {table}"
            " for each statement execute function note_fired()"
        )
    second = _moved(first, [0, 3, 9])  # two of the governor's rows, one of the town's
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(second))
    assert (stats.rows_written, stats.contests_changed) == (3, 2)
    assert [tuple(r) for r in await conn.fetch("select * from fired")] == [("results", "UPDATE")]
    assert await _stored(conn) == _want(second)


async def test_what_a_person_changed_on_the_ballot_is_restored_by_a_repoll_of_counts(
    conn: asyncpg.Connection, stage: int
) -> None:
    """As before the upserts were skipped: a contest whose counts moved states its level, its
    candidacies and their party lines again, whatever was edited since the last load."""
    first = _payload()
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(first))
    level = await conn.fetchval("select level from contests where office = 'Governor'")
    await conn.execute("update contests set level = 'county' where office = 'Governor'")
    await conn.execute(
        "update candidacies set parties = '{Democratic}' where ballot_name = 'Ana Ruiz'"
    )
    second = _moved(first, [0])
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(second))
    assert stats.rows_written == 1
    assert await _stored(conn) == _want(second)
    assert await conn.fetchval("select level from contests where office = 'Governor'") == level
    parties = await conn.fetchval("select parties from candidacies where ballot_name = 'Ana Ruiz'")
    assert parties == ["Democratic", "Working Families"]
