"""A candidate renamed under the same source id stays one candidacy; the rename is recorded.

Formats that number their candidates (Clarity choice keys, CT SOTS candidate ids) correct a
name in place: "Ann Park" becomes "Ann B. Park" under the same id between two versions. Read
as printed, that would be a new candidacy beside a vanished one: the contest would be held for
a person, the endorsement matched to "Ann Park" would point at a candidacy with no votes. So
the name first seen under a source's id (source_candidates) stays the candidacy's name, every
later spelling under that id is read as it, and each new spelling is recorded once
(candidate_renames) where staff see it: `GET /api/v1/sources/{id}/renames` and the staff
Sources page. Totals never move because of a rename. Ids are the source's own, so two sources
never share them; formats without ids (OpenElections, HTML) are read as printed.
"""

from __future__ import annotations

import asyncpg
import msgspec

from endorse.db.queries import load
from endorse.results.schemas import CandidateRename
from scrapers.records import Parsed

q = load("renames")


async def keep_names(
    conn: asyncpg.Connection, parsed: Parsed, *, source_id: int, snapshot_id: int | None
) -> tuple[Parsed, list[str]]:
    """`parsed` with every candidate named as first seen under its id, and one line per
    rename ("id 501: kept 'Ann Park', printed 'Ann B. Park'"). The caller's transaction: a
    payload that is not applied remembers nothing."""
    printed = {r.candidate_key: r.candidate for r in parsed.records if r.candidate_key is not None}
    if not printed:
        return parsed, []
    kept = {
        r["source_key"]: r["name"]
        for r in await conn.fetch(*q.kept_names(source_id=source_id, keys=list(printed)))
    }
    first = [key for key in printed if key not in kept]
    if first:
        await conn.execute(
            *q.remember_names(
                source_id=source_id, keys=first, names=[printed[key] for key in first]
            )
        )
    renamed = {key: kept[key] for key in printed if key in kept and kept[key] != printed[key]}
    if not renamed:
        return parsed, []
    await conn.execute(
        *q.record_renames(
            source_id=source_id,
            snapshot_id=snapshot_id,
            keys=list(renamed),
            names=list(renamed.values()),
            printed=[printed[key] for key in renamed],
        )
    )
    records = [
        msgspec.structs.replace(r, candidate=renamed[r.candidate_key])
        if r.candidate_key in renamed
        else r
        for r in parsed.records
    ]
    lines = [f"id {key}: kept {name!r}, printed {printed[key]!r}" for key, name in renamed.items()]
    return msgspec.structs.replace(parsed, records=records), lines


async def list_renames(
    conn: asyncpg.Connection, *, source_id: int | None = None, election: str | None = None
) -> list[CandidateRename]:
    rows = await conn.fetch(*q.list_renames(source_id=source_id, slug=election))
    return [msgspec.convert(dict(r), CandidateRename) for r in rows]
