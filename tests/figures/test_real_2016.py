"""The real 2016 Connecticut general election (OpenElections file) through the real pipeline:
scrapers.openelections.parse -> endorse.results.ingest.apply_parsed -> matching -> the rate,
checked against a count done by hand from the file. Skipped when ../shared/data is absent.

Endorsements: tests/fixtures/figures_20161108_ct_endorsements.csv (written for this test: 15
real 2016 state senate and house races, names typed the way staff type them -- "Fonfara, John
W.", "Elizabeth Bye" for Beth Bye, "Jim Albis", "Kennedy Jr., Edward" -- plus one endorsement
for a district that does not exist).

Hand count from the file (votes summed over party lines and precincts; top two of each race):
  SD 1   Fonfara 20,437      Ruhe 6,052         WON
  SD 2   Coleman 30,772      Tillett 5,888      WON   (D + Working Families lines)
  SD 5   Bye 30,655          Merritt 21,128     WON
  SD 9   Doyle 29,684        Roberts 17,213     WON
  SD 12  Kennedy Jr. 32,089  Wilson Jr. 21,208  WON
  SD 13  Suzio 21,761        Bartolomeo 20,866  LOST  (by 895)
  SD 17  Logan 21,602        Crisco 20,769      LOST  (by 833)
  SD 18  Somers 24,795       Bowles 18,447      LOST
  SD 22  Moore 22,271        Hammers 16,885     WON
  SD 31  Martin 27,162       Nicastro 18,053    LOST
  SD 34  Fasano 35,049       write-ins 11 and 1 WON   uncontested (write-ins are not opponents)
  HD 2   Duff 6,012          Allie-Brennan 5,730 LOST (by 282)
  HD 53  Belsito 6,385       Eastwood 6,337     48 < 0.5% of 12,722 cast (63.6): recanvass
  HD 99  Albis 5,006         Tracey 4,995       11 < 20 votes: recanvass
  HD 103 Linehan 5,637       Falvey 5,552       85 >= 0.5% of 11,189 (55.9): WON
With official (not yet certified) returns: WON 8, LOST 5, PENDING 2 -> "8 of 13",
(200*8 + 13) // 26 = 62%; the range: 8 of 15 = 53% ... 10 of 15 = 67%.
Certified (after the recanvass; Albis won, Eastwood lost): "9 of 15", (1800 + 15) // 30 = 60%;
contested only (without SD 34): 8 of 14 = 57%.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import asyncpg
import pytest

from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election, stage_id
from endorse.figures.stats import get_stats
from endorse.matching.run import match_stage
from endorse.vocab import canonical_party, contest_identity

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "openelections-ct"
FILE = DATA / "20161108__ct__general__precinct.csv"
ENDORSEMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "figures_20161108_ct_endorsements.csv"  # fmt: skip
HEADER = "candidate,party,office,district,town,votes,precinct"


async def _load_results(conn: asyncpg.Connection, stage: int) -> None:
    from endorse.results.ingest import apply_parsed
    from scrapers import openelections

    body = FILE.read_bytes()
    assert body.decode("utf-8-sig").splitlines()[0].strip() == HEADER
    # the CT files repeat some precinct rows as separate tallies; "sum" is the scraper's rule for
    # them (none of the 15 races above has a repeated row, so the hand count does not depend on it)
    await apply_parsed(
        conn, stage_id=stage, parsed=openelections.parse(body, {"duplicates": "sum"})
    )


async def _load_endorsements(conn: asyncpg.Connection, stage: int) -> None:
    bodies: dict[str, int] = {}
    root = await conn.fetchval(
        "insert into bodies (name, kind) values ('AFT Connecticut', 'state_federation') returning id"
    )
    bodies["AFT Connecticut"] = root
    with ENDORSEMENTS.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            body = row["endorsed_by"]
            if body not in bodies:
                bodies[body] = await conn.fetchval(
                    "insert into bodies (name, kind, parent_id) values ($1, 'local', $2) returning id",
                    body,
                    root,
                )
            await conn.execute(
                """insert into endorsements (stage_id, body_id, office, office_typed, district,
                       candidate, party, endorsed_on, notes, created_by, updated_by)
                   values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'test', 'test')""",
                stage,
                bodies[body],
                contest_identity(row["office"], row["district"])[0],
                row["office"],
                contest_identity(row["office"], row["district"])[2],
                row["candidate"],
                canonical_party(row["party"]),
                dt.date.fromisoformat(row["endorsed_on"]),
                row["notes"],
            )


async def _set_status(conn: asyncpg.Connection, stage: int, status: str) -> None:
    await conn.execute(
        """insert into contest_status (contest_id, status)
           select id, $2 from contests where stage_id = $1
               on conflict (contest_id) do update set status = excluded.status, updated_at = now()""",
        stage,
        status,
    )


@pytest.mark.skipif(not FILE.exists(), reason="../shared/data/openelections-ct is absent")
async def test_2016_rate_matches_the_hand_count(conn: asyncpg.Connection) -> None:
    day = dt.date(2016, 11, 8)
    await create_election(
        conn,
        ElectionCreate("2016-ct-general", "2016 General", day, [Stage("general", day)]),
        actor="test",
    )
    stage = await stage_id(conn, "2016-ct-general", "general")
    await _load_results(conn, stage)
    await _load_endorsements(conn, stage)

    report = await match_stage(conn, stage)
    assert (report.endorsements, report.matched, report.review) == (17, 16, [])
    assert [(u.office, u.district) for u in report.unmatched] == [("State Senate", "40")]
    methods = await conn.fetch(
        "select candidate, ballot_name from endorsements e "
        "join candidacies c on c.id = e.candidacy_id where e.match_method = 'auto'"
    )
    pairs = {r["candidate"]: r["ballot_name"] for r in methods}
    assert pairs["Fonfara, John W."] == "John W. Fonfara"
    assert pairs["Elizabeth Bye"] == "Beth Bye"
    assert pairs["Kennedy Jr., Edward"] == "Edward Kennedy Jr."
    assert pairs["Jim Albis"] == "James M. Albis"
    assert pairs["Joseph Crisco"] == "Joe Crisco"

    # official returns: two races inside the CGS 9-311a recanvass margin stay pending
    await _set_status(conn, stage, "official")
    stats = await get_stats(conn, "2016-ct-general")
    h = stats.headline
    assert (h.won, h.lost, h.pending, h.percent, h.low, h.high) == (8, 5, 2, 62, 53, 67)
    assert stats.excluded.unmatched == 1
    assert stats.sentence == (
        "Of the 13 candidates we endorsed in the 2016 general election whose races have been "
        "decided, 8 won (62%); 2 more candidates' races are still pending, so the final rate "
        "will be between 53% and 67%."
    )
    races = await conn.fetch("select * from figure_races(array[$1::bigint])", stage)
    by_name = {r["candidate"]: r for r in races}
    assert (by_name["John W. Fonfara"]["endorsements"], by_name["John W. Fonfara"]["votes"]) == (
        2,
        20_437,
    )
    # party lines as endorse.vocab.canonical_party stores them ("Democratic Party" in the file)
    assert by_name["Eric D. Coleman"]["parties"] == ["Democratic", "Working Families"]
    assert by_name["Eric D. Coleman"]["votes"] == 30_772
    assert by_name["Len Fasano"]["uncontested"]
    assert by_name["Susan Eastwood"]["reason"] == (
        "recanvass: margin 48 of 12,722 votes cast (CGS 9-311a / 9-445)"
    )
    assert by_name["James M. Albis"]["margin"] == 11

    # certified: the recanvass is behind us
    await _set_status(conn, stage, "certified")
    stats = await get_stats(conn, "2016-ct-general")
    assert (stats.headline.text, stats.headline.percent, stats.headline.pending) == (
        "9 of 15",
        60,
        0,
    )
    assert (stats.variants.contested.text, stats.variants.contested.percent) == ("8 of 14", 57)
    assert stats.variants.close.text == "1 of 2"
    assert stats.sentence == (
        "Of the 15 candidates we endorsed in the 2016 general election, 9 won (60%)."
    )
