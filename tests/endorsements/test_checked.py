"""Check a file, then import exactly that file (endorse.endorsements.checked)."""

from __future__ import annotations

import asyncpg
import pytest

from endorse.endorsements import checked
from tests.endorsements.sample import counts, csv_bytes, row


async def test_check_writes_nothing_and_apply_imports_exactly_the_checked_rows(
    conn: asyncpg.Connection, election: str
) -> None:
    data = csv_bytes(row("John W. Fonfara"), row("Jane Doe", district="2"))
    before = await counts(conn)
    kept = await checked.check(conn, data, actor="ann", filename="list.csv")
    assert await counts(conn) == before
    assert kept.importable and kept.report is not None
    assert [(r.row, r.status) for r in kept.report.results] == [(2, "created"), (3, "created")]

    done = await checked.apply(conn, kept.id, actor="ann")
    assert done.applied_by == "ann" and done.applied_report is not None
    assert done.applied_report.created == 2
    assert await conn.fetchval("select count(*) from endorsements") == 2
    assert (
        await conn.fetchval(
            "select count(*) from audit_log where action = 'endorsement.create' and actor = 'ann'"
        )
        == 2
    )

    with pytest.raises(checked.NotApplicable, match="already imported"):
        await checked.apply(conn, kept.id, actor="ann")


async def test_bad_date_names_row_and_column_and_cannot_be_applied(
    conn: asyncpg.Connection, election: str
) -> None:
    data = csv_bytes(row("A One"), row("B Two", district="2", endorsed_on="2018-13-45"))
    kept = await checked.check(conn, data, actor="ann")
    assert kept.report is not None and not kept.importable
    bad = [r for r in kept.report.results if r.status == "error"]
    assert [(r.row, r.errors[0].column) for r in bad] == [(3, "endorsed_on")]
    with pytest.raises(checked.NotApplicable):
        await checked.apply(conn, kept.id, actor="ann")
    assert await conn.fetchval("select count(*) from endorsements") == 0


async def test_an_edit_between_check_and_import_applies_nothing(
    conn: asyncpg.Connection, election: str
) -> None:
    await checked.apply(
        conn, (await checked.check(conn, csv_bytes(row("A One")), actor="ann")).id, actor="ann"
    )
    # the new file updates A One's notes and creates B Two
    data = csv_bytes(row("A One", notes="seen"), row("B Two", district="2"))
    kept = await checked.check(conn, data, actor="ann")
    assert kept.report is not None
    assert [r.status for r in kept.report.results] == ["updated", "created"]
    await conn.execute("update endorsements set notes = 'bob was here', updated_by = 'bob'")
    before = await counts(conn)

    with pytest.raises(checked.NotApplicable, match="changed since"):
        await checked.apply(conn, kept.id, actor="ann")
    assert await counts(conn) == before
    assert await conn.fetchval("select notes from endorsements") == "bob was here"
    assert (await checked.get(conn, kept.id)).applied_at is None


async def test_a_row_created_meanwhile_applies_nothing(
    conn: asyncpg.Connection, election: str
) -> None:
    kept = await checked.check(conn, csv_bytes(row("A One"), row("B Two", district="2")), actor="a")
    other = await checked.check(conn, csv_bytes(row("B Two", district="2")), actor="b")
    await checked.apply(conn, other.id, actor="b")
    with pytest.raises(checked.NotApplicable, match="changed since"):
        await checked.apply(conn, kept.id, actor="a")
    assert await conn.fetchval("select count(*) from endorsements") == 1


async def test_unreadable_header_is_kept_with_its_error_and_mapping_fixes_it(
    conn: asyncpg.Connection, election: str
) -> None:
    header = "election,stage,office,district,Candidate Name,party,endorsed_by,endorsed_on,notes"
    data = csv_bytes(row("A One"), header=header)
    kept = await checked.check(conn, data, actor="ann")
    assert kept.report is None and kept.file_error and "Candidate Name" in kept.file_error
    mapped = await checked.check(conn, data, actor="ann", mapping="Candidate Name:candidate")
    assert mapped.importable and mapped.mapping == "Candidate Name:candidate"
    await checked.apply(conn, mapped.id, actor="ann")
    assert await conn.fetchval("select candidate from endorsements") == "A One"


async def test_unknown_id_is_not_found(conn: asyncpg.Connection) -> None:
    with pytest.raises(checked.CheckedNotFound):
        await checked.get(conn, "nope")
    with pytest.raises(checked.CheckedNotFound):
        await checked.apply(conn, "nope", actor="ann")
