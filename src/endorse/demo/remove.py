"""Delete scratch elections (the demo's, or a replay) and everything hanging on them.

One transaction: published figures, endorsements and their history, remembered match decisions
made on them, the elections (stages, contests, candidacies, results, sources and snapshots
cascade), people no other ballot names, and the demo's bodies. The audit log keeps its rows
(it is the record of what happened, the removal included).
"""

from __future__ import annotations

import asyncpg
import msgspec

from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.matching.names import person_key

q = load("demo")


class Removed(msgspec.Struct):
    elections: list[str]
    endorsements: int
    bodies: int


async def remove_elections(
    conn: asyncpg.Connection, ids: list[int], slugs: list[str], *, actor: str
) -> Removed:
    """Remove these elections; the caller has made sure they are scratch data."""
    async with conn.transaction():
        for r in await conn.fetch(*q.decided_reviews(election_ids=ids)):
            await conn.execute(
                *q.forget_decision(
                    typed_key=person_key(r["candidate"]),
                    ballot_key=person_key(r["ballot_name"]),
                    office=r["office"],
                    district=r["district"],
                )
            )
        await conn.execute(*q.delete_figures(election_ids=ids))
        gone = [r["id"] for r in await conn.fetch(*q.delete_endorsements(election_ids=ids))]
        await conn.execute(*q.delete_endorsement_versions(ids=gone))
        people = [r[0] for r in await conn.fetch(*q.election_candidates(election_ids=ids))]
        await conn.execute(*q.delete_elections(election_ids=ids))
        await conn.execute(*q.delete_orphan_candidates(ids=people))
        status = await conn.execute(*q.delete_demo_bodies())
        removed = Removed(slugs, len(gone), int(status.rsplit(" ", 1)[-1]))
        if ids or removed.bodies:
            await record(
                conn, actor=actor, action="demo.remove", entity="elections", entity_id=None,
                after=removed,
            )  # fmt: skip
    return removed


async def remove_demo(conn: asyncpg.Connection, *, actor: str) -> Removed:
    rows = await conn.fetch(*q.demo_election_ids())
    return await remove_elections(
        conn, [r["id"] for r in rows], [r["slug"] for r in rows], actor=actor
    )
