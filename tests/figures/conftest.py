"""Builders for hand-made ballots, results and endorsements, written straight to the database.

Tests state every number they rely on; nothing here depends on the registry's or the results
ingestion's own code, only on the shared schema and the ballot/elections services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import asyncpg
import pytest

from endorse.ballot.service import upsert_candidacy, upsert_contest
from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election, stage_id

GENERAL_DAY = dt.date(2018, 11, 6)
PRIMARY_DAY = dt.date(2018, 8, 14)
BEFORE = dt.date(2018, 9, 20)  # a day well before both election days


def day(offset: int) -> dt.date:
    """A date relative to the general election day: day(-1) is the day before."""
    return GENERAL_DAY + dt.timedelta(days=offset)


@dataclass
class Ballot:
    """Helpers bound to one connection and one 2018 Connecticut election."""

    conn: asyncpg.Connection
    slug: str
    general: int
    primary: int
    federation: int  # the root body every test endorsement counts as unless told otherwise

    async def contest(
        self,
        office: str,
        district: str | None = None,
        *,
        stage: int | None = None,
        seats: int = 1,
        party_cap: int | None = None,
        party: str = "",
    ) -> int:
        return await upsert_contest(
            self.conn,
            stage_id=stage or self.general,
            office=office,
            district=district,
            seats=seats,
            party_cap=party_cap,
            party=party,
        )

    async def candidate(
        self,
        contest_id: int,
        name: str,
        votes: dict[str, int] | int | None = None,
        *,
        incumbent: bool = False,
        write_in: bool = False,
        withdrew_on: dt.date | None = None,
        declared_winner: bool | None = None,
    ) -> int:
        """A candidacy with its votes per party line ({"Democratic": 10, "Working Families": 3});
        votes=None: no results rows at all."""
        lines = votes if isinstance(votes, dict) else {} if votes is None else {"": votes}
        candidacy = await upsert_candidacy(
            self.conn,
            contest_id=contest_id,
            name=name,
            parties=list(lines),
            incumbent=incumbent,
            write_in=write_in,
        )
        await self.conn.execute(
            "update candidacies set withdrew_on = $2, declared_winner = $3 where id = $1",
            candidacy,
            withdrew_on,
            declared_winner,
        )
        for party, n in lines.items():
            await self.conn.execute(
                """insert into results (candidacy_id, party, votes) values ($1, $2, $3)
                   on conflict (candidacy_id, party, unit) do update set votes = excluded.votes,
                   updated_at = now()""",
                candidacy,
                party,
                n,
            )
        return candidacy

    async def status(
        self,
        contest_id: int,
        status: str = "unofficial",
        reporting: int | None = None,
        total: int | None = None,
        as_of: dt.datetime | None = None,
    ) -> None:
        await self.conn.execute(
            """insert into contest_status (contest_id, precincts_reporting, precincts_total,
                                           status, as_of)
               values ($1, $2, $3, $4, $5)
               on conflict (contest_id) do update
                  set precincts_reporting = excluded.precincts_reporting,
                      precincts_total = excluded.precincts_total, status = excluded.status,
                      as_of = excluded.as_of, updated_at = now()""",
            contest_id,
            reporting,
            total,
            status,
            as_of,
        )

    async def body(self, name: str, parent: int | None = None, kind: str = "local") -> int:
        return await self.conn.fetchval(
            "insert into bodies (name, kind, parent_id) values ($1, $2, $3) returning id",
            name,
            kind,
            parent,
        )

    async def endorse(
        self,
        name: str,
        office: str,
        district: str = "",
        *,
        candidacy: int | None = None,
        stage: int | None = None,
        body: int | None = None,
        party: str = "",
        endorsed_on: dt.date = BEFORE,
        rescinded_on: dt.date | None = None,
        late_ok: bool = False,
        method: str | None = None,
    ) -> int:
        return await self.conn.fetchval(
            """insert into endorsements (stage_id, body_id, office, district, candidate,
                   party, candidacy_id, match_method, endorsed_on, rescinded_on, late_ok,
                   created_by, updated_by)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'test', 'test')
               returning id""",
            stage or self.general,
            body or self.federation,
            office,
            district,
            name,
            party,
            candidacy,
            method or ("manual" if candidacy else None),
            endorsed_on,
            rescinded_on,
            late_ok,
        )

    async def outcome(self, endorsement_id: int) -> tuple[str, str]:
        row = await self.conn.fetchrow(
            "select outcome, reason from endorsement_outcomes where endorsement_id = $1",
            endorsement_id,
        )
        assert row is not None, f"endorsement {endorsement_id} does not count for its stage"
        return row["outcome"], row["reason"]

    async def candidacy_outcome(self, candidacy_id: int) -> asyncpg.Record:
        return await self.conn.fetchrow(
            "select * from candidacy_outcomes where candidacy_id = $1", candidacy_id
        )


@pytest.fixture
async def ballot(conn: asyncpg.Connection) -> Ballot:
    slug = "2018-ct"
    await create_election(
        conn,
        ElectionCreate(
            slug,
            "2018 Connecticut",
            GENERAL_DAY,
            [Stage("primary", PRIMARY_DAY), Stage("general", GENERAL_DAY)],
        ),
        actor="test",
    )
    # announced, so the public routes (stats, races) answer anonymous requests in these tests;
    # tests/staff/test_visibility.py checks the private default (and the audited switch)
    await conn.execute(
        "update stages set visibility = 'public'"
        " where election_id = (select id from elections where slug = $1)",
        slug,
    )
    federation = await conn.fetchval(
        "insert into bodies (name, kind) values ('AFT Connecticut', 'state_federation') returning id"
    )
    return Ballot(
        conn,
        slug,
        await stage_id(conn, slug, "general"),
        await stage_id(conn, slug, "primary"),
        federation,
    )


@pytest.fixture
async def decision_night(ballot: Ballot) -> dict[str, int]:
    """For the staff decisions (sql/0080): SD 1 Fonfara 20,437 - Ruhe 6,052 (official: won);
    SD 13 Bartolomeo 20,866 - Suzio 20,900 (official, 34 behind of 41,766: recanvass, pending);
    HD 5 Ortiz 900 - Lee 1,000 (official: lost). All three of ours endorsed. Ids by name."""
    ids: dict[str, int] = {}
    sd1 = ids["sd1"] = await ballot.contest("State Senate", "1")
    ids["fonfara"] = await ballot.candidate(sd1, "John W. Fonfara", {"Democratic": 20_437})
    ids["ruhe"] = await ballot.candidate(sd1, "Barbara Ruhe", {"Republican": 6_052})
    sd13 = ids["sd13"] = await ballot.contest("State Senate", "13")
    ids["dante"] = await ballot.candidate(sd13, "Dante Bartolomeo", {"Democratic": 20_866})
    ids["suzio"] = await ballot.candidate(sd13, "Len Suzio", {"Republican": 20_900})
    hd5 = ids["hd5"] = await ballot.contest("State Representative", "5")
    ids["ortiz"] = await ballot.candidate(hd5, "Ana Ortiz", {"Democratic": 900})
    ids["lee"] = await ballot.candidate(hd5, "Sam Lee", {"Republican": 1_000})
    for contest in (sd1, sd13, hd5):
        await ballot.status(contest, "official")
    await ballot.endorse("John W. Fonfara", "State Senate", "1", candidacy=ids["fonfara"])
    await ballot.endorse("Dante Bartolomeo", "State Senate", "13", candidacy=ids["dante"])
    await ballot.endorse("Ana Ortiz", "State Representative", "5", candidacy=ids["ortiz"])
    return ids
