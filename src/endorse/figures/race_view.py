"""One race as staff decide on it: every candidate as the figures decide them (the rules are
SQL, figure_candidacies), which ones are endorsed, and the staff decisions in force for the
race and its stage. The staff race page reads this; it computes nothing itself."""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from endorse.db.queries import load
from endorse.errors import NotFound
from endorse.figures.decisions import Decision, list_decisions

q = load("decisions")


class RaceCandidate(msgspec.Struct, kw_only=True):
    candidacy_id: int
    ballot_name: str
    parties: list[str]
    incumbent: bool
    write_in: bool
    endorsed: bool
    votes: int
    percent: float | None
    winner: bool
    outcome: str
    reason: str
    tally: str


class SourceSaid(msgspec.Struct, kw_only=True):
    """One source's candidate totals for the race ({spelling key: votes}); `kept`: the results
    hold this source's numbers (the figures follow it)."""

    source_id: int
    format: str
    url: str
    status: str
    totals: dict[str, int]
    updated_at: dt.datetime
    kept: bool


class RaceView(msgspec.Struct, kw_only=True):
    election: str
    stage: str
    stage_id: int
    contest_id: int
    office: str
    level: str
    district: str
    contest_party: str
    seats: int
    votes_cast: int = 0
    precincts_reporting: int | None = None
    precincts_total: int | None = None
    source_status: str = "unofficial"
    call_status: str = "not reporting"
    called_by_staff: bool = False
    certified_by_staff: bool = False
    excluded_reason: str | None = None
    disputed: bool = False  # two sources carry the race and differ (sql/0081)
    candidates: list[RaceCandidate] = []
    decisions: list[Decision] = []  # in force: the race's and its stage's certification
    sources: list[SourceSaid] = []  # when two sources carry the race (sql/0081)

    @property
    def title(self) -> str:
        district = f" {self.district}" if self.district and self.district not in self.office else ""
        party = f" ({self.contest_party} primary)" if self.contest_party else ""
        return f"{self.office}{district}{party}"


async def race_view(conn: asyncpg.Connection, contest_id: int) -> RaceView:
    """NotFound naming the contest when there is none with that id."""
    head = await conn.fetchrow(*q.contest_head(contest_id=contest_id))
    if head is None:
        raise NotFound(f"contest: no contest {contest_id}")
    view = msgspec.convert(dict(head), RaceView)
    rows = await conn.fetch(*q.race_view(contest_id=contest_id))
    if rows:
        first = rows[0]
        for field in ("votes_cast", "precincts_reporting", "precincts_total", "source_status",
                      "call_status", "called_by_staff", "certified_by_staff", "excluded_reason",
                      "disputed"):  # fmt: skip
            if first[field] is not None:
                setattr(view, field, first[field])
    view.candidates = [
        msgspec.convert(
            {**r, "percent": None if r["percent"] is None else float(r["percent"])},
            RaceCandidate,
        )
        for r in rows
    ]
    view.decisions = [
        d
        for d in await list_decisions(conn, view.election, view.stage)
        if d.contest_id == contest_id or d.kind == "certify"
    ]
    view.sources = [
        msgspec.convert({**r, "totals": msgspec.json.decode(r["totals"])}, SourceSaid)
        for r in await conn.fetch(*q.race_sources(contest_id=contest_id))
    ]
    return view
