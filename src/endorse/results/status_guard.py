"""The status guard of a load: a contest's numbers never go backwards, and with two sources the
figures follow the official one.

unofficial < official < certified. A payload whose contest is less final than what is stored
(a late election-night feed after the canvass) leaves that contest whole: votes, reporting and
status. So does, at the same status, a payload from another source of a lower format rank
than the one the contest holds (SOURCE_RANK: an official feed before a community OpenElections
file), so an OpenElections file loaded after the official feed never replaces its numbers; the
same ranking picks the preferred source of a disagreement (endorse.results.reconcile). At an
equal rank the latest load speaks (a correction, a newer version, a feed further into the
count). The rest of the payload is applied; the held-back contests are listed,
and the pipeline records them on the snapshot and the source. Never switched off, not even for
a release with a note or a figure's reproduction, which replays exactly what the loads did.

A contest that a second source carries has each source's candidate totals kept beside it
(endorse.results.source_totals), so a disagreement is flagged wherever the race is shown.
"""

from __future__ import annotations

import asyncpg

from endorse.db.queries import load
from endorse.results import source_totals
from endorse.results.prepare import ContestBatch, Key
from scrapers.records import status_rank

hooks = load("hooks")
# Which source the figures follow at equal status (higher first); reconcile.py uses it too.
# The official feeds (the state's, a county's ENR, a town's page) rank alike: between two of
# them the latest load speaks, one is further into the count. A community OpenElections file
# is a copy of official numbers: it never replaces them.
SOURCE_RANK = {"ct-sots": 1, "clarity": 1, "html": 1, "openelections": 0}


def rank(status: str, format: str | None) -> tuple[int, int]:
    """How final and how official a source's numbers for a contest are (higher wins)."""
    return status_rank(status), SOURCE_RANK.get(format or "", 0)


async def hold_back(
    conn: asyncpg.Connection,
    changed: list[ContestBatch],
    known: dict[Key, tuple[int, bytes]],
    *,
    source_id: int | None = None,
) -> tuple[list[ContestBatch], list[str]]:
    """(the contests to load, a line for each held back: "Governor: is certified, ...")."""
    loaded = {known[b.key][0]: b for b in changed if b.key in known}
    if not loaded:
        return changed, []
    fmt = None
    if source_id is not None:
        fmt = await conn.fetchval(*hooks.source_format(source_id=source_id))
    held: set[Key] = set()
    lines: list[str] = []
    stored = await conn.fetch(*hooks.contest_statuses(contest_ids=list(loaded)))
    for r in stored:
        b = loaded[r["contest_id"]]
        other = source_id is not None and r["source_id"] not in (None, source_id)
        where = " ".join(filter(None, (b.office, b.district, b.party)))
        if status_rank(r["status"]) > status_rank(b.status):
            held.add(b.key)
            lines.append(f"{where}: is {r['status']}, the payload says {b.status}")
        elif other and rank(r["status"], r["format"]) > rank(b.status, fmt):
            held.add(b.key)
            lines.append(
                f"{where}: holds the {r['format']} source's {r['status']} numbers, which"
                f" outrank this {fmt} source's"
            )
    await source_totals.keep(conn, loaded, stored, source_id)
    return ([b for b in changed if b.key not in held] if held else changed), sorted(lines)
