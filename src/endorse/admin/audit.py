"""Reading the audit log (admins only): newest first, filtered, paginated."""

from __future__ import annotations

import asyncpg
import msgspec

from endorse.admin.schemas import AuditEntry, AuditPage
from endorse.db.queries import load

q = load("admin")


async def page(
    conn: asyncpg.Connection,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> AuditPage:
    row = await conn.fetchrow(
        *q.list_audit(
            entity=entity,
            entity_id=entity_id,
            actor=actor,
            action=action,
            limit=limit,
            offset=offset,
        )
    )
    items = msgspec.convert(row["items"], list[AuditEntry], strict=False)
    return AuditPage(items=items, total=row["total"], limit=limit, offset=offset)
