"""The match review queue: list, confirm, reject -- each decision remembered for later runs.

Confirming points the endorsement at the proposed candidacy (match_method 'confirmed');
rejecting leaves it unmatched. Either way the decision is stored under (typed name key, ballot
name key, office, district), so the next run -- this cycle or the next election's -- applies it
without asking again. The next `endorse match` proposes the next-best candidate after a
rejection, if any is close enough.
"""

from __future__ import annotations

import asyncpg
import msgspec

from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.errors import Conflict, NotFound
from endorse.matching.names import person_key
from endorse.matching.schemas import ReviewItem

q = load("matching")


class ReviewNotFound(NotFound):
    """No review item with that id."""


class ReviewClosed(Conflict):
    """The review item was already decided, or its endorsement is gone; the message says which."""


async def list_reviews(
    conn: asyncpg.Connection,
    *,
    status: str | None = "open",
    election: str | None = None,
    limit: int = 500,
) -> list[ReviewItem]:
    rows = await conn.fetch(*q.list_reviews(status=status, election=election, id=None, limit=limit))
    return [msgspec.convert(dict(r), ReviewItem) for r in rows]


async def get_review(conn: asyncpg.Connection, review_id: int) -> ReviewItem:
    rows = await conn.fetch(*q.list_reviews(status=None, election=None, id=review_id, limit=1))
    if not rows:
        raise ReviewNotFound(f"review: no review item {review_id}")
    return msgspec.convert(dict(rows[0]), ReviewItem)


async def decide(
    conn: asyncpg.Connection, review_id: int, *, confirm: bool, actor: str
) -> ReviewItem:
    """Confirm or reject one open review item; audited; remembered for every later run."""
    decision = "confirmed" if confirm else "rejected"
    async with conn.transaction():
        row = await conn.fetchrow(*q.review_for_update(id=review_id))
        if row is None:
            raise ReviewNotFound(f"review: no review item {review_id}")
        if row["status"] != "open":
            raise ReviewClosed(f"review: item {review_id} is already {row['status']}")
        if row["deleted_at"] is not None:
            raise ReviewClosed(f"review: the endorsement of item {review_id} was deleted")
        await conn.execute(
            *q.remember_decision(
                typed_key=person_key(row["candidate"]),
                ballot_key=person_key(row["ballot_name"]),
                office=row["office"],
                district=row["district"],
                decision=decision,
                actor=actor,
            )
        )
        await conn.execute(*q.close_review(id=review_id, status=decision, actor=actor))
        await record(
            conn,
            actor=actor,
            action=f"match_review.{'confirm' if confirm else 'reject'}",
            entity="match_reviews",
            entity_id=review_id,
            before={"status": "open"},
            after={"status": decision, "candidacy_id": row["candidacy_id"]},
        )
        if confirm:
            before = {
                "candidacy_id": row["current_candidacy_id"],
                "match_method": row["match_method"],
            }
            await conn.execute(
                *q.set_match(
                    id=row["endorsement_id"],
                    candidacy_id=row["candidacy_id"],
                    method="confirmed",
                    actor=actor,
                )
            )
            await record(
                conn,
                actor=actor,
                action="endorsement.match",
                entity="endorsements",
                entity_id=row["endorsement_id"],
                before=before,
                after={"candidacy_id": row["candidacy_id"], "match_method": "confirmed"},
            )
    return await get_review(conn, review_id)
