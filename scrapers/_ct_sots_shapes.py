"""The shapes of the CT SOTS JSON files, only the fields the parser reads (msgspec skips the rest).

Field names are the source's own short keys: NM name, P party id, V votes, OT office type,
D district, PR "N of M (x%)" polling places reporting, TS town status. Numbers come as strings.
"""

from __future__ import annotations

import msgspec


class Cell(msgspec.Struct):
    V: str | int


Votes = list[dict[str, Cell]]  # [{candidate_id: {V, TO}}, …] in ballot order


class Office(msgspec.Struct):
    NM: str
    OT: str = ""  # SW statewide, C congress, S state senate, A assembly, PD probate, SM town
    D: str = "0"  # district number; "0" when none


class Candidate(msgspec.Struct):
    NM: str
    P: str = ""


class Party(msgspec.Struct):
    NM: str
    CD: str = ""


class TownStatus(msgspec.Struct):
    TS: str = ""
    PR: str = ""


class Summary(msgspec.Struct):
    PR: str = ""


class LookupElection(msgspec.Struct):
    NM: str = ""


class Lookup(msgspec.Struct):
    election: LookupElection
    townIds: dict[str, str]
    officeList: list[dict[str, Office]]  # a list of one-key dicts, in ballot order
    partyIds: dict[str, Party]
    candidateIds: dict[str, Candidate]  # one id per party line: fusion gives two ids


class Results(msgspec.Struct):
    election: Summary
    stateVotes: dict[str, Votes]
    townVotes: dict[str, dict[str, Votes]] = {}
    townStatus: dict[str, TownStatus] = {}
    officePrecincts: dict[str, str] = {}  # office_id -> "N of M (x%)"; often empty


class Combined(msgspec.Struct):
    version: int | str
    Electiondata: Results
    Lookupdata: Lookup


class ElectionEntry(msgspec.Struct):
    ID: str
    NM: str
    DT: str = ""
    ET: str = ""
