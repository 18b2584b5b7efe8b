"""OpenElections CSV (one row per candidate per party line per precinct): fetch and stream-parse.

Columns are found by name from the header, in any order: `candidate`, `office` and `votes` are
required; `party`, `district`, and the unit columns `county`, `town`, `precinct` are optional and
other columns are ignored. The unit is the unit columns present, joined: "Bethel / Stony Hill 2".

Community-built files can repeat a (contest, candidate, party, unit) row. The mapping's
`"duplicates"` says what to do: "error" (default: ParseError naming both row numbers),
"keep-first", or "sum". For the Connecticut files "sum" is right: their repeated rows are
separate tallies under one precinct name, and only their sum matches the official totals.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import msgspec

from scrapers._common import clean_candidate, is_write_in
from scrapers._http import fetch_conditional
from scrapers.records import STATUSES, Fetched, Parsed, ParseError, ResultRecord, SourceState

FORMAT = "openelections"

REQUIRED = ("candidate", "office", "votes")
UNIT_COLUMNS = ("county", "town", "precinct")
DUPLICATES = ("error", "keep-first", "sum")
# Rows that are not a contest (turnout lines) or not a candidate (over/under votes, totals).
NON_CONTEST_OFFICES = frozenset(
    {"ballots cast", "registered voters", "total ballots cast", "voters", "turnout",
     "straight party", "total votes cast", "ballots cast blank"}
)  # fmt: skip
NON_CANDIDATES = frozenset(
    {"over votes", "under votes", "overvotes", "undervotes", "over", "under", "total",
     "total votes", "blank", "blanks", "blank votes", "void", "ballots cast", "registered voters"}
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
    """(row number, record) for each candidate row; the header is row 1, as in a spreadsheet."""
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise ParseError("openelections: empty file")
        index = _parse_header(header)
        width = len(header)
        col = {name: index.get(name) for name in (*REQUIRED, "party", "district")}
        units = [index[name] for name in UNIT_COLUMNS if name in index]
        c_cand, c_office, c_votes, c_party, c_district = col.values()
        for row in reader:
            if len(row) != width:
                if not any(field.strip() for field in row):
                    continue  # blank line
                raise ParseError(
                    f"openelections: row {reader.line_num} has {len(row)} fields, "
                    f"the header has {width} (truncated or misquoted?)"
                )
            office = row[c_office].strip()
            raw_candidate = row[c_cand].strip()
            if (
                office.casefold() in NON_CONTEST_OFFICES
                or raw_candidate.casefold() in NON_CANDIDATES
            ):
                continue
            candidate, incumbent, _ = clean_candidate(raw_candidate)
            party = row[c_party].strip() or None if c_party is not None else None
            district = row[c_district].strip() or None if c_district is not None else None
            yield (
                reader.line_num,
                ResultRecord(
                    office=office,
                    district=district,
                    candidate=candidate,
                    party=party,
                    unit=" / ".join(v for i in units if (v := row[i].strip())),
                    votes=_parse_votes(row[c_votes], reader.line_num),
                    write_in=is_write_in(candidate, party),
                    incumbent=incumbent,
                    status=status,
                ),
            )
    except csv.Error as exc:
        raise ParseError(f"openelections: row {reader.line_num}: {exc}") from None


def _key(record: ResultRecord) -> _Key:
    return (record.office, record.district, record.candidate, record.party, record.unit)


def iter_records(
    lines: Iterable[str], duplicates: str = "error", status: str = "unofficial"
) -> Iterator[ResultRecord]:
    """Records from CSV lines (any line endings), streaming except when summing duplicates."""
    if duplicates not in DUPLICATES:
        raise ParseError(f"openelections: mapping key 'duplicates' must be one of {DUPLICATES}")
    first_row: dict[_Key, int] = {}
    summed: dict[_Key, ResultRecord] = {}
    if status not in STATUSES:
        raise ParseError(f"openelections: mapping key 'status' must be one of {STATUSES}")
    for row_number, record in _iter_rows(lines, status):
        key = _key(record)
        if duplicates == "sum":
            seen = summed.get(key)
            summed[key] = (
                record
                if seen is None
                else msgspec.structs.replace(seen, votes=seen.votes + record.votes)
            )
            continue
        first = first_row.setdefault(key, row_number)
        if first == row_number:
            yield record
        elif duplicates == "error":
            contest = " ".join(filter(None, (record.office, record.district)))
            raise ParseError(
                f"openelections: row {row_number} duplicates row {first}: {contest} / "
                f"{record.candidate} / {record.party or '-'} / {record.unit or 'total'}"
            )
    yield from summed.values()


def parse(body: bytes, mapping: dict[str, Any] | None = None) -> Parsed:
    """The whole CSV -> records.

    mapping: {"duplicates": "error" | "keep-first" | "sum", "status": "unofficial" | "official" |
    "certified"}; the files carry no status, and a historical file is usually certified.
    """
    if not body.strip():
        raise ParseError("openelections: empty file")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = body.decode("cp1252", errors="replace")  # older hand-made files
    # newline="" lets csv see "\r", "\n" and "\r\n" line ends (the 2022 CT primary file uses "\r").
    lines = io.StringIO(text, newline="")
    options = mapping or {}
    records = iter_records(
        lines, options.get("duplicates", "error"), options.get("status", "unofficial")
    )
    return Parsed(records=list(records))
