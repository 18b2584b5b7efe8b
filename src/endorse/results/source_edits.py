"""Staff change a source: pause or resume its polling, its interval, its mapping. Audited.

The worker re-reads the enabled sources within its refresh interval (at most 30 s), so a pause
stops polling without a restart, and a resumed source is polled on the next refresh.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.errors import NotFound
from endorse.results.schemas import Source, SourceEdit
from endorse.results.sources import check_mapping, get_source

q = load("results")


def _action(before: dict[str, Any], after: dict[str, Any]) -> str:
    if before["enabled"] and not after["enabled"]:
        return "source.pause"
    if not before["enabled"] and after["enabled"]:
        return "source.resume"
    return "source.update"


async def edit_source(
    conn: asyncpg.Connection, source_id: int, data: SourceEdit, *, actor: str
) -> Source:
    """Apply the fields given; a change that changes nothing writes nothing (no audit row).
    NotFound for an unknown id; Invalid naming the field for a bad mapping."""
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    if "mapping" in changes:
        check_mapping(changes["mapping"])
    async with conn.transaction():
        row = await conn.fetchrow(*q.source_for_edit(id=source_id))
        if row is None:
            raise NotFound(f"source: no source with id {source_id}")
        before = {k: row[k] for k in ("enabled", "schedule_seconds", "mapping")}
        after = before | changes
        if after != before:
            await conn.execute(
                *q.edit_source(
                    id=source_id,
                    enabled=changes.get("enabled"),
                    schedule_seconds=changes.get("schedule_seconds"),
                    mapping=changes.get("mapping"),
                )
            )
            await record(
                conn,
                actor=actor,
                action=_action(before, after),
                entity="sources",
                entity_id=source_id,
                before={k: before[k] for k in changes},
                after=changes,
            )
    return await get_source(conn, source_id)


async def pause(conn: asyncpg.Connection, source_id: int, *, actor: str) -> Source:
    return await edit_source(conn, source_id, SourceEdit(enabled=False), actor=actor)


async def resume(conn: asyncpg.Connection, source_id: int, *, actor: str) -> Source:
    return await edit_source(conn, source_id, SourceEdit(enabled=True), actor=actor)
