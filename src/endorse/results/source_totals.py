"""What each source says about a contest two sources carry (table source_contest_totals,
sql/0081), kept by the load guard so the race shows a "sources disagree" flag (SQL:
contest_disputed) without parsing every source's payload again.

A contest's totals are kept per source once a second source loads it: the source that held it
until then is recorded from the stored results (they are its numbers), the loading one from its
payload; from then on every load of the contest by either refreshes its own row. Totals are
{candidates.name_key: votes}, zero counts left out, so a source listing a candidate at 0 and
one not listing it agree.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg
import msgspec

from endorse.db.queries import load
from endorse.results.prepare import ContestBatch

hooks = load("hooks")


def totals(batch: ContestBatch) -> dict[str, int]:
    """A payload's candidate totals (party lines and units summed), zeros left out."""
    out: dict[str, int] = {}
    for (key, _line, _unit), votes in batch.votes.items():
        out[key] = out.get(key, 0) + votes
    return {k: v for k, v in sorted(out.items()) if v}


async def keep(
    conn: asyncpg.Connection,
    loaded: dict[int, ContestBatch],
    stored: Sequence[asyncpg.Record],
    source_id: int | None,
) -> None:
    """Record the totals of the contests this load shares with another source (see above)."""
    if source_id is None:
        return
    shared = [r for r in stored if r["compared"] or r["source_id"] not in (None, source_id)]
    if not shared:
        return
    rows: list[tuple[int, int, str, dict[str, int]]] = []
    first_seen = [r for r in shared if not r["compared"] and r["source_id"] is not None]
    if first_seen:  # the holder's numbers are the stored results
        held: dict[int, dict[str, int]] = {}
        ids = [r["contest_id"] for r in first_seen]
        for t in await conn.fetch(*hooks.stored_totals(contest_ids=ids)):
            held.setdefault(t["contest_id"], {})[t["name_key"]] = t["votes"]
        rows += [
            (r["contest_id"], r["source_id"], r["status"], held.get(r["contest_id"], {}))
            for r in first_seen
        ]
    rows += [
        (
            r["contest_id"],
            source_id,
            loaded[r["contest_id"]].status,
            totals(loaded[r["contest_id"]]),
        )
        for r in shared
    ]
    await conn.execute(
        *hooks.keep_source_totals(
            contest_ids=[r[0] for r in rows],
            source_ids=[r[1] for r in rows],
            statuses=[r[2] for r in rows],
            totals=[msgspec.json.encode(dict(sorted(r[3].items()))).decode() for r in rows],
        )
    )
