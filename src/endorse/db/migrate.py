"""The schema: forward-only table migrations, then the functions and views that read the tables.

sql/NNNN_reason.sql are table migrations, numbered in one global sequence and applied in order,
each in its own transaction, recorded with a checksum. An edited applied file stops the run,
because the database would otherwise silently differ from what the repository says it is; so
does a new file numbered below one already applied (it would run after a later migration
that may depend on it not having run) and a recorded migration missing from disk (the baseline
was squashed: the database predates it).

sql/functions/<topic>.sql hold functions, views and triggers, each defined once. A file is
applied again whenever its checksum differs from the one recorded, so the live definition is
always the one in the file; every statement in them is re-runnable (`create or replace`). They
are applied after the migrations with check_function_bodies off, as pg_dump does, so a
function may call one from another file whatever the order.

An advisory lock makes two processes starting at once take turns instead of racing on DDL.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from endorse.db.paths import SQL_DIR

LOCK_KEY = 0x656E_646F  # "endo": one lock id for migrations across all endorse processes
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_TOPIC = re.compile(r"^[a-z0-9_]+\.sql$")

_CREATE_TABLES = """
create table if not exists schema_migrations (
    version     int primary key,
    name        text not null,
    checksum    text not null,
    applied_at  timestamptz not null default now()
);
create table if not exists schema_functions (
    name        text primary key,
    checksum    text not null,
    applied_at  timestamptz not null default now()
)"""


class MigrationError(RuntimeError):
    """The migrations on disk and in the database disagree."""


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def discover(directory: Path = SQL_DIR) -> list[Migration]:
    found: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration names look like 0001_reason.sql")
        version = int(match.group(1))
        if version in found:
            raise MigrationError(f"{path.name}: version {version} used twice")
        found[version] = Migration(version, path)
    return [found[v] for v in sorted(found)]


def discover_functions(directory: Path = SQL_DIR) -> list[Path]:
    """sql/functions/<topic>.sql, in name order (none when the directory is absent)."""
    paths = sorted((directory / "functions").glob("*.sql"))
    for path in paths:
        if not _TOPIC.match(path.name):
            raise MigrationError(f"functions/{path.name}: names look like functions/topic.sql")
    return paths


def _pending(migrations: list[Migration], applied: dict[int, asyncpg.Record]) -> list[Migration]:
    on_disk = {m.version for m in migrations}
    unknown = sorted(applied[v]["name"] for v in applied if v not in on_disk)
    if unknown:
        raise MigrationError(
            f"the database has migrations this checkout does not have ({', '.join(unknown)}); "
            "the migrations were squashed into a new baseline before the first release: "
            "recreate the database (`make clean` for the embedded one)"
        )
    for m in migrations:
        done = applied.get(m.version)
        if done is not None and done["checksum"] != m.checksum:
            raise MigrationError(
                f"{m.path.name} was edited after it was applied; write a new migration instead"
            )
    pending = [m for m in migrations if m.version not in applied]
    latest = max(applied, default=0)
    early = [m.path.name for m in pending if m.version < latest]
    if early:
        raise MigrationError(
            f"{', '.join(early)} numbered below {applied[latest]['name']}, which is already "
            "applied: migrations apply in one order everywhere; renumber it above"
        )
    return pending


async def _apply_functions(conn: asyncpg.Connection, directory: Path) -> list[str]:
    rows = await conn.fetch("select name, checksum from schema_functions")
    recorded = {r["name"]: r["checksum"] for r in rows}
    changed = [
        (f"functions/{p.name}", p)
        for p in discover_functions(directory)
        if recorded.get(f"functions/{p.name}") != hashlib.sha256(p.read_bytes()).hexdigest()
    ]
    if not changed:
        return []
    async with conn.transaction():
        await conn.execute("set local check_function_bodies = off")
        for name, path in changed:
            await conn.execute(path.read_text(encoding="utf-8"))
            await conn.execute(
                "insert into schema_functions (name, checksum) values ($1, $2) "
                "on conflict (name) do update set checksum = excluded.checksum, applied_at = now()",
                name,
                hashlib.sha256(path.read_bytes()).hexdigest(),
            )
    return [name for name, _ in changed]


async def migrate(conn: asyncpg.Connection, directory: Path = SQL_DIR) -> list[str]:
    """Apply pending migrations, then changed function files; return the names applied now."""
    migrations = discover(directory)
    applied_now: list[str] = []
    await conn.execute("select pg_advisory_lock($1)", LOCK_KEY)
    try:
        await conn.execute(_CREATE_TABLES)
        rows = await conn.fetch("select version, name, checksum from schema_migrations")
        for m in _pending(migrations, {r["version"]: r for r in rows}):
            async with conn.transaction():
                await conn.execute(m.sql)
                await conn.execute(
                    "insert into schema_migrations (version, name, checksum) values ($1, $2, $3)",
                    m.version,
                    m.path.name,
                    m.checksum,
                )
            applied_now.append(m.path.name)
        applied_now += await _apply_functions(conn, directory)
    finally:
        await conn.execute("select pg_advisory_unlock($1)", LOCK_KEY)
    return applied_now


async def migrate_url(url: str, directory: Path = SQL_DIR) -> list[str]:
    conn = await asyncpg.connect(url)
    try:
        return await migrate(conn, directory)
    finally:
        await conn.close()
