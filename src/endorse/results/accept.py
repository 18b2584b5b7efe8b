"""Accept a held correction: a person applies one held contest from its snapshot, with a note.

The contest is applied from the snapshot that held it, alone (the rest of that payload was
applied when it came in), with its counts as the source stated them. The status guard still
holds (a certified contest is never made unofficial). A contest held because the payload no
longer carried it (`gone`) has nothing to apply: accepting it says it is really gone, and its
last numbers stay. Audited like every write. A hold that a
later payload superseded, or one already accepted, cannot be accepted (nothing to decide).
"""

from __future__ import annotations

import asyncio
import zlib

import asyncpg
import msgspec

from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.errors import Conflict, NotFound
from endorse.results.ingest import apply
from endorse.results.pipeline import PollResult, claimed
from endorse.results.schemas import HeldCorrection
from scrapers import FORMATS, ParseError

h = load("held")


class NotAcceptable(Conflict):
    """The correction is no longer held (superseded or accepted), or cannot be applied."""


async def list_held(
    conn: asyncpg.Connection,
    *,
    election: str | None = None,
    source_id: int | None = None,
    open_only: bool = True,
) -> list[HeldCorrection]:
    rows = await conn.fetch(
        *h.list_held(slug=election, source_id=source_id, id=None, open_only=open_only)
    )
    return [msgspec.convert(dict(r), HeldCorrection) for r in rows]


async def get_held(conn: asyncpg.Connection, held_id: int) -> HeldCorrection:
    if not 1 <= held_id < 2**63:  # no such id, and beyond bigint: never sent to the database
        raise NotFound(f"held: no held correction with id {held_id}")
    row = await conn.fetchrow(*h.list_held(slug=None, source_id=None, id=held_id, open_only=False))
    if row is None:
        raise NotFound(f"held: no held correction with id {held_id}")
    return msgspec.convert(dict(row), HeldCorrection)


async def accept(
    conn: asyncpg.Connection, held_id: int, *, note: str, actor: str
) -> HeldCorrection:
    """Apply the held contest; Conflict while a poll holds its source (retry)."""
    found = await get_held(conn, held_id)

    async def work(source: asyncpg.Record) -> PollResult:
        async with conn.transaction():
            row = await conn.fetchrow(*h.held_for_accept(id=held_id))
            if row["state"] != "held":
                raise NotAcceptable(
                    f"held: correction {held_id} is {row['state']}, not held; nothing to accept"
                )
            try:
                body = zlib.decompress(row["body"])
                parsed = await asyncio.to_thread(
                    FORMATS[row["format"]].parse, body, row["mapping"] or None
                )
            except (zlib.error, ParseError) as exc:
                raise NotAcceptable(f"held: snapshot {row['snapshot_id']}: {exc}") from None
            await conn.execute(*h.accept_held(id=held_id, actor=actor, note=note))
            key = (row["office"], row["district"], row["party"])
            stats = await apply(
                conn,
                stage_id=row["stage_id"],
                parsed=parsed,
                source_id=row["source_id"],
                snapshot_id=row["snapshot_id"],
                guarded=False,
                only={key},
            )
            await record(
                conn,
                actor=actor,
                action="held.accept",
                entity="held_corrections",
                entity_id=held_id,
                before={"state": "held", "reasons": list(row["reasons"])},
                after={"state": "accepted", "note": note, "rows_changed": stats.rows_changed},
            )
        return PollResult(source_id=source["id"], outcome="applied", stats=stats)

    result = await claimed(conn, found.source_id, work)
    if result.outcome == "busy":
        raise Conflict("held: a poll holds this source right now; retry")
    return await get_held(conn, held_id)
