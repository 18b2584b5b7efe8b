"""OpenElections CSV (one row per candidate per party line per precinct): fetch and stream-parse.

Columns are found by name from the header, in any order: `candidate`, `office` and `votes` are
required; `party`, `district`, and the unit columns `county`, `town`, `precinct` are optional and
other columns are ignored. The unit is the unit columns present, joined: "Bethel / Stony Hill 2".

Community-built files repeat (contest, candidate, party, unit) rows, in two ways. A whole
polling place repeated with identical numbers is a copy: summing it double counts (the real
2022 CT file does this for 109 polling places; State Senate 5 would read 40,210 for 30,947).
Two polling places under one name with different numbers are parts: only their sum matches the
official totals. The default, "auto", tells them apart per (contest, unit): the i-th repeat of
each line forms the unit's i-th pass; a pass whose every line has the numbers of an earlier pass
is a copy (counted once), any other a part (summed), and each contest's `ContestNote`s say which
units were which. One equal line does not make a copy when the pass has others that differ. The mapping's
`"duplicates"` overrides, for the file or per office (`{"*": "auto", "Mayor": "sum"}`):
"auto", "sum", "keep-first" or "error" (ParseError naming both row numbers).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, compress, count, repeat
from operator import attrgetter, is_not, itemgetter
from pathlib import Path
from typing import Any

import httpx
import msgspec

from scrapers._common import clean_candidate, gc_paused, is_pseudo_candidate, is_write_in
from scrapers._http import fetch_conditional
from scrapers.records import (
    STATUSES,
    ContestNote,
    Fetched,
    Parsed,
    ParseError,
    ResultRecord,
    SourceState,
)

FORMAT = "openelections"

REQUIRED = ("candidate", "office", "votes")
UNIT_COLUMNS = ("county", "town", "precinct")
DUPLICATES = ("auto", "error", "keep-first", "sum")
_SHOWN_UNITS = 5  # units named in a note; the rest are counted
# Rows that are not a contest (turnout lines) or not a candidate (over/under votes, totals).
NON_CONTEST_OFFICES = frozenset(
    {"ballots cast", "registered voters", "total ballots cast", "voters", "turnout",
     "straight party", "total votes cast", "ballots cast blank"}
)  # fmt: skip

_Key = tuple[str, str | None, str, str | None, str]


async def fetch(
    client: httpx.AsyncClient, url: str, state: SourceState, mapping: dict[str, Any] | None = None
) -> Fetched | None:
    """The CSV by conditional GET (None on 304)."""
    return await fetch_conditional(client, url, state, mapping)


def load_path(path: Path) -> bytes:
    """A local CSV, as is."""
    return path.read_bytes()


def _parse_header(header: list[str]) -> dict[str, int]:
    """Column name -> index, for the columns we read; ParseError if a required one is missing."""
    names = [name.strip().lstrip("\ufeff").casefold() for name in header]
    index = {name: i for i, name in reversed(list(enumerate(names)))}
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        raise ParseError(
            f"openelections: header lacks required column(s) {', '.join(missing)}; "
            f"got {', '.join(header) or 'nothing'}"
        )
    return index


def _parse_votes(text: str, row_number: int) -> int:
    """'1,234' -> 1234; blank -> 0 (a line with no votes recorded)."""
    text = text.strip().replace(",", "")
    if not text:
        return 0
    if text.isdigit():
        return int(text)
    raise ParseError(f"openelections: row {row_number}: votes {text!r} is not a whole number")


def _iter_rows(
    lines: Iterable[str], status: str = "unofficial"
) -> Iterator[tuple[int, ResultRecord]]:
    """(row number, record) for each candidate row; the header is row 1, as in a spreadsheet.

    A precinct file repeats the same few hundred offices, names, parties and units in every
    row, so each distinct text is cleaned once and looked up after (a third of the parse).
    """
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise ParseError("openelections: empty file")
        index = _parse_header(header)
        width = len(header)
        col = {name: index.get(name) for name in (*REQUIRED, "party", "district")}
        c_cand, c_office, c_votes, c_party, c_district = col.values()
        unit_of = _unit_reader([index[name] for name in UNIT_COLUMNS if name in index])
        offices: dict[str, str | None] = {}  # raw -> stripped, None: not a contest
        people: dict[tuple[str, str], tuple[str, str | None, bool, bool] | None] = {}
        districts: dict[str, str | None] = {}
        for row in reader:
            if len(row) != width:
                if not any(field.strip() for field in row):
                    continue  # blank line
                raise ParseError(
                    f"openelections: row {reader.line_num} has {len(row)} fields, "
                    f"the header has {width} (truncated or misquoted?)"
                )
            raw_office = row[c_office]
            if (office := offices.get(raw_office, "")) == "":
                office = offices[raw_office] = _office(raw_office)
            if office is None:
                continue
            raw = (row[c_cand], row[c_party] if c_party is not None else "")
            if (person := people.get(raw, ())) == ():
                person = people[raw] = _person(*raw)
            if person is None:
                continue
            candidate, party, incumbent, write_in = person
            raw_district = row[c_district] if c_district is not None else ""
            if (district := districts.get(raw_district, "")) == "":
                district = districts[raw_district] = raw_district.strip() or None
            votes = row[c_votes]
            yield (
                reader.line_num,
                ResultRecord(
                    office=office,
                    district=district,
                    candidate=candidate,
                    party=party,
                    unit=unit_of(row),
                    votes=int(votes) if votes.isdigit() else _parse_votes(votes, reader.line_num),
                    write_in=write_in,
                    incumbent=incumbent,
                    status=status,
                ),
            )
    except csv.Error as exc:
        raise ParseError(f"openelections: row {reader.line_num}: {exc}") from None


def _office(raw: str) -> str | None:
    office = raw.strip()
    return None if office.casefold() in NON_CONTEST_OFFICES else office


def _person(raw: str, raw_party: str) -> tuple[str, str | None, bool, bool] | None:
    """(candidate, party, incumbent, write-in), or None for a pseudo-candidate row."""
    if is_pseudo_candidate(raw):
        return None
    candidate, incumbent, _ = clean_candidate(raw)
    party = raw_party.strip() or None
    return candidate, party, incumbent, is_write_in(candidate, party)


def _unit_reader(columns: list[int]) -> Callable[[list[str]], str]:
    """row -> "Bethel / Stony Hill 2": the unit columns present, blanks left out, cached."""
    if not columns:
        return lambda row: ""
    cells = itemgetter(*columns)
    seen: dict[Any, str] = {}

    def unit(row: list[str]) -> str:
        raw = cells(row)
        if (found := seen.get(raw)) is None:
            parts = raw if isinstance(raw, tuple) else (raw,)
            found = seen[raw] = " / ".join(v for p in parts if (v := p.strip()))
        return found

    return unit


def _key(record: ResultRecord) -> _Key:
    return (record.office, record.district, record.candidate, record.party, record.unit)


def _modes(duplicates: str | dict[str, str]) -> Callable[[str], str]:
    """mapping["duplicates"] -> office -> mode: one mode for the file, or per office with "*"."""
    by_office = duplicates if isinstance(duplicates, dict) else {"*": duplicates}
    if not all(mode in DUPLICATES for mode in by_office.values()):
        raise ParseError(
            f"openelections: mapping key 'duplicates' must be one of {DUPLICATES}, or a mapping "
            f"of office names (and '*') to them; got {duplicates!r}"
        )
    default = by_office.get("*", "auto")
    return lambda office: by_office.get(office, default)


def iter_records(
    lines: Iterable[str], duplicates: str | dict[str, str] = "auto", status: str = "unofficial"
) -> Iterator[ResultRecord]:
    """Records from CSV lines (any line endings); repeats per `duplicates` (see the module).

    Streams for "error" and "keep-first"; "auto" and "sum" hold the file's rows (they need every
    repeat of a unit before deciding). Notes on repeats are dropped here: parse() keeps them.
    """
    records, _ = _read(lines, duplicates, status)
    yield from records


def _read(
    lines: Iterable[str], duplicates: str | dict[str, str], status: str
) -> tuple[Iterable[ResultRecord], list[ContestNote]]:
    _modes(duplicates)
    if status not in STATUSES:
        raise ParseError(f"openelections: mapping key 'status' must be one of {STATUSES}")
    return _dedupe(_iter_rows(lines, status), duplicates)


def _dedupe(
    rows: Iterable[tuple[int, ResultRecord]], duplicates: str | dict[str, str]
) -> tuple[Iterable[ResultRecord], list[ContestNote]]:
    """(row number, record) -> the records with repeats handled as `duplicates` says."""
    mode_for = _modes(duplicates)
    streaming = isinstance(duplicates, str) and duplicates in ("error", "keep-first")
    if streaming:
        return _first_only(rows, duplicates), []
    return _resolve(rows, mode_for)


def _first_only(rows: Iterable[tuple[int, ResultRecord]], mode: str) -> Iterator[ResultRecord]:
    first_row: dict[_Key, int] = {}
    for row_number, record in rows:
        key = _key(record)
        first = first_row.setdefault(key, row_number)
        if first == row_number:
            yield record
        elif mode == "error":
            contest = " ".join(filter(None, (record.office, record.district)))
            raise ParseError(
                f"openelections: row {row_number} duplicates row {first}: {contest} / "
                f"{record.candidate} / {record.party or '-'} / {record.unit or 'total'}"
            )


Unit = tuple[str, str | None, str]  # (office, district, unit)
Line = tuple[str, str | None]  # (candidate, party)


def _resolve(
    rows: Iterable[tuple[int, ResultRecord]], mode_for: Callable[[str], str]
) -> tuple[list[ResultRecord], list[ContestNote]]:
    """Each unit's repeats: identical passes are copies, different passes parts (see module).

    Most files repeat nothing, so the rows are read once with their keys; only the units in
    which some line repeats are grouped into passes, the others' records pass through as is.
    """
    records: list[ResultRecord] = []
    repeated = _repeated_units(rows, mode_for, records.append)
    if not repeated:
        return records, []
    placed, notes = _settle(enumerate(records), repeated, mode_for)
    return _spliced(records, placed), notes


def _repeated_units(
    rows: Iterable[tuple[int, ResultRecord]],
    mode_for: Callable[[str], str],
    keep: Callable[[ResultRecord], object] = id,  # id: keep nothing
) -> set[Unit]:
    """The (office, district, unit)s in which some line stands twice; each record to `keep`.
    ParseError at the first repeat where the office's mode is "error" (naming its row)."""
    seen: set[_Key] = set()
    repeated: set[Unit] = set()
    for row_number, record in rows:
        key = (record.office, record.district, record.candidate, record.party, record.unit)
        if key in seen:
            if mode_for(record.office) == "error":
                contest = " ".join(filter(None, (record.office, record.district)))
                raise ParseError(
                    f"openelections: row {row_number} repeats {contest} / {record.candidate} / "
                    f"{record.party or '-'} / {record.unit or 'total'} (duplicates: error)"
                )
            repeated.add((record.office, record.district, record.unit))
        else:
            seen.add(key)
        keep(record)
    return repeated


def _settle(
    records: Iterable[tuple[int, ResultRecord]],
    repeated: set[Unit],
    mode_for: Callable[[str], str],
) -> tuple[dict[int, ResultRecord | None], list[ContestNote]]:
    """(position, record) -> what stands at the position of each record of a `repeated` unit:
    its line's record with the unit's resolved votes where the line first stood, None where
    it stands again; and the contests' notes. Records of other units may be among them (the
    plain parse hands over every record of a unit name with a repeat) and are left out."""
    units: dict[Unit, dict[Line, list[ResultRecord]]] = {}
    first: dict[_Key, int] = {}
    placed: dict[int, ResultRecord | None] = {}
    for position, record in records:
        unit_key = (record.office, record.district, record.unit)
        if unit_key in repeated:
            lines = units.setdefault(unit_key, {})
            lines.setdefault((record.candidate, record.party), []).append(record)
            if first.setdefault(_key(record), position) != position:
                placed[position] = None  # a later repeat finds its line already placed
    copies: dict[tuple[str, str | None], list[str]] = {}
    parts: dict[tuple[str, str | None], list[str]] = {}
    for (office, district, unit), lines in units.items():
        mode = mode_for(office)
        depth = max(len(repeats) for repeats in lines.values())
        passes = [{k: r[i].votes for k, r in lines.items() if len(r) > i} for i in range(depth)]
        distinct: list[dict[Line, int]] = []
        for one in passes:  # a copy repeats a kept pass's numbers on every line it has
            if not any(all(kept.get(k) == v for k, v in one.items()) for kept in distinct):
                distinct.append(one)
        kept = {"sum": passes, "keep-first": passes[:1]}.get(mode, distinct)
        if len(distinct) < len(passes):
            copies.setdefault((office, district), []).append(unit or "total")
        if len(distinct) > 1:
            parts.setdefault((office, district), []).append(unit or "total")
        for (candidate, party), r in lines.items():
            votes = sum(one.get((candidate, party), 0) for one in kept)
            position = first[office, district, candidate, party, unit]
            placed[position] = msgspec.structs.replace(r[0], votes=votes)
    notes = [
        _note(contest, "repeated_rows_copies", units_, mode_for(contest[0]))
        for contest, units_ in copies.items()
    ] + [
        _note(contest, "repeated_rows_parts", units_, mode_for(contest[0]))
        for contest, units_ in parts.items()
    ]
    return placed, notes


def _spliced(
    records: list[ResultRecord], placed: dict[int, ResultRecord | None]
) -> list[ResultRecord]:
    """The records with those at `placed`'s positions replaced (None: left out), in order:
    the runs between them are copied by slices, so the loop is as long as `placed`."""
    out: list[ResultRecord] = []
    start = 0
    for position in sorted(placed):
        out.extend(records[start:position])
        if (record := placed[position]) is not None:
            out.append(record)
        start = position + 1
    out.extend(records[start:])
    return out


def _note(contest: tuple[str, str | None], kind: str, units: list[str], mode: str) -> ContestNote:
    shown = ", ".join(units[:_SHOWN_UNITS])
    if len(units) > _SHOWN_UNITS:
        shown += f" and {len(units) - _SHOWN_UNITS} more"
    done = {
        ("repeated_rows_copies", "auto"): "repeated with identical numbers: copies, counted once",
        ("repeated_rows_parts", "auto"): "listed again with different numbers: parts, summed",
    }.get((kind, mode), f"repeated; counted as the mapping says (duplicates: {mode})")
    count = f"{len(units)} unit{'s' if len(units) != 1 else ''}"
    return ContestNote(contest[0], contest[1], kind, f"{count} {done}: {shown}")


def parse(body: bytes, mapping: dict[str, Any] | None = None) -> Parsed:
    """The whole CSV -> records.

    mapping: {"duplicates": "auto" | "sum" | "keep-first" | "error" (or per office, see the
    module), "status": "unofficial" | "official" | "certified"}; the files carry no status, and
    a historical file is usually certified.
    """
    if not body or body.isspace():  # not body.strip(): that copies the whole file
        raise ParseError("openelections: empty file")
    encoding = _encoding(body)
    options = mapping or {}
    duplicates, status = options.get("duplicates", "auto"), options.get("status", "unofficial")
    _modes(duplicates)  # a bad mapping is refused whichever way the file is read
    modes = duplicates.values() if isinstance(duplicates, dict) else [duplicates]
    # "error" names a repeat's row numbers, which _plain does not keep: the row reader
    with gc_paused():
        if (
            status in STATUSES
            and "error" not in modes
            and (plain := _plain(body, encoding, status))
        ):
            records, units = plain
            if not units:
                return Parsed(records=records)
            records, notes = _plain_resolved(records, units, _modes(duplicates))
            # a file-wide "keep-first" streams (_first_only) and notes nothing: the same here
            return Parsed(records=records, notes=[] if duplicates == "keep-first" else notes)
        records, notes = _read(_lines(body, encoding), duplicates, status)
        return Parsed(records=records if isinstance(records, list) else list(records), notes=notes)


def _plain_resolved(
    records: list[ResultRecord], units: set[str], mode_for: Callable[[str], str]
) -> tuple[list[ResultRecord], list[ContestNote]]:
    """The plain parse's records with repeats resolved as _resolve does, looking only at the
    records of the unit names in which some line repeats (`units`): found by C-level passes,
    so the Python loops run over those (4,911 of the real 2016 CT file's 33,639 lines), not
    over every record (_resolve there was 0.013 of the parse's 0.056 s)."""
    at = list(compress(count(), map(units.__contains__, map(_UNIT, records))))
    picked = list(zip(at, map(records.__getitem__, at), strict=True))
    placed, notes = _settle(picked, _repeated_units(picked, mode_for), mode_for)
    return _spliced(records, placed), notes


_UNIT = attrgetter("unit")


def _encoding(body: bytes) -> str:
    """UTF-8 (a BOM or none) when the bytes are, else cp1252 (older hand-made files): checked a
    megabyte at a time, so the whole text is never held."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(body)
    try:
        for start in range(0, len(body), 1 << 20):
            decoder.decode(view[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _lines(body: bytes, encoding: str) -> io.TextIOWrapper:
    """The body's lines, decoded as csv reads them (8 KB at a time): a whole-file str and a
    StringIO of it (4 bytes a character) held 5x the file at once, 480 MB of a 98 MB file
    (bench/bench_ingest.py, peak memory). newline="" lets csv see "\r", "\n" and "\r\n"
    line ends (the 2022 CT primary file uses "\r"); cp1252 replaces its few undefined bytes."""
    return io.TextIOWrapper(io.BytesIO(body), encoding=encoding, errors="replace", newline="")


# Bytes split into rows at once (about 600 rows): each step of _plain is one C-level pass
# over a chunk's rows, and a small chunk's rows and tuples die young (few collector passes).
_BLOCK = 1 << 16


def _plain(body: bytes, encoding: str, status: str) -> tuple[list[ResultRecord], set[str]] | None:
    """The records of a plain file, and the unit names in which some line repeats (empty: no
    line does); None when the file is not plain.

    Plain: every row as wide as the header (or blank), every count digits (or "1,234", or
    blank). A per-row Python loop costs 3x csv.reader alone whatever it does, so the rows are
    read a chunk at a time and every step is a C-level pass over the chunk: the
    contest-and-candidate texts, the unit texts and the count are each looked up in a table
    of the texts seen before (a new text is worked out once, by the row reader's rules), each
    line's person number is filed under its unit's number to notice a repeat, and the
    records are built by map(). Repeats are resolved
    after (_plain_resolved). Any other file (a bad row, a bad count) is read again by the row
    reader, which says where the problem is."""
    if b"\0" in body:
        return None  # left to csv.reader's own rules
    chunks = _chunks(body, encoding)
    try:
        first = next(chunks)
        header = first.pop(0)
        index = _parse_header(header)
    except (csv.Error, ParseError, _NotPlain):
        return None
    width = len(header)
    # a row's contest-and-candidate texts, and its unit texts, each read by one itemgetter
    # (a column the file lacks reads as "": a blank cell added past the header's width)
    wanted = [index.get(c) for c in ("office", "district", "candidate", "party")]
    unit_columns = [index[name] for name in UNIT_COLUMNS if name in index]
    pad = None in wanted or not unit_columns
    person_of = itemgetter(*(width if i is None else i for i in wanted))
    unit_of = itemgetter(*(unit_columns or [width]))  # one column: a str, not a tuple
    votes_of = itemgetter(index["votes"])
    # Distinct texts -> what they mean, worked out once. A person is (office, district,
    # candidate, party, incumbent, write-in, number) or None (a row to leave out); a unit
    # (name, number): a line repeats when its unit's number meets its person's number again.
    person_numbers: dict[tuple[Any, ...], int] = {}
    parts = _Parts()
    unit_numbers: dict[str, int] = {}

    skips = False  # some row is left out (a turnout line, over/under votes)

    def person(raw: tuple[str, ...]) -> tuple[Any, ...] | None:
        nonlocal skips
        found = _plain_person(raw, person_numbers, parts)
        skips = skips or found is None
        return found

    def unit(raw: Any) -> tuple[str, int]:
        parts = raw if isinstance(raw, tuple) else (raw,)
        name = " / ".join(v for p in parts if (v := p.strip()))
        return name, unit_numbers.setdefault(name, len(unit_numbers))

    def count(text: str) -> int:
        return int(text) if text.isdigit() else _parse_votes(text, 0)

    people, units, counts = _SharedKeys(person), _Table(unit), _Table(count)
    column = [itemgetter(i) for i in range(7)]
    # unit number -> the person numbers of its lines: both ints are the ones the tables hold,
    # so a line costs one list slot (8 bytes), where a set of person | unit ints cost ~64 bytes
    # a line (a new int each, and the set's table): 68 MB of a 1M-row file's parse
    # (bench/bench_ingest.py, peak memory). A line repeats when a unit's persons do. By unit:
    # a file has fewer units than persons (10,000 and 76,000 there), so fewer, longer lists.
    lines_of = _Table(lambda _: [])
    records: list[ResultRecord] = []
    lines = 0
    try:
        for chunk in chain((first,), chunks):
            if not all(map(width.__eq__, map(len, chunk))):
                chunk = [row for row in chunk if len(row) == width or _blank(row)]
            if pad:
                deque(map(list.append, chunk, repeat("")), maxlen=0)
            persons = list(map(people.__getitem__, map(person_of, chunk)))
            if skips:
                keep = list(map(is_not, persons, repeat(None)))
                chunk, persons = list(compress(chunk, keep)), list(compress(persons, keep))
            places = list(map(units.__getitem__, map(unit_of, chunk)))
            votes = map(counts.__getitem__, map(votes_of, chunk))
            deque(map(list.append, map(lines_of.__getitem__, map(column[1], places)),
                      map(column[6], persons)), maxlen=0)  # fmt: skip
            lines += len(chunk)
            # positional, in ResultRecord's field order (tests/scrapers compare this with the
            # row reader): office, district, candidate, party, unit, votes, seats,
            # precincts_reporting, precincts_total, status, write_in, incumbent
            records.extend(map(ResultRecord, *(map(column[i], persons) for i in range(4)),
                               map(column[0], places), votes, repeat(1), repeat(None),
                               repeat(None), repeat(status), map(column[5], persons),
                               map(column[4], persons)))  # fmt: skip
    except (csv.Error, ParseError, _NotPlain):
        return None
    if sum(map(len, map(set, lines_of.values()))) == lines:
        return records, set()
    repeats = map(int.__ne__, map(len, map(set, lines_of.values())), map(len, lines_of.values()))
    numbers = set(compress(lines_of, repeats))
    return records, {name for name, number in unit_numbers.items() if number in numbers}


class _NotPlain(Exception):
    """Not a plain file: a row neither as wide as the header nor blank, a quoted field over a
    line end, a line over csv's field size limit. The row reader reads it and says where."""


def _chunks(body: bytes, encoding: str) -> Iterator[list[list[str]]]:
    """The rows csv.reader (default dialect, strict) reads from the body, a block of lines at
    a time (the whole text is never held: see _lines). A line without a quote is split at
    its commas, which is all the dialect does with it; a line with one is read by csv.reader
    on its own. _NotPlain (csv.Error) when a quoted field runs past its line end or a line
    is longer than csv's field size limit: the row reader reads such a file."""
    crs, quotes, limit = b"\r" in body, b'"' in body, csv.field_size_limit()
    start, size = 0, len(body)
    while start < size:
        # cut at a b"\n": never inside a UTF-8 or cp1252 character
        end = body.find(b"\n", start + _BLOCK)
        end = size if end < 0 else end
        # errors="replace" as _lines reads cp1252 (UTF-8 was checked whole by _encoding)
        block = body[start:end].decode(encoding, errors="replace")
        encoding = "utf-8" if encoding == "utf-8-sig" else encoding  # a BOM starts the file
        start = end + 1
        if crs:  # csv ends a row at "\r\n", "\n" or "\r" alike
            block = block.replace("\r\n", "\n").replace("\r", "\n")
        lines = block.split("\n")
        if max(map(len, lines)) > limit:
            raise _NotPlain
        rows = list(map(str.split, lines, repeat(",")))
        if quotes:
            for i in compress(count(), map(str.__contains__, lines, repeat('"'))):
                found = list(csv.reader((lines[i],), strict=True))
                if len(found) != 1:
                    raise _NotPlain
                rows[i] = found[0]
        yield rows


def _blank(row: list[str]) -> bool:
    if any(field.strip() for field in row):
        raise _NotPlain
    return False  # a blank line, left out


class _Table(dict[Any, Any]):
    """Text -> what it means: a text not seen before is worked out once, by `make`, from
    inside the C-level lookup (dict calls __missing__ only for a key it lacks)."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value


class _SharedKeys(_Table):
    """A _Table keyed by tuples of texts, each key kept with one str per distinct text: the
    row's own strs (every row's split makes new ones) would stay pinned by the key, four per
    person, 76,000 persons in the 1M-row bench file (~15 MB of its parse's peak memory)."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__(make)
        self.texts: dict[str, str] = {}

    def __missing__(self, key: Any) -> Any:
        value = self[tuple(map(self.texts.setdefault, key, key))] = self.make(key)
        return value


def _plain_person(
    raw: tuple[str, ...], numbers: dict[tuple[Any, ...], int], parts: _Parts
) -> tuple[Any, ...] | None:
    """(office, district, candidate, party, incumbent, write-in, number), None for a row to
    leave out; one number per distinct (office, district, candidate, party), which _plain
    files under its lines' units. A file has far fewer offices, names and parties than their
    combinations: each is cleaned once (parts)."""
    raw_office, raw_district, raw_candidate, raw_party = raw
    office, name = parts.offices[raw_office], parts.names[raw_candidate]
    if office is None or name is None:
        return None
    candidate, incumbent = name
    district, party = parts.texts[raw_district], parts.texts[raw_party]
    write_in = is_write_in(candidate, party)
    number = numbers.setdefault((office, district, candidate, party), len(numbers))
    return office, district, candidate, party, incumbent, write_in, number


def _name(raw: str) -> tuple[str, bool] | None:
    """(candidate, incumbent), None for a pseudo-candidate (as _person)."""
    if is_pseudo_candidate(raw):
        return None
    candidate, incumbent, _ = clean_candidate(raw)
    return candidate, incumbent


class _Parts:
    """Cleaned offices, candidate names, and districts and parties (stripped, blank: None)."""

    def __init__(self) -> None:
        self.offices = _Table(_office)
        self.names = _Table(_name)
        self.texts = _Table(lambda raw: raw.strip() or None)
