"""Everything the night page shows for one election stage, read in one place.

The race table and the stats come from the figures (the same cache-checked computation as the
API), the other candidates and the sources from their own queries. Endorsement-derived parts
are read only when endorse.dashboard.visibility says so; otherwise the cards carry official
results alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import msgspec
from litestar.connection import ASGIConnection
from litestar.datastructures import State

from endorse.dashboard import cards as card_rules
from endorse.dashboard import charts, filters
from endorse.dashboard.cards import Card
from endorse.dashboard.filters import NightQuery
from endorse.dashboard.visibility import shows_endorsements
from endorse.db.queries import load
from endorse.elections.schemas import Election
from endorse.figures import outcomes, stats
from endorse.figures.cache import FiguresCache
from endorse.figures.schemas import RaceRow, Stats
from endorse.results.public import public
from endorse.results.sources import list_sources

q = load("night")
HISTORY_POINTS = 200
ZONES = {"CT": "America/New_York", "NY": "America/New_York"}


@dataclass(slots=True)
class SourceState:
    id: int
    format: str
    url: str
    as_of: dt.datetime | None
    last_success_at: dt.datetime | None
    state: str  # ok, degraded, paused
    note: str


@dataclass(slots=True)
class Counts:
    won: int = 0
    lost: int = 0
    pending: int = 0  # results are in but the race is not called (too close, counting)
    not_reporting: int = 0


@dataclass(slots=True)
class NightPage:
    election: Election
    stage: str
    stage_id: int
    query: NightQuery
    seq: int
    zone: ZoneInfo
    endorsements_shown: bool
    cards: list[Card]  # filtered and sorted
    all_cards: int
    stats: Stats | None = None
    counts: Counts = field(default_factory=Counts)
    unmatched: list[RaceRow] = field(default_factory=list)
    sources: list[SourceState] = field(default_factory=list)
    chart: charts.RateChart | None = None
    bars: list[charts.LevelBar] = field(default_factory=list)
    levels: list[tuple[str, str]] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)

    @property
    def banners(self) -> list[SourceState]:
        troubled = [s for s in self.sources if s.state == "degraded"]
        if self.sources and all(s.state == "paused" for s in self.sources):
            troubled += self.sources
        return troubled

    def local(self, when: dt.datetime | None) -> str:
        if when is None:
            return "not yet"
        return when.astimezone(self.zone).strftime("%-I:%M:%S %p %Z, %b %-d")


def cache(state: State) -> FiguresCache:
    found = state.get("night_cache")
    if found is None:
        found = state.night_cache = FiguresCache()
    return found


async def race_rows(
    conn: asyncpg.Connection, state: State, slug: str, stage: str
) -> tuple[list[RaceRow], Stats]:
    async def rows(c: asyncpg.Connection) -> tuple[bytes, str]:
        found, snapshot = await outcomes.race_rows(c, slug, stage)
        return msgspec.json.encode(found), snapshot

    async def headline(c: asyncpg.Connection) -> tuple[bytes, str]:
        found, snapshot = await stats.compute(c, slug, stage)
        return msgspec.json.encode(found), snapshot

    race_bytes = await cache(state).get(conn, ("races", slug, stage), rows)
    stats_bytes = await cache(state).get(conn, ("stats", slug, stage), headline)
    return (
        msgspec.json.decode(race_bytes, type=list[RaceRow]),
        msgspec.json.decode(stats_bytes, type=Stats),
    )


async def _candidates(
    conn: asyncpg.Connection, contest_ids: list[int]
) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    for r in await conn.fetch(*q.race_candidates(contest_ids=contest_ids)):
        person = dict(r.items())
        person["lines"] = msgspec.json.decode(r["lines"])
        found.setdefault(r["contest_id"], []).append(person)
    return found


async def _sources(conn: asyncpg.Connection, slug: str, stage: str) -> list[SourceState]:
    out = []
    for s in map(public, await list_sources(conn, slug)):  # a public page: no error text
        if s.stage != stage:
            continue
        if not s.enabled:
            state, note = "paused", "not being polled"
        elif s.warning:
            state, note = "degraded", s.warning
        elif s.last_error:
            state, note = "degraded", s.last_error
        else:
            state, note = "ok", ""
        out.append(SourceState(s.id, s.format, s.url, s.as_of, s.last_success_at, state, note))
    if any(s.state != "paused" for s in out):  # sources replaced by newer ones: not news
        out = [s for s in out if s.state != "paused"]
    return out


def _counts(rows: list[RaceRow]) -> Counts:
    counts = Counts()
    for r in rows:
        if r.tally == "won":
            counts.won += 1
        elif r.tally == "lost":
            counts.lost += 1
        elif card_rules.not_reporting(r):
            counts.not_reporting += 1
        elif r.tally == "pending":
            counts.pending += 1
    return counts


async def _history(conn: asyncpg.Connection, stage_id: int) -> list[dict[str, Any]]:
    """The headline after each change so far (kept by endorse.dashboard.history)."""
    rows = await conn.fetch(*q.headline_history(stage_id=stage_id, limit=HISTORY_POINTS))
    return [dict(r.items()) for r in rows]


def default_stage(election: Election, today: dt.date | None = None) -> str:
    """The latest stage whose day has come, else the first one."""
    today = today or dt.date.today()
    started = [s for s in election.stages if s.election_day <= today]
    return (started[-1] if started else election.stages[0]).kind


async def build(
    connection: ASGIConnection,
    conn: asyncpg.Connection,
    election: Election,
    stage: str,
    query: NightQuery,
) -> NightPage:
    stage_id = await conn.fetchval(*q.stage_of_election(election_id=election.id, kind=stage))
    seq = await conn.fetchval(*q.night_seq(election_id=election.id))  # before the data: a
    # change committed meanwhile is then sent again, never skipped
    shown = await shows_endorsements(connection, conn, election.slug, stage)
    zone = ZoneInfo(ZONES.get(election.jurisdiction, "UTC"))
    page = NightPage(election, stage, stage_id, query, seq, zone, shown, [], 0)
    page.sources = await _sources(conn, election.slug, stage)
    if shown:
        rows, page.stats = await race_rows(conn, connection.app.state, election.slug, stage)
        contest_ids = sorted({r.contest_id for r in rows if r.contest_id is not None})
        states = {
            r["contest_id"]: dict(r.items())
            for r in await conn.fetch(*q.contest_states(contest_ids=contest_ids))
        }
        built, page.unmatched = card_rules.build(rows, await _candidates(conn, contest_ids), states)
        page.counts = _counts(rows)
        page.chart = charts.rate_chart(await _history(conn, stage_id), zone)
        page.bars = charts.level_bars(page.stats.variants.by_level, card_rules.LEVEL_WORDS)
        page.bodies = sorted({b for c in built for b in c.bodies})
    else:
        contests = [
            dict(r.items()) | {"stage": stage}
            for r in await conn.fetch(*q.stage_contests(stage_id=stage_id))
        ]
        people = await _candidates(conn, [c["contest_id"] for c in contests])
        built = [card_rules.plain_card(c, people.get(c["contest_id"], [])) for c in contests]
    levels = sorted({c.level for c in built}, key=card_rules.level_rank)
    page.levels = [(lv, card_rules.LEVEL_WORDS.get(lv, lv)) for lv in levels]
    page.all_cards = len(built)
    page.cards = filters.apply(built, query)
    return page
