"""The registry's rules for one endorsement, shared by the API and the import.

- office and district are stored as endorse.vocab.contest_identity gives them, the rule the
  ballot and the results ingestion use, so an endorsement and its contest meet on one identity:
  "State Senator" + "District 001" -> State Senate / 1, "Board of Education - Darien" + "" ->
  Board of Education / Darien; what staff typed is kept beside it in office_typed;
- party is stored as endorse.vocab.canonical_party spells the line ("Democratic Party", "DEM"
  -> "Democratic"), as feeds' party lines are;
- candidate and notes are trimmed and runs of spaces collapsed (the candidate otherwise stays
  exactly as typed, for matching);
- an endorsement counts for a stage only if made *before* its election day, so a date on or
  after that day is refused unless staff say late_ok; it is then kept with late_ok=true.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from endorse.vocab import canonical_office, canonical_party, contest_identity

_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}


def collapse(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def office(typed: str) -> str:
    """The canonical office alone (a town or district in it dropped), e.g. to filter a list."""
    return canonical_office(typed)[0]


@lru_cache(maxsize=4096)
def identity(office: str, district: str) -> tuple[str, str]:
    """(office, district) as stored; cached because a 5,000-row file names a handful."""
    canonical, _level, normalized = contest_identity(collapse(office), collapse(district))
    return canonical, normalized


def party(typed: str) -> str:
    return canonical_party(typed)


def parse_date(text: str) -> dt.date:
    """ISO 2018-09-20, or the US form 9/20/2018 that spreadsheets write; nothing else."""
    text = text.strip()
    try:
        if _ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
        us = _US_DATE.fullmatch(text)
        if us:
            return dt.date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
    except ValueError:
        pass
    raise ValueError(f"{text!r} is not a date; write YYYY-MM-DD (or M/D/YYYY)")


def parse_bool(text: str) -> bool:
    folded = text.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(f"{text!r} is not true/false")


def parse_incumbent(text: str) -> bool | None:
    """The import's optional incumbent cell: true/false/yes/no/1/0, blank for "not stated"."""
    folded = text.strip().lower()
    if not folded:
        return None
    if folded in {"true", "yes", "1"}:
        return True
    if folded in {"false", "no", "0"}:
        return False
    raise ValueError(f"{text!r} is not one of true, false, yes, no, 1, 0 (or blank)")


def is_late(endorsed_on: dt.date, election_day: dt.date) -> bool:
    return endorsed_on >= election_day


def late_reason(endorsed_on: dt.date, stage: str, election_day: dt.date) -> str:
    return (
        f"{endorsed_on.isoformat()} is not before the {stage} election day "
        f"{election_day.isoformat()}, so it would not count for that stage; "
        "set late_ok to store it anyway"
    )


def rescind_reason_problem(
    endorsed_on: dt.date, rescinded_on: dt.date | None, reason: str | None
) -> tuple[str, str] | None:
    """(column, reason) when a rescission does not hold together, else None."""
    if rescinded_on is None:
        return ("rescinded_on", "a rescind reason needs a rescinded_on date") if reason else None
    if rescinded_on < endorsed_on:
        return (
            "rescinded_on",
            f"{rescinded_on.isoformat()} is before endorsed_on {endorsed_on.isoformat()}",
        )
    if not reason:
        return ("rescind_reason", "say why the endorsement was rescinded")
    return None
