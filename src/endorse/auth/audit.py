"""The audit log: one row per write, with who, what, before and after."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from endorse.db.queries import load

q = load("auth")


async def record(
    conn: asyncpg.Connection,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: object | None = None,
    before: Any = None,
    after: Any = None,
) -> None:
    """Write one audit row inside the caller's transaction, so it commits with the change."""
    await conn.execute(
        *q.insert_audit(
            actor=actor,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            before=None if before is None else msgspec.to_builtins(before),
            after=None if after is None else msgspec.to_builtins(after),
        )
    )


async def record_many(conn: asyncpg.Connection, entries: list[dict[str, Any]]) -> None:
    """record() for many rows in one pipelined round trip (each dict: record()'s keywords)."""
    if not entries:
        return
    rows = [
        q.insert_audit(
            actor=e["actor"],
            action=e["action"],
            entity=e["entity"],
            entity_id=None if e.get("entity_id") is None else str(e["entity_id"]),
            before=None if e.get("before") is None else msgspec.to_builtins(e["before"]),
            after=None if e.get("after") is None else msgspec.to_builtins(e["after"]),
        )
        for e in entries
    ]
    await conn.executemany(rows[0][0], [row[1:] for row in rows])
