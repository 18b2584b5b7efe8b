"""A person picks the ballot candidate an endorsement means, by hand.

The candidate must be on the ballot of the endorsement's own contest (endorse.matching.desk
finds it the way the matcher does). The pick is stored like a review confirmation: the
endorsement points at the candidacy with match_method 'manual' (the matcher leaves people's
matches alone), and the pairing of the typed and ballot names is remembered for that office
and district, so the next cycle's ballot is matched without asking. An open review item of
the endorsement is closed: confirmed when it proposed the same candidate, stale otherwise.
Audited like every write.
"""

from __future__ import annotations

import asyncpg

from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.errors import Invalid, NotFound
from endorse.matching import auto
from endorse.matching.desk import contest_ids_for
from endorse.matching.names import person_key

q = load("review_desk")
fq = load("matching")


class NotOnBallot(Invalid):
    """The candidacy is not on the ballot of the endorsement's contest; the message says so."""


async def pick(
    conn: asyncpg.Connection, endorsement_id: int, candidacy_id: int, *, actor: str
) -> None:
    async with conn.transaction():
        await auto.hold_for_endorsement(conn, endorsement_id)  # lock order: matching, then row
        row = await conn.fetchrow(*q.endorsement_for_pick(id=endorsement_id))
        if row is None:
            raise NotFound(f"endorsement: no endorsement {endorsement_id}")
        ids = await contest_ids_for(
            conn, row["stage_id"], row["stage"], row["office"], row["district"], row["party"]
        )
        candidates = {
            r["candidacy_id"]: r for r in await conn.fetch(*q.contest_candidates(contest_ids=ids))
        }
        chosen = candidates.get(candidacy_id)
        if chosen is None:
            raise NotOnBallot(
                f"candidacy_id: {candidacy_id} is not a candidate in the contest of "
                f"endorsement {endorsement_id} ({row['office']} {row['district']})".rstrip()
            )
        await conn.execute(
            *fq.remember_decision(
                typed_key=person_key(row["candidate"]),
                ballot_key=person_key(chosen["name"]),
                office=chosen["office"],
                district=chosen["district"],
                decision="confirmed",
                actor=actor,
            )
        )
        review = await conn.fetchrow(*q.open_review_of(id=endorsement_id))
        if review is not None:
            status = "confirmed" if review["candidacy_id"] == candidacy_id else "stale"
            await conn.execute(*fq.close_review(id=review["id"], status=status, actor=actor))
            await record(
                conn,
                actor=actor,
                action=f"match_review.{'confirm' if status == 'confirmed' else 'stale'}",
                entity="match_reviews",
                entity_id=review["id"],
                before={"status": "open"},
                after={"status": status, "picked": candidacy_id},
            )
        before = {"candidacy_id": row["candidacy_id"], "match_method": row["match_method"]}
        after = {"candidacy_id": candidacy_id, "match_method": "manual"}
        if before != after:
            await conn.execute(
                *fq.set_match(
                    id=endorsement_id, candidacy_id=candidacy_id, method="manual", actor=actor
                )
            )
            await record(
                conn,
                actor=actor,
                action="endorsement.match",
                entity="endorsements",
                entity_id=endorsement_id,
                before=before,
                after={**after, "ballot_name": chosen["name"], "reason": "picked by a person"},
            )
