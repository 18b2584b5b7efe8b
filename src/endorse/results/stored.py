"""Stored snapshots applied again: the one public way for another part to put a stage's results
back as the stored bytes say (a published figure's reproduction, endorse.figures.published).

reapply() forgets what stored snapshots wrote into the stages, then applies the given ones,
oldest first, through the same code as an ingest (guards off, status guard and per-contest
hashing on, no matching), so the results come from the stored bytes alone. What could not be
applied comes back as Problems instead of stopping the rest. The caller owns the transaction
and holds the stages' load lock (lock_stages) while it runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import zlib
from collections.abc import Iterable
from typing import Any

import asyncpg
import msgspec

from endorse.db.queries import load
from endorse.results.guards import Quarantine
from endorse.results.ingest import LOCK_CLASS, apply
from scrapers import FORMATS

q = load("stored")
results_q = load("results")


class Problem(msgspec.Struct):
    """One snapshot that did not re-apply as stored: `what` names it ("snapshot 12.sha256")."""

    what: str
    expected: Any
    got: Any


async def lock_stages(conn: asyncpg.Connection, stage_ids: Iterable[int]) -> None:
    """The results load lock of each stage, to the end of the transaction (an ingest waits)."""
    for stage_id in stage_ids:
        await conn.execute(*results_q.lock_stage(lock_class=LOCK_CLASS, stage_id=stage_id))


async def reapply(
    conn: asyncpg.Connection, stage_ids: list[int], snapshot_ids: list[int]
) -> list[Problem]:
    stored = {r["id"]: r for r in await conn.fetch(*q.stored_snapshots(ids=snapshot_ids))}
    problems = [
        Problem(f"snapshot {i}", "stored", "missing") for i in snapshot_ids if i not in stored
    ]
    await conn.execute(*q.forget_fed_contests(stage_ids=stage_ids))
    for snapshot_id, row in stored.items():
        what = f"snapshot {snapshot_id}"
        try:
            body = zlib.decompress(row["body"])
        except zlib.error as exc:
            problems.append(Problem(what, "stored", f"body does not decompress: {exc}"))
            continue
        if hashlib.sha256(body).digest() != row["sha256"]:
            problems.append(
                Problem(f"{what}.sha256", row["sha256"].hex(), hashlib.sha256(body).hexdigest())
            )
        module = FORMATS[row["format"]]
        try:
            parsed = await asyncio.to_thread(module.parse, body, row["mapping"] or None)
        except Exception as exc:  # ParseError, or a parser bug on odd bytes: either way, say so
            problems.append(Problem(what, "parses", f"does not parse: {exc!r}"))
            continue
        try:
            await apply(
                conn,
                stage_id=row["stage_id"],
                parsed=parsed,
                source_id=row["source_id"],
                snapshot_id=snapshot_id,
                guarded=False,
                match=False,
                hold=not row["released"],  # as the load did: a released payload held nothing
            )
        except (Quarantine, asyncpg.PostgresError) as exc:  # apply() rolled its savepoint back
            problems.append(Problem(what, "applies", f"does not apply: {exc}"))
    return problems
