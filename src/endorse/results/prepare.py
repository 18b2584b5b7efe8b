"""Parsed records -> one batch per contest under its canonical identity, with a content hash.

Identities are the ones endorse.ballot.service builds, so a contest staff entered before the
night and the one a feed names are one row:
  contest    (stage, canonical office, normalized district, primary party) via endorse.vocab
  candidacy  (contest, candidate name key: lower-cased, whitespace collapsed)
  result     (candidacy, party line, reporting unit); "" unit = contest-wide total
Pure Python, no database: ingest.py writes what this builds.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import msgspec

from endorse.ballot.service import name_key
from endorse.vocab import canonical_office, normalize_district
from scrapers.records import ResultRecord

STATUS_RANK = {"unofficial": 0, "official": 1, "certified": 2}
# "Board of Education - Darien": town offices carry their town after a dash when the source has
# no district column (OpenElections CT, some Clarity files). Without this every town's board
# would collapse into one contest; CT SOTS gives the town as the district, so we do the same.
_PLACE_SUFFIX = re.compile(r"^(?P<office>.*\S)\s+-\s+(?P<place>\S.*)$")
_PARTY_WORD = re.compile(r"(?i)\s+party$")

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


@lru_cache(maxsize=8192)
def contest_identity(office: str, district: str | None) -> tuple[str, str, str, str]:
    """(canonical office, normalized district, level, office as the source spells it)."""
    source_office = " ".join(office.split())
    if not (district or "").strip():
        match = _PLACE_SUFFIX.match(source_office)
        if match and canonical_office(match["office"])[1] != "other":
            canonical, level = canonical_office(match["office"])
            return canonical, normalize_district(match["place"]), level, source_office
    canonical, level = canonical_office(source_office)
    return canonical, normalize_district(district), level, source_office


@lru_cache(maxsize=1024)
def primary_party(party: str) -> str:
    """The party whose primary a line belongs to: 'Democratic Party' -> 'Democratic'."""
    return _PARTY_WORD.sub("", " ".join(party.split()))


@lru_cache(maxsize=65536)
def _candidate(name: str) -> tuple[str, str]:
    ballot = " ".join(name.split())
    return ballot, name_key(ballot)


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
    canonicalisation are added: they are separate tallies of one line (see openelections "sum")."""
    batches: dict[Key, ContestBatch] = {}
    for record in records:
        office, district, level, source_office = contest_identity(record.office, record.district)
        line = " ".join(record.party.split()) if record.party else ""
        status = record.status if record.status in STATUS_RANK else "unofficial"
        key = (office, district, primary_party(line) if primary else "")
        batch = batches.get(key)
        if batch is None:
            batch = batches[key] = ContestBatch(
                office, district, key[2], level, source_office, status=status
            )
        batch.seats = max(batch.seats, record.seats)
        if batch.precincts_total is None and record.precincts_total is not None:
            batch.precincts_reporting = record.precincts_reporting
            batch.precincts_total = record.precincts_total
        if STATUS_RANK[status] < STATUS_RANK[batch.status]:
            batch.status = status  # the least final row speaks for the contest
        ballot, candidate_key = _candidate(record.candidate)
        candidacy = batch.candidacies.get(candidate_key)
        if candidacy is None:
            candidacy = batch.candidacies[candidate_key] = CandidacyIn(ballot)
        if line and line not in candidacy.parties:
            candidacy.parties.append(line)
        candidacy.incumbent |= record.incumbent
        candidacy.write_in |= record.write_in
        if record.winner is not None:
            candidacy.winner = bool(candidacy.winner) or record.winner
        row = (candidate_key, line, record.unit.strip())
        batch.votes[row] = batch.votes.get(row, 0) + record.votes
    for batch in batches.values():
        batch.digest = _digest(batch)
    return batches
