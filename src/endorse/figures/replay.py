"""The pieces of a published figure's reproduction; each runs in a transaction the caller rolls
back (endorse.figures.published.reproduce).

* rewind(): every endorsement of the figure's stages as it stood when the figure was published,
  from endorsement_versions (matches included), so endorsements added, edited, rescinded,
  re-matched or deleted since do not count as differences;
* rewind_decisions(): staff decisions (race_decisions, sql/0080) as they stood then, and held
  corrections (sql/0075): one accepted since is held again, as it was when published;
* replay(): the figure's stored snapshots applied again, alone (endorse.results.stored);
* compare(): the frozen stats and race rows against the recomputed ones, field by field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import asyncpg
import msgspec

from endorse.db.queries import load
from endorse.results import stored

q = load("reproduce")
# Not reproducible by nature: when a load happened (as_of falls back to the load time for
# formats without their own) and the sources' state now (their last version and hash move on).
# The sentence is words around the headline's numbers, which are compared field by field; its
# wording may be corrected in a later release (counts named as candidates, not races) without
# the figure changing. The published one stays frozen as it was quoted.
_STATS_SKIP = frozenset({"as_of", "sources", "sentence"})
_RACE_SKIP = frozenset({"as_of"})
MAX_DIFFERENCES = 200


class Difference(msgspec.Struct):
    """One thing that came out differently: `what` is a path such as "stats.headline.won" or
    "races[general / State Senate 9 / Ian Cho].votes"."""

    what: str
    published: Any
    reproduced: Any


async def rewind(
    conn: asyncpg.Connection, stage_ids: list[int], at: dt.datetime
) -> tuple[int, list[Difference]]:
    """Endorsements as of `at`: how many had changed since (each rewound), and what could not
    be (a candidacy matched then and deleted since)."""
    rows = await conn.fetch(*q.endorsements_then(stage_ids=stage_ids, at=at))
    moved = [r for r in rows if r["then_version"] != r["version"]]
    if not moved:
        return 0, []
    back = [r for r in moved if r["then_version"] is not None]
    try:
        async with conn.transaction():
            await conn.execute(*q.hide_endorsements(ids=[r["id"] for r in moved]))
            await conn.execute(
                *q.restore_endorsements(
                    ids=[r["id"] for r in back], versions=[r["then_version"] for r in back]
                )
            )
    except asyncpg.IntegrityConstraintViolationError as exc:
        return len(moved), [Difference("endorsements", "as published", f"not restored: {exc}")]
    return len(moved), []


async def rewind_decisions(conn: asyncpg.Connection, stage_ids: list[int], at: dt.datetime) -> None:
    """The staff decisions in force at `at`: made since -> gone, withdrawn since -> back; a
    held contest a person accepted since is held again."""
    await conn.execute(*q.drop_decisions_since(stage_ids=stage_ids, at=at))
    await conn.execute(*q.restore_decisions_then(stage_ids=stage_ids, at=at))
    await conn.execute(*q.reopen_holds_since(stage_ids=stage_ids, at=at))


async def replay(
    conn: asyncpg.Connection, stage_ids: list[int], snapshot_ids: list[int]
) -> list[Difference]:
    """Re-apply the snapshots (endorse.results.stored); what could not be comes back as
    differences."""
    problems = await stored.reapply(conn, stage_ids, snapshot_ids)
    return [Difference(p.what, p.expected, p.got) for p in problems]


def _walk(path: str, a: Any, b: Any, out: list[Difference], skip: frozenset[str]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in skip:
                _walk(f"{path}.{key}", a.get(key), b.get(key), out, frozenset())
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _walk(f"{path}[{i}]", x, y, out, frozenset())
    elif a != b:
        out.append(Difference(path, a, b))


def _keyed(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Race rows by a readable key: "general / State Senate 9 / Ian Cho" (#2 when repeated)."""
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        where = " ".join(filter(None, (row.get("office"), row.get("district"))))
        key = base = f"{row.get('stage')} / {where} / {row.get('candidate')}"
        n = 1
        while key in out:
            n += 1
            key = f"{base} #{n}"
        out[key] = row
    return out


def compare(
    published_stats: dict[str, Any],
    published_races: list[dict[str, Any]],
    stats: dict[str, Any],
    races: list[dict[str, Any]],
) -> list[Difference]:
    """Every field of the stats (but as_of, sources and the sentence) and of each race row (but
    as_of)."""
    out: list[Difference] = []
    _walk("stats", published_stats, stats, out, _STATS_SKIP)
    then, now = _keyed(published_races), _keyed(races)
    for key in [*then, *(k for k in now if k not in then)]:
        a, b = then.get(key), now.get(key)
        if a is None or b is None:
            seen = ("listed" if a else "absent", "listed" if b else "absent")
            out.append(Difference(f"races[{key}]", *seen))
        else:
            _walk(f"races[{key}]", a, b, out, _RACE_SKIP)
    return out[:MAX_DIFFERENCES]
