"""A small election for the staff tests: one State Senate race with official results and an
endorsement of the winner, entered through the same services the pages use."""

from __future__ import annotations

import datetime as dt

import asyncpg

from endorse.ballot.service import upsert_candidacy, upsert_contest
from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election, stage_id
from endorse.endorsements import edits
from endorse.endorsements.schemas import EndorsementCreate

SLUG = "2026-ct-test"
DAY = dt.date(2026, 11, 3)
WINNER = "Wilhelmina Okafor"  # endorsed, wins
RIVAL = "Bartholomew Vance"  # not endorsed
# endorsed for a race not on this ballot: her name can only come from the endorsements (the
# winner's name is on the official results, which are public whatever the stage)
UNBALLOTED = "Theodora Quill"


async def seed(conn: asyncpg.Connection) -> int:
    """The election, a called race, and the endorsement of its winner; returns its id."""
    await create_election(
        conn, ElectionCreate(SLUG, "2026 Test General", DAY, [Stage("general", DAY)]), actor="test"
    )
    stage = await stage_id(conn, SLUG, "general")
    contest = await upsert_contest(conn, stage_id=stage, office="State Senate", district="7")
    for name, party, votes in ((WINNER, "Democratic", 6100), (RIVAL, "Republican", 3900)):
        candidacy = await upsert_candidacy(conn, contest_id=contest, name=name, parties=[party])
        await conn.execute(
            "insert into results (candidacy_id, party, votes) values ($1, $2, $3)",
            candidacy,
            party,
            votes,
        )
    await conn.execute(
        """insert into contest_status (contest_id, precincts_reporting, precincts_total, status)
           values ($1, 40, 40, 'official')""",
        contest,
    )
    created = await edits.create(
        conn,
        EndorsementCreate(
            election=SLUG,
            stage="general",
            office="State Senate",
            district="7",
            candidate=WINNER,
            party="Democratic",
            endorsed_by="AFT Connecticut",
            endorsed_on=dt.date(2026, 9, 20),
        ),
        actor="test",
    )
    await edits.create(
        conn,
        EndorsementCreate(
            election=SLUG,
            stage="general",
            office="State House",
            district="99",
            candidate=UNBALLOTED,
            endorsed_by="AFT Connecticut",
            endorsed_on=dt.date(2026, 9, 21),
        ),
        actor="test",
    )
    return created.id
