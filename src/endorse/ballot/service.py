"""Find-or-create contests and candidacies under their canonical identity.

A contest is identified by (stage, canonical office, normalized district, primary party), all
three in the forms endorse.vocab gives (contest_identity, canonical_party), so a contest staff
create before election night and the one the official feed names are one row. Party lines are
stored as canonical_party spells them, as the results ingestion stores them.
A candidacy is (contest, candidate); the candidate is found by a case- and space-insensitive
name key, so "JOHN  SMITH" on a feed and "John Smith" typed by staff are one person.
"""

from __future__ import annotations

import asyncpg

from endorse.auth.audit import record
from endorse.ballot.schemas import ContestCreate, ContestCreated
from endorse.db.queries import load
from endorse.elections.service import stage_id
from endorse.vocab import canonical_party, contest_identity

q = load("ballot")


def spelling_key(name: str) -> str:
    """candidates.name_key: the name as spelled, case and runs of spaces folded ("JOHN  SMITH"
    is "John Smith"), so one spelling is one candidates row. Not a person: "Bill Tong" and
    "William Tong" differ here; telling those apart is endorse.matching.names.person_key."""
    return " ".join(name.split()).lower()


async def upsert_contest(
    conn: asyncpg.Connection,
    *,
    stage_id: int,
    office: str,
    district: str | None = None,
    party: str = "",
    seats: int = 1,
    party_cap: int | None = None,
    level: str | None = None,
) -> int:
    """The id of the contest, created if new; seats/party cap/level updated when given."""
    canonical, known_level, normalized = contest_identity(office, district)
    key = {
        "stage_id": stage_id,
        "office": canonical,
        "district": normalized,
        "party": canonical_party(party),
    }
    shape = {"seats": seats, "party_cap": party_cap, "level": level or known_level}
    created = await conn.fetchval(*q.insert_contest(**key, **shape, source_office=office))
    if created is not None:
        return created
    row = await conn.fetchrow(*q.contest_row(**key))
    # keep a known party cap when the writer (e.g. a feed) does not state one
    shape["party_cap"] = party_cap if party_cap is not None else row["party_cap"]
    if (row["seats"], row["party_cap"], row["level"]) != tuple(shape.values()):
        await conn.execute(*q.update_contest_shape(id=row["id"], **shape))
    return row["id"]


async def upsert_candidacy(
    conn: asyncpg.Connection,
    *,
    contest_id: int,
    name: str,
    parties: list[str] | None = None,
    incumbent: bool = False,
    write_in: bool = False,
) -> int:
    """The id of the candidacy, created if new; party lines are merged, flags updated."""
    candidate_id = await conn.fetchval(
        *q.upsert_candidate(name=name.strip(), key=spelling_key(name))
    )
    return await conn.fetchval(
        *q.upsert_candidacy(
            contest_id=contest_id,
            candidate_id=candidate_id,
            ballot_name=name.strip(),
            parties=list(dict.fromkeys(filter(None, map(canonical_party, parties or [])))),
            incumbent=incumbent,
            write_in=write_in,
        )
    )


async def create_contest(
    conn: asyncpg.Connection, slug: str, data: ContestCreate, *, actor: str
) -> ContestCreated:
    """Staff put a contest (and its candidacies) on the ballot before any results; audited.

    Found-or-created under the feed's identity, so the feed's later rows land on it.
    """
    async with conn.transaction():
        stage = await stage_id(conn, slug, data.stage)
        contest = await upsert_contest(
            conn,
            stage_id=stage,
            office=data.office,
            district=data.district,
            party=data.party,
            seats=data.seats,
            party_cap=data.party_cap,
        )
        ids = [
            await upsert_candidacy(
                conn, contest_id=contest, name=c.name, parties=c.parties, incumbent=c.incumbent
            )
            for c in data.candidates
        ]
        row = await conn.fetchrow(*q.contest_by_id(id=contest))
        created = ContestCreated(contest_id=contest, candidacy_ids=ids, **dict(row))
        await record(
            conn,
            actor=actor,
            action="contest.create",
            entity="contests",
            entity_id=contest,
            after={"request": data, "created": created},
        )
    return created
