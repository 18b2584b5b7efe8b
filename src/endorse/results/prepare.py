"""Parsed records -> one batch per contest under its canonical identity, with a content hash.

Identities are the ones endorse.ballot.service builds, so a contest staff entered before the
night and the one a feed names are one row:
  contest    (stage, canonical office, normalized district, primary party) by
             endorse.vocab.contest_identity ("Board of Education - Darien" is Darien's board)
  candidacy  (contest, candidate name key: lower-cased, whitespace collapsed)
  result     (candidacy, party line, reporting unit); "" unit = contest-wide total
Party lines are stored as endorse.vocab.canonical_party spells them ("Democratic Party" and
"DEM" are the line "Democratic"). A primary's party is the one the source names for the contest
(ResultRecord.contest_party: a CT primary's election, Clarity's "US Senator - REPUBLICAN"),
else its lines' party; so several sources of one primary stage keep their contests apart.
Pure Python, no database: ingest.py writes what this builds.
"""

from __future__ import annotations

import hashlib
import operator
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice, repeat
from operator import attrgetter
from typing import Any

import msgspec

from endorse.ballot.service import spelling_key
from endorse.vocab import canonical_party, contest_identity
from scrapers.records import STATUSES, ResultRecord, status_rank

Key = tuple[str, str, str]  # (office, district, party)
Row = tuple[str, str, str]  # (candidacy name key, party line, unit)

# Everything of a record but its unit and votes: what prepare() works out once per distinct
# combination (a statewide file repeats each contest, candidate and line in every precinct).
SPELLED = attrgetter(
    "office", "district", "party", "contest_party", "candidate", "seats", "precincts_reporting",
    "precincts_total", "status", "incumbent", "write_in", "winner", "printed",
)  # fmt: skip
_UNIT = attrgetter("unit")
_VOTES = attrgetter("votes")
CHUNK = 65_536  # records read per step (consume: let go once their step is done)


@dataclass(slots=True)
class CandidacyIn:
    """One candidate in one contest as the payload states it (flags merged over its rows)."""

    ballot_name: str
    parties: list[str] = field(default_factory=list)  # party lines in order of appearance
    incumbent: bool = False
    write_in: bool = False
    winner: bool | None = None  # None: the source says nothing about winners


class RowGroup:
    """The rows of one candidacy on one party line: units and votes in payload order (a unit
    may repeat: separate tallies of one line, added up by summed())."""

    __slots__ = ("extend", "key", "line", "read", "units", "votes")

    def __init__(self, key: str, line: str) -> None:
        self.key, self.line = key, line
        self.read: list[str | int] = []  # unit, votes, unit, votes, ... as read (units unstripped)
        self.extend = self.read.extend
        self.units: list[str] = []
        self.votes: list[int] = []

    def settle(self, units: dict[str, str]) -> None:
        """Split what was read into units (stripped, through `units`) and votes."""
        self.units = list(map(units.__getitem__, self.read[0::2]))  # type: ignore[arg-type]
        self.votes = self.read[1::2]  # type: ignore[assignment]
        self.read.clear()  # the table's bound `extend` holds this list: emptied, not replaced
        del self.extend

    def summed(self) -> tuple[list[str], list[int]]:
        """(units, votes) with each unit once, its tallies added."""
        if len(set(self.units)) == len(self.units):
            return self.units, self.votes
        total: dict[str, int] = {}
        for unit, votes in zip(self.units, self.votes, strict=True):
            total[unit] = total.get(unit, 0) + votes
        return list(total), list(total.values())


@dataclass(slots=True)
class ContestBatch:
    office: str
    district: str
    party: str
    level: str
    source_office: str
    seats: int = 1
    precincts_reporting: int | None = None
    precincts_total: int | None = None
    status: str = "unofficial"
    candidacies: dict[str, CandidacyIn] = field(default_factory=dict)  # by name key
    groups: dict[tuple[str, str], RowGroup] = field(default_factory=dict)  # (key, line)
    digest: bytes = b""
    _votes: dict[Row, int] | None = None

    @property
    def key(self) -> Key:
        return (self.office, self.district, self.party)

    @property
    def votes(self) -> dict[Row, int]:
        """(name key, party line, unit) -> votes, repeated units added (built on first use:
        a first load and an unchanged contest never need it)."""
        if self._votes is None:
            votes: dict[Row, int] = {}
            for (key, line), group in self.groups.items():
                units, counts = group.summed()
                votes.update(zip(zip(repeat(key), repeat(line), units), counts, strict=True))
            self._votes = votes
        return self._votes

    @property
    def rows(self) -> int:
        return sum(len(group.summed()[0]) for group in self.groups.values())

    @property
    def total_votes(self) -> int:
        return sum(sum(group.votes) for group in self.groups.values())


def contest_digest(batch: ContestBatch) -> bytes:
    """Hash of everything a load writes for the contest (not as_of: that changes every version).

    The rows go in as the payload ordered them, unsorted: any change to what would be written
    changes the hash, and a source that reorders its rows only costs a comparison of the
    contest with the stored rows (sorting every contest's rows was 59 of prepare's 210 ms)."""
    payload = (
        (batch.level, batch.seats, batch.precincts_reporting, batch.precincts_total, batch.status),
        sorted(
            (k, c.ballot_name, c.parties, c.incumbent, c.write_in, c.winner)
            for k, c in batch.candidacies.items()
        ),
        [(g.key, g.line, g.units, g.votes) for g in batch.groups.values()],
    )
    return hashlib.sha256(msgspec.msgpack.encode(payload)).digest()


class _Units(dict[str, str]):
    """A unit's name as stored (stripped), worked out once per distinct text."""

    def __missing__(self, unit: str) -> str:
        self[unit] = stripped = unit.strip()
        return stripped


class Combos(dict[tuple[Any, ...], Callable[[tuple[str, int]], None]]):
    """Each distinct combination of a record's fields but unit and votes, read once, on first
    sight (so in payload order), into its contest, candidacy and row group.

    What prepare() did per record, now done per combination: every rule is the same whether a
    combination is read once or a thousand times (seats the highest, status the least final,
    flags and party lines added), and first sight in payload order keeps the ones that depend
    on order (the first row stating precincts, party lines in order of appearance)."""

    def __init__(self, primary: bool) -> None:
        super().__init__()
        self.primary = primary
        self.batches: dict[Key, ContestBatch] = {}
        self.by_source: dict[tuple[str, str | None, str], ContestBatch] = {}  # as spelled
        self.lines: dict[str | None, str] = {None: ""}
        self.people: dict[str, tuple[str, str]] = {}
        self.groups: dict[tuple[Any, ...], tuple[RowGroup, ContestBatch]] = {}  # by spelled

    def _line(self, party: str | None) -> str:
        line = self.lines.get(party)
        if line is None:
            line = self.lines[party] = canonical_party(party)  # None is seeded
        return line

    def __missing__(self, spelled: tuple[Any, ...]) -> Callable[[tuple[str, int]], None]:
        (office, district, party, contest_party, candidate, seats, reporting, total, status,
         incumbent, write_in, winner, _printed) = spelled  # fmt: skip
        line = contest = self._line(party)
        if contest_party is not None:  # the source names the primary's party itself
            contest = self._line(contest_party)
        source_key = (office, district, contest if self.primary else "")
        batch = self.by_source.get(source_key)
        if batch is None:
            batch = self.by_source[source_key] = self._batch(spelled, contest)
        if seats > batch.seats:
            batch.seats = seats
        if batch.precincts_total is None and total is not None:
            batch.precincts_reporting = reporting
            batch.precincts_total = total
        if status != batch.status:
            status = status if status in STATUSES else "unofficial"
            if status_rank(status) < status_rank(batch.status):
                batch.status = status  # the least final row speaks for the contest
        person = self.people.get(candidate)
        if person is None:
            ballot = " ".join(candidate.split())
            person = self.people[candidate] = (ballot, spelling_key(ballot))
        candidacy = batch.candidacies.get(person[1])
        if candidacy is None:
            candidacy = batch.candidacies[person[1]] = CandidacyIn(person[0])
        if line and line not in candidacy.parties:
            candidacy.parties.append(line)
        if incumbent:
            candidacy.incumbent = True
        if write_in:
            candidacy.write_in = True
        if winner is not None:
            candidacy.winner = bool(candidacy.winner) or winner
        group = batch.groups.get((person[1], line))
        if group is None:
            group = batch.groups[(person[1], line)] = RowGroup(person[1], line)
        self.groups[spelled] = (group, batch)
        self[spelled] = group.extend
        return group.extend

    def _batch(self, spelled: tuple[Any, ...], line: str) -> ContestBatch:
        """The batch of a combination's canonical contest, created on first sight."""
        office, level, district = contest_identity(spelled[0], spelled[1])
        key = (office, district, line if self.primary else "")  # a line is a canonical party
        batch = self.batches.get(key)
        if batch is None:
            status = spelled[8] if spelled[8] in STATUSES else "unofficial"
            source_office = " ".join((spelled[12] or spelled[0]).split())
            batch = self.batches[key] = ContestBatch(
                office, district, key[2], level, source_office, status=status
            )
        return batch


def _chunks(records: Iterable[ResultRecord], consume: bool) -> Iterator[list[ResultRecord]]:
    """The records a step at a time; `consume` (a list): each step's records let go after it."""
    if not isinstance(records, list):
        it = iter(records)
        while chunk := list(islice(it, CHUNK)):
            yield chunk
        return
    for start in range(0, len(records), CHUNK):
        chunk = records[start : start + CHUNK]
        yield chunk
        if consume:
            records[start : start + len(chunk)] = repeat(None, len(chunk))  # type: ignore[list-item]
    if consume:
        records.clear()


def prepare(
    records: Iterable[ResultRecord], *, primary: bool = False, consume: bool = False
) -> dict[Key, ContestBatch]:
    """Group records by canonical contest. Rows that meet on one (candidacy, line, unit) after
    canonicalisation are added: they are separate tallies of one line (see openelections "sum").

    A statewide file is 100k+ rows but a few thousand distinct contest-candidate-line
    combinations: per row, in C, its combination is looked up (map over attrgetter and the
    table's __getitem__) and its unit and votes added to that combination's row group; the
    rules run once per combination, the units are stripped once per distinct text.
    `consume` (a list of this load's own): each record is let go once read, and the list ends
    empty, so a million records are not held beside the rows built from them.
    """
    return read(records, primary=primary, consume=consume).batches


def read(records: Iterable[ResultRecord], *, primary: bool, consume: bool = False) -> Combos:
    """prepare(), keeping the table of combinations (endorse.results.delta patches from it)."""
    combos = Combos(primary)
    for chunk in _chunks(records, consume):
        # per record, all in C: its combination's group.extend((unit, votes)); deque(maxlen=0)
        # only runs the map (a Python loop doing the same was 105 ms here against 82 ms)
        deque(
            map(
                operator.call,
                map(combos.__getitem__, map(SPELLED, chunk)),
                zip(map(_UNIT, chunk), map(_VOTES, chunk), strict=True),
            ),
            maxlen=0,
        )
    units = _Units()
    for batch in combos.batches.values():
        for group in batch.groups.values():
            group.settle(units)
        batch.digest = contest_digest(batch)
    dict.clear(combos)  # the bound extends: a remembered load (delta.py) keeps .groups only
    return combos
