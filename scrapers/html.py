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

import dataclasses
import re
from dataclasses import dataclass
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
    # What a page repeats row after row, worked out once per parse (a mapping is read per
    # parse): candidate cell -> (name, incumbent, party tag) or None for a skipped row;
    # (name, party) -> write-in.
    people: dict[str, tuple[str, bool, str | None] | None] = dataclasses.field(default_factory=dict)
    write_ins: dict[tuple[str, str | None], bool] = dataclasses.field(default_factory=dict)
    cell_tag: list[Any] = dataclasses.field(default_factory=lambda: [None, None])  # see _cells


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


def _text(node: LexborNode) -> str:
    """A node's text with whitespace runs collapsed ("<b>Jane</b> <i>Doe</i>" -> "Jane Doe")."""
    return " ".join((node.text_lexbor() or "").split())


_SEP = "\u00a6"  # ¦: printable, not whitespace, and rare in a results table


def _cells(row: LexborNode, m: _Mapping) -> list[str]:
    """The row's cell texts, whitespace collapsed as _text does.

    Most cells need no collapsing, and one look at the row says so: joined by _SEP, the row
    is printable (every whitespace but " " is not), has no double space and no space at a
    cell's edge. Only rows that fail it are collapsed cell by cell."""
    if m.cells.isalpha():  # a bare tag name ("td"): the row's own cells, without a CSS query
        # compared by lexbor's tag id (one per tag name in a document) once the first cell
        # told it: reading .tag makes a string per cell
        doc, tag_id = m.cell_tag
        if doc is row.parser and tag_id is not None:
            texts = [cell.text_lexbor() for cell in row.iter() if cell.tag_id == tag_id]
        else:
            tag = m.cells.lower()
            cells = [cell for cell in row.iter() if cell.tag == tag]
            m.cell_tag[:] = [row.parser, cells[0].tag_id if cells else None]
            texts = [cell.text_lexbor() for cell in cells]
    else:
        texts = [cell.text_lexbor() for cell in _select(row, "cells", m.cells)]
    joined = _SEP.join(texts)
    if (
        joined.isprintable()
        and "  " not in joined
        and " " + _SEP not in joined
        and _SEP + " " not in joined
        and joined[:1] != " "
        and joined[-1:] != " "
        and joined.count(_SEP) == len(texts) - 1  # no text holds _SEP itself
    ):
        return texts
    return [" ".join(text.split()) for text in texts]


def _parse_precincts(tree: LexborHTMLParser, m: _Mapping) -> tuple[int | None, int | None]:
    """'Precincts reporting: 12 of 20' -> (12, 20)."""
    if m.precincts is None:
        return None, None
    nodes = _select(tree, "precincts", m.precincts)
    if not nodes:
        raise _bad("precincts", f"({m.precincts!r}) matched nothing on the page")
    match = _OF.search(_text(nodes[0]))
    if match is None:
        raise ParseError(f"html: precincts text {_text(nodes[0])!r} does not read 'N of M'")
    return to_int(match[1], "html precincts"), to_int(match[2], "html precincts")


def _person(text: str, m: _Mapping) -> tuple[str, bool, str | None] | None:
    """A candidate cell -> (name, incumbent, party tag); None when the row is no candidate."""
    if text.casefold() in m.skip or is_pseudo_candidate(text):
        return None
    return clean_candidate(text)


def _votes(text: str, number: int) -> int:
    if text.isdecimal():  # most cells: plain digits
        return int(text)
    return 0 if text in ("", "-", "\u2014") else to_int(text, f"html: row {number} votes")


def _parse_row(
    row: LexborNode, number: int, m: _Mapping, reporting: tuple[int | None, int | None]
) -> ResultRecord | None:
    """One table row -> a record; None for header rows and skipped (total) rows."""
    cells = _cells(row, m)
    if not cells:
        return None
    column = m.columns.get
    need = max(m.columns.values()) + 1
    if len(cells) < need:
        raise ParseError(f"html: row {number} has {len(cells)} cells, the mapping needs {need}")
    text = cells[m.columns["candidate"]]
    if (person := m.people.get(text, ())) == ():
        person = m.people[text] = _person(text, m)
    if person is None:
        return None
    candidate, incumbent, tag_party = person
    if not candidate:
        raise ParseError(f"html: row {number} has an empty candidate cell")
    i = column("party")
    party = (cells[i] if i is not None else None) or tag_party
    i = column("office")
    office = (cells[i] if i is not None else None) or m.constants["office"]
    if not office:
        raise ParseError(f"html: row {number} has an empty office cell")
    i = column("district")
    district = (cells[i] if i is not None else None) or m.constants["district"]
    i = column("unit")
    unit = cells[i] if i is not None else m.constants["unit"]
    if (write_in := m.write_ins.get((candidate, party))) is None:
        write_in = m.write_ins[candidate, party] = is_write_in(candidate, party)
    return ResultRecord(
        office=office,
        district=district,
        candidate=candidate,
        party=party,
        unit=unit or "",
        votes=_votes(cells[m.columns["votes"]], number),
        seats=m.seats,
        precincts_reporting=reporting[0],
        precincts_total=reporting[1],
        status=m.status,
        write_in=write_in,
        incumbent=incumbent,
        winner=None if m.winner is None else bool(_select(row, "winner", m.winner)),
    )


def parse(body: bytes, mapping: dict[str, Any] | None = None) -> Parsed:
    """A page -> records, one per matched row; ParseError when the table is not there."""
    m = _parse_mapping(mapping)
    if not body.strip():
        raise ParseError("html: empty body")
    tree = LexborHTMLParser(body)
    rows = _select(tree, "rows", m.rows)
    if not rows:
        raise _bad("rows", f"({m.rows!r}) matched nothing: not the page, or its layout changed")
    reporting = _parse_precincts(tree, m)
    records = [r for n, row in enumerate(rows, 1) if (r := _parse_row(row, n, m, reporting))]
    if not records:
        raise ParseError(f"html: the {len(rows)} rows matched by 'rows' hold no candidate rows")
    return Parsed(records=records)
