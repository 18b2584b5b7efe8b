"""Race cards: one per contest, every candidate on it, the endorsed ones marked.

The outcome of an endorsed candidate is never decided here: it is the race row the figures
compute (sql/0032-0036), so the card, the headline and a published figure always agree. This
module only groups rows by contest, adds the other candidates, and names the badges.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from endorse.figures.badges import race_badges
from endorse.figures.schemas import RaceRow
from endorse.vocab import LEVELS

LEVEL_WORDS = {
    "federal": "Federal",
    "statewide": "Statewide",
    "state_senate": "State Senate",
    "state_house": "State House",
    "county": "County",
    "municipal": "Municipal",
    "school_board": "School board",
    "other": "Other",
}
# how the card's endorsed outcome is shown; "not-reporting" is a pending race with no results
BUCKETS = {
    "won": "Won",
    "lost": "Lost",
    "pending": "Too close / counting",
    "not-reporting": "Not yet reporting",
    "mixed": "Split",
    "excluded": "Excluded",  # staff took the race out of the figures (sql/0080)
}


@dataclass(slots=True)
class Badge:
    key: str  # a stable hook for CSS and tests: recanvass, tie, uncontested, official, ...
    label: str


@dataclass(slots=True)
class Candidate:
    candidacy_id: int
    name: str
    parties: list[str]
    lines: list[dict[str, Any]]  # [{"party": ..., "votes": ...}], most votes first
    votes: int
    percent: float | None
    incumbent: bool
    write_in: bool
    declared_winner: bool | None
    endorsed: bool = False
    bodies: list[str] = field(default_factory=list)
    endorsed_as: list[str] = field(default_factory=list)
    outcome: str | None = None
    reason: str = ""


@dataclass(slots=True)
class Card:
    contest_id: int
    stage: str
    office: str
    district: str
    level: str
    contest_party: str
    seats: int
    candidates: list[Candidate]
    votes_cast: int
    precincts_reporting: int | None
    precincts_total: int | None
    status: str  # unofficial, official, certified
    call_status: str  # not reporting, partial, all reporting, official
    as_of: dt.datetime | None
    outcome: str | None = None  # a BUCKETS key; None when endorsements are not shown
    reason: str = ""
    margin: int | None = None
    close: bool = False
    bodies: list[str] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)

    @property
    def title(self) -> str:
        district = f" {self.district}" if self.district and self.district not in self.office else ""
        party = f" ({self.contest_party} primary)" if self.contest_party else ""
        return f"{self.office}{district}{party}"

    @property
    def level_label(self) -> str:
        return LEVEL_WORDS.get(self.level, self.level.replace("_", " ").title())

    @property
    def reporting_percent(self) -> int | None:
        if not self.precincts_total:
            return None
        return (200 * (self.precincts_reporting or 0) + self.precincts_total) // (
            2 * self.precincts_total
        )

    @property
    def margin_percent(self) -> float | None:
        """|margin| as a percent of the votes cast, one decimal, rounded half up."""
        if self.margin is None or not self.votes_cast:
            return None
        return ((2000 * abs(self.margin) + self.votes_cast) // (2 * self.votes_cast)) / 10

    @property
    def outcome_label(self) -> str:
        return BUCKETS.get(self.outcome or "", "")

    @property
    def endorsed(self) -> list[Candidate]:
        return [c for c in self.candidates if c.endorsed]


def percent(votes: int, cast: int) -> float | None:
    """One decimal, rounded half up in integers (the rule the figures use)."""
    if cast <= 0:
        return None
    return ((2000 * votes + cast) // (2 * cast)) / 10


def not_reporting(row: RaceRow) -> bool:
    """Pending with nothing in yet (a source may list zeros before the first precinct)."""
    if row.tally != "pending":
        return False
    return row.call_status == "not reporting" or not (row.precincts_reporting or row.votes_cast)


def bucket(rows: list[RaceRow]) -> str:
    """One card outcome from the outcomes of its endorsed candidates (excluded rows ignored)."""
    counted = [r for r in rows if r.tally != "excluded"]
    if not counted and any(r.excluded_reason for r in rows):
        return "excluded"
    if not counted:
        return "pending" if rows else "not-reporting"
    if all(not_reporting(r) for r in counted):
        return "not-reporting"
    tallies = {r.tally for r in counted}
    if "pending" in tallies:
        return "pending"
    return tallies.pop() if len(tallies) == 1 else "mixed"


def badges(card: Card, rows: list[RaceRow]) -> list[Badge]:
    """The badges the data has: staff decisions first (endorse.figures.badges)."""
    found = [Badge(key, label) for key, label in race_badges(rows)]
    if any(r.reason.startswith("recanvass") for r in rows):
        found.append(Badge("recanvass", "Recanvass watch"))
    if any(r.reason.startswith("tie") for r in rows):
        found.append(Badge("tie", "Tie"))
    if any(r.uncontested for r in rows):
        found.append(Badge("uncontested", "Uncontested"))
    if card.status == "certified" and not any(b.key == "certified" for b in found):
        found.append(Badge("certified", "Certified"))
    elif card.status == "official" and not any(b.key == "certified" for b in found):
        found.append(Badge("official", "Official"))
    if any(c.declared_winner is not None for c in card.candidates):
        found.append(Badge("declared", "Winners declared by the source"))
    return found


def build(
    rows: list[RaceRow],
    candidates: dict[int, list[dict[str, Any]]],
    states: dict[int, dict[str, Any]],
) -> tuple[list[Card], list[RaceRow]]:
    """(cards of the endorsed contests, rows not on any ballot: unmatched endorsements)."""
    by_contest: dict[int, list[RaceRow]] = {}
    loose: list[RaceRow] = []
    for row in rows:
        if row.contest_id is None:
            loose.append(row)
        else:
            by_contest.setdefault(row.contest_id, []).append(row)
    cards = []
    for contest_id, own in by_contest.items():
        first = own[0]
        card = plain_card(
            {
                "contest_id": contest_id,
                "stage": first.stage,
                "office": first.office,
                "district": first.district,
                "level": first.level or "other",
                "contest_party": first.contest_party or "",
                "seats": first.seats or 1,
                "precincts_reporting": first.precincts_reporting,
                "precincts_total": first.precincts_total,
                "status": states.get(contest_id, {}).get("status", "unofficial"),
                "as_of": first.as_of,
                "call_status": first.call_status or "not reporting",
            },
            candidates.get(contest_id, []),
        )
        mark_endorsed(card, own)
        cards.append(card)
    return cards, loose


def plain_card(contest: dict[str, Any], people: list[dict[str, Any]]) -> Card:
    """A card with official results only (no endorsement marked)."""
    cast = sum(p["votes"] for p in people)
    return Card(
        contest_id=contest["contest_id"],
        stage=contest["stage"],
        office=contest["office"],
        district=contest["district"],
        level=contest["level"] or "other",
        contest_party=contest["contest_party"] or "",
        seats=contest["seats"] or 1,
        candidates=[
            Candidate(
                candidacy_id=p["candidacy_id"],
                name=p["name"],
                parties=list(p["parties"] or []),
                lines=p["lines"],
                votes=p["votes"],
                percent=percent(p["votes"], cast),
                incumbent=bool(p["incumbent"]),
                write_in=bool(p["write_in"]),
                declared_winner=p["declared_winner"],
            )
            for p in people
        ],
        votes_cast=cast,
        precincts_reporting=contest["precincts_reporting"],
        precincts_total=contest["precincts_total"],
        status=contest["status"],
        call_status=contest.get("call_status") or _call_status(contest, cast),
        as_of=contest["as_of"],
    )


def _call_status(contest: dict[str, Any], cast: int) -> str:
    if contest["status"] in ("official", "certified"):
        return "official"
    total, done = contest["precincts_total"], contest["precincts_reporting"] or 0
    if total and done >= total:
        return "all reporting"
    return "partial" if done or cast else "not reporting"


def mark_endorsed(card: Card, rows: list[RaceRow]) -> None:
    """Highlight the endorsed candidates and give the card its outcome, reason and badges."""
    by_candidacy = {r.candidacy_id: r for r in rows}
    for person in card.candidates:
        row = by_candidacy.get(person.candidacy_id)
        if row is not None:
            person.endorsed = True
            person.bodies = row.bodies
            person.endorsed_as = [n for n in row.endorsed_as if n != person.name]
            person.outcome = row.outcome
            person.reason = row.reason
    card.outcome = bucket(rows)
    card.reason = "; ".join(dict.fromkeys(r.reason for r in rows if r.reason))
    margins = [r.margin for r in rows if r.margin is not None]
    card.margin = min(margins, key=abs) if margins else None
    card.close = any(bool(r.close) for r in rows)
    card.bodies = sorted({b for r in rows for b in r.bodies})
    card.badges = badges(card, rows)


def level_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)
