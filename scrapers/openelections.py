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
        records.append(record)
    if not repeated:
        return records, []
    return _settled(records, map(repeated.__contains__, map(_UNIT_KEY, records)), mode_for)


_UNIT = attrgetter("unit")
_UNIT_KEY = attrgetter("office", "district", "unit")
_LINE_KEY = attrgetter("office", "district", "unit", "candidate", "party")


def _settled(
    records: list[ResultRecord], suspect: Iterable[bool], mode_for: Callable[[str], str]
) -> tuple[list[ResultRecord], list[ContestNote]]:
    """The records with each unit's repeats resolved (see module), and the contests' notes.

    Only the `suspect` records (a flag per record; every record of a unit with a repeat must
    be one) are grouped by a Python loop: the real 2016 CT file has 4,911 in 52 unit names of
    its 31,254 (resolving them all was 0.013 of its 0.056 s parse). A line's record stays
    where the line first stood, with its unit's resolved votes; its repeats are left out."""
    positions: dict[tuple[Any, ...], list[int]] = {}  # each line's positions, in file order
    at = list(compress(count(), suspect))
    for position, key in zip(at, map(_LINE_KEY, map(records.__getitem__, at)), strict=True):
        if (found := positions.get(key)) is None:
            positions[key] = [position]
        else:
            found.append(position)
    units: dict[Unit, list[tuple[Line, list[int]]]] = {}
    for key, where in positions.items():
        units.setdefault(key[:3], []).append((key[3:], where))
    copies: dict[tuple[str, str | None], list[str]] = {}
    parts: dict[tuple[str, str | None], list[str]] = {}
    placed: dict[int, ResultRecord | None] = {}
    for (office, district, unit), lines in units.items():
        depth = max([len(where) for _, where in lines])
        if depth == 1:
            continue  # no line repeats here
        # the i-th repeat of each line forms the unit's i-th pass
        passes = [
            {line: records[where[i]].votes for line, where in lines if len(where) > i}
            for i in range(depth)
        ]
        distinct: list[dict[Line, int]] = []
        fresh: list[bool] = []  # per pass: not a copy of an earlier one
        for one in passes:  # a copy repeats a kept pass's numbers on every line it has
            fresh.append(not any(one.items() <= kept.items() for kept in distinct))
            if fresh[-1]:
                distinct.append(one)
        if len(distinct) < len(passes):
            copies.setdefault((office, district), []).append(unit or "total")
        if len(distinct) > 1:
            parts.setdefault((office, district), []).append(unit or "total")
        counted = {"sum": [True] * depth, "keep-first": [True]}.get(mode_for(office), fresh)
        for _, where in lines:
            if len(where) == 1:
                continue  # its one number, in the first pass, which is always kept
            record = records[where[0]]
            votes = sum([records[p].votes for p in compress(where, counted)])
            placed[where[0]] = (
                record if votes == record.votes else msgspec.structs.replace(record, votes=votes)
            )
            for later in where[1:]:
                placed[later] = None  # a later repeat, left out
    notes = [
        _note(contest, "repeated_rows_copies", units_, mode_for(contest[0]))
        for contest, units_ in copies.items()
    ] + [
        _note(contest, "repeated_rows_parts", units_, mode_for(contest[0]))
        for contest, units_ in parts.items()
    ]
    return _spliced(records, placed), notes


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
            # only the records of a unit name with a repeat are grouped: found by C-level passes
            suspect = map(units.__contains__, map(_UNIT, records))
            records, notes = _settled(records, suspect, _modes(duplicates))
            # a file-wide "keep-first" streams (_first_only) and notes nothing: the same here
            return Parsed(records=records, notes=[] if duplicates == "keep-first" else notes)
        records, notes = _read(_lines(body, encoding), duplicates, status)
        return Parsed(records=records if isinstance(records, list) else list(records), notes=notes)


def _encoding(body: bytes) -> str:
    """UTF-8 (a BOM or none) when the bytes are, else cp1252 (older hand-made files): checked a
    megabyte at a time, so the whole text is never held. ASCII bytes (most files) are UTF-8
    at once: bytes.isascii() reads them without making a str (0.1 against 1.6 ms for the
    real 2016 CT file, whose decoded megabytes each cost their pages)."""
    if body.isascii():
        return "utf-8-sig"
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


# Bytes split into rows at once (about 200 rows): each step of _plain is one C-level pass
# over a chunk's rows, and a small chunk's rows and tuples die young (few collector passes).
# 16 KB, not 64: a block's lines, their cut fields and lists (about 4x its bytes) then stay
# in a core's 512 KB L2 while the next pass reads them. Under callgrind (L2 modelled as the
# last level) the real 2016 CT file took 31% fewer such misses for 0.8% more instructions,
# and a process remembering 600,000 records (results.delta) added 2% to them, not 7%.
_BLOCK = 1 << 14


def _plain(body: bytes, encoding: str, status: str) -> tuple[list[ResultRecord], set[str]] | None:
    """The records of a plain file, and the unit names in which some line repeats (empty: no
    line does); None when the file is not plain.

    Plain: every row as wide as the header (or blank), every count digits (or "1,234", or
    blank). A per-row Python loop costs 3x csv.reader alone whatever it does, so the rows are
    read a block at a time and every step is a C-level pass over the block: the
    contest-and-candidate texts, the unit texts and the count are each looked up in a table
    of the texts seen before (a new text is worked out once, by the row reader's rules), each
    line's person number is appended to its unit's list (held by the unit's table entry) to
    notice a repeat, and the records are built by map(). Repeats are resolved after (_settled). Any other file
    (a bad row, a bad count) is read again by the row reader, which says where the problem
    is."""
    if b"\0" in body:
        return None  # left to csv.reader's own rules
    blocks = _blocks(body, encoding)
    try:
        head, quoted = next(blocks)
        header = _fields(head[0]) if quoted[:1] == [0] else head[0].split(",")
        cut = _Cut(_parse_header(header), len(header))
        first = (head[1:], [i - 1 for i in quoted if i])
    except (csv.Error, ParseError, _NotPlain):
        return None
    # Distinct texts -> what they mean, worked out once (_Persons); a unit is (name, the
    # person numbers of its lines). Both are the ints and lists the tables hold, so a line
    # costs one list slot (8 bytes), where a set of person | unit ints cost ~64 bytes a line
    # (a new int each, and the set's table): 68 MB of a 1M-row file's parse
    # (bench/bench_ingest.py, peak memory). A line repeats when a unit's persons do. By unit:
    # a file has fewer units than persons (10,000 and 76,000 there), so fewer, longer lists.
    people = _Persons(cut)
    persons_of: dict[str, list[int]] = {}

    def unit(raw: Any) -> tuple[str, list[int]]:
        parts = raw if isinstance(raw, tuple) else (raw,)
        name = " / ".join(v for p in parts if (v := p.strip()))
        return name, persons_of.setdefault(name, [])

    def count(text: str) -> int:
        return int(text) if text.isdigit() else _parse_votes(text, 0)

    units, counts = _Table(unit), _Table(count)
    column = [itemgetter(i) for i in range(7)]
    records: list[ResultRecord] = []
    lines = 0
    try:
        for block in chain((first,), blocks):
            chunk = cut.rows(*block)
            persons = list(map(people.__getitem__, map(cut.person, chunk)))
            if people.skips:  # some row is left out (a turnout line, over/under votes)
                keep = list(map(is_not, persons, repeat(None)))
                chunk, persons = list(compress(chunk, keep)), list(compress(persons, keep))
            places = list(map(units.__getitem__, map(cut.unit, chunk)))
            votes = map(counts.__getitem__, map(cut.votes, chunk))
            deque(map(list.append, map(column[1], places), map(column[6], persons)), maxlen=0)
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
    if sum(map(len, map(set, persons_of.values()))) == lines:
        return records, set()
    repeats = map(
        int.__ne__, map(len, map(set, persons_of.values())), map(len, persons_of.values())
    )
    return records, set(compress(persons_of, repeats))


class _NotPlain(Exception):
    """Not a plain file: a row neither as wide as the header nor blank, a quoted field over a
    line end, a line over csv's field size limit. The row reader reads it and says where."""


def _blocks(body: bytes, encoding: str) -> Iterator[tuple[list[str], list[int]]]:
    """The body's lines without their ends, a block of about _BLOCK bytes at a time (the
    whole text is never held: see _lines), with the positions of the lines that hold a
    quote. _NotPlain when a line is longer than csv's field size limit."""
    limit = csv.field_size_limit()
    start, size = 0, len(body)
    while start < size:
        # cut at a b"\n": never inside a UTF-8 or cp1252 character
        end = body.find(b"\n", start + _BLOCK)
        end = size if end < 0 else end
        # errors="replace" as _lines reads cp1252 (UTF-8 was checked whole by _encoding)
        block = body[start:end].decode(encoding, errors="replace")
        encoding = "utf-8" if encoding == "utf-8-sig" else encoding  # a BOM starts the file
        start = end + 1
        lines = _split_lines(block)
        if len(block) > limit and max(map(len, lines)) > limit:
            raise _NotPlain
        quoted = (
            compress(count(), map(str.__contains__, lines, repeat('"'))) if '"' in block else ()
        )
        yield lines, list(quoted)


def _split_lines(block: str) -> list[str]:
    """A block's lines as csv ends them: at "\r\n", "\n" or "\r" alike. str.splitlines() ends
    a line there too, and at a few other characters (_OTHER_BREAKS) which csv reads as text:
    with none of them in the block it splits the CT files' "\r\n" lines in one pass (where
    making them "\n" first took two more: 7.9 against 3.8 ms of the real 2016 file)."""
    if "\r" not in block:
        return block.split("\n")  # a little faster than splitlines()
    if not any(map(block.__contains__, _OTHER_BREAKS)):
        return block.splitlines()
    return block.replace("\r\n", "\n").replace("\r", "\n").split("\n")


_OTHER_BREAKS = ("\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def _fields(line: str) -> list[str]:
    """One line's fields as csv.reader (default dialect, strict) reads them; _NotPlain
    (csv.Error) when a quoted field runs past the line's end."""
    found = list(csv.reader((line,), strict=True))
    if len(found) != 1:
        raise _NotPlain
    return found[0]


class _Cut:
    """How a plain file's lines are cut into fields, and where each text then stands.

    A line without a quote is cut at its commas, which is all the default dialect does with
    it; one with a quote is read by csv.reader on its own (_fields). Where the contest-and-
    candidate columns come first (the CT files: candidate, party, office, district), a line
    is cut from the right and its start left whole: one str to look up per line, not a tuple
    of four, and three strs fewer to make (the cut and the lookups 114 -> 76 ms of 200,000
    generated lines). The start is cut at its commas once per distinct text (`texts`): one
    comma too many there is a row too wide (_NotPlain). Other layouts are cut at every
    comma, and the person is a tuple of its four texts."""

    def __init__(self, index: dict[str, int], width: int) -> None:
        wanted = [index.get(c) for c in ("office", "district", "candidate", "party")]
        present = sorted(i for i in wanted if i is not None)
        lead = len(present) if len(present) > 1 and present[-1] == len(present) - 1 else 0
        self.lead, self.header = lead, width
        shift = lead - 1 if lead else 0  # a column past the start stands `shift` further left
        self.width = width - shift  # fields of a row as cut
        unit_columns = [index[name] - shift for name in UNIT_COLUMNS if name in index]
        # a column the file lacks reads as "": a blank cell added past the row's width
        self.pad = not unit_columns or (not lead and None in wanted)
        self.unit = itemgetter(*(unit_columns or [self.width]))  # one column: a str
        self.votes = itemgetter(index["votes"] - shift)
        if lead:
            self.person = itemgetter(0)
            self._pick = itemgetter(*(lead if i is None else i for i in wanted))
        else:
            self.person = itemgetter(*(width if i is None else i for i in wanted))

    def rows(self, lines: list[str], quoted: list[int]) -> list[list[Any]]:
        """A block's rows as cut, as wide as self.width each; blank lines left out.

        A line cut from the right is as wide as a row unless its start (the person key) has
        a comma too many or too few, which texts() refuses: only empty lines need looking
        for then (one scan of the lines, where a width check took two passes over the rows;
        a line of blanks and commas sends the file to the row reader)."""
        if self.lead:
            rows = list(map(str.rsplit, lines, repeat(","), repeat(self.header - self.lead)))
            wide = not quoted and "" not in lines
        else:
            rows = list(map(str.split, lines, repeat(",")))
            wide = not quoted and all(map(self.width.__eq__, map(len, rows)))
        for i in quoted:
            fields = _fields(lines[i])
            if self.lead and len(fields) == self.header:
                # its start as a tuple of texts: never equal to a str key
                fields = [tuple(fields[: self.lead]), *fields[self.lead :]]
            elif self.lead:
                _blank(fields)  # a blank line, or _NotPlain: never read as a cut line
                fields = []
            rows[i] = fields
        if not wide:
            rows = [row for row in rows if len(row) == self.width or _blank(row)]
        if self.pad:
            deque(map(list.append, rows, repeat("")), maxlen=0)
        return rows

    def texts(self, raw: Any) -> tuple[str, ...]:
        """A row's person key (the start of the line, or its fields) -> its office, district,
        candidate and party texts."""
        if not self.lead:
            return raw  # type: ignore[no-any-return]
        fields = raw.split(",") if isinstance(raw, str) else list(raw)
        if len(fields) != self.lead:
            raise _NotPlain  # a comma too many: a row wider than the header
        return self._pick([*fields, ""])  # type: ignore[no-any-return]


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


class _Persons(dict[Any, Any]):
    """A row's person key (the start of its line, or its four texts) -> (office, district,
    candidate, party, incumbent, write-in, number), None for a row to leave out (`skips` is
    then True); a key not seen before is worked out once, from inside the C-level lookup.
    A key of four texts is kept with one str per distinct text: the row's own strs (every
    row's split makes new ones) would stay pinned by it, four per person, 76,000 persons in
    the 1M-row bench file (~15 MB of its parse's peak memory)."""

    def __init__(self, cut: _Cut) -> None:
        super().__init__()
        self.texts = cut.texts
        self.numbers: dict[tuple[Any, ...], int] = {}
        self.parts = _Parts()
        self.shared: dict[str, str] | None = None if cut.lead else {}
        self.skips = False

    def __missing__(self, key: Any) -> tuple[Any, ...] | None:
        value = _plain_person(self.texts(key), self.numbers, self.parts)
        self.skips = self.skips or value is None
        if self.shared is not None:
            key = tuple(map(self.shared.setdefault, key, key))
        self[key] = value
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
    candidate, incumbent, write_in = name
    party, party_write_in = parts.parties[raw_party]
    district = parts.districts[raw_district]
    number = numbers.setdefault((office, district, candidate, party), len(numbers))
    return office, district, candidate, party, incumbent, write_in or party_write_in, number


def _name(raw: str) -> tuple[str, bool, bool] | None:
    """(candidate, incumbent, write-in by its name), None for a pseudo-candidate (as
    _person)."""
    if is_pseudo_candidate(raw):
        return None
    candidate, incumbent, _ = clean_candidate(raw)
    return candidate, incumbent, is_write_in(candidate, None)


def _party(raw: str) -> tuple[str | None, bool]:
    """(party, write-in by its party): is_write_in(candidate, party) is the name's test or
    the party's, each made once per distinct text."""
    party = raw.strip() or None
    return party, is_write_in("", party)


class _Parts:
    """Cleaned offices, candidate names, parties and districts (stripped, blank: None)."""

    def __init__(self) -> None:
        self.offices = _Table(_office)
        self.names = _Table(_name)
        self.parties = _Table(_party)
        self.districts = _Table(lambda raw: raw.strip() or None)
