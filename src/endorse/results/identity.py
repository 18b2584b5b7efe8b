"""Contests, candidates and candidacies of a load, found or created in a few set-based statements.

The bulk twin of endorse.ballot.service: the same identities (canonical office, normalized
district, primary party; candidate name key), applied to thousands of rows at once instead
of one round trip per row. prepare.py has already put every name in its canonical form.
A contest that changed only in its counts (most of election night) has nothing for them to
write: settled() finds its ids by reading instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import asyncpg

from endorse.db.queries import load
from endorse.results.prepare import ContestBatch, Key

if TYPE_CHECKING:
    from endorse.results.ingest import ApplyStats

q = load("results")


async def settled(
    conn: asyncpg.Connection, changed: list[ContestBatch], known: dict[Key, tuple[int, bytes]]
) -> tuple[set[Key], dict[tuple[int, str], int]]:
    """(the changed contests whose rows already say what the payload says, (contest id, name
    key) -> candidacy id for them). A contest whose counts moved and nothing else is as the last
    load left it, so the upserts of contest_ids() and candidacy_ids() would find each row and
    write none, yet still lock every one of them (ON CONFLICT DO UPDATE locks the row before
    its WHERE is tested). A contest passes only when its row and the row of every candidacy of
    the payload pass those upserts' own tests; any other (one a person edited since, a
    candidacy missing) goes through the upserts as before."""
    existing = {known[b.key][0]: b for b in changed if b.key in known}
    if not existing:
        return set(), {}
    stored: dict[int, dict[str, asyncpg.Record]] = {}
    for r in await conn.fetch(*q.settled_candidacies(contest_ids=list(existing))):
        stored.setdefault(r["contest_id"], {})[r["name_key"]] = r
    keys: set[Key] = set()
    ids: dict[tuple[int, str], int] = {}
    for contest_id, batch in existing.items():
        rows = stored.get(contest_id, {})
        if _settled(batch, rows):
            keys.add(batch.key)
            ids.update(((contest_id, key), rows[key]["id"]) for key in batch.candidacies)
    return keys, ids


def _settled(batch: ContestBatch, rows: dict[str, asyncpg.Record]) -> bool:
    """Would upsert_contests and upsert_candidacies (sql/queries/results.sql) leave these rows
    as they are? Their WHERE clauses, one by one."""
    if not rows:
        return False
    contest = next(iter(rows.values()))
    if batch.seats > 1 and batch.seats != contest["seats"]:
        return False
    if batch.level != "other" and batch.level != contest["level"]:
        return False
    for key, c in batch.candidacies.items():
        r = rows.get(key)
        if (
            r is None
            or not set(c.parties).issubset(r["parties"])
            or (c.incumbent and not r["incumbent"])
            or (c.write_in and not r["write_in"])
            or (c.winner is not None and c.winner != r["declared_winner"])
        ):
            return False
    return True


async def contest_ids(
    conn: asyncpg.Connection,
    stage_id: int,
    changed: list[ContestBatch],
    known: dict[Key, tuple[int, bytes]],
    stats: ApplyStats,
) -> dict[Key, int]:
    """Ids of the changed contests, creating new ones (set-based, canonical identity)."""
    written = await conn.fetch(
        *q.upsert_contests(
            stage_id=stage_id,
            offices=[b.office for b in changed],
            districts=[b.district for b in changed],
            parties=[b.party for b in changed],
            levels=[b.level for b in changed],
            seats=[b.seats for b in changed],
            source_offices=[b.source_office for b in changed],
        )
    )
    ids = {key: contest_id for key, (contest_id, _) in known.items()}
    for r in written:
        key = (r["office"], r["district"], r["party"])
        stats.contests_created += key not in ids
        ids[key] = r["id"]
    missing = [b for b in changed if b.key not in ids]
    if missing:  # created meanwhile by staff (ballot.service) and left unchanged by our upsert
        for r in await conn.fetch(
            *q.contest_ids(
                stage_id=stage_id,
                offices=[b.office for b in missing],
                districts=[b.district for b in missing],
                parties=[b.party for b in missing],
            )
        ):
            ids[(r["office"], r["district"], r["party"])] = r["id"]
    return ids


async def candidacy_ids(
    conn: asyncpg.Connection, changed: list[ContestBatch], ids: dict[Key, int]
) -> dict[tuple[int, str], int]:
    """(contest id, name key) -> candidacy id, creating candidates and candidacies as needed."""
    names: dict[str, str] = {}
    for batch in changed:
        for key, candidacy in batch.candidacies.items():
            names.setdefault(key, candidacy.ballot_name)
    await conn.execute(*q.insert_candidates(names=list(names.values()), keys=list(names)))
    candidate = {
        r["name_key"]: r["id"] for r in await conn.fetch(*q.candidate_ids(keys=list(names)))
    }
    rows = [(ids[b.key], candidate[key], c) for b in changed for key, c in b.candidacies.items()]
    await conn.execute(
        *q.upsert_candidacies(
            contest_ids=[contest for contest, _, _ in rows],
            candidate_ids=[person for _, person, _ in rows],
            ballot_names=[c.ballot_name for _, _, c in rows],
            parties=["\x1f".join(c.parties) for _, _, c in rows],
            incumbents=[c.incumbent for _, _, c in rows],
            write_ins=[c.write_in for _, _, c in rows],
            winners=[c.winner for _, _, c in rows],
        )
    )
    key_of = {person: key for key, person in candidate.items()}
    contest_ids = [ids[b.key] for b in changed]
    return {
        (r["contest_id"], key_of[r["candidate_id"]]): r["id"]
        for r in await conn.fetch(*q.candidacy_ids(contest_ids=contest_ids))
        if r["candidate_id"] in key_of
    }
