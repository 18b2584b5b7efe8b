"""Held corrections: a contest whose counts went backwards is held for a person, not applied.

On election night counts only move forward. Against what the same source last applied to a
contest, a payload is held back for that contest when a candidate's votes in a unit go down
(a row gone counts as down to 0), a candidate who had rows is gone, precincts reporting go
down, or precincts reporting are above the total (checked on first sight too). The rest of the
payload is applied; the held contest keeps its last good numbers and is listed, with each
reason and both numbers, until a person accepts it (endorse.results.accept: the contest is then
applied from the held snapshot, audited) or a later payload of the source carries the contest
without going backwards (the hold is superseded). A sharp fall of a whole contest's total is
still the drop guard's (the payload is quarantined); this catches the small, quiet ones.

A contest the source wrote last and its new payload no longer carries is held too ("gone"):
it keeps its last numbers, as feeds drop contests for a poll or two, but never silently. The
hold is superseded when the feed carries the contest again; a person who accepts it says the
contest is really gone (nothing is applied, the numbers stay, and the source is not held for
it again until it carries the contest again, changed or not: sql/0180). One open hold per gone
contest, not one a poll.

A contest last written by another source is not compared (two sources of one contest replace
each other's units by design, see ingest.py). A release with a note (the person vouched for the
whole payload) holds nothing. A figure's reproduction holds exactly what the loads held: the
contests a person accepted from a snapshot are applied from it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import asyncpg

from endorse.db.queries import load
from endorse.results.prepare import ContestBatch, Key

if TYPE_CHECKING:
    from endorse.results.delta import Moved

h = load("held")
SHOWN = 3  # reasons of one kind named in full; the rest are counted


@dataclass(slots=True)
class Hold:
    key: Key
    label: str
    reasons: list[str] = field(default_factory=list)
    gone: bool = False  # not in the payload at all

    @property
    def line(self) -> str:
        return f"{self.label}: " + "; ".join(self.reasons)


def _label(batch: ContestBatch | Key) -> str:
    key = batch.key if isinstance(batch, ContestBatch) else batch
    return " ".join(filter(None, key))


def _shown(what: str, items: list[str]) -> str:
    more = f" (and {len(items) - SHOWN} more)" if len(items) > SHOWN else ""
    return f"{what}: " + ", ".join(items[:SHOWN]) + more


async def hold_corrections(
    conn: asyncpg.Connection,
    changed: list[ContestBatch],
    keys: list[Key],
    known: dict[Key, tuple[int, bytes]],
    *,
    source_id: int,
    snapshot_id: int,
    stage_id: int | None = None,
    exact: dict[Key, Moved] | None = None,
) -> tuple[list[ContestBatch], list[Hold]]:
    """(the contests to load, the ones held). `keys`: every contest of the payload; open holds
    of the ones not held now are superseded. Held contests are recorded on the snapshot.
    `stage_id` when `keys` is the whole payload: the source's contests missing from it are
    held as gone (not when a person applies one contest of a snapshot). `exact`: contests whose
    stored rows are known to differ from the payload only in these rows (delta.py): compared
    without reading them."""
    accepted = {tuple(r) for r in await conn.fetch(*h.accepted_keys(snapshot_id=snapshot_id))}
    holds: dict[Key, Hold] = {}

    def hold(batch: ContestBatch, reason: str) -> None:
        holds.setdefault(batch.key, Hold(batch.key, _label(batch))).reasons.append(reason)

    checked = [b for b in changed if b.key not in accepted]
    for b in checked:
        reporting, total = b.precincts_reporting, b.precincts_total
        if reporting is not None and total is not None and reporting > total:
            hold(b, f"precincts reporting {reporting} above the total {total}")
    existing = {known[b.key][0]: b for b in checked if b.key in known}
    if existing:
        state = await conn.fetch(*h.compare_state(contest_ids=list(existing)))
        same = {r["contest_id"]: r for r in state if r["source_id"] == source_id}
        for contest_id, r in same.items():
            b, before = existing[contest_id], r["precincts_reporting"]
            now = b.precincts_reporting
            if before is not None and now is not None and now < before:
                hold(b, f"precincts reporting went down: {before} -> {now}")
        exact = exact or {}
        rows: list[Any] = [
            {"contest_id": i, "name_key": key, "party": line, "unit": unit, "votes": old,
             "ballot_name": existing[i].candidacies[key].ballot_name}
            for i in same if existing[i].key in exact
            for key, line, unit, old, new in exact[existing[i].key].rows if new < old
        ]  # fmt: skip
        asked = [i for i in same if existing[i].key not in exact]
        if asked:
            rows += await conn.fetch(*h.stored_rows(contest_ids=asked))
        if rows:
            _compare_rows(rows, existing, hold)
    if stage_id is not None:
        for r in await conn.fetch(
            *h.gone_contests(
                stage_id=stage_id,
                source_id=source_id,
                offices=[k[0] for k in keys],
                districts=[k[1] for k in keys],
                parties=[k[2] for k in keys],
            )
        ):
            key = (r["office"], r["district"], r["party"])
            holds[key] = Hold(key, _label(key), [_gone(r["snapshot_id"])], gone=True)
    loaded = [b for b in changed if b.key not in holds]
    await _record(conn, list(holds.values()), keys, source_id=source_id, snapshot_id=snapshot_id)
    return loaded, sorted(holds.values(), key=lambda x: x.label)


def _gone(snapshot_id: int | None) -> str:
    last = f" (last written from snapshot {snapshot_id})" if snapshot_id is not None else ""
    return f"contest gone from the payload: its last numbers are kept{last}"


def _compare_rows(
    rows: list[Any],
    existing: dict[int, ContestBatch],
    hold: Callable[[ContestBatch, str], None],
) -> None:
    """Votes down per candidate, party line and unit; candidates gone."""
    gone: dict[int, dict[str, str]] = {}
    down: dict[int, list[str]] = {}
    for r in rows:
        b = existing[r["contest_id"]]
        if r["name_key"] not in b.candidacies:
            gone.setdefault(r["contest_id"], {})[r["name_key"]] = r["ballot_name"]
            continue
        now = b.votes.get((r["name_key"], r["party"], r["unit"]), 0)
        if now < r["votes"]:
            where = ", ".join(filter(None, (r["party"], r["unit"])))
            down.setdefault(r["contest_id"], []).append(
                f"{r['ballot_name']}{f' ({where})' if where else ''} {r['votes']} -> {now}"
            )
    for contest_id, names in gone.items():
        hold(existing[contest_id], _shown("candidate gone", sorted(names.values())))
    for contest_id, lines in down.items():
        hold(existing[contest_id], _shown("votes went down", sorted(lines)))


async def _record(
    conn: asyncpg.Connection,
    holds: list[Hold],
    keys: list[Key],
    *,
    source_id: int,
    snapshot_id: int,
) -> None:
    held = {x.key for x in holds}
    moved = [k for k in keys if k not in held]
    for batch_keys in (moved, [x.key for x in holds]):  # a new hold replaces an older open one
        if batch_keys:
            await conn.execute(
                *h.supersede(
                    source_id=source_id,
                    offices=[k[0] for k in batch_keys],
                    districts=[k[1] for k in batch_keys],
                    parties=[k[2] for k in batch_keys],
                )
            )
    for x in holds:
        await conn.execute(
            *h.insert_held(
                source_id=source_id,
                snapshot_id=snapshot_id,
                office=x.key[0],
                district=x.key[1],
                party=x.key[2],
                label=x.label,
                reasons=x.reasons,
                gone=x.gone,
            )
        )
