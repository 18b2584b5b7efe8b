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
