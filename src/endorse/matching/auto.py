"""Matching that runs by itself, inside the write that calls for it.

* an endorsement import (not a dry run) matches the endorsements it created, and the updated
  ones whose name, party or typed office changed;
* creating an endorsement, or editing one's stage, office, district, name or party, matches it;
* an ingest that added contests or candidacies to a stage matches the endorsements that change
  can reach: the ones not matched yet, and the automatic matches in the contests that grew (a
  new candidate can make an automatic match ambiguous). Other matches are not decided again.

Each runs in the writer's transaction, so the API response, the ETag it returns and the NOTIFY
sent at commit already reflect the match; a match that changes nothing writes nothing (no
endorsement version, no audit row), so a re-ingest never makes the ETag staff hold go stale.

Lock order, which keeps these writers from deadlocking one another: the results load lock of
a stage (ingest only), then the matching lock of the stage (pg_advisory_xact_lock, taken in
ascending stage order), then endorsement rows. Imports and edits therefore take the matching
lock of their stages *before* they lock any endorsement row (hold()).

Cost, 5,000 endorsements on 302 contests (tests/integration/test_match_scale.py): the 5,000-row
import with no ballot yet 0.54 s -> 0.61 s; an ingest adding contests to a matched ballot 0.09 s
(nothing decided again, nothing written). Matching all 5,000 the first time takes ~27 s in the
ingest that brings the ballot and ~30 s in an import onto an existing ballot: ~4 ms an
endorsement in the matcher's name scoring (every ballot name is parsed again for every
endorsement); with parse_name cached that part is ~1 s, the rest is one UPDATE + audit row each.
"""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg

from endorse.db.queries import load
from endorse.matching.run import MATCHER, match_stage
from endorse.matching.schemas import MatchReport

q = load("matching")


async def hold(conn: asyncpg.Connection, stage_ids: Iterable[int | None]) -> None:
    """Take the matching lock of each stage (ascending; held to the end of the transaction)."""
    for stage_id in sorted({s for s in stage_ids if s is not None}):
        await conn.execute(*q.lock_stage_matching(stage_id=stage_id))


async def hold_for_endorsement(conn: asyncpg.Connection, endorsement_id: int) -> None:
    """The matching lock of the stage an endorsement is in, before its row is locked."""
    await hold(conn, [await conn.fetchval(*q.endorsement_stage(id=endorsement_id))])


async def after_import(conn: asyncpg.Connection) -> list[MatchReport]:
    """Match what an import just wrote (reads its temp table import_rows)."""
    by_stage: dict[int, set[int]] = {}
    for r in await conn.fetch(*q.import_rows_to_match()):
        by_stage.setdefault(r["stage_id"], set()).add(r["endorsement_id"])
    return [await match_stage(conn, s, only=ids) for s, ids in sorted(by_stage.items())]


async def after_edit(
    conn: asyncpg.Connection, stage_id: int, endorsement_id: int, *, actor: str = MATCHER
) -> MatchReport:
    """Match one endorsement just created or edited (the caller holds the stage's lock)."""
    await hold(conn, [stage_id])
    return await match_stage(conn, stage_id, only={endorsement_id}, actor=actor)


async def after_ingest(
    conn: asyncpg.Connection, stage_id: int, grown: list[int]
) -> MatchReport | None:
    """Match what an ingest that added candidacies to the `grown` contests can have changed:
    endorsements not matched yet, and automatic matches in those contests (the caller holds
    the stage's load lock). None when there is nothing to decide again."""
    rows = await conn.fetch(*q.endorsements_to_rematch(stage_id=stage_id, contest_ids=grown))
    if not rows:
        return None
    return await match_stage(conn, stage_id, only={r["id"] for r in rows})
