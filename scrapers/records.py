"""The normalized shapes every scraper returns, and the two errors they raise."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

import msgspec

__all__ = [
    "STATUSES",
    "ContestNote",
    "FetchError",
    "Fetched",
    "Measure",
    "ParseError",
    "Parsed",
    "ResultRecord",
    "SourceState",
    "Status",
    "status_rank",
]

# How final a contest's count is, least to most: the one ladder every part ranks statuses by
# (contest_status.status in sql/0003 checks the same three words). A contest never moves down it.
Status = Literal["unofficial", "official", "certified"]
STATUSES: tuple[Status, ...] = get_args(Status)


def status_rank(status: str) -> int:
    """0, 1, 2 up the ladder; anything else counts as unofficial."""
    return STATUSES.index(status) if status in STATUSES else 0


class ResultRecord(msgspec.Struct, frozen=True, gc=False):
    """One candidate on one party line in one reporting unit of one contest.

    A contest is identified by (office, district); a candidacy by (contest, candidate); a row by
    (contest, candidate, party line, unit). Units of one contest never overlap: the database sums
    every unit of a contest to get the candidate's total, so a parser emits one level only.

    gc=False: a record holds only strings, numbers and None, so it can never be part of a
    cycle; a million of them then cost 16 bytes less each and no garbage-collector passes.
    """

    office: str  # office as the source names it, e.g. "State Senator", "Board of Education"
    district: str | None  # district as the source gives it ("1", "001", "District 1") or None
    candidate: str  # name as on the ballot, cleaned of markers like "(I)" / "(DEM)"
    party: str | None  # party line as the source names it; None if absent
    unit: str  # reporting unit name; "" means the contest-wide total
    votes: int
    seats: int = 1  # vote for N
    precincts_reporting: int | None = None  # for the contest (same on every row of a contest)
    precincts_total: int | None = None
    status: str = "unofficial"  # one of STATUSES (a parser checks it)
    write_in: bool = False  # write-in line or write-in aggregate
    incumbent: bool = False
    winner: bool | None = None  # source-declared winner, None when the source says nothing
    # The party whose primary the contest is, when the source says so for the whole contest
    # (a CT primary's election, "US Senator - REPUBLICAN"); else a primary takes its lines'.
    contest_party: str | None = None
    printed: str | None = None  # the contest's name as the source printed it, when not `office`
    # The source's own id for this candidate (Clarity choice key, CT SOTS candidate id), where
    # the format numbers its candidates: a name printed differently under the same id later is
    # a rename of one candidacy, not a new candidate (endorse.results.renames).
    candidate_key: str | None = None


class Measure(msgspec.Struct, frozen=True):
    """A yes/no ballot question in one place. Never a contest: it has no candidates."""

    question: str  # as printed
    place: str  # "State Wide" or the town
    yes: int
    no: int


class ContestNote(msgspec.Struct, frozen=True):
    """Something a contest's figures should be read with: the source disagrees with itself."""

    office: str
    district: str | None
    kind: str  # e.g. "fusion_sum_mismatch", "stated_total_mismatch"
    detail: str  # says both numbers


class Parsed(msgspec.Struct, frozen=True):
    """Everything one payload says: the rows plus the source's own metadata."""

    records: list[ResultRecord]
    as_of: datetime | None = None  # the source's own as-of/generated time (tz-aware)
    election_name: str | None = None
    version: str | None = None  # the source's version id if the payload carries one
    measures: list[Measure] = []
    notes: list[ContestNote] = []


class SourceState(msgspec.Struct, frozen=True):
    """What we remember about a source between polls."""

    etag: str | None = None
    last_modified: str | None = None
    version: str | None = None


class Fetched(msgspec.Struct, frozen=True):
    """A payload worth snapshotting and parsing, with what to remember for the next poll."""

    body: bytes  # exactly what the format's parse() takes
    url: str
    headers: dict[str, str]  # content-type, etag, last-modified, date when present
    etag: str | None = None
    last_modified: str | None = None
    version: str | None = None


class ParseError(ValueError):
    """The payload is malformed, truncated or empty; the message says what and where."""


class FetchError(Exception):
    """The source could not be fetched, after retries where retrying made sense."""

    def __init__(self, url: str, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.retry_after = retry_after  # seconds the server asked us to wait, when it did
