"""Migrations apply to an empty database in one order, are idempotent, refuse edited files,
and serialise; function files are applied again exactly when they change."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from endorse.db.migrate import (
    MigrationError,
    discover,
    discover_functions,
    migrate,
    migrate_url,
)
from endorse.db.paths import SQL_DIR
from tests import pg


@pytest.fixture
async def empty_db(server_url: str) -> AsyncIterator[str]:
    name = pg.unique_name("endorse_empty")
    url = await pg.create_database(server_url, name)
    try:
        yield url
    finally:
        await pg.drop_database(server_url, name)


async def _tables(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "select table_name from information_schema.tables where table_schema = 'public'"
        )
        return {r["table_name"] for r in rows}
    finally:
        await conn.close()


async def test_applies_all_to_empty_database_then_nothing(empty_db: str) -> None:
    first = await migrate_url(empty_db)
    assert first == [m.path.name for m in discover()] + [
        f"functions/{p.name}" for p in discover_functions()
    ]
    tables = await _tables(empty_db)
    assert {"schema_migrations", "elections", "contests", "results", "endorsements"} <= tables
    assert await migrate_url(empty_db) == []


async def test_edited_applied_migration_is_refused(empty_db: str, tmp_path: Path) -> None:
    sql = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql, ignore=shutil.ignore_patterns("queries"))
    await migrate_url(empty_db, sql)
    first = sorted(sql.glob("0001_*.sql"))[0]
    first.write_text(first.read_text() + "\n-- an innocent-looking edit\n")
    with pytest.raises(MigrationError, match="edited after it was applied"):
        await migrate_url(empty_db, sql)


async def test_failed_migration_leaves_nothing_behind(empty_db: str, tmp_path: Path) -> None:
    sql = tmp_path / "sql"
    sql.mkdir()
    (sql / "0001_good.sql").write_text("create table good (id int);")
    (sql / "0002_bad.sql").write_text("create table half (id int); select 1/0;")
    with pytest.raises(asyncpg.DivisionByZeroError):
        await migrate_url(empty_db, sql)
    tables = await _tables(empty_db)
    assert "good" in tables
    assert "half" not in tables  # the failing file rolled back whole


async def test_two_processes_at_once_apply_each_file_once(empty_db: str) -> None:
    conns = [await asyncpg.connect(empty_db) for _ in range(3)]
    try:
        results = await asyncio.gather(*(migrate(c) for c in conns))
    finally:
        for c in conns:
            await c.close()
    applied = [name for r in results for name in r if not name.startswith("functions/")]
    assert sorted(applied) == sorted(m.path.name for m in discover())


def test_badly_named_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "1_oops.sql").write_text("select 1;")
    with pytest.raises(MigrationError, match=r"0001_reason\.sql"):
        discover(tmp_path)


async def _migrations_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    sql = tmp_path / "sql"
    (sql / "functions").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (sql / name).write_text(text)
    return sql


async def test_new_migration_below_an_applied_one_is_refused(empty_db: str, tmp_path: Path) -> None:
    sql = await _migrations_dir(
        tmp_path, {"0001_a.sql": "create table a (id int);", "0050_c.sql": "create table c ();"}
    )
    await migrate_url(empty_db, sql)
    (sql / "0045_b.sql").write_text("create table b (id int);")
    with pytest.raises(MigrationError, match=r"0045_b\.sql numbered below 0050_c\.sql"):
        await migrate_url(empty_db, sql)
    assert "b" not in await _tables(empty_db)
    # numbered above every applied one, it is simply the next migration
    (sql / "0045_b.sql").rename(sql / "0060_b.sql")
    assert await migrate_url(empty_db, sql) == ["0060_b.sql"]


async def test_applied_migration_missing_from_disk_is_refused(
    empty_db: str, tmp_path: Path
) -> None:
    sql = await _migrations_dir(tmp_path, {"0001_a.sql": "create table a (id int);"})
    (sql / "0036_old.sql").write_text("create table old (id int);")
    await migrate_url(empty_db, sql)
    (sql / "0036_old.sql").unlink()
    with pytest.raises(MigrationError, match=r"0036_old\.sql.*make clean"):
        await migrate_url(empty_db, sql)


async def test_function_file_is_applied_again_when_it_changes(
    empty_db: str, tmp_path: Path
) -> None:
    sql = await _migrations_dir(tmp_path, {"0001_a.sql": "create table a (n int);"})
    rule = sql / "functions" / "rule.sql"
    # calls a function another file defines later: bodies are not checked at creation
    rule.write_text(
        "create or replace function doubled(n int) returns int\n"
        "language sql immutable as $$ select twice(n) $$;"
    )
    (sql / "functions" / "zz_helpers.sql").write_text(
        "create or replace function twice(n int) returns int\n"
        "language sql immutable as $$ select 2 * n $$;"
    )
    assert await migrate_url(empty_db, sql) == [
        "0001_a.sql",
        "functions/rule.sql",
        "functions/zz_helpers.sql",
    ]
    assert await migrate_url(empty_db, sql) == []
    rule.write_text(
        "create or replace function doubled(n int) returns int\n"
        "language sql immutable as $$ select twice(n) + 1 $$;"
    )
    assert await migrate_url(empty_db, sql) == ["functions/rule.sql"]
    conn = await asyncpg.connect(empty_db)
    try:
        assert await conn.fetchval("select doubled(20)") == 41
    finally:
        await conn.close()


async def test_0110_renames_the_typed_name_and_keeps_every_stored_image(
    empty_db: str, tmp_path: Path
) -> None:
    """A database made before sql/0110 (endorsements.candidate_name, a view reading it, versions
    and audit rows keyed by the old name) comes out with one name and nothing lost."""
    sql = tmp_path / "sql"
    # migrations numbered after 0110 come after it, as on a real upgrade (the runner refuses a
    # number below one applied)
    later = sorted(p.name for p in SQL_DIR.glob("[0-9]*.sql") if int(p.name[:4]) > 110)
    ignored = shutil.ignore_patterns("queries", "functions", "0110_*", *later)
    shutil.copytree(SQL_DIR, sql, ignore=ignored)
    (sql / "functions").mkdir()
    real_view = (SQL_DIR / "functions" / "endorsements.sql").read_text()
    # the view as it read the old column, under the same file name as the real one
    (sql / "functions" / "endorsements.sql").write_text(
        "create or replace view endorsement_details as\n"
        "select e.id, e.candidate_name from endorsements e;"
    )
    await migrate_url(empty_db, sql)
    conn = await asyncpg.connect(empty_db)
    try:
        await conn.execute(
            """insert into elections (slug, name, election_date) values ('e', 'E', '2026-11-03');
               insert into stages (election_id, kind, election_day)
                    select id, 'general', '2026-11-03' from elections;
               insert into bodies (name) values ('AFT');
               insert into endorsements (stage_id, body_id, office, candidate_name, endorsed_on,
                                         created_by, updated_by)
                    select s.id, b.id, 'State Senate', 'Bill  Tong', '2026-09-01', 't', 't'
                      from stages s, bodies b;
               insert into endorsement_versions (endorsement_id, version, op, changed_by, data)
                    select id, 1, 'create', 't',
                           jsonb_build_object('id', id, 'candidate_name', candidate_name)
                      from endorsements;
               insert into audit_log (actor, action, entity, entity_id, before, after)
                    values ('t', 'endorsement.update', 'endorsements', '1',
                            '{"candidate_name": "Bill Tong", "party": ""}',
                            '{"candidate_name": "William Tong", "party": ""}'),
                           ('t', 'body.create', 'bodies', '1', null,
                            '{"candidate_name": "not an endorsement"}');"""
        )
        for name in ("0110_one_name_for_the_typed_candidate.sql", *later):
            shutil.copy(SQL_DIR / name, sql)
        (sql / "functions" / "endorsements.sql").write_text(real_view)
        assert await migrate_url(empty_db, sql) == [
            "0110_one_name_for_the_typed_candidate.sql",
            *later,
            "functions/endorsements.sql",
        ]
        row = await conn.fetchrow("select candidate, candidate_key from endorsement_details")
        assert tuple(row) == ("Bill  Tong", "bill tong")  # the generated key followed the column
        data = await conn.fetchval("select data from endorsement_versions")
        assert data == '{"id": 1, "candidate": "Bill  Tong"}'
        audit = await conn.fetch("select before, after from audit_log order by id")
        assert [tuple(a) for a in audit] == [
            (
                '{"party": "", "candidate": "Bill Tong"}',
                '{"party": "", "candidate": "William Tong"}',
            ),
            (None, '{"candidate_name": "not an endorsement"}'),  # not an endorsement: untouched
        ]
    finally:
        await conn.close()
