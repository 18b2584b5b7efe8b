"""Small text rules shared by the parsers: counts, "N of M", candidate markers, write-ins."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

from scrapers.records import STATUSES, ParseError

_OF = re.compile(r"^\s*([\d,]+)\s+of\s+([\d,]+)\b")
# Only trailing parentheses that look like markers: "(I)" for an incumbent, or an upper-case
# party tag such as "(DEM)" / "(WF)". "Robert (Bobby) Sanchez" keeps its nickname.
_MARKER = re.compile(r"\s*\((I|INC|[A-Z][A-Z0-9-]{0,5})\)\s*$")
_WRITE_IN = re.compile(r"^(write[\s-]*ins?|scattered|scattering)\b", re.IGNORECASE)
_WRITE_IN_PARTIES = frozenset({"write in", "write-in", "write-ins", "write ins", "wi"})
_INCUMBENT_TAGS = frozenset({"I", "INC"})
VALID_STATUSES = STATUSES
# Rows that count ballots rather than a candidate's votes: over/under votes, totals, blanks,
# voids. One rule for every format (is_pseudo_candidate); compared with spaces, hyphens and
# punctuation removed, so "Over Votes", "Over-Votes", "OVERVOTES" and "Total Votes:" are one.
# Write-in aggregates ("Write-ins", "Scattering") are not here: they are votes for people,
# kept as write-in lines (is_write_in), and contest totals include them.
_PSEUDO_KEYS = frozenset(
    {"over", "under", "overvote", "overvotes", "undervote", "undervotes",
     "total", "totals", "totalvotes", "totalvotescast", "totalballots", "totalballotscast",
     "ballotscast", "blank", "blanks", "blankvote", "blankvotes", "blankballots",
     "void", "voids", "voidballots", "spoiled", "spoiledballots", "rejected",
     "rejectedballots", "novote", "novotes", "registeredvoters", "timescast",
     "timesblankvoted", "timesovervoted", "timesundervoted"}
)  # fmt: skip
_PSEUDO_NOISE = re.compile(r"[\s\-_.:*()]+")


def is_pseudo_candidate(name: str) -> bool:
    """True for a row that is not a candidate ("Total Votes", "Over Votes", "Blank", ...)."""
    return _PSEUDO_NOISE.sub("", name.casefold()) in _PSEUDO_KEYS


def to_int(value: str | int, where: str) -> int:
    """A vote count: "1,422,836" -> 1422836 (CT SOTS and many HTML pages use separators)."""
    if isinstance(value, int):
        return value
    text = value.strip().replace(",", "")
    if text.isdigit():
        return int(text)
    raise ParseError(f"{where}: {value!r} is not a whole number")


def parse_of(text: str, where: str) -> tuple[int, int]:
    """'760 of 763 (99.61%)' -> (760, 763)."""
    match = _OF.match(text)
    if match is None:
        raise ParseError(f"{where}: {text!r} does not look like 'N of M'")
    return to_int(match[1], where), to_int(match[2], where)


def clean_candidate(text: str) -> tuple[str, bool, str | None]:
    """'Jane Q. Doe (I) (DEM)' -> ('Jane Q. Doe', True, 'DEM'): name, incumbent, party tag."""
    name, incumbent, party = " ".join(text.split()), False, None
    if ")" not in name:
        return name, incumbent, party  # no marker: the search below costs a regex pass
    while (match := _MARKER.search(name)) is not None and match.start() > 0:
        tag = match[1]
        if tag in _INCUMBENT_TAGS:
            incumbent = True
        elif party is None:
            party = tag
        name = name[: match.start()]
    return name, incumbent, party


def is_write_in(candidate: str, party: str | None) -> bool:
    """A write-in line ("Write In" party) or a write-in aggregate ("Write-ins", "Scattered")."""
    if party is not None and party.strip().casefold() in _WRITE_IN_PARTIES:
        return True
    return _WRITE_IN.match(candidate) is not None


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector paused while a parse or a load runs: each makes tables of tuples
    that live to its end and short-lived lists by the hundred thousand, and every collection
    pass walks them for nothing (a quarter of the OpenElections parse, a third of a load's
    prepare() at 200,000 rows). Nothing either makes forms a cycle; records are gc=False.
    Restored after, only if it was on."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
