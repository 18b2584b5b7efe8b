"""Clarity detail XML: helpers, the fixture county file, bad input, real files, fetch."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from scrapers import FetchError, ParseError, SourceState, clarity

DIR = "20241105_ct_fairfield_clarity"


@pytest.fixture
def xml(fixtures: Path) -> bytes:
    return (fixtures / DIR / "detail.xml").read_bytes()


@pytest.fixture
def zipped(fixtures: Path) -> bytes:
    return (fixtures / DIR / "detailxml.zip").read_bytes()


def _el(text: str):
    """The one Contest in `text`, as the parser reads it."""
    (contest,) = clarity._contests(iter([text.encode()]), {})
    return contest


def _choice(text: str):
    """The one Choice in `text`, read inside a contest."""
    (choice,) = _el(f'<Contest text="x">{text}</Contest>').choices
    return choice


# --- one test per element helper -------------------------------------------------------------


def test_parse_timestamp() -> None:
    est = clarity._parse_timestamp("11/6/2024 1:15:09 AM EST")
    assert est == datetime(2024, 11, 6, 1, 15, 9, tzinfo=timezone(timedelta(hours=-5)))
    assert clarity._parse_timestamp("5/20/2014 8:19:21 PM CDT").utcoffset() == timedelta(hours=-5)
    assert clarity._parse_timestamp("5/20/2014 8:19:21 PM XYZ") is None  # never a naive time
    assert clarity._parse_timestamp("yesterday") is None
    assert clarity._parse_timestamp(None) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("State Representative District 112", ("State Representative", "112")),
        ("U.S. House, Dist. 4", ("U.S. House", "4")),
        ("Board of Education", ("Board of Education", None)),
        ("US Senator - REPUBLICAN", ("US Senator - REPUBLICAN", None)),
    ],
)
def test_parse_contest_text(text: str, expected: tuple) -> None:
    assert clarity._parse_contest_text(text) == expected


def test_parse_precincts_reads_every_attribute_style() -> None:
    new = _el('<Contest precinctsParticipating="3" precinctsReported="2" />')
    old = _el('<Contest precinctsReporting="32" precinctsReported="30" />')  # 2014 county files
    counties = _el(
        "<Contest><ParticipatingCounties>"
        '<County name="A" precinctsParticipating="30" precinctsReported="30" />'
        '<County name="B" precinctsParticipating="26" precinctsReported="20" />'
        "</ParticipatingCounties></Contest>"
    )
    assert clarity._parse_precincts(new, "x") == (2, 3)
    assert clarity._parse_precincts(old, "x") == (30, 32)
    assert clarity._parse_precincts(counties, "x") == (50, 56)
    assert clarity._parse_precincts(_el("<Contest />"), "x") == (None, None)


def test_parse_choice_sums_vote_types_per_unit() -> None:
    choice = _choice(
        '<Choice text="A" totalVotes="19">'
        '<VoteType name="Election Day" votes="12"><Precinct name="P1" votes="7" />'
        '<Precinct name="P2" votes="5" /></VoteType>'
        '<VoteType name="Absentee" votes="7"><Precinct name="P1" votes="3" />'
        '<Precinct name="P2" votes="4" /></VoteType></Choice>'
    )
    assert clarity._parse_choice(choice, "Precinct", "x") == {"P1": 10, "P2": 9}
    assert clarity._parse_choice(choice, None, "x") == {"": 19}  # totals: 12 + 7
    bare = _choice('<Choice text="A" totalVotes="41" />')
    assert clarity._parse_choice(bare, None, "x") == {"": 41}


def test_parse_contest_uses_choices_only_at_the_finest_level() -> None:
    contest = _el(
        '<Contest text="County Judge" voteFor="1" precinctsParticipating="2" precinctsReported="2">'
        '<VoteType name="Undervotes" votes="9"><County name="A" votes="9" /></VoteType>'
        '<Choice text="Ann Lee (I)" party="DEM"><VoteType name="Election Day" votes="5">'
        '<County name="A" votes="2" /><County name="B" votes="3" /></VoteType></Choice>'
        '<Choice text="Write-in"><VoteType name="Election Day" votes="1">'
        '<County name="A" votes="1" /><County name="B" votes="0" /></VoteType></Choice>'
        "</Contest>"
    )
    records = list(clarity._parse_contest(contest, "official"))
    assert [(r.candidate, r.party, r.unit, r.votes, r.incumbent, r.write_in) for r in records] == [
        ("Ann Lee", "DEM", "A", 2, True, False),
        ("Ann Lee", "DEM", "B", 3, True, False),
        ("Write-in", None, "A", 1, False, True),
        ("Write-in", None, "B", 0, False, True),
    ]
    assert {(r.status, r.precincts_reporting, r.precincts_total) for r in records} == {
        ("official", 2, 2)
    }


def test_contests_stream_and_say_where_it_broke() -> None:
    meta: dict = {}
    chunks = [b"<r><Timestamp>1/2/2024 ", b"1:00:00 AM EST</Timestamp><Contest text='A'><Ch",
              b"oice text='B'><VoteType><Precinct name='P' votes='4'/></VoteType></Choice>",
              b"</Contest><Contest text='Q' isQuestion='true'/></r>"]  # fmt: skip
    (contest,) = clarity._contests(iter(chunks), meta)
    assert contest.get("text") == "A" and contest.choices[0].sums == {"Precinct": {"P": 4}}
    assert meta == {"Timestamp": "1/2/2024 1:00:00 AM EST"}  # text split across chunks
    with pytest.raises(ParseError, match="malformed XML at line 2, column 5"):
        list(clarity._contests(iter([b"<a>\n<b></a>"]), {}))
    with pytest.raises(ParseError, match="malformed XML"):  # cut short
        list(clarity._contests(iter([b"<a><b/>"]), {}))


def test_unit_rows_read_as_a_tree_walk_would() -> None:
    """Counts with separators are counts; a bad row raises only at the level in use."""
    choice = _choice(
        '<Choice text="A"><VoteType name="Election Day"><Precinct name="P1" votes="1,204" />'
        '<Precinct name="P2" votes=" 7 " /><Precinct name="P1" votes="6" /></VoteType>'
        '<VoteType name="Absentee"><Precinct name="P2" votes="1" />'
        '<County name="C" votes="n/a" /></VoteType></Choice>'
    )
    assert clarity._parse_choice(choice, "Precinct", "x") == {"P1": 1210, "P2": 8}
    with pytest.raises(ParseError, match="x C: 'n/a' is not a whole number"):
        clarity._parse_choice(choice, "County", "x")
    nameless = _choice('<Choice text="A"><VoteType><Precinct votes="3" /></VoteType></Choice>')
    with pytest.raises(ParseError, match="x: a Precinct without a name"):
        clarity._parse_choice(nameless, "Precinct", "x")


def test_entity_expansion_is_refused() -> None:
    """'Billion laughs': a document type is refused before parsing; under that, the reader
    refuses any entity declaration too (defence in depth), so a hostile feed is a ParseError."""
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{entities}]>'
        "<ElectionResult><ElectionName>&l9;</ElectionName></ElectionResult>"
    ).encode()
    with pytest.raises(ParseError, match="document type"):
        clarity.parse(bomb)
    with pytest.raises(ParseError, match="declares the entity 'l0'"):
        list(clarity._contests(iter([bomb]), {}))
    external = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    with pytest.raises(ParseError, match="declares the entity 'x'"):
        list(clarity._contests(iter([external]), {}))


def test_unzip(xml: bytes, zipped: bytes) -> None:
    assert b"".join(clarity._xml_chunks(zipped)) == xml
    assert b"".join(clarity._xml_chunks(xml)) == xml
    with pytest.raises(ParseError, match="corrupt or truncated zip"):
        b"".join(clarity._xml_chunks(zipped[: len(zipped) // 2]))
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "no xml here")
    with pytest.raises(ParseError, match=r"zip holds no \.xml file"):
        b"".join(clarity._xml_chunks(empty.getvalue()))


# --- the fixture county file -----------------------------------------------------------------


def test_parse_fixture(zipped: bytes, xml: bytes) -> None:
    parsed = clarity.parse(zipped)
    assert parsed == clarity.parse(xml)
    assert parsed.election_name == "2024 General Election"
    assert parsed.as_of == datetime(2024, 11, 6, 6, 15, 9, tzinfo=UTC)
    records = parsed.records
    # 3 contests x 3 precincts: Rep 3 choices, Senate 3, Board 4; the ballot question skipped.
    assert len(records) == (3 + 3 + 4) * 3
    assert {r.unit for r in records} == {"Ridgebury 1", "Ridgebury 2", "Westfield 3"}

    def votes(candidate: str, party: str | None = None, unit: str | None = None) -> int:
        return sum(
            r.votes
            for r in records
            if r.candidate == candidate and party in (None, r.party) and unit in (None, r.unit)
        )

    # Hollis, by hand: Ridgebury 1 = 610 election day + 72 absentee + 120 early = 802;
    # Ridgebury 2 = 540 + 65 + 98 = 703; Westfield 3 not in yet = 0. Total 1,505.
    assert votes("Janet Hollis", unit="Ridgebury 1") == 802
    assert votes("Janet Hollis", unit="Ridgebury 2") == 703
    assert votes("Janet Hollis") == 1505
    assert votes("Mark Doyle") == (455 + 40 + 88) + (501 + 52 + 77)  # 1,213
    # Undervotes (41) and overvotes (1) are contest-level VoteTypes, not choices.
    assert votes("Undervotes") == 0
    (hollis,) = {
        (r.office, r.district, r.party, r.incumbent, r.seats)
        for r in records
        if r.candidate == "Janet Hollis"
    }
    assert hollis == ("State Representative", "112", "DEM", True, 1)
    writein = [r for r in records if r.write_in]
    assert {r.candidate for r in writein} == {"Write-in"} and sum(r.votes for r in writein) == 4 + 1
    # Fusion from the text tags: DEM (590+70+115) + (530+60+95) = 1,460;
    # WF (31+2+5) + (27+3+4) = 72.
    assert votes("Carol Mendes", "DEM") == 1460
    assert votes("Carol Mendes", "WF") == 72
    assert votes("Carol Mendes") == 1532
    # Vote for 3, older precinct attributes ("precinctsReporting" is the participating count).
    board = [r for r in records if r.office == "Board of Education"]
    assert {(r.seats, r.district, r.precincts_reporting, r.precincts_total) for r in board} == {
        (3, None, 2, 3)
    }
    # Kim: (870 + 58) + (905 + 61) = 1,894, and "(I)" marks her incumbent.
    assert votes("Sandra Kim") == 1894
    assert {r.incumbent for r in board if r.candidate == "Sandra Kim"} == {True}
    assert {r.status for r in records} == {"unofficial"}


def test_status_from_mapping(xml: bytes) -> None:
    assert {r.status for r in clarity.parse(xml, {"status": "certified"}).records} == {"certified"}
    with pytest.raises(ParseError, match="mapping key 'status'"):
        clarity.parse(xml, {"status": "final"})


# --- bad input -------------------------------------------------------------------------------


def test_empty_body() -> None:
    with pytest.raises(ParseError, match="clarity: empty body"):
        clarity.parse(b"")


def test_truncated_xml(xml: bytes) -> None:
    with pytest.raises(ParseError, match=r"clarity: malformed XML at line \d+, column \d+"):
        clarity.parse(xml[: len(xml) // 2])


def test_truncated_zip(zipped: bytes) -> None:
    with pytest.raises(ParseError, match="clarity: corrupt or truncated zip"):
        clarity.parse(zipped[:-40])


def test_non_numeric_votes(xml: bytes) -> None:
    broken = xml.replace(
        b'<Precinct name="Ridgebury 2" votes="540" />',
        b'<Precinct name="Ridgebury 2" votes="5x0" />',
    )
    with pytest.raises(
        ParseError,
        match=r"'State Representative District 112' choice 'Janet Hollis \(I\)' Ridgebury 2: '5x0'",
    ):
        clarity.parse(broken)


def test_contest_without_text(xml: bytes) -> None:
    broken = xml.replace(b'text="Board of Education" ', b"")
    with pytest.raises(ParseError, match="Contest key='30' has no text"):
        clarity.parse(broken)


# --- the real samples (../shared/data), skipped when absent ----------------------------------


def _independent_totals(path: Path, tag: str) -> dict[str, int]:
    """Per choice: the sum of every unit under every VoteType, counted with plain ElementTree."""
    totals: dict[str, int] = defaultdict(int)
    root = ET.ElementTree(file=path).getroot()
    for choice in root.iter("Choice"):
        for unit in choice.iter(tag):
            totals[choice.get("text")] += int(unit.get("votes"))
    return totals


def test_real_state_file_by_county(shared) -> None:
    path = shared("clarity", "county.xml")
    parsed = clarity.parse(path.read_bytes())
    assert parsed.election_name == "2014 General Election"
    assert parsed.as_of == datetime(2014, 11, 13, 20, 58, 41, tzinfo=UTC)  # 2:58 PM CST
    units = {r.unit for r in parsed.records}
    assert len(units - {clarity.UNALLOCATED}) == 75  # Arkansas' counties
    cotton = [r for r in parsed.records if r.candidate == "Tom Cotton"]
    # The real file states 477,734 for Cotton while his county rows add to 462,123: the stated
    # total is his total, the rest in a unit of its own, and the contest carries a note.
    assert _independent_totals(path, "County")["Tom Cotton"] == 462123
    assert sum(r.votes for r in cotton) == 477734
    assert [r.votes for r in cotton if r.unit == clarity.UNALLOCATED] == [477734 - 462123]
    (note,) = parsed.notes
    assert (note.office, note.kind) == ("U.S. Senate", "stated_total_mismatch")
    assert note.detail == "Tom Cotton: stated 477,734, rows add to 462,123"
    assert {(r.party, r.precincts_reporting, r.precincts_total) for r in cotton} == {
        ("REP", 2655, 2655)
    }


def test_real_county_file_by_precinct(shared) -> None:
    path = shared("clarity", "precinct.xml")
    parsed = clarity.parse(path.read_bytes())
    expected = _independent_totals(path, "Precinct")
    got: dict[str, int] = defaultdict(int)
    for r in parsed.records:
        got[r.candidate] += r.votes
    assert got == expected
    assert len({r.unit for r in parsed.records}) == 33  # 32 precincts + "AB" (absentee)
    # "- REPUBLICAN" names the primary's party, not a district; the printed name is kept.
    assert {
        (r.office, r.contest_party, r.printed, r.precincts_reporting, r.precincts_total)
        for r in parsed.records
    } == {("US Senator", "Republican", "US Senator - REPUBLICAN", 32, 32)}
    assert parsed.notes == []


# --- fetch over real HTTP --------------------------------------------------------------------

BASE = "/clarity/CT/Fairfield/124890"


@pytest.mark.asyncio
async def test_fetch_version_then_zip(server, fast, zipped: bytes) -> None:
    server.overrides[f"{BASE}/current_ver.txt"] = b"331045\r\n"
    server.overrides[f"{BASE}/331045/reports/detailxml.zip"] = zipped
    url = server.url(BASE + "/")
    async with httpx.AsyncClient() as client:
        fetched = await clarity.fetch(client, url, SourceState(), fast)
        assert fetched is not None and fetched.version == "331045" and fetched.body == zipped
        assert fetched.headers["content-type"] == "application/zip"
        state = SourceState(
            etag=fetched.etag, last_modified=fetched.last_modified, version="331045"
        )
        assert await clarity.fetch(client, url, state, fast) is None  # 304 on current_ver.txt
        assert await clarity.fetch(client, url, SourceState(version="331045"), fast) is None
        server.overrides[f"{BASE}/current_ver.txt"] = b"331046"
        server.overrides[f"{BASE}/331046/reports/detailxml.zip"] = zipped
        bumped = await clarity.fetch(client, url, state, fast)
    assert bumped is not None and bumped.version == "331046"
    assert server.hits[f"{BASE}/331045/reports/detailxml.zip"] == 1


@pytest.mark.asyncio
async def test_fetch_errors(server, fast) -> None:
    server.overrides[f"{BASE}/current_ver.txt"] = b"<html>Service Unavailable</html>"
    async with httpx.AsyncClient() as client:
        with pytest.raises(FetchError, match="is not a number"):
            await clarity.fetch(client, server.url(BASE), SourceState(), fast)
        server.overrides[f"{BASE}/current_ver.txt"] = b"331047"
        server.fail_first[f"{BASE}/331047/reports/detailxml.zip"] = 5
        with pytest.raises(FetchError, match="HTTP 500"):
            await clarity.fetch(client, server.url(BASE), SourceState(), fast)


def test_parse_contest_party() -> None:
    assert clarity._parse_contest_party("US Senator - REPUBLICAN") == ("US Senator", "Republican")
    assert clarity._parse_contest_party("Governor (DEM)") == ("Governor", "Democratic")
    assert clarity._parse_contest_party("State Senate District 5") == (
        "State Senate District 5",
        None,
    )


def _contest(choices: str):
    return _el(
        '<Contest key="1" text="Mayor" voteFor="1" precinctsReported="2" '
        f'precinctsParticipating="2">{choices}</Contest>'
    )


def test_stated_totals_win_and_flag_the_contest() -> None:
    under = _contest(
        '<Choice text="Ann Lee" totalVotes="12"><VoteType name="Election Day" votes="10">'
        '<Precinct name="1" votes="6" /><Precinct name="2" votes="4" /></VoteType></Choice>'
        '<Choice text="Bo Chu" totalVotes="7"><VoteType name="Election Day" votes="7">'
        '<Precinct name="1" votes="3" /><Precinct name="2" votes="4" /></VoteType></Choice>'
        '<Choice text="Over Votes" totalVotes="2"><VoteType name="Election Day" votes="2">'
        '<Precinct name="1" votes="2" /></VoteType></Choice>'
    )
    notes: list = []
    records = list(clarity._parse_contest(under, "unofficial", notes))
    assert {(r.candidate, r.unit): r.votes for r in records} == {
        ("Ann Lee", "1"): 6,
        ("Ann Lee", "2"): 4,
        ("Ann Lee", clarity.UNALLOCATED): 2,  # never the smaller sum
        ("Bo Chu", "1"): 3,
        ("Bo Chu", "2"): 4,
    }  # "Over Votes" is no candidate
    assert [(n.kind, n.detail) for n in notes] == [
        ("stated_total_mismatch", "Ann Lee: stated 12, rows add to 10")
    ]
    over = _contest(
        '<Choice text="Ann Lee" totalVotes="9"><VoteType name="Election Day" votes="10">'
        '<Precinct name="1" votes="6" /><Precinct name="2" votes="4" /></VoteType></Choice>'
        '<Choice text="Bo Chu" totalVotes="7"><VoteType name="Election Day" votes="7">'
        '<Precinct name="1" votes="3" /><Precinct name="2" votes="4" /></VoteType></Choice>'
    )
    whole = list(clarity._parse_contest(over, "unofficial", notes))
    assert {(r.candidate, r.unit): r.votes for r in whole} == {
        ("Ann Lee", ""): 9,
        ("Bo Chu", ""): 7,
    }
