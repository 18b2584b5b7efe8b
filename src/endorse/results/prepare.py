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
from collections.abc import Iterable
from dataclasses import dataclass, field

import msgspec

from endorse.ballot.service import spelling_key
from endorse.vocab import canonical_party, contest_identity
from scrapers.records import STATUSES, ResultRecord, status_rank

Key = tuple[str, str, str]  # (office, district, party)


@dataclass(slots=True)
class CandidacyIn:
    """One candidate in one contest as the payload states it (flags merged over its rows)."""

    ballot_name: str
    parties: list[str] = field(default_factory=list)  # party lines in order of appearance
    incumbent: bool = False
    write_in: bool = False
    winner: bool | None = None  # None: the source says nothing about winners


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
    votes: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (key, party, unit)
    digest: bytes = b""

    @property
    def key(self) -> Key:
        return (self.office, self.district, self.party)

    @property
    def total_votes(self) -> int:
        return sum(self.votes.values())


def _digest(batch: ContestBatch) -> bytes:
    """Hash of everything a load writes for the contest (not as_of: that changes every version)."""
    payload = (
        (batch.level, batch.seats, batch.precincts_reporting, batch.precincts_total, batch.status),
        sorted(
            (k, c.ballot_name, c.parties, c.incumbent, c.write_in, c.winner)
            for k, c in batch.candidacies.items()
        ),
        sorted(batch.votes.items()),
    )
    return hashlib.sha256(msgspec.msgpack.encode(payload)).digest()


def prepare(records: Iterable[ResultRecord], *, primary: bool = False) -> dict[Key, ContestBatch]:
    """Group records by canonical contest. Rows that meet on one (candidacy, line, unit) after
    canonicalisation are added: they are separate tallies of one line (see openelections "sum").

    The loop runs once per row (100k+ on a statewide file), so per-row work is dict lookups:
    canonical forms are computed once per distinct office, party and name.
    """
    batches: dict[Key, ContestBatch] = {}
    by_source: dict[tuple[str, str | None, str], ContestBatch] = {}  # as the source spells it
    lines: dict[str | None, str] = {None: ""}
    people: dict[str, tuple[str, str]] = {}
    for record in records:
        line = lines.get(record.party)
        if line is None:
            line = lines[record.party] = canonical_party(record.party)  # None is seeded
        party = line
        if record.contest_party is not None:  # the source names the primary's party itself
            party = lines.get(record.contest_party)
            if party is None:
                party = lines[record.contest_party] = canonical_party(record.contest_party)
        spelled = (record.office, record.district, party if primary else "")
        batch = by_source.get(spelled)
        if batch is None:
            batch = by_source[spelled] = _batch(batches, record, party, primary)
        if record.seats > batch.seats:
            batch.seats = record.seats
        if batch.precincts_total is None and record.precincts_total is not None:
            batch.precincts_reporting = record.precincts_reporting
            batch.precincts_total = record.precincts_total
        if record.status != batch.status:
            status = record.status if record.status in STATUSES else "unofficial"
            if status_rank(status) < status_rank(batch.status):
                batch.status = status  # the least final row speaks for the contest
        person = people.get(record.candidate)
        if person is None:
            ballot = " ".join(record.candidate.split())
            person = people[record.candidate] = (ballot, spelling_key(ballot))
        candidacy = batch.candidacies.get(person[1])
        if candidacy is None:
            candidacy = batch.candidacies[person[1]] = CandidacyIn(person[0])
        if line and line not in candidacy.parties:
            candidacy.parties.append(line)
        if record.incumbent:
            candidacy.incumbent = True
        if record.write_in:
            candidacy.write_in = True
        if record.winner is not None:
            candidacy.winner = bool(candidacy.winner) or record.winner
        row = (person[1], line, record.unit.strip())
        votes = batch.votes
        votes[row] = votes.get(row, 0) + record.votes
    for batch in batches.values():
        batch.digest = _digest(batch)
    return batches


def _batch(
    batches: dict[Key, ContestBatch], record: ResultRecord, line: str, primary: bool
) -> ContestBatch:
    """The batch of a record's canonical contest, created on first sight."""
    office, level, district = contest_identity(record.office, record.district)
    key = (office, district, line if primary else "")  # a line is already a canonical party
    batch = batches.get(key)
    if batch is None:
        status = record.status if record.status in STATUSES else "unofficial"
        source_office = " ".join((record.printed or record.office).split())
        batch = batches[key] = ContestBatch(
            office, district, key[2], level, source_office, status=status
        )
    return batch
