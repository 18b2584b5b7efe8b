"""The headline through the night: kept after every change, for the chart on the night page.

Each API process's LISTEN connection calls record() when an election changes; it computes the
headline through the same cache the page reads (so the page's own request right after costs
nothing more) and keeps it under the change number. Several processes may compute the same
point; the first insert wins (sql/0050, night_headlines).
"""

from __future__ import annotations

import logging

import asyncpg
from litestar.datastructures import State

from endorse.dashboard import cards, view
from endorse.db.queries import load

q = load("night")
log = logging.getLogger(__name__)


async def record(state: State, conn: asyncpg.Connection, election_id: int) -> None:
    for change in await conn.fetch(*q.latest_change(election_id=election_id)):
        rows, stats = await view.race_rows(conn, state, change["slug"], change["kind"])
        h = stats.headline
        await conn.execute(
            *q.note_headline(
                stage_id=change["stage_id"],
                seq=change["seq"],
                won=h.won,
                lost=h.lost,
                pending=sum(1 for r in rows if r.tally == "pending" and not cards.not_reporting(r)),
                not_reporting=sum(1 for r in rows if cards.not_reporting(r)),
                percent=h.percent,
                low=h.low,
                high=h.high,
            )
        )
