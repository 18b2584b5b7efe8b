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
    ET: str = ""  # G general, P primary, S special
    P: str = ""  # a primary's party id (partyIds), when the feed fills it
    DNM: str = ""  # display name


class Lookup(msgspec.Struct):
    election: LookupElection
    townIds: dict[str, str]
    officeList: list[dict[str, Office]]  # a list of one-key dicts, in ballot order
    partyIds: dict[str, Party]
    candidateIds: dict[str, Candidate]  # one id per party line: fusion gives two ids


class Reports(msgspec.Struct):
    IR: str | bool = ""  # results reported at all
    IO: str | bool = ""  # results official: the towns' official returns, not certification


class Question(msgspec.Struct):
    QN: str  # the question as printed, numbered: '1.  "Shall the …?"'
    YES: str | int = "0"
    NO: str | int = "0"


class Turnout(msgspec.Struct):
    NM: str = ""
    PR: str = ""  # not trusted: the real 2022 feed says "2 of 1 (200%)" for some towns
    VV: str | int = ""  # ballots cast


class Place(msgspec.Struct):
    TN: str = ""  # town name
    PN: str = ""  # polling place
    S: bool = False  # not "reported": the real 2016 feed has 9 false at 744 of 744


class Results(msgspec.Struct):
    election: Summary
    stateVotes: dict[str, Votes]
    townVotes: dict[str, dict[str, Votes]] = {}
    townStatus: dict[str, TownStatus] = {}
    officePrecincts: dict[str, str] = {}  # office_id -> "N of M (x%)"; often empty
    reports: Reports = msgspec.field(default_factory=Reports)
    voterTurnout: dict[str, Turnout] = {}  # town id -> turnout
    districts: list[dict[str, list[dict[str, Place]]]] = []  # [{town id: [{place id: …}]}]
    ballotQuestion: dict[str, list[Question]] = {}  # "State Wide" or town name -> questions
    # office id -> [{candidate id: {V}}]: a person's lines summed, for offices where someone
    # has several lines; a check on our own sum, not a winner list.
    candidateGrouping: dict[str, Votes] = {}


class Combined(msgspec.Struct):
    version: int | str
    Electiondata: Results
    Lookupdata: Lookup
    layout: str = "legacy"  # "split" when read from the {part}_Electiondata.json files


class ElectionEntry(msgspec.Struct):
    """An Elections.json entry: rebuilt lists have NM/DT/ET, the site's own list ID/Name."""

    ID: str
    NM: str = ""
    DT: str = ""
    ET: str = ""
    Name: str = ""  # "09/09/2025 -- Democratic Municipal Primary 2025"
    DefaultElection: str = ""
