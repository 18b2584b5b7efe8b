"""Migrations apply to an empty database, are idempotent, refuse edited files, and serialise."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from endorse.db.migrate import MigrationError, discover, migrate, migrate_url
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
    assert first == [m.path.name for m in discover()]
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
    applied = [name for r in results for name in r]
    assert sorted(applied) == sorted(m.path.name for m in discover())


def test_badly_named_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "1_oops.sql").write_text("select 1;")
    with pytest.raises(MigrationError, match=r"0001_reason\.sql"):
        discover(tmp_path)
