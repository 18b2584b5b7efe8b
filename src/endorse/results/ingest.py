"""apply_parsed(): one parsed payload into results, in one transaction, writing only what changed.

Work grows with what changed, not with the payload: each contest's rows are hashed, and a
contest whose hash matches its last load is skipped entirely. Changed contests go through
set-based statements (contests, candidates, candidacies; only read where they already say what
the payload says, as when counts alone moved: identity.settled); their rows are compared with the
stored ones: new rows go straight into results by COPY, changed ones through a COPY into a temp
staging table and one UPDATE guarded by `IS DISTINCT FROM`, so unchanged rows are never staged
or rewritten. A contest missing from a payload keeps its last rows: feeds drop contests for a
poll or two, and a payload that lost most of them is quarantined by the shrink guard anyway.
Inside a contest that did change, the payload is the whole truth: rows it no longer has (a
corrected party line, a renamed unit, another source's units) are deleted, so two sources for
one contest never add up to double the votes; the latest load speaks for the contest.
Except that a contest's status never goes backwards: a contest already official or certified
is left whole by a less final payload (listed in ApplyStats.held_back, not an error). A load
that added contests or candidacies matches the stage's endorsements again before it commits
(endorse.matching.auto), so the NOTIFY it sends already reflects the match. A candidate the
source numbers keeps the name first seen under its id (endorse.results.renames). A re-poll of
the payload this process applied last is patched where its counts moved instead of read whole,
and writes the moved rows without reading the stored ones (endorse.results.delta).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from itertools import chain, repeat
from typing import Any

import asyncpg
import msgspec

from endorse.db.queries import load
from endorse.errors import NotFound
from endorse.matching import auto
from endorse.results import delta, guards, held, identity
from endorse.results.notes import describe, replace_notes
from endorse.results.notify import notify_changed
from endorse.results.prepare import ContestBatch, Key, read
from endorse.results.renames import keep_names
from endorse.results.status_guard import hold_back
from scrapers._common import gc_paused
from scrapers.records import Parsed

q = load("results")
hooks = load("hooks")

NEW_ROW = ("candidacy_id", "party", "unit", "votes", "snapshot_id")
LOCK_CLASS = 0x656E_6472  # "endr": advisory locks of the results domain (stage loads, sources)


class ApplyStats(msgspec.Struct, kw_only=True):
    """What one load did. `rows_written` counts inserted + updated result rows."""

    contests: int = 0
    contests_changed: int = 0
    contests_created: int = 0
    candidates: int = 0
    records: int = 0
    rows_written: int = 0
    rows_deleted: int = 0
    elapsed: float = 0.0
    contest_ids: list[int] = msgspec.field(default_factory=list)  # the changed ones
    held_back: list[str] = msgspec.field(default_factory=list)  # status would go backwards
    held: list[str] = msgspec.field(default_factory=list)  # counts went backwards (results.held)
    matched: int = 0  # endorsements whose match the ballot change altered (matching.auto)
    notes: list[str] = msgspec.field(default_factory=list)  # the source's notes on contests
    renamed: list[str] = msgspec.field(default_factory=list)  # names kept (results.renames)

    @property
    def rows_changed(self) -> int:
        return self.rows_written + self.rows_deleted


async def apply_parsed(
    conn: asyncpg.Connection,
    *,
    stage_id: int,
    parsed: Parsed,
    source_id: int | None = None,
    snapshot_id: int | None = None,
) -> ApplyStats:
    """Load `parsed` into the stage; the caller's transaction, else its own.

    Raises guards.Quarantine (nothing written) for an empty payload, one that lost most of the
    source's contests, or one in which a contest's total votes dropped sharply.
    """
    return await apply(
        conn, stage_id=stage_id, parsed=parsed, source_id=source_id, snapshot_id=snapshot_id
    )


async def apply(
    conn: asyncpg.Connection,
    *,
    stage_id: int,
    parsed: Parsed,
    source_id: int | None = None,
    snapshot_id: int | None = None,
    guarded: bool = True,
    match: bool = True,
    hold: bool = True,
    only: set[Key] | None = None,
    consume: bool = False,
) -> ApplyStats:
    """apply_parsed() with the shrink and drop guards switchable (a release with a note), and
    the matching after a ballot change switchable (a figure's reproduction keeps its matches).
    The status guard is never switched off: a contest's status does not go backwards.
    `hold` off: counts that went backwards are applied (a release: a person vouched for the
    whole payload); on, such contests of a source's snapshot are held (endorse.results.held).
    `only`: load these contests of the payload and no other (a person accepting one).
    `consume`: the records list is this load's alone (the pipeline's own parse): each record is
    let go once prepare() has read it, so a million records are not held beside the rows built
    from them (peak memory of `endorse results load`); the list ends empty. Unless the payload
    is remembered for the next poll (endorse.results.delta: up to delta.MAX_RECORDS records):
    it is then kept whole."""
    started = time.perf_counter()
    guards.check_not_empty(len(parsed.records))
    # a load builds a few hundred thousand tuples and dicts that all live until it ends: a
    # collection pass walks them for nothing (a third of prepare() at 200,000 rows)
    with gc_paused():
        try:
            stats = await _apply(
                conn, stage_id, parsed, source_id, snapshot_id, guarded, match, hold, only, consume
            )
        except delta.Stale:  # rolled back: the database was not what was remembered
            stats = await _apply(
                conn, stage_id, parsed, source_id, snapshot_id, guarded, match, hold, only, consume,
                remember=False,
            )  # fmt: skip
    stats.elapsed = time.perf_counter() - started
    return stats


async def _apply(
    conn: asyncpg.Connection,
    stage_id: int,
    parsed: Parsed,
    source_id: int | None,
    snapshot_id: int | None,
    guarded: bool,
    match: bool,
    hold: bool,
    only: set[Key] | None,
    consume: bool,
    *,
    remember: bool = True,
) -> ApplyStats:
    async with conn.transaction():
        stage = await conn.fetchrow(*q.stage_context(stage_id=stage_id))
        if stage is None:
            raise NotFound(f"stage_id: no stage with id {stage_id}")
        await conn.execute(*q.lock_stage(lock_class=LOCK_CLASS, stage_id=stage_id))
        renamed: list[str] = []
        if source_id is not None:  # a rename under the source's candidate id: one candidacy
            parsed, renamed = await keep_names(
                conn, parsed, source_id=source_id, snapshot_id=snapshot_id
            )
        records = len(parsed.records)
        # a re-poll of the payload applied here last: patched where the counts moved (delta.py)
        place = (stage["server_started"], stage["database"], stage_id, source_id)
        remembered = delta.take(place) if remember and only is None else None
        patched = None
        if remembered is not None and isinstance(parsed.records, list):
            patched = delta.patch(remembered, parsed.records)
        moved: dict[Key, delta.Moved] = {}
        if patched is not None:
            batches, moved = patched
        else:
            keep = remember and only is None and isinstance(parsed.records, list)
            keep = keep and records <= delta.MAX_RECORDS  # kept, not consumed: see delta.py
            combos = read(
                parsed.records, primary=stage["kind"] == "primary", consume=consume and not keep
            )
            batches = combos.batches
            remembered = delta.remember(parsed.records, combos) if keep else None
        if only is not None:
            batches = {key: batch for key, batch in batches.items() if key in only}
        stats = ApplyStats(
            contests=len(batches),
            candidates=sum(len(b.candidacies) for b in batches.values()),
            records=records,
            renamed=renamed,
        )
        if snapshot_id is not None and only is None:
            await conn.execute(
                *q.count_snapshot(
                    snapshot_id=snapshot_id, contests=stats.contests, records=stats.records
                )
            )
        if guarded and source_id is not None:
            previous = await conn.fetchval(*q.previous_contest_count(source_id=source_id))
            guards.check_shrink(previous, len(batches))
        known = {
            (r["office"], r["district"], r["party"]): (r["id"], r["content_hash"])
            for r in await conn.fetch(*q.stage_contest_hashes(stage_id=stage_id))
        }
        changed = [b for b in batches.values() if known.get(b.key, (0, None))[1] != b.digest]
        # the moved rows are the whole difference where the database holds what was remembered
        exact = {k: m for k, m in moved.items() if k in known and known[k][1] == m.digest}
        changed, stats.held_back = await hold_back(conn, changed, known, source_id=source_id)
        if changed and guarded:
            await _check_drops(conn, changed, known, exact)
        if hold and source_id is not None and snapshot_id is not None:
            changed, holds = await held.hold_corrections(
                conn,
                changed,
                list(batches),
                known,
                source_id=source_id,
                snapshot_id=snapshot_id,
                stage_id=stage_id if only is None else None,  # whole payloads: contests gone
                exact=exact,
            )
            stats.held = [x.line for x in holds]
        ids = {key: contest_id for key, (contest_id, _) in known.items()}  # + those created below
        if changed:
            settled, candidacies = await identity.settled(conn, changed, known)
            ballot = [b for b in changed if b.key not in settled]  # what the upserts may write
            since = None
            if ballot:
                since = await conn.fetchval(*hooks.last_candidacy_id())
                ids = await identity.contest_ids(conn, stage_id, ballot, known, stats)
                candidacies |= await identity.candidacy_ids(conn, ballot, ids)
            await _merge(conn, changed, ids, candidacies, snapshot_id, stats, known, exact)
            await conn.execute(
                *q.upsert_contest_status(
                    contest_ids=[ids[b.key] for b in changed],
                    reporting=[b.precincts_reporting for b in changed],
                    totals=[b.precincts_total for b in changed],
                    statuses=[b.status for b in changed],
                    hashes=[b.digest for b in changed],
                    as_of=parsed.as_of,
                    source_id=source_id,
                    snapshot_id=snapshot_id,
                )
            )
            stats.contests_changed = len(changed)
            stats.contest_ids = sorted(ids[b.key] for b in changed)
            # the ballot grew: match before the commit (and the NOTIFY); settled contests
            # (all of them, when `since` is None) added no candidacy
            if match and since is not None:
                grown = await conn.fetch(
                    *hooks.grown_contests(since=since, contest_ids=stats.contest_ids)
                )
                if grown:
                    report = await auto.after_ingest(conn, stage_id, [r[0] for r in grown])
                    stats.matched = len(report.changed) if report else 0
            await notify_changed(conn, stage["slug"], stage["kind"], stats.contest_ids)
        await replace_notes(
            conn, parsed.notes, batches, ids, source_id=source_id, snapshot_id=snapshot_id
        )
        stats.notes = [describe(note) for note in parsed.notes]
    if remembered is not None:  # committed (or the caller's to commit): the next one reads it
        delta.keep(place, remembered)
    return stats


async def _check_drops(
    conn: asyncpg.Connection,
    changed: list[ContestBatch],
    known: dict[Key, tuple[int, bytes]],
    exact: dict[Key, delta.Moved],
) -> None:
    existing = {known[b.key][0]: b for b in changed if b.key in known}
    if not existing:
        return
    rows: list[Any] = [
        {"contest_id": known[k][0], "votes": m.total}
        for k, m in exact.items()
        if known[k][0] in existing
    ]  # what the database holds for them is what was remembered
    asked = [i for i, b in existing.items() if b.key not in exact]
    if asked:
        rows += await conn.fetch(*q.contest_totals(contest_ids=asked))
    guards.check_drops(
        (
            " ".join(
                filter(None, (existing[r["contest_id"]].office, existing[r["contest_id"]].district))
            ),
            r["votes"],
            existing[r["contest_id"]].total_votes,
        )
        for r in rows
    )


async def _merge(
    conn: asyncpg.Connection,
    changed: list[ContestBatch],
    ids: dict[Key, int],
    candidacies: dict[tuple[int, str], int],
    snapshot_id: int | None,
    stats: ApplyStats,
    known: dict[Key, tuple[int, bytes]],
    exact: dict[Key, delta.Moved],
) -> None:
    """Write the changed contests' rows that differ from what the database holds.

    The stored rows of contests that existed before are read and compared here, so new rows
    are COPYed into results, changed ones staged and updated, vanished ones deleted by key:
    a poll in which 5% of the counts moved stages and writes 5%, not every row of every
    contest it touched (a statewide contest spans every precinct). New contests have nothing
    stored: their rows go straight to staging. An `exact` contest's moved rows are its whole
    difference (delta.py): they are updated without reading the stored rows, and an update
    that finds fewer rows than it was told means the database was not as remembered (Stale).
    """
    before = [ids[b.key] for b in changed if b.key in known and b.key not in exact]
    stored: dict[tuple[int, str, str], int] = {}
    if before:
        for r in await conn.fetch(*q.contest_results(contest_ids=before)):
            stored[(r[0], r[1], r[2])] = r[3]
    updates: list[tuple[int, str, str, int]] = []

    def new_rows() -> Iterator[Iterable[tuple[int, str, str, int, int | None]]]:
        """Streamed into COPY, one row group at a time: a million-row first load never holds
        its rows a second time, and the rows are made while the server indexes the ones before.
        A row already stored with other votes is kept aside for the UPDATE."""
        for batch in changed:
            contest_id = ids[batch.key]
            if batch.key not in known:  # a new contest has no rows yet: nothing to compare
                for group in batch.groups.values():  # each row made in C by zip
                    units, votes = group.summed()
                    stats.rows_written += len(units)
                    cid = candidacies[(contest_id, group.key)]
                    yield zip(repeat(cid), repeat(group.line), units, votes, repeat(snapshot_id))
                continue
            cid = {key: candidacies[(contest_id, key)] for key in batch.candidacies}
            if batch.key in exact:
                updates.extend(
                    (cid[key], line, unit, new)
                    for key, line, unit, old, new in exact[batch.key].rows
                    if new != old
                )
                continue
            rows = []
            for (key, party, unit), votes in batch.votes.items():
                row = (cid[key], party, unit)
                was = stored.pop(row, None)  # what stays in `stored` has vanished
                if was is None:
                    rows.append((*row, votes, snapshot_id))
                elif was != votes:
                    updates.append((*row, votes))
            stats.rows_written += len(rows)
            yield rows

    # New rows go straight into results: no staging, no ON CONFLICT (the stage lock and the
    # comparison above make a conflict impossible), so a first load costs about a COPY. A
    # re-poll whose rows all exist has none: no COPY (two round trips for nothing).
    rows = chain.from_iterable(new_rows())
    first = next(rows, None)
    if first is not None:
        await conn.copy_records_to_table("results", records=chain((first,), rows), columns=NEW_ROW)
    if updates:
        await conn.execute(*q.create_stage_table())
        await conn.execute(*q.clear_stage_table())
        await conn.copy_records_to_table("results_stage", records=updates, columns=NEW_ROW[:4])
        written = await conn.fetchval(*q.update_results(snapshot_id=snapshot_id))
        if written != len(updates):  # each staged row differs from the one stored
            raise delta.Stale(f"{len(updates)} rows to update, {written} found")
        stats.rows_written += written
    if stored:
        candidacy_ids, parties, units = (list(c) for c in zip(*stored, strict=True))
        status = await conn.execute(
            *q.delete_results(candidacy_ids=candidacy_ids, parties=parties, units=units)
        )
        stats.rows_deleted = int(status.rsplit(" ", 1)[-1])
