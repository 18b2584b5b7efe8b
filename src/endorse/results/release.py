"""Release a quarantined payload: a person applies it anyway, with a note saying why.

This is the "version note" the drop guard waits for: a recanvass that really lowers a count,
or a feed that really dropped contests. The shrink and drop guards are skipped; a payload that
does not parse or is empty can never be released. Audited like every write.
"""

from __future__ import annotations

import asyncio
import zlib

import asyncpg

from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.errors import Conflict
from endorse.results.ingest import apply
from endorse.results.pipeline import PollResult, claimed
from scrapers import FORMATS, ParseError

q = load("results")


class NotReleasable(Conflict):
    """Nothing is quarantined, or the payload cannot be applied; the message says which."""


async def release(conn: asyncpg.Connection, source_id: int, *, note: str, actor: str) -> PollResult:
    """Apply the source's quarantined snapshot. PollResult "busy" while a poll holds the source."""

    async def work(source: asyncpg.Record) -> PollResult:
        snapshot_id = source["quarantined_snapshot_id"]
        if snapshot_id is None:
            raise NotReleasable(f"source {source_id} has no quarantined payload")
        snapshot = await conn.fetchrow(
            *q.snapshot_for_release(snapshot_id=snapshot_id, source_id=source_id)
        )
        body = zlib.decompress(snapshot["body"])
        module = FORMATS[source["format"]]
        try:
            parsed = await asyncio.to_thread(module.parse, body, source["mapping"] or None)
        except ParseError as exc:
            raise NotReleasable(f"snapshot {snapshot_id} does not parse: {exc}") from None
        if not parsed.records:
            raise NotReleasable(f"snapshot {snapshot_id} is empty")
        async with conn.transaction():
            stats = await apply(
                conn,
                stage_id=source["stage_id"],
                parsed=parsed,
                source_id=source_id,
                snapshot_id=snapshot_id,
                guarded=False,
                hold=False,  # the note vouches for the whole payload, its backward counts too
            )
            await conn.execute(*q.release_snapshot(snapshot_id=snapshot_id, note=note, actor=actor))
            await conn.execute(
                *q.mark_released(
                    source_id=source_id, sha256=snapshot["sha256"], snapshot_id=snapshot_id
                )
            )
            await record(
                conn,
                actor=actor,
                action="snapshot.release",
                entity="snapshots",
                entity_id=snapshot_id,
                before={"status": "quarantined"},
                after={"status": "applied", "note": note, "rows_changed": stats.rows_changed},
            )
        return PollResult(
            source_id=source_id, outcome="applied", snapshot_id=snapshot_id, stats=stats
        )

    return await claimed(conn, source_id, work)
