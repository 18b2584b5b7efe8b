"""Results tables on plain town/county web pages, read through a mapping stored with the source.

Mapping keys (unknown keys are refused, so a typo fails loudly):
- `rows` (required): CSS selector matching one element per result row, e.g. "table.results tr".
- `cells` (default "td"): selector for a row's cells, relative to the row. Rows without any
  such cell (header rows of `th`) are skipped.
- `columns` (required): field -> 0-based cell index. `candidate` and `votes` are required;
  `office`, `district`, `party` and `unit` are optional.
- `office`, `district`, `unit`: constants for fields no column gives (`office` is required when
  there is no office column; `unit` defaults to "", the contest total).
- `seats` (default 1): vote for N. `status` (default "unofficial"): or "official", "certified".
- `precincts`: selector of an element reading like "12 of 20" (precincts reporting, page-wide).
- `winner`: selector, relative to a row, that matches only in winners' rows (a check mark image,
  a `td.winner`); without it `winner` is None.
- `skip` (default ["Total", "Totals", "Total Votes"]): candidate texts that are not candidates.
- `http`: fetch options, see scrapers._http.Policy.
Candidate text "(I)" marks an incumbent; "Write-in" lines are flagged write_in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import httpx
from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from scrapers._common import (
    VALID_STATUSES,
    clean_candidate,
    is_pseudo_candidate,
    is_write_in,
    to_int,
)
from scrapers._http import fetch_conditional
from scrapers.records import Fetched, Parsed, ParseError, ResultRecord, SourceState

FORMAT = "html"

FIELDS = ("office", "district", "candidate", "party", "votes", "unit")
KEYS = frozenset(
    {"rows", "cells", "columns", "office", "district", "unit", "seats", "status", "precincts",
     "winner", "skip", "http"}
)  # fmt: skip
_OF = re.compile(r"([\d,]+)\s+of\s+([\d,]+)")


@dataclass(frozen=True)
class _Mapping:
    rows: str
    cells: str
    columns: dict[str, int]
    constants: dict[str, str | None]  # office, district, unit when no column gives them
    seats: int
    status: str
    precincts: str | None
    winner: str | None
    skip: frozenset[str]


async def fetch(
    client: httpx.AsyncClient, url: str, state: SourceState, mapping: dict[str, Any] | None = None
) -> Fetched | None:
    """The page by conditional GET (None on 304)."""
    return await fetch_conditional(client, url, state, mapping)


def load_path(path: Path) -> bytes:
    """A saved page, as is."""
    return path.read_bytes()


def _bad(key: str, why: str) -> ParseError:
    return ParseError(f"html: mapping key {key!r} {why}")


def _parse_mapping(mapping: dict[str, Any] | None) -> _Mapping:
    """Check the declared mapping; ParseError naming the first bad key."""
    if not isinstance(mapping, dict):
        raise ParseError("html: a mapping is required (rows, columns, …)")
    unknown = sorted(set(mapping) - KEYS)
    if unknown:
        raise _bad(unknown[0], f"is unknown (known: {', '.join(sorted(KEYS))})")
    for key in ("rows", "columns"):
        if key not in mapping:
            raise _bad(key, "is missing")
    for key in ("rows", "cells", "office", "district", "unit", "precincts", "winner"):
        if key in mapping and not isinstance(mapping[key], str):
            raise _bad(key, f"must be a string, got {mapping[key]!r}")
    columns = mapping["columns"]
    if not isinstance(columns, dict):
        raise _bad("columns", "must map field names to cell indexes")
    for field, index in columns.items():
        if field not in FIELDS:
            raise _bad(f"columns.{field}", f"is not a field (fields: {', '.join(FIELDS)})")
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise _bad(f"columns.{field}", f"must be a cell index (0, 1, …), got {index!r}")
    for field in ("candidate", "votes"):
        if field not in columns:
            raise _bad(f"columns.{field}", "is missing")
    if "office" not in columns and not mapping.get("office"):
        raise _bad("office", "is missing (give a constant or columns.office)")
    seats = mapping.get("seats", 1)
    if not isinstance(seats, int) or isinstance(seats, bool) or seats < 1:
        raise _bad("seats", f"must be a whole number of seats, got {seats!r}")
    status = mapping.get("status", "unofficial")
    if status not in VALID_STATUSES:
        raise _bad("status", f"must be one of {', '.join(VALID_STATUSES)}, got {status!r}")
    skip = mapping.get("skip", ["Total", "Totals", "Total Votes"])
    if not isinstance(skip, list) or not all(isinstance(s, str) for s in skip):
        raise _bad("skip", "must be a list of candidate texts")
    return _Mapping(
        rows=mapping["rows"],
        cells=mapping.get("cells", "td"),
        columns=columns,
        constants={k: mapping.get(k) for k in ("office", "district")}
        | {"unit": mapping.get("unit", "")},
        seats=seats,
        status=status,
        precincts=mapping.get("precincts"),
        winner=mapping.get("winner"),
        skip=frozenset(s.casefold() for s in skip),
    )


def _select(node: LexborNode | LexborHTMLParser, key: str, selector: str) -> list[LexborNode]:
    try:
        return node.css(selector)
    except SelectolaxError as exc:
        raise _bad(key, f"is not a valid CSS selector ({selector!r}: {exc})") from None


def _select_first(
    node: LexborNode | LexborHTMLParser, key: str, selector: str
) -> LexborNode | None:
    """_select's first match (css_first: the same walk in document order, stopping there
    rather than going on through every row of the page after the precincts line)."""
    try:
        return node.css_first(selector)
    except SelectolaxError as exc:
        raise _bad(key, f"is not a valid CSS selector ({selector!r}: {exc})") from None


def _text(node: LexborNode) -> str:
    """A node's text with whitespace runs collapsed ("<b>Jane</b> <i>Doe</i>" -> "Jane Doe")."""
    return " ".join((node.text_lexbor() or "").split())


def _row_texts(rows: list[LexborNode], m: _Mapping) -> list[list[str]]:
    """Each row's cell texts, as lexbor reads them (whitespace not yet collapsed)."""
    if not m.cells.isalpha():
        return [[cell.text_lexbor() for cell in _select(row, "cells", m.cells)] for row in rows]
    # A bare tag name ("td"): the row's own cells, without a CSS query per row. Compared by
    # lexbor's tag id (one per tag name in a document) once a first cell told it: reading
    # .tag makes a string per cell.
    tag = m.cells.lower()
    for k, row in enumerate(rows):
        if cells := [cell for cell in row.iter() if cell.tag == tag]:
            tag_id = cells[0].tag_id
            rest = [
                [c.text_lexbor() for c in r.iter() if c.tag_id == tag_id] for r in rows[k + 1 :]
            ]
            return [[] for _ in range(k)] + [[cell.text_lexbor() for cell in cells]] + rest
    return [[] for _ in rows]


# What str.split() splits on among ASCII characters, besides " "
_ASCII_SPACES = ("\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f")


def _collapsed(table: list[list[str]]) -> list[list[str]]:
    """The cell texts with whitespace runs collapsed, as _text does.

    Most pages need no collapsing, and one look at the whole page says so: its non-empty cell
    texts joined by " " hold no whitespace but " ", no double space, and no space at either
    end (a space at a cell's edge would sit beside the joining one, or at an end). "No other
    whitespace" is a search for each of the nine ASCII ones when the page is ASCII, else
    isprintable() (every whitespace but " " is unprintable). One look per page, not one per
    row: per row it cost 4 ms of a 4,000-row page's 21."""
    joined = " ".join(filter(None, chain.from_iterable(table)))
    if joined.isascii():
        other_space = any(space in joined for space in _ASCII_SPACES)
    else:
        other_space = not joined.isprintable()
    if other_space or "  " in joined or joined[:1] == " " or joined[-1:] == " ":
        return [[" ".join(text.split()) for text in texts] for texts in table]
    return table


def _parse_precincts(tree: LexborHTMLParser, m: _Mapping) -> tuple[int | None, int | None]:
    """'Precincts reporting: 12 of 20' -> (12, 20)."""
    if m.precincts is None:
        return None, None
    node = _select_first(tree, "precincts", m.precincts)
    if node is None:
        raise _bad("precincts", f"({m.precincts!r}) matched nothing on the page")
    match = _OF.search(_text(node))
    if match is None:
        raise ParseError(f"html: precincts text {_text(node)!r} does not read 'N of M'")
    return to_int(match[1], "html precincts"), to_int(match[2], "html precincts")


def _person(text: str, m: _Mapping) -> tuple[str, bool, str | None] | None:
    """A candidate cell -> (name, incumbent, party tag); None when the row is no candidate."""
    if text.casefold() in m.skip or is_pseudo_candidate(text):
        return None
    return clean_candidate(text)


def _odd_votes(text: str, number: int) -> int:
    """A votes cell that is not digits, plain or grouped (_records reads those itself): blank
    or a dash (nothing counted yet) -> 0, anything else as to_int reads it, or its error."""
    return 0 if text in ("", "-", "\u2014") else to_int(text, f"html: row {number} votes")


def _records(
    rows: list[LexborNode],
    table: list[list[str]],
    m: _Mapping,
    reporting: tuple[int | None, int | None],
    first: int = 1,
) -> list[ResultRecord]:
    """Table rows (nodes and their collapsed cell texts) -> records, numbered from `first`;
    header rows (no cells) and skipped (total) rows give none.

    One loop with the mapping read into locals, not a call per row: the rows of a 4,000-row
    page are most of its parse. A page repeats its candidate cells row after row, so each
    distinct one is worked out once (name, incumbent, party tag, or None when skipped), and
    the write-in test once per (name, party)."""
    column = m.columns.get
    need = max(m.columns.values()) + 1
    at_candidate, at_votes = m.columns["candidate"], m.columns["votes"]
    at_party, at_office, at_district, at_unit = map(column, ("party", "office", "district", "unit"))
    the_office, the_district, the_unit = (m.constants[k] for k in ("office", "district", "unit"))
    seats, status, winner_css = m.seats, m.status, m.winner
    reporting_n, reporting_of = reporting
    people: dict[str, tuple[str, bool, str | None] | None] = {}
    write_ins: dict[tuple[str, str | None], bool] = {}
    records: list[ResultRecord] = []
    for number, cells in enumerate(table, first):
        if not cells:
            continue
        if len(cells) < need:
            raise ParseError(f"html: row {number} has {len(cells)} cells, the mapping needs {need}")
        text = cells[at_candidate]
        if (person := people.get(text, ())) == ():
            person = people[text] = _person(text, m)
        if person is None:
            continue
        candidate, incumbent, tag_party = person
        if not candidate:
            raise ParseError(f"html: row {number} has an empty candidate cell")
        party = (cells[at_party] if at_party is not None else None) or tag_party
        office = (cells[at_office] if at_office is not None else None) or the_office
        if not office:
            raise ParseError(f"html: row {number} has an empty office cell")
        district = (cells[at_district] if at_district is not None else None) or the_district
        unit = cells[at_unit] if at_unit is not None else the_unit
        if (write_in := write_ins.get((candidate, party))) is None:
            write_in = write_ins[candidate, party] = is_write_in(candidate, party)
        # most counts are plain digits, or grouped ("1,204"); _odd_votes reads the rest
        if (digits := cells[at_votes].replace(",", "")).isdecimal():
            votes = int(digits)
        else:
            votes = _odd_votes(cells[at_votes], number)
        winner = (
            None
            if winner_css is None
            else _select_first(rows[number - first], "winner", winner_css) is not None
        )
        records.append(
            ResultRecord(
                office=office,
                district=district,
                candidate=candidate,
                party=party,
                unit=unit or "",
                votes=votes,
                seats=seats,
                precincts_reporting=reporting_n,
                precincts_total=reporting_of,
                status=status,
                write_in=write_in,
                incumbent=incumbent,
                winner=winner,
            )
        )
    return records


def _parse_row(
    row: LexborNode, number: int, m: _Mapping, reporting: tuple[int | None, int | None]
) -> ResultRecord | None:
    """One table row -> a record; None for header rows and skipped (total) rows."""
    records = _records([row], _collapsed(_row_texts([row], m)), m, reporting, number)
    return records[0] if records else None


def parse(body: bytes, mapping: dict[str, Any] | None = None) -> Parsed:
    """A page -> records, one per matched row; ParseError when the table is not there."""
    m = _parse_mapping(mapping)
    if not body or body.isspace():  # as `not body.strip()`, without copying the page
        raise ParseError("html: empty body")
    tree = LexborHTMLParser(body)
    rows = _select(tree, "rows", m.rows)
    if not rows:
        raise _bad("rows", f"({m.rows!r}) matched nothing: not the page, or its layout changed")
    reporting = _parse_precincts(tree, m)
    records = _records(rows, _collapsed(_row_texts(rows, m)), m, reporting)
    if not records:
        raise ParseError(f"html: the {len(rows)} rows matched by 'rows' hold no candidate rows")
    return Parsed(records=records)
