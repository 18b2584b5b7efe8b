"""A re-poll read against the payload this process applied last for the same stage and source.

On election night a source's next payload is its last one with some counts moved: 5% of the
rows of a 200,000-row state, spread over every precinct of the statewide contests. prepare()
reads every record again (~0.14 s) and the merge fetched and compared every stored row of each
touched contest (~60% of the stage) to write the 5%. Here the new records are compared with the
remembered ones, position by position, in C; when the only differences are vote counts, the
remembered contests are patched where the counts moved, and for each such contest the exact
rows that changed (with their old counts) are handed to the merge, which then writes them
without reading the stored rows.

Nothing here is trusted over the database. The patched contests are exactly what prepare()
would build from the new records (the same groups, the counts replaced in place, the hashes
computed again), so skipping and loading decide as they always do. A contest's changed rows
are used as the whole difference only when the database still holds the remembered version of
it: its stored hash equals the remembered hash (a hash stored for a contest means its rows are
the rows of a payload with that hash, ingest.py). Anything else (a load rolled back, another
source or process writing the contest since) takes the comparison with the stored rows. Any
other difference (a name, a unit, a party line, a flag, rows added or removed, repeated units
summed) reads the payload whole.

Remembered: the records (about 150 bytes each) and the contests built from them, for the most
recently loaded sources up to MAX_RECORDS records in all; a payload above it is not remembered.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from itertools import compress, count
from operator import attrgetter, ne

from endorse.results.prepare import SPELLED, Combos, ContestBatch, Key, contest_digest
from scrapers.records import ResultRecord

MAX_RECORDS = 600_000  # remembered in all, per process (~90 MB of records)
MOST_CHANGED = 4  # more than 1 record in 4 changed: reading the payload whole costs no more
_UNIT = attrgetter("unit")

Place = tuple[int, int | None, int, int | None]  # (server start, database, stage, source)


@dataclass(slots=True)
class Remembered:
    records: list[ResultRecord]
    combos: Combos


@dataclass(slots=True)
class Moved:
    """A patched contest: its hash and total before, and each row whose count moved."""

    digest: bytes
    total: int
    rows: list[tuple[str, str, str, int, int]]  # (name key, line, unit, old votes, new votes)


class Stale(Exception):
    """The database did not hold what was remembered: the load is rolled back and read whole."""


_last: OrderedDict[Place, Remembered] = OrderedDict()
_lock = threading.Lock()  # loads may run on event loops in more than one thread


def take(place: Place) -> Remembered | None:
    """The payload last applied here (taken out: a load that fails leaves nothing behind)."""
    with _lock:
        return _last.pop(place, None)


def keep(place: Place, remembered: Remembered) -> None:
    """Remember a load's payload, forgetting the oldest ones past MAX_RECORDS."""
    with _lock:
        _last[place] = remembered
        while sum(len(r.records) for r in _last.values()) > MAX_RECORDS:
            _last.popitem(last=False)


def forget() -> None:
    with _lock:
        _last.clear()


def remember(records: list[ResultRecord], combos: Combos) -> Remembered:
    """What to keep of a load read whole. The list is copied (the records are immutable): a
    caller that changes its own list afterwards must not change what this one compares with."""
    return Remembered(list(records), combos)


def patch(
    remembered: Remembered, records: list[ResultRecord]
) -> tuple[dict[Key, ContestBatch], dict[Key, Moved]] | None:
    """The new payload's contests, patched from the remembered ones, and what moved in each;
    None when it differs in more than vote counts (or in too many records)."""
    old = remembered.records
    if len(old) != len(records):
        return None
    at = list(compress(count(), map(ne, old, records)))  # in C: positions that differ
    if len(at) * MOST_CHANGED > len(records):
        return None
    # the records that differ, old beside new, compared and looked up in C
    was, now = list(map(old.__getitem__, at)), list(map(records.__getitem__, at))
    spelled = list(map(SPELLED, was))
    if spelled != list(map(SPELLED, now)) or list(map(_UNIT, was)) != list(map(_UNIT, now)):
        return None
    found = map(remembered.combos.groups.__getitem__, spelled)  # (row group, contest) each
    touched: dict[int, tuple[ContestBatch, Moved]] = {}  # by id(contest)
    after: dict[int, int] = {}  # id(group) -> the position its next moved unit is at or after
    for (group, batch), a, b in zip(found, was, now, strict=True):
        units = group.units
        j = after.get(id(group))
        if j is None:
            if len(set(units)) != len(units):
                return None  # a unit's tallies are summed: a row is not one record
            j = 0
            if id(batch) not in touched:  # its hash and total before any count is patched
                touched[id(batch)] = (batch, Moved(batch.digest, batch.total_votes, []))
        # a group's units are in payload order, as `at` is: each is found after the last one
        unit = a.unit.strip()
        j = units.index(unit, j)
        after[id(group)] = j + 1
        touched[id(batch)][1].rows.append((group.key, group.line, unit, group.votes[j], b.votes))
        group.votes[j] = b.votes
    changes: dict[Key, Moved] = {}
    for batch, moved in touched.values():
        batch._votes = None
        batch.digest = contest_digest(batch)
        changes[batch.key] = moved
    remembered.records = list(records)  # a copy: see remember()
    return remembered.combos.batches, changes
