"""OpenElections CSV: helpers, the fixture file, duplicates, bad input, real files, fetch."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import httpx
import pytest

from scrapers import ParseError, SourceState, openelections

CSV = "20241105_ct_general_precinct.csv"
HEADER = "candidate,party,office,district,town,votes,precinct\n"


@pytest.fixture
def body(fixtures: Path) -> bytes:
    return (fixtures / CSV).read_bytes()


# --- one test per element helper -------------------------------------------------------------


def test_parse_header_finds_columns_by_name() -> None:
    index = openelections._parse_header(["\ufeffCandidate", " Votes", "office", "county", "notes"])
    assert (index["candidate"], index["votes"], index["office"], index["county"]) == (0, 1, 2, 3)
    with pytest.raises(
        ParseError, match=r"lacks required column\(s\) office, votes; got name, total"
    ):
        openelections._parse_header(["name", "total", "candidate"])


def test_parse_votes() -> None:
    assert openelections._parse_votes("1,204", 2) == 1204
    assert openelections._parse_votes(" 7 ", 2) == 7
    assert openelections._parse_votes("", 2) == 0  # a line with nothing recorded
    with pytest.raises(ParseError, match=r"row 9: votes '12\.5' is not a whole number"):
        openelections._parse_votes("12.5", 9)


def test_iter_rows_numbers_rows_like_a_spreadsheet_and_skips_totals() -> None:
    text = (
        HEADER
        + "Ballots Cast,,Ballots Cast,,Avonford,2431,1\n"
        + "Ann Lee,Democratic Party,Mayor,,Avonford,10,1\n"
        + "Over Votes,,Mayor,,Avonford,2,1\n"
        + "\n"
        + "Bo Chu,Republican Party,Mayor,,Avonford,9,1\n"
    )
    rows = list(openelections._iter_rows(io.StringIO(text, newline="")))
    assert [(n, r.candidate, r.unit, r.votes) for n, r in rows] == [
        (3, "Ann Lee", "Avonford / 1", 10),
        (6, "Bo Chu", "Avonford / 1", 9),
    ]


def test_iter_records_handles_duplicates_three_ways() -> None:
    text = (
        HEADER
        + "Ann Lee,D,Mayor,,Avonford,10,1\n"
        + "Bo Chu,R,Mayor,,Avonford,4,1\n"
        + "Ann Lee,D,Mayor,,Avonford,5,1\n"
    )
    with pytest.raises(
        ParseError, match=r"row 4 duplicates row 2: Mayor / Ann Lee / D / Avonford / 1"
    ):
        list(openelections.iter_records(text.splitlines(), "error"))
    auto = list(openelections.iter_records(text.splitlines()))  # different numbers: parts
    assert [(r.candidate, r.votes) for r in auto] == [("Ann Lee", 15), ("Bo Chu", 4)]
    first = list(openelections.iter_records(text.splitlines(), "keep-first"))
    assert [(r.candidate, r.votes) for r in first] == [("Ann Lee", 10), ("Bo Chu", 4)]
    summed = list(openelections.iter_records(text.splitlines(), "sum"))
    assert [(r.candidate, r.votes) for r in summed] == [("Ann Lee", 15), ("Bo Chu", 4)]
    with pytest.raises(ParseError, match="mapping key 'duplicates'"):
        list(openelections.iter_records(text.splitlines(), "drop"))


def test_iter_records_streams() -> None:
    def lines():
        yield HEADER
        yield "Ann Lee,D,Mayor,,Avonford,10,1\n"
        raise AssertionError("read past the first record")

    # "error" and "keep-first" stream; "auto" and "sum" must see every repeat first.
    assert next(openelections.iter_records(lines(), "keep-first")).candidate == "Ann Lee"


def test_other_unit_columns_and_extra_columns() -> None:
    text = (
        "county,precinct,office,district,party,candidate,votes,notes\n"
        'Tolland,3-A,State House,53,Democratic,Ann Lee,"1,001",recount\n'
    )
    (record,) = openelections.parse(text.encode()).records
    assert (record.unit, record.district, record.votes) == ("Tolland / 3-A", "53", 1001)
    (total,) = openelections.parse(b"office,candidate,votes\nMayor,Ann Lee,12\n").records
    assert (total.unit, total.party, total.district) == ("", None, None)  # contest-wide only


def test_any_line_ending_and_a_bom() -> None:
    text = HEADER + "Ann Lee,D,Mayor,,Avonford,10,1\n" + "Bo Chu,R,Mayor,,Avonford,9,1\n"
    lf = openelections.parse(text.encode())
    assert (
        openelections.parse(b"\xef\xbb\xbf" + text.replace("\n", "\r").encode()) == lf
    )  # 2022 primary
    assert openelections.parse(text.replace("\n", "\r\n").encode()) == lf  # 2016 general


def test_a_file_that_is_not_utf8_is_read_as_cp1252_wherever_the_odd_byte_is() -> None:
    filler = "".join(f"Bo Chu,R,Mayor,,Town {i},1,1\n" for i in range(40_000))  # over 1 MB
    text = HEADER + filler + "Jos\u00e9 Ruiz,D,Mayor,,Avonford,10,1\n"
    last = openelections.parse(text.encode("cp1252")).records[-1]
    assert (last.candidate, last.votes) == ("Jos\u00e9 Ruiz", 10)
    assert openelections.parse(text.encode()).records[-1] == last  # the same file in UTF-8


# --- the fixture file ------------------------------------------------------------------------


def test_parse_fixture(body: bytes) -> None:
    records = openelections.parse(body).records
    # 22 data rows less "Ballots Cast" and "Registered Voters": 12 governor, 4 senate, 4 board.
    assert len(records) == 20

    def votes(candidate: str, party: str | None = None) -> int:
        return sum(
            r.votes for r in records if r.candidate == candidate and party in (None, r.party)
        )

    # Alvarez by hand: Democratic 1,204 + 612 + 830 = 2,646; Working Families 96 + 41 + 57 = 194.
    assert votes("Maria T. Alvarez", "Democratic Party") == 2646
    assert votes("Maria T. Alvarez", "Working Families Party") == 194
    assert votes("Maria T. Alvarez") == 2840
    assert votes("Douglas R. Whitcomb") == 1087 + 598 + 912  # 2,597
    # Write-ins: 3 + (blank = 0) + 1.
    writeins = [r for r in records if r.write_in]
    assert {(r.candidate, r.party) for r in writeins} == {("Write-ins", "Write In")}
    assert sum(r.votes for r in writeins) == 4
    assert votes("Helen Okafor") == 1150 + 577
    senate = {(r.office, r.district) for r in records if r.candidate == "Gary Pelletier"}
    assert senate == {("State Senate", "7")}
    assert votes('Robert "Bob" Kowalski') == 1377  # quoted quotes survive
    assert {r.unit for r in records} == {
        "Avonford / 1 - Town Hall",
        "Avonford / 2 - Senior Center",
        "Bramble Hill / 1 - Bramble Hill School",
    }
    assert {(r.seats, r.status, r.precincts_total) for r in records} == {(1, "unofficial", None)}


# --- bad input -------------------------------------------------------------------------------


def test_empty_file() -> None:
    with pytest.raises(ParseError, match="openelections: empty file"):
        openelections.parse(b"\n\n")


def test_wrong_header() -> None:
    with pytest.raises(ParseError, match=r"lacks required column\(s\) candidate, office, votes"):
        openelections.parse(b"name,total\nAnn Lee,12\n")


def test_non_numeric_votes_name_the_row(body: bytes) -> None:
    broken = body.replace(b"Avonford,612,", b"Avonford,six hundred,")
    with pytest.raises(ParseError, match="row 7: votes 'six hundred' is not a whole number"):
        openelections.parse(broken)


def test_truncated_file(body: bytes) -> None:
    cut = body[: body.index(b"612,2 - Senior")]  # mid-row: too few fields
    with pytest.raises(ParseError, match=r"row 7 has 6 fields, the header has 7"):
        openelections.parse(cut)
    quote = body[: body.index(b'"1,087"') + 3]  # inside a quoted field
    with pytest.raises(ParseError, match="row 5: unexpected end of data"):
        openelections.parse(quote)


def test_a_repeated_row_is_a_copy_unless_told(body: bytes) -> None:
    lines = body.splitlines(keepends=True)
    doubled = b"".join([*lines[:4], lines[3], *lines[4:]])  # row 4 again as row 5
    with pytest.raises(
        ParseError,
        match=r"row 5 duplicates row 4: Governor / Maria T\. Alvarez / Working Families Party",
    ):
        openelections.parse(doubled, {"duplicates": "error"})
    parsed = openelections.parse(doubled)
    assert parsed.records == openelections.parse(body).records  # identical: counted once
    (note,) = parsed.notes
    assert (note.office, note.kind) == ("Governor", "repeated_rows_copies")
    assert note.detail.startswith("1 unit repeated with identical numbers: copies, counted once")
    assert openelections.parse(doubled, {"duplicates": "keep-first"}).records == parsed.records


# A town's polling places as a real file has them: Town Hall is repeated whole with the same
# numbers (a copy), and "Fire House" holds two precincts with different numbers (parts).
REPEATS = HEADER + (
    "Ann Lee,Democratic,State Senate,5,Avonford,120,Town Hall\n"
    "Bo Chu,Republican,State Senate,5,Avonford,80,Town Hall\n"
    "Ann Lee,Democratic,State Senate,5,Avonford,60,Fire House\n"
    "Bo Chu,Republican,State Senate,5,Avonford,40,Fire House\n"
    "Ann Lee,Democratic,State Senate,5,Avonford,120,Town Hall\n"
    "Bo Chu,Republican,State Senate,5,Avonford,80,Town Hall\n"
    "Ann Lee,Democratic,State Senate,5,Avonford,55,Fire House\n"
    "Bo Chu,Republican,State Senate,5,Avonford,40,Fire House\n"  # one equal line: still a part
    "Cy Dunn,Democratic,Mayor,,Avonford,300,Town Hall\n"
    "Cy Dunn,Democratic,Mayor,,Avonford,300,Town Hall\n"
)


def test_copies_and_parts_in_one_file() -> None:
    parsed = openelections.parse(REPEATS.encode())
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for r in parsed.records:
        totals[(r.office, r.candidate)] += r.votes
    # Ann Lee: Town Hall 120 once + Fire House 60 + 55; Bo Chu: 80 + 40 + 40.
    assert dict(totals) == {
        ("State Senate", "Ann Lee"): 235,
        ("State Senate", "Bo Chu"): 160,
        ("Mayor", "Cy Dunn"): 300,
    }
    notes = {(n.office, n.kind): n.detail for n in parsed.notes}
    assert notes == {
        ("State Senate", "repeated_rows_copies"): (
            "1 unit repeated with identical numbers: copies, counted once: Avonford / Town Hall"
        ),
        ("State Senate", "repeated_rows_parts"): (
            "1 unit listed again with different numbers: parts, summed: Avonford / Fire House"
        ),
        ("Mayor", "repeated_rows_copies"): (
            "1 unit repeated with identical numbers: copies, counted once: Avonford / Town Hall"
        ),
    }
    # The mapping overrides, for the file or per office.
    summed = openelections.parse(REPEATS.encode(), {"duplicates": {"*": "auto", "Mayor": "sum"}})
    assert {r.candidate: r.votes for r in summed.records if r.office == "Mayor"} == {"Cy Dunn": 600}
    with pytest.raises(ParseError, match=r"row 11 repeats Mayor / Cy Dunn"):
        openelections.parse(REPEATS.encode(), {"duplicates": {"Mayor": "error"}})
    with pytest.raises(ParseError, match="mapping key 'duplicates'"):
        openelections.parse(REPEATS.encode(), {"duplicates": {"Mayor": "twice"}})


# --- the real files (../shared/data), skipped when absent ------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _first_duplicate(rows: list[dict[str, str]]) -> tuple[int, int]:
    seen: dict[tuple, int] = {}
    for number, row in enumerate(rows, start=2):  # the header is row 1
        key = (
            row["office"],
            row["district"],
            row["candidate"],
            row["party"],
            row["town"],
            row["precinct"],
        )
        if key in seen:
            return number, seen[key]
        seen[key] = number
    raise AssertionError("no duplicates")


@pytest.mark.parametrize(
    "name",
    [
        "20161108__ct__general__precinct.csv",
        "20221108__ct__general__precinct.csv",
        "20220809__ct__primary__precinct.csv",  # BOM and bare "\r" line ends
    ],
)
def test_real_file(shared, name: str) -> None:
    path = shared("openelections-ct", name)
    rows = _rows(path)
    assert list(rows[0]) == [
        "candidate",
        "party",
        "office",
        "district",
        "town",
        "votes",
        "precinct",
    ]
    # These files repeat (contest, candidate, party, precinct) rows: detected, and named.
    row, first = _first_duplicate(rows)
    with pytest.raises(ParseError, match=rf"row {row} duplicates row {first}:"):
        openelections.parse(path.read_bytes(), {"duplicates": "error"})
    assert openelections.parse(path.read_bytes()).records  # never refused whole by default
    summed = openelections.parse(path.read_bytes(), {"duplicates": "sum"}).records
    kept = openelections.parse(path.read_bytes(), {"duplicates": "keep-first"}).records
    keys = {
        (r["office"], r["district"], r["candidate"], r["party"], r["town"], r["precinct"])
        for r in rows
    }
    assert len(summed) == len(kept) == len(keys)
    assert sum(r.votes for r in summed) == sum(int(r["votes"]) for r in rows)
    assert {(r.office, r.district) for r in summed} == {
        (r["office"], r["district"] or None) for r in rows
    }


def test_real_2022_sums_match_the_secretary_of_the_state(shared) -> None:
    """Summing the repeated rows gives the official totals; keeping the first does not."""
    path = shared("openelections-ct", "20221108__ct__general__precinct.csv")
    election = shared("ct-sots", "ng-app", "data", "election", "80", "13392")
    data = json.loads((election / "Electiondata.json").read_bytes())
    lookup = json.loads((election / "Lookupdata.json").read_bytes())
    official = {}
    for cell in data["stateVotes"]["13576"]:  # Governor and Lieutenant Governor
        for cid, v in cell.items():
            candidate = lookup["candidateIds"][cid]
            official[(candidate["NM"], lookup["partyIds"][candidate["P"]]["NM"])] = int(v["V"])

    def totals(mode: str) -> dict[tuple, int]:
        out: dict[tuple, int] = defaultdict(int)
        for r in openelections.parse(path.read_bytes(), {"duplicates": mode}).records:
            if r.office == "Governor and Lieutenant Governor":
                out[(r.candidate, r.party)] += r.votes
        return out

    summed, kept, auto = totals("sum"), totals("keep-first"), totals("auto")
    line = ("Ned Lamont and Susan Bysiewicz", "Democratic Party")
    assert summed[line] == auto[line] == official[line] == 690183
    assert kept[line] < official[line]


def test_real_2022_copies_are_not_double_counted(shared) -> None:
    """Burlington's and Chester's polling places repeat whole: "sum" double counts them."""
    path = shared("openelections-ct", "20221108__ct__general__precinct.csv")
    election = shared("ct-sots", "ng-app", "data", "election", "80", "13392")
    data = json.loads((election / "Electiondata.json").read_bytes())
    lookup = json.loads((election / "Lookupdata.json").read_bytes())
    offices = {oid: o["NM"] for item in lookup["officeList"] for oid, o in item.items()}
    official: dict[tuple[str, str], int] = defaultdict(int)
    for oid, cells in data["stateVotes"].items():
        for cell in cells:
            for cid, v in cell.items():
                name = lookup["candidateIds"][cid]["NM"]
                official[(offices[oid], name)] += int(v["V"].replace(",", ""))
    parsed = openelections.parse(path.read_bytes())
    ours: dict[tuple[str, str | None, str], int] = defaultdict(int)
    for r in parsed.records:
        ours[(r.office, r.district, r.candidate)] += r.votes
    assert ours[("State Senate", "5", "Derek Slap")] == official[("State Senate 5", "Derek Slap")]
    assert official[("State Senate 5", "Derek Slap")] == 30947  # "sum" gives 40,210
    assert ours[("State Senate", "33", "Norm Needleman")] == 26816
    assert ours[("U.S. House", "05", "Jahana Hayes")] == 127838
    kinds = defaultdict(set)
    for note in parsed.notes:
        kinds[note.kind].add((note.office, note.district))
    assert ("State Senate", "5") in kinds["repeated_rows_copies"]
    assert ("Governor and Lieutenant Governor", None) in kinds["repeated_rows_parts"]


def test_real_2016_write_in_spelling(shared) -> None:
    path = shared("openelections-ct", "20161108__ct__general__precinct.csv")
    records = openelections.parse(path.read_bytes(), {"duplicates": "sum"}).records
    parties = Counter(r.party for r in records if r.write_in)
    assert set(parties) == {"Write-In"}  # 2016 spells it "Write-In", 2022 "Write In"


# --- fetch over real HTTP --------------------------------------------------------------------


@pytest.mark.asyncio
async def test_fetch_is_a_conditional_get(server, fast, body: bytes) -> None:
    url = server.url(f"/files/{CSV}")
    async with httpx.AsyncClient() as client:
        fetched = await openelections.fetch(client, url, SourceState(), fast)
        assert fetched is not None and fetched.body == body and fetched.etag
        assert openelections.parse(fetched.body) == openelections.parse(body)
        state = SourceState(etag=fetched.etag, last_modified=fetched.last_modified)
        assert await openelections.fetch(client, url, state, fast) is None
        server.fail_first[f"/files/{CSV}"] = 1
        again = await openelections.fetch(client, url, SourceState(), fast)
    assert again is not None and again.body == body


def test_status_from_mapping(body: bytes) -> None:
    assert {r.status for r in openelections.parse(body).records} == {"unofficial"}
    certified = openelections.parse(body, {"status": "certified"})
    assert {r.status for r in certified.records} == {"certified"}
    with pytest.raises(ParseError, match="'status' must be one of"):
        openelections.parse(body, {"status": "final"})


# --- the plain-file loop against the row reader ------------------------------------------------


def _row_reader(body: bytes, mapping: dict | None = None) -> list:
    options = mapping or {}
    records, _ = openelections._read(
        io.StringIO(body.decode("utf-8-sig"), newline=""),
        options.get("duplicates", "auto"),
        options.get("status", "unofficial"),
    )
    return list(records)


PLAIN = (
    "Candidate,Party,Office,District,County,Town,Precinct,Votes,Notes\n"
    'Ann Lee (I),Democratic Party,State Senate, 5 ,Fair,Avonford,1,"1,204",x\n'
    "Ann Lee,Working Families Party,State Senate,5,Fair,Avonford,1,31,\n"
    "Write-ins,Write In,State Senate,5,Fair,Avonford,1,4,\n"
    "Total Votes,,State Senate,5,Fair,Avonford,1,1239,\n"
    "Ballots Cast,,Ballots Cast,,Fair,Avonford,1,2431,\n"
    "Bo Chu,,Mayor,,Fair, Avonford ,,,\n"
    "Bo Chu,,Mayor,,Fair,Bexley,2, 7 ,\n"
)


@pytest.mark.parametrize(
    "text",
    [
        PLAIN,
        PLAIN.replace("County,", "Shire,"),  # two unit columns
        "candidate,office,votes\nAnn Lee,Mayor,3\nBo Chu,Mayor,4\n",  # no party, district, unit
        "office,candidate,votes,precinct\nMayor,Ann Lee,3,1\nMayor,Bo Chu,4,1\n",  # one unit
    ],
)
def test_plain_files_read_as_the_row_reader_reads_them(text: str) -> None:
    body = text.encode()
    plain = openelections._plain(body, "utf-8-sig", "official")
    assert plain is not None and plain == (_row_reader(body, {"status": "official"}), set())
    assert openelections.parse(body, {"status": "official"}).records == plain[0]


def test_plain_files_match_the_row_reader_on_the_fixture(body: bytes) -> None:
    plain = openelections._plain(body, "utf-8-sig", "unofficial")
    assert plain is not None and plain == (_row_reader(body), set())


PLAIN_REPEATS = (
    HEADER
    + "Ann Lee,DEM,Mayor,,Avonford,10,1\nBo Chu,REP,Mayor,,Avonford,9,1\n"
    + "Ann Lee,DEM,Mayor,,Avonford,10,1\nBo Chu,REP,Mayor,,Avonford,9,1\n"  # a copy
    + "\nAnn Lee,DEM,Mayor,,Bexley,5,2\nAnn Lee,DEM,Mayor,,Bexley,6,2\n"  # parts
)


def test_a_plain_repeat_is_noticed_blocks_apart_and_only_a_repeat_is() -> None:
    # Ann Lee in 5,000 units and three persons in one unit: no line repeats, until the file's
    # first line comes again past the first 64 KB block (the check spans the whole file)
    lines = [f"Ann Lee,DEM,Mayor,,Town {i},{i},1\n" for i in range(5000)]
    lines += ["Bo Chu,REP,Mayor,,Town 7,2,1\n", "Cy Dunn,,Mayor,,Town 7,3,1\n"]
    plain = (HEADER + "".join(lines)).encode()
    assert len(plain) > 2 * openelections._BLOCK
    assert openelections._plain(plain, "utf-8-sig", "unofficial")[1] == set()
    repeated = plain + lines[0].encode()
    assert openelections._plain(repeated, "utf-8-sig", "unofficial")[1] == {"Town 0 / 1"}


@pytest.mark.parametrize(
    "duplicates", ["auto", "sum", "keep-first", {"*": "sum", "Mayor": "keep-first"}]
)
def test_repeats_in_a_plain_file_resolve_as_the_row_reader_resolves_them(duplicates) -> None:
    body = PLAIN_REPEATS.encode()
    assert openelections._plain(body, "utf-8-sig", "unofficial")[1] == {
        "Avonford / 1",
        "Bexley / 2",
    }
    parsed = openelections.parse(body, {"duplicates": duplicates})
    records, notes = openelections._read(
        io.StringIO(PLAIN_REPEATS, newline=""), duplicates, "unofficial"
    )
    assert parsed == openelections.Parsed(records=list(records), notes=notes)
    assert [(n.kind, n.detail[:6]) for n in parsed.notes] == (
        [("repeated_rows_copies", "1 unit"), ("repeated_rows_parts", "1 unit")]
        if duplicates == "auto"
        else [(n.kind, n.detail[:6]) for n in notes]
    )
    with pytest.raises(
        ParseError, match="row 4 duplicates row 2: Mayor / Ann Lee"
    ):  # names the row
        openelections.parse(body, {"duplicates": "error"})


@pytest.mark.parametrize(
    "text",
    [
        HEADER + "Ann Lee,DEM,Mayor,,Avonford,ten,1\n",  # a bad count
        HEADER + "Ann Lee,DEM,Mayor,,Avonford\n",  # a short row
        "candidate,office\nAnn Lee,Mayor\n",  # no votes column
    ],
)
def test_other_files_go_to_the_row_reader(text: str) -> None:
    assert openelections._plain(text.encode(), "utf-8-sig", "unofficial") is None


# --- the plain reader's blocks of lines against csv.reader ------------------------------------


# the CT files' column order, whose contest-and-candidate columns come first (a line is cut
# from the right, its start kept whole), and the order of many other states' files (cut at
# every comma)
CT_ORDER = (0, 1, 2, 3, 4, 5, 6)
COUNTY_FIRST = (4, 6, 2, 3, 1, 0, 5)


def _awkward_file(rows: int, seed: int, order: tuple[int, ...] = CT_ORDER) -> str:
    """Rows across many blocks (openelections._BLOCK) in every shape the block reader treats
    apart: quoted fields with commas and doubled quotes, "\r\n", "\r" and "\n" line ends,
    blank lines, turnout and over-vote lines, "1,234" and blank counts, repeated lines; the
    columns of HEADER in `order`."""
    import random

    rng = random.Random(seed)
    ends = ["\n", "\r\n", "\r"]
    out = [",".join(HEADER.rstrip("\n").split(",")[c] for c in order)]
    for i in range(rows):
        town = rng.choice(["Avonford", '"Bexley, North"', "Cray"])
        name = rng.choice(
            ['"Lee, Ann (I)"', "Bo Chu", '"Di ""Dee"" Roe"', "Write-ins", "Over Votes"]
        )
        office = rng.choice(["Mayor", "State Senate", "Ballots Cast", '"Clerk, Town"'])
        votes = rng.choice([str(i % 997), '"1,204"', "", " 7 "])
        fields = [name, "DEM", office, str(i % 3 or ""), town, votes, str(i % 40)]
        out.append(",".join(fields[c] for c in order))
        if i % 211 == 0:
            out.append("")  # a blank line
        if i % 97 == 0:
            out.append(out[-1] or out[-2])  # a repeat
    return "".join(line + ends[(seed + k) % 3 * (k % 5 == 0)] for k, line in enumerate(out))


@pytest.mark.parametrize(
    ("seed", "order"), [(1, CT_ORDER), (2, CT_ORDER), (3, CT_ORDER), (4, COUNTY_FIRST)]
)
def test_plain_blocks_read_as_csv_reader_reads(seed: int, order: tuple[int, ...]) -> None:
    text = _awkward_file(6_000, seed, order)
    assert len(text) > 4 * openelections._BLOCK
    body = text.encode()
    plain = openelections._plain(text.encode(), "utf-8-sig", "unofficial")
    assert plain is not None
    rows = _row_reader(body, {"duplicates": "sum"})
    records, repeats = plain
    assert repeats and len(records) > len(rows)
    for duplicates in ("auto", "sum", "keep-first"):
        records, notes = openelections._read(
            io.StringIO(text, newline=""), duplicates, "unofficial"
        )
        want = openelections.Parsed(records=list(records), notes=notes)
        assert openelections.parse(body, {"duplicates": duplicates}) == want


@pytest.mark.parametrize(
    "text",
    [
        HEADER + 'Ann Lee,DEM,Mayor,,"Avon\nford",10,1\n',  # a quoted field over a line end
        HEADER + 'Ann Lee,DEM,Mayor,,"Avonford,10,1\n',  # a quote never closed
        HEADER + "Ann Lee,DEM,Mayor,,Avon\0ford,10,1\n",  # a NUL
        HEADER + f"Ann Lee,DEM,Mayor,,{'x' * (csv.field_size_limit() + 1)},10,1\n",
    ],
)
def test_lines_the_block_reader_cannot_split_go_to_the_row_reader(text: str) -> None:
    assert openelections._plain(text.encode(), "utf-8-sig", "unofficial") is None
    try:
        want = openelections.Parsed(records=_row_reader(text.encode()))
    except ParseError as exc:
        with pytest.raises(ParseError, match=re.escape(str(exc))):
            openelections.parse(text.encode())
    else:
        assert openelections.parse(text.encode()) == want


def _as_the_row_reader(text: str, duplicates: str = "auto") -> None:
    """parse() gives the row reader's records and notes, or its ParseError."""
    try:
        records, notes = openelections._read(io.StringIO(text, newline=""), duplicates, "x")
        want = openelections.Parsed(records=list(records), notes=notes)
    except ParseError as exc:
        with pytest.raises(ParseError, match=re.escape(str(exc))):
            openelections.parse(text.encode(), {"duplicates": duplicates, "status": "x"})
    else:
        assert openelections.parse(text.encode(), {"duplicates": duplicates}) == want


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        (HEADER + "Ann Lee,DEM,Mayor,,X,Avonford,10,1\n", False),  # a comma too many, early
        (HEADER + "Ann Lee,DEM,Mayor,,Avonford,10,1,x\n", False),  # ... late
        (HEADER + "Ann Lee,DEM,Mayor,,Avonford,10,1\n,,,,,,,,\n", False),  # blank, too wide
        (HEADER + "Ann Lee,DEM,Mayor,,Avonford,10,1\n,,,\n", False),  # blank, too short
        (HEADER + '"Ann Lee",DEM,Mayor,,Avonford,10\n', False),  # quoted, too short
        (HEADER + '"Ann Lee,DEM,Mayor,",Avonford,10,1\n', False),  # ... as wide as a cut line
        (HEADER + 'Ann Lee,DEM,Mayor,,Avonford,10,1\n""\n \n', True),  # blank lines
        # the same line quoted and not: one person, so a repeat (parts here)
        (HEADER + '"Ann Lee",DEM,Mayor,,Avonford,10,1\nAnn Lee,DEM,Mayor,,Avonford,4,1\n', True),
        (HEADER + '"Ann Lee",DEM,Mayor,,Avonford,10,1\nAnn Lee,DEM,Mayor,,Avonford,10,1\n', True),
        ('"candidate",party,"office",district,town,votes,precinct\nAnn Lee,D,Mayor,,A,1,1\n', True),
        # the contest-and-candidate columns first in another order, or only some of them
        ("district,party,candidate,office,votes,precinct\n5,DEM,Ann Lee,Senate,3,1\n", True),
        ("office,candidate,votes\nMayor,Ann Lee,3\nMayor,Ann Lee,3\n", True),
        # one of them after the units: every line cut at every comma
        ("office,district,precinct,candidate,votes\nMayor,,1,Ann Lee,3\n", True),
    ],
)
def test_lines_cut_from_the_right_read_as_the_row_reader_reads_them(text: str, plain: bool) -> None:
    found = openelections._plain(text.encode(), "utf-8-sig", "unofficial")
    assert (found is not None) is plain
    for duplicates in ("auto", "sum", "keep-first"):
        _as_the_row_reader(text, duplicates)


@pytest.mark.parametrize("end", ["\r\n", "\r", "\n"])
def test_characters_that_end_a_line_only_for_splitlines_are_text_to_csv(end: str) -> None:
    # str.splitlines() ends a line at these too; csv, and so the parse, reads them as text
    text = (
        HEADER
        + "Ann\x0cLee,DEM\x1c,Mayor\x1d,\x1e,Avon\u2028ford,10,1\u2029\n"
        + "Bo\x85Chu,REP,Mayor,,Avonford,\x0b9,1\n"
    ).replace("\n", end)
    assert openelections._plain(text.encode(), "utf-8-sig", "unofficial") is not None
    _as_the_row_reader(text)
    records = openelections.parse(text.encode()).records
    assert [(r.candidate, r.party, r.votes) for r in records] == [
        ("Ann Lee", "DEM", 10),  # two lines; "\x1c" is white space to strip() too
        ("Bo Chu", "REP", 9),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "20161108__ct__general__precinct.csv",
        "20221108__ct__general__precinct.csv",
        "20220809__ct__primary__precinct.csv",
    ],
)
def test_real_files_read_by_blocks_as_by_the_row_reader(shared, name: str) -> None:
    body = shared("openelections-ct", name).read_bytes()
    text = body.decode("utf-8-sig")
    plain = openelections._plain(body, "utf-8-sig", "unofficial")
    assert plain is not None  # quoted lines and "\r" line ends, but nothing the blocks refuse
    for duplicates in ("auto", "sum"):
        records, notes = openelections._read(
            io.StringIO(text, newline=""), duplicates, "unofficial"
        )
        want = openelections.Parsed(records=list(records), notes=notes)
        assert openelections.parse(body, {"duplicates": duplicates}) == want
