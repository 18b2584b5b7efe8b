"""Wire types of the results API: sources, the election with its sources, contests."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec

from endorse.elections.schemas import Election, StageKind
from scrapers.records import Status

Health = Literal["healthy", "degraded", "paused", "failing"]
Format = Literal["openelections", "clarity", "ct-sots", "html"]
HttpUrl = Annotated[str, msgspec.Meta(pattern=r"^https?://\S+$", max_length=2000)]


class SourceCreate(msgspec.Struct, kw_only=True):
    format: Format
    url: HttpUrl
    stage: StageKind = "general"
    mapping: dict[str, Any] = msgspec.field(default_factory=dict)
    schedule_seconds: Annotated[int, msgspec.Meta(ge=5, le=86400)] | None = None  # None: default
    enabled: bool = True


class SourceEdit(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """PATCH a source: pause or resume it (enabled), change its interval or its mapping."""

    enabled: bool | msgspec.UnsetType = msgspec.UNSET
    schedule_seconds: Annotated[int, msgspec.Meta(ge=5, le=86400)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    mapping: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET


class SourceRelease(msgspec.Struct, kw_only=True):
    note: Annotated[str, msgspec.Meta(min_length=3, max_length=2000)]


class Source(msgspec.Struct, kw_only=True):
    """A source and what its polls found; `warning` is set while a payload is quarantined."""

    id: int
    election: str
    stage: StageKind
    format: Format
    url: str
    schedule_seconds: int
    enabled: bool
    last_version: str | None
    last_checked_at: dt.datetime | None
    last_success_at: dt.datetime | None  # last payload applied
    as_of: dt.datetime | None  # the source's own as-of time of that payload, when it states one
    last_error: str | None
    last_error_at: dt.datetime | None
    quarantined_snapshot_id: int | None
    held_corrections: int = 0  # contests held back, counts went backwards (endorse.results.held)
    warning: str | None
    health: Health  # endorse.results.source_state
    health_reason: str


class ElectionResults(msgspec.Struct, kw_only=True):
    election: Election
    sources: list[Source]
    warnings: list[str]  # one line per quarantined or failing source


class PartyLine(msgspec.Struct):
    party: str  # "" when the source names no party line
    votes: int


class ContestCandidate(msgspec.Struct, kw_only=True):
    candidacy_id: int
    name: str
    parties: list[str]
    votes: int  # summed over party lines (fusion) and reporting units
    lines: list[PartyLine]  # the same votes per party line
    incumbent: bool
    write_in: bool
    declared_winner: bool | None


class ContestNoteOut(msgspec.Struct, kw_only=True):
    """What a source says the contest's figures must be read with (repeats, totals)."""

    source_id: int | None
    kind: str  # e.g. "repeated_rows_copies", "repeated_rows_parts", "stated_total_mismatch"
    detail: str


class Contest(msgspec.Struct, kw_only=True):
    id: int
    stage: StageKind
    office: str
    district: str
    party: str  # the party of a primary; "" otherwise
    level: str
    seats: int
    source_office: str | None  # the contest's name as the source printed it
    precincts_reporting: int | None
    precincts_total: int | None
    status: Status
    as_of: dt.datetime | None  # when its numbers last changed (the source's as-of, else fetch)
    source_id: int | None  # the source that last changed them
    total_votes: int
    candidates: list[ContestCandidate]
    notes: list[ContestNoteOut] = msgspec.field(default_factory=list)


class SourceUpdate(msgspec.Struct, kw_only=True):
    id: int
    format: Format
    last_success_at: dt.datetime | None
    as_of: dt.datetime | None
    warning: str | None


class ContestPage(msgspec.Struct, kw_only=True):
    election: str
    stage: StageKind | None  # the filter, when one was given
    sources: list[SourceUpdate]  # last update per source
    contests: list[Contest]


class SourceTotals(msgspec.Struct, kw_only=True):
    source_id: int
    format: Format
    version: str | None
    status: Literal["unofficial", "official", "certified"]
    totals: dict[str, int]  # candidate as on that source's ballot -> votes (lines summed)


class Disagreement(msgspec.Struct, kw_only=True):
    """A contest whose candidates' totals differ between sources, with every source's numbers."""

    stage: StageKind
    office: str
    district: str
    party: str
    preferred_source_id: int  # the most final source (then the official feed): figures use it
    sources: list[SourceTotals]


class Reconciliation(msgspec.Struct, kw_only=True):
    election: str
    sources: int  # sources with an applied payload
    contests_compared: int  # contests carried by two or more of them
    disagreements: list[Disagreement]


class HeldCorrection(msgspec.Struct, kw_only=True):
    """A contest held back from one snapshot because its counts went backwards, or because
    the snapshot no longer carries it (`gone`)."""

    id: int
    source_id: int
    election: str
    stage: str
    format: str
    snapshot_id: int
    label: str  # the contest: "State Senate 5"
    reasons: list[str]  # what went backwards, with both numbers
    gone: bool = False  # the contest is missing from the payload (its last numbers are kept)
    state: str  # held | accepted | superseded
    held_at: dt.datetime
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    note: str | None = None


class HeldAccept(msgspec.Struct, kw_only=True):
    note: Annotated[str, msgspec.Meta(min_length=3, max_length=2000)]  # why it is right


class CandidateRename(msgspec.Struct, kw_only=True):
    """A name a source printed under a candidate id it had printed another name under: the
    candidacy keeps `name` (the first one), so its totals and its endorsement match hold."""

    id: int
    source_id: int
    snapshot_id: int | None  # the first payload that printed it (None: snapshot deleted)
    source_key: str  # the source's candidate id (Clarity choice key, CT SOTS candidate id)
    name: str  # kept
    printed: str  # what the payload printed instead
    seen_at: dt.datetime
