"""A small 2026 ballot for the staff page tests: one race waiting for review, one not matched.

State House 12: John Smith (Democratic 900 + Working Families 80) beat Mary Jones (700),
official. We typed "John Smyth": the matcher asks a person. Confirming it makes the headline
go from "0 of 0" to "1 of 1". State Senate 3: we typed "R. Stone"; the ballot has Robin Kim
and Dana Lee, nothing close enough, so it is listed as not matched.
"""

from __future__ import annotations

import datetime as dt

import asyncpg

from endorse.ballot.service import upsert_candidacy, upsert_contest
from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election, stage_id
from endorse.endorsements import edits
from endorse.endorsements.schemas import EndorsementCreate

SLUG = "2026-ct-general"
DAY = dt.date(2026, 11, 3)


async def election(conn: asyncpg.Connection) -> int:
    await create_election(
        conn,
        ElectionCreate(SLUG, "2026 Connecticut General", DAY, [Stage("general", DAY)]),
        actor="test",
    )
    return await stage_id(conn, SLUG, "general")


async def _candidate(
    conn: asyncpg.Connection, contest: int, name: str, lines: dict[str, int]
) -> int:
    candidacy = await upsert_candidacy(conn, contest_id=contest, name=name, parties=list(lines))
    for party, votes in lines.items():
        await conn.execute(
            "insert into results (candidacy_id, party, votes) values ($1, $2, $3)",
            candidacy,
            party,
            votes,
        )
    return candidacy


async def ballot(conn: asyncpg.Connection) -> dict[str, int]:
    """The election, its two races and two endorsements (matched as the app matches them)."""
    general = await election(conn)
    house = await upsert_contest(conn, stage_id=general, office="State House", district="12")
    smith = await _candidate(conn, house, "John Smith", {"Democratic": 900, "Working Families": 80})
    await _candidate(conn, house, "Mary Jones", {"Republican": 700})
    await conn.execute(
        "insert into contest_status (contest_id, precincts_reporting, precincts_total, status)"
        " values ($1, 10, 10, 'official')",
        house,
    )
    senate = await upsert_contest(conn, stage_id=general, office="State Senate", district="3")
    kim = await _candidate(conn, senate, "Robin Kim", {"Democratic": 400})
    await _candidate(conn, senate, "Dana Lee", {"Republican": 500})
    ids = {"smith": smith, "kim": kim}
    for name, office, district in (("John Smyth", "State House", "12"),
                                   ("R. Stone", "State Senate", "3")):  # fmt: skip
        made = await edits.create(
            conn,
            EndorsementCreate(
                election=SLUG,
                stage="general",
                office=office,
                district=district,
                candidate=name,
                endorsed_by="AFT Connecticut",
                endorsed_on=dt.date(2026, 9, 1),
            ),
            actor="test",
        )
        ids[name] = made.id
    return ids
