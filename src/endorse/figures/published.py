"""Published figures: freeze the stats and the race table as served now; read them back forever;
reproduce them from the stored raw snapshots.

Stats and races are computed in one statement (one snapshot), so the frozen rate and the rows
behind it agree; the rule version, the source versions and snapshot ids and the as-of time are
stored beside them. A trigger refuses any later change (sql/functions/published.sql).

reproduce() recomputes a figure inside a transaction it always rolls back: endorsements as they
stood at publication (endorsement_versions), results re-applied from the figure's stored
snapshots only, staff decisions (calls, exclusions, certifications, incumbency) as they were
in force then, then every frozen number compared (endorse.figures.replay). Not rewound: body
hierarchy, withdrawals, seats and party caps staff set by hand, hand-entered results, and the
rule functions themselves (a changed rule shows up as a difference, which is the point).
It holds the results load lock of the figure's stages while it runs (an ingest waits).
"""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.errors import NotFound
from endorse.figures import replay
from endorse.figures.schemas import PublishedFigure
from endorse.figures.stats import stats_from
from endorse.matching import auto
from endorse.results import stored

q = load("figures")
rq = load("reproduce")


class FigureNotFound(NotFound):
    """No published figure with that id."""


async def publish(
    conn: asyncpg.Connection, slug: str, stage: str, *, actor: str, note: str = ""
) -> PublishedFigure:
    async with conn.transaction():
        row = await conn.fetchrow(*q.stats_and_races(slug=slug, stage=stage))
        value = msgspec.json.decode(row["stats"])
        if "error" in value:
            value = {**value, "election": slug, "stage": stage}
        stats = stats_from(value)  # raises UnknownElection naming the field
        frozen = msgspec.json.encode(stats).decode()
        inserted = await conn.fetchrow(
            *q.insert_figure(
                slug=slug,
                stage=stage,
                stats=frozen,
                races=row["races"],
                rule_version=stats.rule_version,
                sources=msgspec.json.encode(stats.sources).decode(),
                snapshot_ids=stats.snapshot_ids,
                as_of=stats.as_of,
                note=note,
                actor=actor,
            )
        )
        await record(
            conn,
            actor=actor,
            action="figure.publish",
            entity="published_figures",
            entity_id=inserted["id"],
            after={
                "election": slug,
                "stage": stage,
                "headline": stats.headline,
                "sentence": stats.sentence,
                "note": note,
            },
        )
        return await get_figure(conn, inserted["id"])


async def get_figure(conn: asyncpg.Connection, figure_id: int) -> PublishedFigure:
    row = await conn.fetchrow(*q.figure_by_id(id=figure_id))
    if row is None:
        raise FigureNotFound(f"figure: no published figure {figure_id}")
    value = dict(row)
    for column in ("stats", "races", "sources"):
        if isinstance(value[column], str):  # a connection without the jsonb codec
            value[column] = msgspec.json.decode(value[column])
    return msgspec.convert(value, PublishedFigure)


class FigureSummary(msgspec.Struct, kw_only=True):
    """One line of an election's list of published figures."""

    id: int
    election: str
    stage: str
    note: str  # the title staff gave it
    headline: str | None  # "30 of 41"
    percent: int | None
    sentence: str | None
    as_of: dt.datetime | None
    published_by: str
    published_at: dt.datetime


async def list_figures(
    conn: asyncpg.Connection, slug: str, *, limit: int = 200
) -> list[FigureSummary]:
    """Newest first; an unknown election simply has none."""
    rows = await conn.fetch(*q.list_figures(slug=slug, limit=limit))
    return [msgspec.convert(dict(r), FigureSummary) for r in rows]


class Reproduction(msgspec.Struct):
    """What re-computing a figure from its stored snapshots gave: `matches` when no difference."""

    figure_id: int
    matches: bool
    snapshot_ids: list[int]  # re-applied, oldest first
    endorsements_rewound: int  # changed since publication, taken back to their version then
    differences: list[replay.Difference]


async def reproduce(conn: asyncpg.Connection, figure_id: int) -> Reproduction:
    """Raises FigureNotFound. Writes nothing: all of it is rolled back."""
    figure = await get_figure(conn, figure_id)
    transaction = conn.transaction()
    await transaction.start()
    try:
        scope = rq.figure_stages(slug=figure.election, stage=figure.stage)
        stages = [r["id"] for r in await conn.fetch(*scope)]
        await stored.lock_stages(conn, stages)  # lock order: results load, matching, rows
        await auto.hold(conn, stages)
        rewound, differences = await replay.rewind(conn, stages, figure.published_at)
        await replay.rewind_decisions(conn, stages, figure.published_at)
        differences += await replay.replay(conn, stages, figure.snapshot_ids)
        row = await conn.fetchrow(*q.stats_and_races(slug=figure.election, stage=figure.stage))
        value = msgspec.json.decode(row["stats"])
        stats = msgspec.to_builtins(stats_from(value)) if "error" not in value else value
        races = msgspec.json.decode(row["races"])
        differences += replay.compare(figure.stats, figure.races, stats, races)
    finally:
        await transaction.rollback()
    return Reproduction(
        figure_id=figure_id,
        matches=not differences,
        snapshot_ids=sorted(figure.snapshot_ids),
        endorsements_rewound=rewound,
        differences=differences[: replay.MAX_DIFFERENCES],
    )
