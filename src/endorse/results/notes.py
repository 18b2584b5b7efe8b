"""Notes a load attaches to its contests (scrapers' ContestNote), kept per source.

A note names its contest as the source spelled it; it is stored on the canonical contest the
same spelling becomes (endorse.vocab.contest_identity), on every party's contest of that name
in a primary. A load replaces its source's notes on the contests it carries.
"""

from __future__ import annotations

import asyncpg

from endorse.db.queries import load
from endorse.results.prepare import ContestBatch, Key
from endorse.vocab import contest_identity
from scrapers.records import ContestNote

q = load("results")


def _place(batches: dict[Key, ContestBatch], note: ContestNote) -> list[Key]:
    office, _level, district = contest_identity(note.office, note.district)
    return [key for key in batches if key[:2] == (office, district)]


def describe(note: ContestNote) -> str:
    """'State Senate 5: 1 unit repeated …' for the load's summary."""
    contest = " ".join(filter(None, (note.office, note.district)))
    return f"{contest}: {note.detail}"


async def replace_notes(
    conn: asyncpg.Connection,
    notes: list[ContestNote],
    batches: dict[Key, ContestBatch],
    ids: dict[Key, int],
    *,
    source_id: int | None,
    snapshot_id: int | None,
) -> None:
    """Store the load's notes on its contests, in place of the source's earlier ones."""
    rows: dict[tuple[int, str], list[str]] = {}
    for note in notes:
        for key in _place(batches, note):
            if key in ids:
                rows.setdefault((ids[key], note.kind), []).append(note.detail)
    await conn.execute(
        *q.clear_contest_notes(
            contest_ids=[ids[k] for k in batches if k in ids], source_id=source_id
        )
    )
    if rows:
        await conn.execute(
            *q.insert_contest_notes(
                source_id=source_id,
                snapshot_id=snapshot_id,
                contest_ids=[contest for contest, _ in rows],
                kinds=[kind for _, kind in rows],
                details=["; ".join(details) for details in rows.values()],
            )
        )
