"""Wire types of matching: what a run changed, what waits for a person, the review queue."""

from __future__ import annotations

import datetime as dt

import msgspec


class MatchChange(msgspec.Struct):
    endorsement_id: int
    candidate: str
    office: str
    district: str
    candidacy_id: int | None
    ballot_name: str
    method: str | None
    score: int
    reason: str


class Unmatched(msgspec.Struct):
    endorsement_id: int
    candidate: str
    office: str
    district: str
    reason: str


class MatchReport(msgspec.Struct):
    election: str
    stage: str
    endorsements: int
    matched: int  # endorsements pointing at a candidacy after this run
    changed: list[MatchChange]  # what this run changed (each audited)
    review: list[MatchChange]  # waiting for a person (GET /api/v1/review)
    unmatched: list[Unmatched]  # nothing close on the ballot; never counted as losses


class ReviewItem(msgspec.Struct):
    id: int
    endorsement_id: int
    candidacy_id: int
    score: int
    candidate: str
    ballot_name: str
    status: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by: str | None
    election: str
    stage: str
    office: str
    district: str
    parties: list[str]
