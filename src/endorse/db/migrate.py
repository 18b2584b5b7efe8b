"""Forward-only migrations: sql/NNNN_reason.sql applied in order, each in its own transaction.

Applied files are recorded with a checksum; an edited applied file stops the run, because the
database would otherwise silently differ from what the repository says it is. An advisory lock
makes two processes starting at once take turns instead of racing on DDL.
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

_CREATE_TABLE = """
create table if not exists schema_migrations (
    version     int primary key,
    name        text not null,
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


async def migrate(conn: asyncpg.Connection, directory: Path = SQL_DIR) -> list[str]:
    """Apply pending migrations; return the names applied now."""
    migrations = discover(directory)
    applied_now: list[str] = []
    await conn.execute("select pg_advisory_lock($1)", LOCK_KEY)
    try:
        await conn.execute(_CREATE_TABLE)
        rows = await conn.fetch("select version, name, checksum from schema_migrations")
        applied = {r["version"]: r for r in rows}
        for m in migrations:
            done = applied.get(m.version)
            if done is not None:
                if done["checksum"] != m.checksum:
                    raise MigrationError(
                        f"{m.path.name} was edited after it was applied; "
                        "write a new migration instead"
                    )
                continue
            async with conn.transaction():
                await conn.execute(m.sql)
                await conn.execute(
                    "insert into schema_migrations (version, name, checksum) values ($1, $2, $3)",
                    m.version,
                    m.path.name,
                    m.checksum,
                )
            applied_now.append(m.path.name)
    finally:
        await conn.execute("select pg_advisory_unlock($1)", LOCK_KEY)
    return applied_now


async def migrate_url(url: str, directory: Path = SQL_DIR) -> list[str]:
    conn = await asyncpg.connect(url)
    try:
        return await migrate(conn, directory)
    finally:
        await conn.close()
