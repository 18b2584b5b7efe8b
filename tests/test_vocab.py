"""endorse.vocab: real-world spellings of offices, districts and parties -> one identity, and a
staff endorsement typed "Board of Education - Darien" meeting the feed's contest for Darien
through the real import, ingest and matching code."""

from __future__ import annotations

import datetime as dt

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election, stage_id
from endorse.matching.run import match_stage
from endorse.results.ingest import apply_parsed
from endorse.vocab import canonical_office, canonical_party, contest_identity, normalize_district
from scrapers import openelections
from tests.endorsements.sample import csv_bytes

BOE = "Board of Education"

# (office, district) as a source or staff spells it -> (canonical office, level, district)
IDENTITIES = [
    # towns are districts: a leading "D" is not a district prefix unless digits follow
    ("Board of Education - Darien", None, (BOE, "school_board", "Darien")),
    ("Board of Education - Darien", "", (BOE, "school_board", "Darien")),
    ("Board of Education - Darien", "Darien", (BOE, "school_board", "Darien")),
    ("Board of Education", "Darien", (BOE, "school_board", "Darien")),
    ("BOARD OF EDUCATION", "DARIEN", (BOE, "school_board", "Darien")),
    ("Board of Ed", "darien", (BOE, "school_board", "Darien")),
    ("Registrar of Voters - Danbury", None, ("Registrar of Voters", "municipal", "Danbury")),
    ("Registrar of Voters \u2013 Hartford", None, ("Registrar of Voters", "municipal", "Hartford")),
    ("Registrar of Voters", "New  Haven", ("Registrar of Voters", "municipal", "New Haven")),
    ("NonPartisan Board of Education - Berlin", "", (BOE, "school_board", "Berlin")),  # OE 2016
    ("NonPartisan Board of Education", "Berlin", (BOE, "school_board", "Berlin")),  # SOTS 2016
    # a district given beside a different town after the dash: the given district stays
    ("Board of Education - Darien", "Stamford", (f"{BOE} (Darien)", "school_board", "Stamford")),
    # numbered districts
    ("State Representative 012", None, ("State House", "state_house", "12")),
    ("State Representative", "012", ("State House", "state_house", "12")),
    ("State House", "District 12", ("State House", "state_house", "12")),
    ("State Senator 1st District", None, ("State Senate", "state_senate", "1")),
    ("State Senator 1st District", "001", ("State Senate", "state_senate", "1")),
    ("State Senator", "D1", ("State Senate", "state_senate", "1")),
    ("Connecticut State Senate", "d 1", ("State Senate", "state_senate", "1")),
    ("Representative in Congress", "1", ("U.S. House", "federal", "1")),
    ("U.S. House", "1st District", ("U.S. House", "federal", "1")),
    ("United States Senator", None, ("U.S. Senate", "federal", "")),
    ("Governor and Lieutenant Governor", None, ("Governor", "statewide", "")),
    ("Secretary of State", "", ("Secretary of the State", "statewide", "")),
    # term qualifiers: the regular seat is the office; other terms are other contests
    ("Board of Education Full Term - Stamford", None, (BOE, "school_board", "Stamford")),
    ("Board of Education Full Term", "Stamford", (BOE, "school_board", "Stamford")),
    ("Board of Education - Full Term", "Watertown", (BOE, "school_board", "Watertown")),
    ("Board of Education, Full Term", "Colebrook", (BOE, "school_board", "Colebrook")),
    (
        "Board of Education Two Year Term - Stamford",
        None,
        (f"{BOE} (Two Year Term)", "school_board", "Stamford"),
    ),
    (
        "Board of Education Full 2 Year Term",
        "Tolland",
        (f"{BOE} (Two Year Term)", "school_board", "Tolland"),
    ),
    (
        "Board of Education To Fill Vacancy for One Year - Stamford",
        None,
        (f"{BOE} (To Fill Vacancy for One Year)", "school_board", "Stamford"),
    ),
    (
        "BOARD OF EDUCATION TO FILL VACANCY OF TWO YEARS",
        "West Hartford",
        (f"{BOE} (To Fill Vacancy for Two Years)", "school_board", "West Hartford"),
    ),
    (
        "Board Of Education To Fill Two Years Vacancy",
        "Franklin",
        (f"{BOE} (To Fill Vacancy for Two Years)", "school_board", "Franklin"),
    ),
    (
        "Board of Education--To Fill Vacancy for Two Years",
        "Brooklyn",
        (f"{BOE} (To Fill Vacancy for Two Years)", "school_board", "Brooklyn"),
    ),
    (
        "Board of Education Unexpired Term",
        "Avon",
        (f"{BOE} (Unexpired Term)", "school_board", "Avon"),
    ),
    (
        "Board of Education Full Term Three Year Term Beginning in 2021",
        "Manchester",
        (f"{BOE} (Three Year Term, Begins 2021)", "school_board", "Manchester"),
    ),
    (
        "Board of Education Four Year Term Four to be Elected Not More Than Two From One Party",
        "Trumbull",
        (f"{BOE} (Four Year Term)", "school_board", "Trumbull"),
    ),
    (
        "Judge of Probate to Fill Vacancy 02",  # OpenElections 2016
        "",
        ("Judge of Probate (To Fill Vacancy)", "county", "2"),
    ),
    ("Judge of Probate to Fill Vacancy", "2", ("Judge of Probate (To Fill Vacancy)", "county", "2")),
    # a town's wards and council districts stay apart when the source gives the town
    ("Town Council District 1", "Ansonia", ("Town Council (District 1)", "municipal", "Ansonia")),
    ("Council Ward 3", "Ansonia", ("Town Council (Ward 3)", "municipal", "Ansonia")),
    ("Council at Large", "Ansonia", ("Town Council (At Large)", "municipal", "Ansonia")),
    ("Board of Education 1st District", "Milford", (f"{BOE} (District 1)", "school_board", "Milford")),
    # other bodies are not merged into the one whose name they start with
    ("Regional Board of Education", "Hebron", ("Regional Board of Education", "school_board", "Hebron")),
    ("Board of Finance Alternate", "Avon", ("Board of Finance (Alternate)", "municipal", "Avon")),
    # unknown offices pass through, a dash in them included
    ("Friends - of the Library", None, ("Friends - of the Library", "other", "")),
    (
        "Non Partisan Representative Town Meeting District I - Darien-1",
        "",
        ("Non Partisan Representative Town Meeting District I - Darien-1", "other", ""),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("office", "district", "expected"), IDENTITIES)
def test_contest_identity(office: str, district: str | None, expected: tuple) -> None:
    assert contest_identity(office, district) == expected
    # the stored form is a fixed point: reading a stored contest again changes nothing
    canonical, _, normalized = expected
    assert contest_identity(canonical, normalized) == expected


DISTRICTS = [
    (None, ""),
    ("  ", ""),
    ("1", "1"),
    ("001", "1"),
    ("District 1", "1"),
    ("district 01", "1"),
    ("Dist. 1", "1"),
    ("1st District", "1"),
    ("First District", "1"),
    ("District One", "1"),
    ("District IV", "4"),
    ("12th", "12"),
    ("D12", "12"),
    ("d 7", "7"),
    ("District 5A", "5A"),
    ("District C", "C"),
    ("Ward 3", "Ward 3"),
    ("ward 03", "Ward 3"),
    ("3rd Ward", "Ward 3"),
    ("At Large", "At Large"),
    ("at-large", "At Large"),
    ("Darien", "Darien"),
    ("darien", "Darien"),
    ("Danbury", "Danbury"),
    ("Deep River", "Deep River"),
    ("DERBY", "Derby"),
    ("Durham", "Durham"),
    ("new  haven", "New Haven"),
    ("Darien-1", "Darien-1"),
]


@pytest.mark.parametrize(("typed", "expected"), DISTRICTS)
def test_normalize_district(typed: str | None, expected: str) -> None:
    assert normalize_district(typed) == expected
    assert normalize_district(expected) == expected


def test_canonical_office_alone_drops_the_district() -> None:
    assert canonical_office("State Senator 1st District") == ("State Senate", "state_senate")
    assert canonical_office("Board of Education - Darien") == (BOE, "school_board")
    assert canonical_office("Board of Education Two Year Term")[0] == f"{BOE} (Two Year Term)"


PARTIES = [
    ("Democratic Party", "Democratic"),
    ("Democratic", "Democratic"),
    ("Democrat", "Democratic"),
    ("DEM", "Democratic"),
    ("Republican Party", "Republican"),
    ("REP", "Republican"),
    ("GOP", "Republican"),
    ("Working Families Party", "Working Families"),
    ("WF", "Working Families"),
    ("WFP", "Working Families"),
    ("Independent Party", "Independent"),
    ("Green Party", "Green"),
    ("Libertarian Party", "Libertarian"),
    ("Write In", "Write In"),
    ("Write-In", "Write In"),
    ("WI", "Write In"),
    ("Petitioning Candidate", "Petitioning Candidate"),
    ("Non Partisan", "Non Partisan"),
    ("The Bottom Line Party", "The Bottom Line"),
    ("Griebel Frank for CT Party", "Griebel Frank for CT"),
    ("American Independent Party", "American Independent"),  # not the Independent Party
    ("Independance Party", "Independance"),  # as CT SOTS spells that line; not merged
    ("  ", ""),
    (None, ""),
]


@pytest.mark.parametrize(("typed", "expected"), PARTIES)
def test_canonical_party(typed: str | None, expected: str) -> None:
    assert canonical_party(typed) == expected
    assert canonical_party(expected) == expected


# ---- round trip: staff typing and an OpenElections feed meet -------------------------------

SLUG = "2016-ct-general"
DAY = dt.date(2016, 11, 8)
FEED = b"""candidate,party,office,district,town,votes,precinct
Ann Darby,Democratic Party,Board of Education - Darien,,Darien,900,Darien 1
Ann Darby,Working Families Party,Board of Education - Darien,,Darien,50,Darien 1
Bob Reyes,Republican Party,Board of Education - Darien,,Darien,870,Darien 1
Ann Darby,Democratic Party,Board of Education - Danbury,,Danbury,400,Danbury 1
Cal Finch,Republican Party,Board of Education - Danbury,,Danbury,450,Danbury 1
Dee Stone,Democratic Party,Board of Education Full Term - Stamford,,Stamford,700,Stamford 1
Eve Marsh,Democratic Party,Board of Education Two Year Term - Stamford,,Stamford,650,Stamford 1
Gus Hale,Republican Party,Board of Education Two Year Term - Stamford,,Stamford,640,Stamford 1
Ian Cho,Democratic Party,State House,12,Manchester,5000,Manchester 1
"""


@pytest.fixture
async def general(conn: asyncpg.Connection) -> int:
    await create_election(
        conn, ElectionCreate(SLUG, "2016 General", DAY, [Stage("general", DAY)]), actor="test"
    )
    return await stage_id(conn, SLUG, "general")


def _row(office: str, district: str, candidate: str, party: str) -> list[str]:
    return [
        SLUG,
        "general",
        office,
        district,
        candidate,
        party,
        "AFT Connecticut",
        "2016-09-20",
        "",
    ]


async def test_staff_typed_town_board_meets_the_feed_contest(
    client: AsyncTestClient, auth: dict, conn: asyncpg.Connection, general: int
) -> None:
    imported = await client.post(
        "/api/v1/endorsements/import",
        content=csv_bytes(
            _row("Board of Education - Darien", "", "Ann Darby", "Democratic Party"),
            _row("Board of Education Two Year Term", "stamford", "Eve Marsh", "DEM"),
            _row("State Representative", "012", "Ian Cho", "D"),
        ),
        headers={**auth["editor"], "Content-Type": "text/csv"},
    )
    assert imported.status_code == 200 and imported.json()["created"] == 3, imported.json()
    created = await client.post(  # the API path (endorsements.edits) applies the same rule
        "/api/v1/endorsements",
        json={
            "election": SLUG,
            "stage": "general",
            "office": "Board of Education Full Term \u2013 Stamford",
            "candidate": "Dee Stone",
            "party": "Democratic Party",
            "endorsed_by": "Stamford Federation of Teachers",
            "endorsed_on": "2016-09-21",
        },
        headers=auth["editor"],
    )
    assert created.status_code == 201, created.json()

    stored = await conn.fetch(
        "select office, office_typed, district, party from endorsements order by id"
    )
    assert [tuple(r) for r in stored] == [
        (BOE, "Board of Education - Darien", "Darien", "Democratic"),
        (f"{BOE} (Two Year Term)", "Board of Education Two Year Term", "Stamford", "Democratic"),
        ("State House", "State Representative", "12", "Democratic"),
        (BOE, "Board of Education Full Term \u2013 Stamford", "Stamford", "Democratic"),
    ]

    parsed = openelections.parse(FEED, {"duplicates": "sum"})
    await apply_parsed(conn, stage_id=general, parsed=parsed)
    contests = await conn.fetch("select office, district from contests order by id")
    assert {tuple(r) for r in contests} == {
        (BOE, "Darien"),
        (BOE, "Danbury"),
        (BOE, "Stamford"),
        (f"{BOE} (Two Year Term)", "Stamford"),
        ("State House", "12"),
    }
    lines = await conn.fetchval(
        """select ca.parties from candidacies ca join contests c on c.id = ca.contest_id
            where c.district = 'Darien' and ca.ballot_name = 'Ann Darby'"""
    )
    assert lines == ["Democratic", "Working Families"]

    report = await match_stage(conn, general)
    assert (report.matched, report.review, report.unmatched) == (4, [], [])
    matched = await conn.fetch(
        """select e.candidate, c.office, c.district
             from endorsements e
             join candidacies ca on ca.id = e.candidacy_id
             join contests c on c.id = ca.contest_id
            order by e.id"""
    )
    assert [tuple(r) for r in matched] == [
        ("Ann Darby", BOE, "Darien"),  # not Danbury's Ann Darby
        ("Eve Marsh", f"{BOE} (Two Year Term)", "Stamford"),
        ("Ian Cho", "State House", "12"),
        ("Dee Stone", BOE, "Stamford"),
    ]


async def test_a_row_stored_before_the_rule_still_matches(
    conn: asyncpg.Connection, general: int
) -> None:
    """Endorsements written before contest_identity kept the town only in office_typed."""
    body = await conn.fetchval(
        "insert into bodies (name, kind) values ('AFT Connecticut', 'state_federation') returning id"
    )
    await conn.execute(
        """insert into endorsements (stage_id, body_id, office, office_typed, district,
               candidate, party, endorsed_on, created_by, updated_by)
           values ($1, $2, 'Board of Education', 'Board of Education - Darien', '', 'Ann Darby',
                   'Democratic Party', '2016-09-20', 'test', 'test')""",
        general,
        body,
    )
    await apply_parsed(
        conn, stage_id=general, parsed=openelections.parse(FEED, {"duplicates": "sum"})
    )
    report = await match_stage(conn, general)
    assert report.matched == 1
    district = await conn.fetchval(
        """select c.district from endorsements e join candidacies ca on ca.id = e.candidacy_id
             join contests c on c.id = ca.contest_id"""
    )
    assert district == "Darien"
