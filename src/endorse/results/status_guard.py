"""The status guard of a load: a contest's status never goes backwards.

unofficial < official < certified. A payload whose contest is less final than what is stored
(a late election-night feed after the canvass) leaves that contest whole: votes, reporting and
status. The rest of the payload is applied; the held-back contests are listed, and the pipeline
records them on the snapshot and the source. Equal or more final statuses apply as usual (an
official correction, a certification). Never switched off, not even for a release with a note
or a figure's reproduction, which replays exactly what the loads did.
"""

from __future__ import annotations

import asyncpg

from endorse.db.queries import load
from endorse.results.prepare import ContestBatch, Key
from scrapers.records import status_rank

hooks = load("hooks")


async def hold_back(
    conn: asyncpg.Connection, changed: list[ContestBatch], known: dict[Key, tuple[int, bytes]]
) -> tuple[list[ContestBatch], list[str]]:
    """(the contests to load, a line for each held back: "Governor: is certified, ...")."""
    loaded = {known[b.key][0]: b for b in changed if b.key in known}
    if not loaded:
        return changed, []
    held: set[Key] = set()
    lines: list[str] = []
    for r in await conn.fetch(*hooks.contest_statuses(contest_ids=list(loaded))):
        b = loaded[r["contest_id"]]
        if status_rank(r["status"]) > status_rank(b.status):
            held.add(b.key)
            where = " ".join(filter(None, (b.office, b.district, b.party)))
            lines.append(f"{where}: is {r['status']}, the payload says {b.status}")
    return ([b for b in changed if b.key not in held] if held else changed), sorted(lines)
