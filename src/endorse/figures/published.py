"""Published figures: freeze the stats and the race table as served now; read them back forever.

Stats and races are computed in one statement (one snapshot), so the frozen rate and the rows
behind it agree; the rule version, the source versions and snapshot ids and the as-of time are
stored beside them. A trigger refuses any later change (sql/0035).
"""

from __future__ import annotations

import asyncpg
import msgspec

from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.figures.schemas import PublishedFigure
from endorse.figures.stats import stats_from

q = load("figures")


class FigureNotFound(LookupError):
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
