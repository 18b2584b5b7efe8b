"""CT Secretary of the State JSON: helpers, the fixture election, bad input, real files, fetch."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import httpx
import msgspec
import pytest

from scrapers import FetchError, ParseError, SourceState, ct_sots
from scrapers._ct_sots_shapes import Candidate, Lookup, Office, Results, TownStatus, Votes

ELECTION = Path("20241105_ct_sots/ng-app/data/election/90")


@pytest.fixture
def election_dir(fixtures: Path) -> Path:
    return fixtures / ELECTION


@pytest.fixture
def body(election_dir: Path) -> bytes:
    return ct_sots.load_path(election_dir)


def _doc(body: bytes) -> dict:
    return json.loads(body)


# --- one test per element helper -------------------------------------------------------------


def test_parse_version() -> None:
    assert ct_sots._parse_version(b'{"Version": 13392}') == "13392"
    with pytest.raises(ParseError, match=r"Version\.json: .*truncated"):
        ct_sots._parse_version(b'{"Version": 133')
    with pytest.raises(ParseError, match=r"no \"Version\" key in \['version'\]"):
        ct_sots._parse_version(b'{"version": 133}')


def test_parse_seats() -> None:
    assert ct_sots._parse_seats(None) == {}
    assert ct_sots._parse_seats({"seats": {"503": 3}}) == {"503": 3}
    with pytest.raises(ParseError, match="mapping key 'seats'"):
        ct_sots._parse_seats({"seats": {"503": "3"}})


def test_parse_date() -> None:
    assert ct_sots._parse_date("11/08/2022", "x") == "2022-11-08"
    assert ct_sots._parse_date("8/9/2022", "x") == "2022-08-09"
    with pytest.raises(ParseError, match="'2022-11-08' is not MM/DD/YYYY"):
        ct_sots._parse_date("2022-11-08", "x")


@pytest.mark.parametrize(
    ("name", "district", "expected"),
    [
        ("State Senate 1", "1", ("State Senate", "1")),
        ("Representative in Congress 01", "1", ("Representative in Congress", "1")),
        ("State Representative 012", "12", ("State Representative", "12")),
        ("Judge of Probate to Fill Vacancy 02", "2", ("Judge of Probate to Fill Vacancy", "2")),
        ("Governor and Lieutenant Governor", "0", ("Governor and Lieutenant Governor", None)),
        ("Mayor", "", ("Mayor", None)),
        ("State Senate 10", "1", ("State Senate 10", "1")),  # suffix is not the district: kept
    ],
)
def test_parse_office(name: str, district: str, expected: tuple) -> None:
    assert ct_sots._parse_office(Office(NM=name, D=district)) == expected


def test_parse_status() -> None:
    assert ct_sots._parse_status("( Official Results )") == "official"
    assert ct_sots._parse_status("( *Unofficial Results )") == "unofficial"
    assert ct_sots._parse_status("( Certified Results )") == "certified"
    assert ct_sots._parse_status("") == "unofficial"


def test_parse_votes_reads_one_key_dicts_with_separators() -> None:
    cells = msgspec.json.decode(
        b'[{"900": {"V": "1,204", "TO": "50%"}}, {"901": {"V": 96}}]',
        type=Votes,
    )
    assert ct_sots._parse_votes(cells, "x") == [("900", 1204), ("901", 96)]
    bad = msgspec.json.decode(b'[{"900": {"V": "n/a"}}]', type=Votes)
    with pytest.raises(ParseError, match=r"x\[900\]: 'n/a' is not a whole number"):
        ct_sots._parse_votes(bad, "x")


def _lookup(body: bytes) -> Lookup:
    return msgspec.json.decode(json.dumps(_doc(body)["Lookupdata"]), type=Lookup)


def _results(body: bytes) -> Results:
    return msgspec.json.decode(json.dumps(_doc(body)["Electiondata"]), type=Results)


def test_parse_candidate(body: bytes) -> None:
    lookup = _lookup(body)
    assert ct_sots._parse_candidate("901", lookup, "x") == (
        "Maria T. Alvarez",
        "Working Families Party",
    )
    assert ct_sots._parse_candidate("921", lookup, "x") is None  # "**": an empty ballot line
    lookup.candidateIds["999"] = Candidate(NM="Sam Unknown", P="1057")
    assert ct_sots._parse_candidate("999", lookup, "x") == ("Sam Unknown", None)
    with pytest.raises(ParseError, match="candidate id 12345 not in candidateIds"):
        ct_sots._parse_candidate("12345", lookup, "office 1")


def test_reporting_uses_the_right_count_per_office_type(body: bytes) -> None:
    results = _results(body)
    # Statewide: the election's own "9 of 10".
    assert ct_sots._reporting("500", Office(NM="Gov", OT="SW"), ["1", "2", "3"], results) == (9, 10)
    # District office: officePrecincts "7 of 8".
    assert ct_sots._reporting("501", Office(NM="Sen", OT="S", D="7"), ["1", "2"], results) == (7, 8)
    # Town office: the town's "2 of 2", not officePrecincts' "2 of 10" (the real feed's quirk).
    assert ct_sots._reporting("502", Office(NM="Reg", OT="SM"), ["3"], results) == (2, 2)
    # A district office the feed gives no count for.
    assert ct_sots._reporting("504", Office(NM="Rep", OT="A", D="12"), [], results) == (None, None)


def test_contest_status_is_the_least_final_town(body: bytes) -> None:
    results = _results(body)
    assert ct_sots._contest_status(["1", "3"], results) == "official"
    assert ct_sots._contest_status(["1", "2"], results) == "unofficial"
    results.townStatus.update({t: TownStatus(TS="( Official Results )") for t in "123"})
    assert ct_sots._contest_status([], results) == "official"  # no towns: all towns count


def test_parse_contest_adds_a_line_listed_twice(body: bytes) -> None:
    lookup = _lookup(body)
    cells = msgspec.json.decode(
        b'[{"920": {"V": "8,475"}}, {"920": {"V": "0"}}, {"921": {"V": "0"}}]',
        type=Votes,
    )
    assert ct_sots._parse_contest("502", [("Cedar Falls", cells)], lookup) == {
        ("Joan Marchetti", "Democratic Party", "Cedar Falls"): 8475
    }


def test_towns_by_office_turns_town_votes_around(body: bytes) -> None:
    by_office = ct_sots._towns_by_office(_results(body), _lookup(body))
    assert {oid: [t for t, _ in rows] for oid, rows in by_office.items()} == {
        "500": ["1", "2", "3"],
        "501": ["1", "2"],
        "503": ["2"],
        "502": ["3"],
    }


# --- the fixture election --------------------------------------------------------------------


def test_parse_fixture_election(body: bytes) -> None:
    parsed = ct_sots.parse(body, {"seats": {"503": 3}})
    assert parsed.version == "4101"
    assert parsed.election_name == "11/05/2024 -- November 2024 State Election"
    assert parsed.as_of is None  # the feed states no time
    records = parsed.records
    # Governor 3 towns x 4 lines + Senate 2 x 4 + Rep 1 (state) x 2 + Registrar 1 (the "**"
    # line skipped) + Board 4; Judge of Probate has no votes published.
    assert len(records) == 12 + 8 + 2 + 1 + 4

    def total(candidate: str, party: str | None = None) -> int:
        return sum(
            r.votes for r in records if r.candidate == candidate and party in (None, r.party)
        )

    # Fusion, hand-added from townVotes: Democratic 1,204 + 830 + 450 = 2,484;
    # Working Families 96 + 57 + 31 = 184; together 2,668 (candidateGrouping says the same).
    assert total("Maria T. Alvarez", "Democratic Party") == 2484
    assert total("Maria T. Alvarez", "Working Families Party") == 184
    assert total("Maria T. Alvarez") == 2668
    # Senate 7: Okafor 1,150 + 88 + 801 + 50 = 2,089; Pelletier 1,010 + 41 + 880 + 33 = 1,964.
    assert total("Helen Okafor") == 2089
    assert total("Gary Pelletier") == 1964
    writein = [r for r in records if r.party == "Write In"]
    assert {r.candidate for r in writein} == {"Peter Lindqvist"} and all(
        r.write_in for r in writein
    )
    assert sum(r.votes for r in writein) == 3 + 0 + 1

    gov = [r for r in records if r.office == "Governor and Lieutenant Governor"]
    assert {r.unit for r in gov} == {"Avonford", "Bramble Hill", "Cedar Falls"}  # never also ""
    assert {(r.district, r.precincts_reporting, r.precincts_total, r.status) for r in gov} == {
        (None, 9, 10, "unofficial")  # Bramble Hill is still unofficial
    }
    senate = {
        (r.office, r.district, r.precincts_reporting, r.precincts_total)
        for r in records
        if r.district == "7"
    }
    assert senate == {("State Senate", "7", 7, 8)}
    rep = [r for r in records if r.office == "State Representative"]
    assert {(r.district, r.unit, r.candidate, r.votes) for r in rep} == {
        ("12", "", "Carla Benedetti", 3310),
        ("12", "", "Wayne Dufresne", 2975),
    }
    (registrar,) = [r for r in records if r.office == "Registrar of Voters"]
    assert (registrar.district, registrar.unit, registrar.status) == (
        "Cedar Falls",
        "Cedar Falls",
        "official",
    )
    board = [r for r in records if r.office == "Board of Education"]
    assert {(r.district, r.seats, r.precincts_reporting, r.precincts_total) for r in board} == {
        ("Bramble Hill", 3, 3, 4)
    }
    assert sorted(r.votes for r in board) == [1298, 1377, 1402, 1455]


def test_seats_default_to_one_and_may_be_named_by_office(body: bytes) -> None:
    assert {r.seats for r in ct_sots.parse(body).records} == {1}
    by_name = ct_sots.parse(body, {"seats": {"Board of Education": 3}}).records
    assert {r.seats for r in by_name if r.office == "Board of Education"} == {3}


def test_units_never_overlap(body: bytes) -> None:
    units: dict[tuple, set[str]] = defaultdict(set)
    for r in ct_sots.parse(body).records:
        units[(r.office, r.district)].add(r.unit)
    assert all("" not in u or u == {""} for u in units.values())


def test_parse_elections(fixtures: Path) -> None:
    body = (fixtures / "20241105_ct_sots/ng-app/data/Elections.json").read_bytes()
    assert ct_sots.parse_elections(body) == [
        {
            "id": "88",
            "name": "08/13/2024 -- August 2024 Primary",
            "date": "2024-08-13",
            "type": "primary",
            "party": None,
        },
        {
            "id": "90",
            "name": "11/05/2024 -- November 2024 State Election",
            "date": "2024-11-05",
            "type": "general",
            "party": None,
        },
    ]
    with pytest.raises(ParseError, match=r"Elections\.json"):
        ct_sots.parse_elections(b'[{"ID": "1"}]')
    with pytest.raises(ParseError, match="empty"):
        ct_sots.parse_elections(b"")


def test_load_path_takes_election_dir_version_dir_or_file(
    election_dir: Path, tmp_path: Path
) -> None:
    combined = ct_sots.load_path(election_dir)
    assert ct_sots.load_path(election_dir / "4101") == combined
    (tmp_path / "combined.json").write_bytes(combined)
    assert ct_sots.load_path(tmp_path / "combined.json") == combined
    doc = _doc(combined)
    assert doc["version"] == 4101 and doc["layout"] == "legacy"
    assert set(doc) == {"version", "layout", "Electiondata", "Lookupdata"}
    with pytest.raises(FileNotFoundError):
        ct_sots.load_path(tmp_path)


# --- bad input -------------------------------------------------------------------------------


def test_empty_body() -> None:
    with pytest.raises(ParseError, match="ct-sots: empty body"):
        ct_sots.parse(b"  \n")


def test_truncated_json(body: bytes) -> None:
    with pytest.raises(ParseError, match=r"ct-sots: .*(truncated|malformed)"):
        ct_sots.parse(body[: len(body) // 2])


def test_missing_file_in_combined_body(election_dir: Path) -> None:
    only_one = (
        b'{"version": 1, "Electiondata": '
        + (election_dir / "4101/Electiondata.json").read_bytes()
        + b"}"
    )
    with pytest.raises(ParseError, match="missing required field `Lookupdata`"):
        ct_sots.parse(only_one)


def test_non_numeric_votes_name_the_place(body: bytes) -> None:
    doc = _doc(body)
    doc["Electiondata"]["townVotes"]["2"]["503"][1]["931"]["V"] = "1.377k"
    with pytest.raises(ParseError, match=r"office 503 town Bramble Hill\[931\]: '1.377k'"):
        ct_sots.parse(json.dumps(doc).encode())


def test_votes_for_an_unknown_office(body: bytes) -> None:
    doc = _doc(body)
    doc["Electiondata"]["stateVotes"]["777"] = []
    with pytest.raises(ParseError, match="office id 777 has votes but is not in officeList"):
        ct_sots.parse(json.dumps(doc).encode())


def test_wrong_type_says_where(body: bytes) -> None:
    doc = _doc(body)
    doc["Lookupdata"]["townIds"] = ["Avonford"]
    with pytest.raises(ParseError, match=r"\$\.Lookupdata\.townIds"):
        ct_sots.parse(json.dumps(doc).encode())


# --- the real feed (../shared/data), skipped when absent -------------------------------------


@pytest.mark.parametrize("election_id", ["1", "64", "80"])
def test_real_election_matches_an_independent_count(shared, election_id: str) -> None:
    election = shared("ct-sots", "ng-app", "data", "election", election_id)
    version = json.loads((election / "Version.json").read_bytes())["Version"]
    data = json.loads((election / str(version) / "Electiondata.json").read_bytes())
    lookup = json.loads((election / str(version) / "Lookupdata.json").read_bytes())
    parsed = ct_sots.parse(ct_sots.load_path(election))
    assert parsed.version == str(version)
    assert parsed.election_name == lookup["election"]["NM"]

    # Independently: per-candidate-line totals from townVotes, placeholders ("*") dropped.
    def name(cid: str) -> str:
        return lookup["candidateIds"][cid]["NM"]

    expected: dict[tuple[str, str], int] = defaultdict(int)
    for offices in data["townVotes"].values():
        for oid, cells in offices.items():
            for cell in cells:
                for cid, v in cell.items():
                    if name(cid).strip("*"):
                        expected[(oid, name(cid))] += int(v["V"].replace(",", ""))
    contests = {oid for oid, _ in expected}
    assert len({(r.office, r.district) for r in parsed.records}) == len(contests)
    assert sum(r.votes for r in parsed.records) == sum(expected.values())
    # …and townVotes agree with the feed's own stateVotes for every line.
    for oid, cells in data["stateVotes"].items():
        for cell in cells:
            for cid, v in cell.items():
                if name(cid).strip("*"):
                    assert expected[(oid, name(cid))] >= int(v["V"].replace(",", ""))
    assert all(r.unit for r in parsed.records)  # every contest has town rows: no "" totals


def test_real_2022_fusion_total_matches_candidate_grouping(shared) -> None:
    election = shared("ct-sots", "ng-app", "data", "election", "80")
    data = json.loads((election / "13392" / "Electiondata.json").read_bytes())
    lookup = json.loads((election / "13392" / "Lookupdata.json").read_bytes())
    # candidateGrouping["13576"] holds the governor ticket's fusion total under one of its ids.
    ((cid, cell),) = data["candidateGrouping"]["13576"][0].items()
    ticket = lookup["candidateIds"][cid]["NM"]
    records = ct_sots.parse(ct_sots.load_path(election)).records
    lines = [
        r
        for r in records
        if r.office == "Governor and Lieutenant Governor" and r.candidate == ticket
    ]
    assert len({r.party for r in lines}) >= 2  # more than one party line
    assert sum(r.votes for r in lines) == int(cell["V"].replace(",", ""))
    assert {(r.precincts_reporting, r.precincts_total, r.status) for r in lines} == {
        (760, 763, "official")
    }


def test_real_2021_municipal_town_offices(shared) -> None:
    election = shared("ct-sots", "ng-app", "data", "election", "64")
    records = ct_sots.parse(ct_sots.load_path(election)).records
    mayors = {r.district for r in records if r.office == "Mayor"}
    assert len(mayors) > 10  # one contest per town, told apart by the town
    assert {r.status for r in records} == {"unofficial"}
    bridgeport = {
        (r.precincts_reporting, r.precincts_total) for r in records if r.district == "Bridgeport"
    }
    assert bridgeport == {(22, 24)}  # the town's own count, not officePrecincts' "N of 673"


def test_real_elections_list(shared) -> None:
    listed = ct_sots.parse_elections(
        shared("ct-sots", "ng-app", "data", "Elections.json").read_bytes()
    )
    assert [(e["id"], e["date"], e["type"]) for e in listed] == [
        ("1", "2016-11-08", "general"),
        ("64", "2021-11-02", "general"),
        ("80", "2022-11-08", "general"),
    ]


# --- fetch over real HTTP --------------------------------------------------------------------

BASE = f"/files/{ELECTION}"


@pytest.mark.asyncio
async def test_fetch_polls_the_version_then_fetches_both_files(server, fast, body: bytes) -> None:
    url = server.url(BASE + "/")
    async with httpx.AsyncClient() as client:
        fetched = await ct_sots.fetch(client, url, SourceState(), fast)
        assert fetched is not None and fetched.version == "4101" and fetched.etag
        assert ct_sots.parse(fetched.body) == ct_sots.parse(body)
        # Unchanged: the version file answers 304, nothing else is asked for.
        state = SourceState(etag=fetched.etag, last_modified=fetched.last_modified, version="4101")
        assert await ct_sots.fetch(client, url, state, fast) is None
        # Same version without validators: read, compared, and still nothing fetched.
        assert await ct_sots.fetch(client, url, SourceState(version="4101"), fast) is None
    assert server.hits[f"{BASE}/4101/Electiondata.json"] == 1
    assert server.hits[f"{BASE}/Version.json"] == 3


@pytest.mark.asyncio
async def test_fetch_follows_a_new_version(server, fast, election_dir: Path) -> None:
    data = json.loads((election_dir / "4101/Electiondata.json").read_bytes())
    data["townStatus"]["2"]["TS"] = "( Official Results )"
    server.overrides[f"{BASE}/Version.json"] = b'{"Version": 4102}'
    server.overrides[f"{BASE}/4102/Electiondata.json"] = json.dumps(data).encode()
    server.overrides[f"{BASE}/4102/Lookupdata.json"] = (
        election_dir / "4101/Lookupdata.json"
    ).read_bytes()
    async with httpx.AsyncClient() as client:
        fetched = await ct_sots.fetch(client, server.url(BASE), SourceState(version="4101"), fast)
    assert fetched is not None and fetched.version == "4102"
    parsed = ct_sots.parse(fetched.body)
    assert parsed.version == "4102"
    assert {r.status for r in parsed.records if r.office == "Governor and Lieutenant Governor"} == {
        "official"
    }


@pytest.mark.asyncio
async def test_fetch_errors(server, fast) -> None:
    async with httpx.AsyncClient() as client:
        server.overrides[f"{BASE}/Version.json"] = b"<html>maintenance</html>"
        with pytest.raises(FetchError, match=r"Version\.json"):
            await ct_sots.fetch(client, server.url(BASE), SourceState(), fast)
        server.overrides[f"{BASE}/Version.json"] = b'{"Version": 9999}'  # files not there yet
        with pytest.raises(FetchError, match="HTTP 404"):
            await ct_sots.fetch(client, server.url(BASE), SourceState(), fast)
