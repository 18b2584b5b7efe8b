"""The audit log: one row per write, with who, what, before and after."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec


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
        """insert into audit_log (actor, action, entity, entity_id, before, after)
           values ($1, $2, $3, $4, $5::jsonb, $6::jsonb)""",
        actor,
        action,
        entity,
        None if entity_id is None else str(entity_id),
        None if before is None else msgspec.to_builtins(before),
        None if after is None else msgspec.to_builtins(after),
    )
