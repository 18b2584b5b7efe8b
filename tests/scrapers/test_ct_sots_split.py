"""CT SOTS in the split layout (since 2024): every part, layout detection, fetch, the real 2016."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import httpx
import msgspec
import pytest

from scrapers import ContestNote, FetchError, Measure, ParseError, SourceState, ct_sots
from scrapers._ct_sots_checks import check_grouping, is_official, parse_measures, question_rows
from scrapers._ct_sots_layout import PARTS, detect, join_parts, part_file
from scrapers._ct_sots_shapes import Lookup, Question, Reports, Results

ELECTION = Path("20261103_ct_sots_split/ng-app/data/election/111")
VERSION = "7002"
GOVERNOR = "Governor and Lieutenant Governor"
ALVAREZ = "Maria T. Alvarez and Owen Park"


@pytest.fixture
def election_dir(fixtures: Path) -> Path:
    return fixtures / ELECTION


@pytest.fixture
def body(election_dir: Path) -> bytes:
    return ct_sots.load_path(election_dir)


def _part(election_dir: Path, part: str) -> bytes:
    return (election_dir / VERSION / part_file(part)).read_bytes()


def _results(body: bytes) -> Results:
    return msgspec.json.decode(json.dumps(json.loads(body)["Electiondata"]), type=Results)


def _lookup(body: bytes) -> Lookup:
    return msgspec.json.decode(json.dumps(json.loads(body)["Lookupdata"]), type=Lookup)


def _with(body: bytes, part: str, value: object) -> bytes:
    doc = json.loads(body)
    doc["Electiondata"][part] = value
    return json.dumps(doc).encode()


def _totals(records) -> dict[tuple[str, str | None, str], int]:
    totals: Counter[tuple[str, str | None, str]] = Counter()
    for r in records:
        totals[(r.office, r.district, r.candidate)] += r.votes
    return dict(totals)


# --- the layout: detected from what the folder holds ----------------------------------------


def test_detect_the_layout_from_file_names() -> None:
    assert detect({"Lookupdata.json", "stateVotes_Electiondata.json"}) == "split"
    assert detect({"Lookupdata.json", "Electiondata.json"}) == "legacy"
    assert detect({"Electiondata.json", "stateVotes_Electiondata.json"}) == "split"
    with pytest.raises(FileNotFoundError, match=r"neither stateVotes_Electiondata\.json"):
        detect({"Lookupdata.json"})


def test_join_parts_puts_each_part_under_its_key() -> None:
    joined = join_parts({"townVotes": b"{}", "stateVotes": b'\xef\xbb\xbf{"1": []}'})
    assert json.loads(joined) == {"stateVotes": {"1": []}, "townVotes": {}}


def test_load_path_reads_every_part_of_the_split_folder(election_dir: Path, body: bytes) -> None:
    doc = json.loads(body)
    assert (doc["version"], doc["layout"]) == (7002, "split")
    assert set(doc["Electiondata"]) == set(PARTS)  # the fixture holds all ten
    assert ct_sots.load_path(election_dir / VERSION) == body


def test_split_folder_without_a_required_part(election_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / VERSION
    shutil.copytree(election_dir / VERSION, folder)
    (folder / part_file("townStatus")).unlink()  # optional: read without it
    assert "townStatus" not in json.loads(ct_sots.load_path(folder))["Electiondata"]
    (folder / part_file("townVotes")).unlink()
    with pytest.raises(FileNotFoundError, match="split layout without townVotes_Electiondata"):
        ct_sots.load_path(folder)


# --- one test per part ------------------------------------------------------------------------


def test_reports_io_is_official_not_certified(body: bytes) -> None:
    assert is_official(Reports(IR="True", IO="True"))
    assert not is_official(Reports(IR="True", IO="False"))
    assert is_official(Reports(IO=True)) and not is_official(Reports())
    official = ct_sots.parse(_with(body, "reports", {"IR": "True", "IO": "True"}))
    assert {r.status for r in official.records} == {"official"}  # never "certified"
    # IO False: each contest takes its towns' status (Bramble Hill is still unofficial).
    statuses = {(r.office, r.district): r.status for r in ct_sots.parse(body).records}
    assert statuses[(GOVERNOR, None)] == "unofficial"
    assert statuses[("Registrar of Voters", "Avonford")] == "official"
    assert statuses[("Registrar of Voters", "Bramble Hill")] == "unofficial"


def test_ballot_questions_are_measures(election_dir: Path) -> None:
    questions = msgspec.json.decode(
        _part(election_dir, "ballotQuestion"), type=dict[str, list[Question]]
    )
    measures = parse_measures(questions)
    assert [(m.place, m.question[:2], m.yes, m.no) for m in measures] == [
        ("State Wide", "1.", 4100, 2950),
        ("Avonford", "1.", 1960, 1210),
        ("Avonford", "2.", 1820, 1410),
        ("Cedar Falls", "1.", 0, 0),  # "-": nothing counted yet
    ]
    assert "  " not in measures[0].question  # the feed's double spaces folded
    bad = {"Avonford": [Question(QN="1. x", YES="many")]}
    with pytest.raises(ParseError, match=r"ballotQuestion Avonford '1\. x' YES: 'many'"):
        parse_measures(bad)


def test_ballot_questions_never_become_candidates(body: bytes) -> None:
    parsed = ct_sots.parse(body)
    assert len(parsed.measures) == 4
    assert not any("Shall" in r.candidate or "Shall" in r.office for r in parsed.records)
    # A question listed as an office with "Yes"/"No" lines is a measure too.
    assert question_rows("Q1", "Avonford", {("Yes", None, "Avonford"): 5}) == [
        Measure(question="Q1", place="Avonford", yes=5, no=0)
    ]
    assert question_rows("Mayor", None, {("Yes", None, ""): 5, ("Jo Yes", None, ""): 1}) is None
    doc = json.loads(body)
    lookup = doc["Lookupdata"]
    lookup["candidateIds"]["721"]["NM"] = "No"
    lookup["candidateIds"]["720"]["NM"] = "Yes"
    parsed = ct_sots.parse(json.dumps(doc).encode())
    assert Measure("Registrar of Voters", "Avonford", 2015, 1340) in parsed.measures
    assert ("Registrar of Voters", "Avonford") not in {
        (r.office, r.district) for r in parsed.records
    }


def test_candidate_grouping_checks_our_fusion_sum(body: bytes) -> None:
    results, lookup = _results(body), _lookup(body)
    votes_by = {
        (ALVAREZ, "Democratic Party", "Avonford"): 2484,
        (ALVAREZ, "Working Families Party", "Avonford"): 184,
        ("Gary Holt and Dana Reyes", "Republican Party", "Avonford"): 2580,
    }
    assert check_grouping("600", GOVERNOR, None, votes_by, results, lookup) == []
    votes_by[(ALVAREZ, "Working Families Party", "Avonford")] = 180
    assert check_grouping("600", GOVERNOR, None, votes_by, results, lookup) == [
        ContestNote(
            GOVERNOR,
            None,
            "fusion_sum_mismatch",
            f"candidateGrouping gives 2,668 for {ALVAREZ}; the candidate's lines add to 2,664",
        )
    ]
    assert ct_sots.parse(body).notes == []  # the fixture agrees with itself
    doc = json.loads(body)
    doc["Electiondata"]["candidateGrouping"]["601"][0]["710"]["V"] = "2,100"
    (note,) = ct_sots.parse(json.dumps(doc).encode()).notes
    assert (note.office, note.district, note.kind) == ("State Senate", "7", "fusion_sum_mismatch")
    assert "2,100" in note.detail and "2,089" in note.detail


def test_town_status_office_precincts_and_election_give_reporting(body: bytes) -> None:
    reporting = {
        (r.office, r.district): (r.precincts_reporting, r.precincts_total)
        for r in ct_sots.parse(body).records
    }
    assert reporting == {
        (GOVERNOR, None): (9, 10),  # election_Electiondata PR
        ("State Senate", "7"): (6, 7),  # officePrecincts
        ("State Representative", "12"): (3, 3),
        ("Registrar of Voters", "Avonford"): (4, 4),  # townStatus PR
        ("Registrar of Voters", "Bramble Hill"): (2, 3),
        ("Board of Education", "Cedar Falls"): (3, 3),
    }


def test_voter_turnout_and_districts_are_read_not_trusted(election_dir: Path, body: bytes) -> None:
    results = _results(body)
    assert results.voterTurnout["2"].PR == "2 of 3 (66.67%)"
    assert results.districts[1]["2"][2]["23"].S is False
    # A turnout claiming "2 of 1" (as the real 2022 feed does) changes no contest's count.
    doc = json.loads(body)
    doc["Electiondata"]["voterTurnout"]["1"]["PR"] = "2 of 1 (200%)"
    assert ct_sots.parse(json.dumps(doc).encode()).records == ct_sots.parse(body).records
    broken = _with(body, "districts", {"1": "x"})
    with pytest.raises(ParseError, match=r"\$\.Electiondata\.districts.*split layout"):
        ct_sots.parse(broken)


def test_placeholder_dot_is_not_a_candidate(body: bytes) -> None:
    lookup = _lookup(body)
    assert ct_sots._parse_candidate("704", lookup, "x") is None  # "."
    assert ct_sots._parse_candidate("723", lookup, "x") is None
    assert "." not in {r.candidate for r in ct_sots.parse(body).records}


def test_town_offices_with_one_name_are_kept_apart_by_town(body: bytes) -> None:
    records = ct_sots.parse(body).records
    registrars = {(r.district, r.candidate) for r in records if r.office == "Registrar of Voters"}
    assert registrars == {
        ("Avonford", "Joan Marchetti"),
        ("Avonford", "Ray Tully"),
        ("Bramble Hill", "Ann Greco"),
    }
    # A town office with votes in no single town keeps its office id rather than merging.
    doc = json.loads(body)
    town_votes = doc["Electiondata"]["townVotes"]
    town_votes["1"]["603"] = town_votes["2"]["603"]
    records = ct_sots.parse(json.dumps(doc).encode()).records
    assert {r.district for r in records if r.office == "Registrar of Voters"} == {
        "Avonford",
        "office 603",
    }


# --- the whole fixture ------------------------------------------------------------------------


def test_parse_split_fixture(body: bytes) -> None:
    parsed = ct_sots.parse(body, {"seats": {"604": 3}})
    assert (parsed.version, parsed.election_name) == (
        "7002",
        "11/03/2026 -- November 2026 State Election",
    )
    assert _totals(parsed.records) == {
        (GOVERNOR, None, ALVAREZ): 2668,
        (GOVERNOR, None, "Gary Holt and Dana Reyes"): 2580,
        (GOVERNOR, None, "Peter Lindqvist"): 4,
        ("State Senate", "7", "Helen Okafor"): 2089,
        ("State Senate", "7", "Gary Pelletier"): 1890,
        ("Registrar of Voters", "Avonford", "Joan Marchetti"): 2015,
        ("Registrar of Voters", "Avonford", "Ray Tully"): 1340,
        ("Registrar of Voters", "Bramble Hill", "Ann Greco"): 1612,
        ("Board of Education", "Cedar Falls", "Lena Ford"): 1402,
        ("Board of Education", "Cedar Falls", "Sam Oduya"): 1298,
        ("Board of Education", "Cedar Falls", "Ruth Kim"): 1455,
        ("Board of Education", "Cedar Falls", "Tom Best"): 1377,
        ("State Representative", "12", "Carla Benedetti"): 610,
        ("State Representative", "12", "Wayne Dufresne"): 540,
    }
    alvarez = {r.party: 0 for r in parsed.records if r.candidate == ALVAREZ}
    for r in parsed.records:
        if r.candidate == ALVAREZ:
            alvarez[r.party] += r.votes
    assert alvarez == {"Democratic Party": 2484, "Working Families Party": 184}
    assert {r.seats for r in parsed.records if r.office == "Board of Education"} == {3}
    assert all(r.unit for r in parsed.records)  # town rows everywhere: never also a "" total
    assert [r.write_in for r in parsed.records if r.candidate == "Peter Lindqvist"] == [True] * 3


def test_parse_elections_in_the_sites_own_shape(election_dir: Path) -> None:
    listed = ct_sots.parse_elections((election_dir.parent.parent / "Elections.json").read_bytes())
    assert [(e["id"], e["date"], e["type"], e["party"]) for e in listed] == [
        ("111", "2026-11-03", "general", None),
        ("109", "2026-08-11", "primary", "Republican"),
        ("108", "2026-08-11", "primary", "Democratic"),
    ]


# --- the real 2016 general in both layouts (../shared/data), skipped when absent ------------


def test_real_2016_split_equals_legacy(shared) -> None:
    split = ct_sots.load_path(shared("ct-sots-split", "ng-app", "data", "election", "1"))
    legacy = ct_sots.load_path(shared("ct-sots", "ng-app", "data", "election", "1"))
    assert json.loads(split)["layout"] == "split"
    from_split, from_legacy = ct_sots.parse(split), ct_sots.parse(legacy)
    assert from_split.version == from_legacy.version == "5603"

    def lines(parsed) -> Counter:
        out: Counter = Counter()
        for r in parsed.records:
            out[(r.office, r.district, r.candidate, r.party, r.unit)] += r.votes
        return out

    assert lines(from_split) == lines(from_legacy)  # contests, candidates, lines and totals
    totals = _totals(from_split.records)
    assert len({(o, d) for o, d, _ in totals}) == len(
        {(o, d) for o, d, _ in _totals(from_legacy.records)}
    )
    assert totals[("United States Senator", None, "Richard Blumenthal")] == 1008714
    assert from_legacy.notes == [] and from_split.notes == []  # its candidateGrouping agrees


def test_real_sites_election_list(shared) -> None:
    listed = ct_sots.parse_elections(
        shared("ct-sots-split", "ng-app", "data", "Elections.json").read_bytes()
    )
    assert len(listed) == 60
    by_id = {e["id"]: e for e in listed}
    assert (by_id["103"]["type"], by_id["103"]["party"]) == ("primary", "Democratic")
    assert (by_id["104"]["type"], by_id["104"]["party"]) == ("primary", "Republican")
    assert (by_id["1"]["date"], by_id["1"]["type"]) == ("2016-11-08", "general")


# --- fetch over real HTTP ---------------------------------------------------------------------

BASE = f"/files/{ELECTION}"


@pytest.mark.asyncio
async def test_fetch_reads_the_split_layout(server, fast, body: bytes) -> None:
    async with httpx.AsyncClient() as client:
        fetched = await ct_sots.fetch(client, server.url(BASE + "/"), SourceState(), fast)
    assert fetched is not None and fetched.version == VERSION
    assert json.loads(fetched.body)["layout"] == "split"
    assert ct_sots.parse(fetched.body) == ct_sots.parse(body)
    assert server.hits[f"{BASE}/{VERSION}/Electiondata.json"] == 0  # no legacy file asked for
    assert all(server.hits[f"{BASE}/{VERSION}/{part_file(p)}"] == 1 for p in PARTS)


@pytest.mark.asyncio
async def test_fetch_split_without_optional_parts(server, fast, body: bytes) -> None:
    for part in ("townStatus", "reports", "candidateGrouping"):
        server.gone.add(f"{BASE}/{VERSION}/{part_file(part)}")
    async with httpx.AsyncClient() as client:
        fetched = await ct_sots.fetch(client, server.url(BASE), SourceState(), fast)
    assert fetched is not None
    assert set(json.loads(fetched.body)["Electiondata"]) == set(PARTS) - {
        "townStatus",
        "reports",
        "candidateGrouping",
    }
    assert {r.status for r in ct_sots.parse(fetched.body).records} == {"unofficial"}


@pytest.mark.asyncio
async def test_fetch_split_failures(server, fast) -> None:
    async with httpx.AsyncClient() as client:
        # A part that fails (not one that is absent) fails the fetch: never read half a version.
        server.fail_first[f"{BASE}/{VERSION}/{part_file('townStatus')}"] = 10
        with pytest.raises(FetchError, match=r"townStatus_Electiondata\.json: HTTP 500"):
            await ct_sots.fetch(client, server.url(BASE), SourceState(), fast)
        server.reset()
        server.gone.add(f"{BASE}/{VERSION}/{part_file('townVotes')}")
        with pytest.raises(FetchError, match="split layout without townVotes_Electiondata"):
            await ct_sots.fetch(client, server.url(BASE), SourceState(), fast)


# --- primaries: one election per party ------------------------------------------------------

PRIMARIES = Path("20260811_ct_sots_primaries/ng-app/data")


def test_a_primary_names_its_party_on_every_contest(fixtures: Path) -> None:
    elections = fixtures / PRIMARIES / "election"
    democratic = ct_sots.parse(ct_sots.load_path(elections / "108")).records
    assert {r.contest_party for r in democratic} == {"Democratic Party"}  # the election's P id
    republican = ct_sots.parse(ct_sots.load_path(elections / "109")).records
    assert {r.contest_party for r in republican} == {"Republican"}  # from the election's name
    assert {r.party for r in republican if r.candidate.startswith("Erin Walsh")} == {None}
    given = ct_sots.parse(ct_sots.load_path(elections / "109"), {"party": "Green"}).records
    assert {r.contest_party for r in given} == {"Green"}
    with pytest.raises(ParseError, match="mapping key 'party'"):
        ct_sots.parse(ct_sots.load_path(elections / "109"), {"party": 3})
    assert {r.printed for r in republican} == {"Governor and Lieutenant Governor", "State Senate 7"}


def test_a_general_names_no_party(body: bytes) -> None:
    assert {r.contest_party for r in ct_sots.parse(body).records} == {None}
