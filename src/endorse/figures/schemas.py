"""Wire types of the figures: stats, race rows, published figures."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import msgspec

from endorse.elections.schemas import StageKind

StageParam = Literal[StageKind, "all"]  # a stage kind, or every stage of the election pooled
Outcome = Literal["WON", "LOST", "ADVANCED", "PENDING", "WITHDREW", "RESCINDED", "UNMATCHED"]


class Rate(msgspec.Struct):
    """WON / (WON + LOST) as "w of n" and a percent rounded half up; pending with its range."""

    won: int
    lost: int
    pending: int
    decided: int
    percent: int | None  # None when nothing is decided
    text: str  # "30 of 41"
    low: int | None  # the final percent if every pending race is lost
    high: int | None  # ... if every pending race is won


class KeyedRate(Rate):
    key: str  # the office level, the endorsing body (root) or the stage


class Variants(msgspec.Struct):
    contested: Rate
    non_incumbents_contested: Rate
    incumbents: Rate
    non_incumbents: Rate
    close: Rate  # margin within the recount rule (CGS 9-311a in Connecticut)
    by_level: list[KeyedRate]
    by_body: list[KeyedRate]
    by_stage: list[KeyedRate]


class Excluded(msgspec.Struct):
    """Endorsements listed but not in any rate, and why."""

    unmatched: int
    withdrew: int
    rescinded: int
    late: int  # endorsed on/after election day, or accepted late (late_ok)
    by_staff: int = 0  # race rows in a race staff excluded (race_decisions, sql/0080)


class UnmatchedEndorsement(msgspec.Struct):
    candidate: str
    office: str
    district: str
    stage: str


class SourceVersion(msgspec.Struct):
    id: int
    format: str
    url: str
    version: str | None
    hash: str | None
    last_success_at: dt.datetime | None


DecisionKind = Literal["call", "exclude", "certify", "incumbent"]


class DecisionInForce(msgspec.Struct):
    """A staff decision the figures rest on (sql/functions/decisions.sql decisions_in_force)."""

    id: int
    kind: DecisionKind
    stage: str
    contest_id: int | None
    office: str | None
    district: str | None
    contest_party: str | None
    candidacy_id: int | None
    candidate: str | None
    incumbent: bool | None
    reason: str
    decided_by: str
    decided_at: dt.datetime


class Stats(msgspec.Struct):
    election: str
    election_name: str
    stage: str
    stages: list[str]
    pooled: bool  # True only when stage=all was asked for
    year: int
    headline: Rate
    variants: Variants
    excluded: Excluded
    unmatched: list[UnmatchedEndorsement]
    as_of: dt.datetime | None
    sources: list[SourceVersion]
    snapshot_ids: list[int]
    rule_version: str
    sentence: str = ""
    decisions: list[DecisionInForce] = []  # staff decisions in force (a figure stores them)


class RaceRow(msgspec.Struct):
    """One endorsed candidacy (or one unmatched endorsement) and how its race stands."""

    stage: str
    contest_id: int | None
    office: str
    level: str | None
    district: str
    contest_party: str | None
    seats: int | None
    candidacy_id: int | None
    candidate: str
    endorsed_as: list[str]
    bodies: list[str]
    endorsements: int
    parties: list[str] | None
    incumbent: bool | None
    votes: int | None
    votes_cast: int | None
    percent: float | None
    margin: int | None
    close: bool | None
    precincts_reporting: int | None
    precincts_total: int | None
    call_status: str | None
    uncontested: bool | None
    outcome: Outcome
    reason: str
    tally: Literal["won", "lost", "pending", "excluded"]
    as_of: dt.datetime | None
    snapshot_id: int | None
    # the human layer (race_decisions, sql/0080): badges on every view of the race
    called_by_staff: bool | None = None
    certified_by_staff: bool | None = None
    excluded_reason: str | None = None  # set: staff excluded the race from the figures
    disputed: bool | None = None  # two sources carry the race and differ (sql/0081)


class FigureCreate(msgspec.Struct):
    stage: StageParam = "general"
    note: str = ""


class PublishedFigure(msgspec.Struct):
    """A frozen figure: stats and races exactly as they were served when published."""

    id: int
    election: str
    stage: str
    stats: dict[str, Any]
    races: list[dict[str, Any]]
    rule_version: str
    sources: list[dict[str, Any]]
    snapshot_ids: list[int]
    as_of: dt.datetime | None
    note: str
    published_by: str
    published_at: dt.datetime
