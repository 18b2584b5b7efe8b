"""Connecticut Secretary of the State election-night JSON (the ng-app/data files): fetch, parse.

The site serves, under `…/ng-app/data/`: `Elections.json` (the election list) and per election
`election/{id}/Version.json` (`{"Version": N}`, the cheap file to poll) beside the immutable
version folder `election/{id}/{N}/`. That folder holds `Lookupdata.json` (names for the ids)
and the results in one of two layouts (see `_ct_sots_layout`): one `Electiondata.json` (to
2023) or, as the site serves it since 2024, one `{part}_Electiondata.json` per part
(stateVotes, townVotes, townStatus, officePrecincts, reports, election, voterTurnout, districts,
ballotQuestion, candidateGrouping). The layout is detected from what the folder holds.

Public entry points (all other names are private):

- `fetch(client, url, state, mapping)`: `url` is the election folder `…/election/{id}/`; polls
  Version.json (conditional GET) and on a new version fetches its files in either layout. Returns
  a `Fetched` whose body is one JSON document `{"version", "layout", "Electiondata",
  "Lookupdata"}` (split parts put back under Electiondata), or None when nothing moved.
- `load_path(path)`: the same body from an election folder (uses its Version.json), a version
  folder, or a file holding such a body.
- `parse(body, mapping)`: that body -> `Parsed` (records, ballot measures, contest notes).
- `parse_elections(body)`: Elections.json, in the rebuilt and in the site's own shape.
- `combine(version, electiondata, lookupdata, layout)`: build a body from the legacy files.

Reading rules: units are towns (`townVotes`) when a contest has them, else the statewide row
(`stateVotes`, unit ""). Ballot lines named "." / "*" / "**" are empty placeholders, not people.
Town offices ("Mayor" in many towns) are kept apart by the town. Ballot questions are yes/no
`Measure`s, never candidates. `reports.IO` ("results official") makes contests official, never
certified. Each record carries its candidate id (`candidate_key`: one id per person and party
line, kept when the name under it is corrected). `candidateGrouping` (a person's lines summed,
where they have several) is checked against our own sum; a difference becomes a `ContestNote`.
The feed says nothing about vote-for-N, winners or incumbency; seats may be given in the
mapping as `{"seats": {office id or office name: N}}`. A primary is one EMS election per
party: every contest of it is that party's (`ResultRecord.contest_party`, from the election's
party id or name; `{"party": "Democratic"}` in the mapping overrides), so the Democratic and
the Republican primary of one day are two sources of one stage, their contests kept apart.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import msgspec

from scrapers._common import is_pseudo_candidate, is_write_in, parse_of, to_int
from scrapers._ct_sots_checks import check_grouping, is_official, parse_measures, question_rows
from scrapers._ct_sots_layout import combine, fetch_version, read_dir
from scrapers._ct_sots_shapes import (
    Combined,
    ElectionEntry,
    Lookup,
    Office,
    Results,
    TownStatus,
    Votes,
)
from scrapers._http import Policy, kept_headers, poll_version
from scrapers.records import (
    ContestNote,
    Fetched,
    Measure,
    Parsed,
    ParseError,
    ResultRecord,
    SourceState,
    status_rank,
)

FORMAT = "ct-sots"

_ELECTION_TYPES = {"G": "general", "P": "primary", "S": "special"}
# ".", "*", "**": an empty ballot line, not a person (the split-era site uses ".").
_PLACEHOLDER = re.compile(r"^[\W_]*$")
_SPLIT_MARK = re.compile(rb'"layout"\s*:\s*"split"')
_PARTIES_IN_NAMES = ("Democratic", "Republican", "Working Families", "Independent", "Green")

__all__ = ["FORMAT", "combine", "fetch", "load_path", "parse", "parse_elections"]


def _parse_version(body: bytes) -> str:
    """`{"Version": 13392}` -> "13392"."""
    try:
        document = msgspec.json.decode(body, type=dict[str, int | str])
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError too
        raise ParseError(f"ct-sots Version.json: {exc}") from None
    if "Version" not in document:
        raise ParseError(f'ct-sots Version.json: no "Version" key in {sorted(document)}')
    return str(document["Version"])


async def fetch(
    client: httpx.AsyncClient, url: str, state: SourceState, mapping: dict[str, Any] | None = None
) -> Fetched | None:
    """Poll `{url}/Version.json`; on a new version fetch its files (either layout), combined."""
    policy = Policy.from_mapping(mapping)
    moved = await poll_version(client, url, "Version.json", policy, state, _parse_version)
    if moved is None:
        return None
    version, polled = moved
    # Version folders are immutable, so their files always agree with each other even if the
    # version moves on while we fetch.
    return Fetched(
        body=await fetch_version(client, url, version, policy),
        url=url,
        headers=kept_headers(polled),
        etag=polled.headers.get("etag"),
        last_modified=polled.headers.get("last-modified"),
        version=version,
    )


def load_path(path: Path) -> bytes:
    """A combined body from an election dir (uses its Version.json), a version dir, or a file."""
    if path.is_file():
        return path.read_bytes()
    if (path / "Version.json").is_file():
        version = _parse_version((path / "Version.json").read_bytes())
        return read_dir(path / version, version)
    if (path / "Lookupdata.json").is_file():
        return read_dir(path, path.name)
    raise FileNotFoundError(f"{path}: neither Version.json nor Lookupdata.json is there")


def parse_elections(body: bytes) -> list[dict[str, str]]:
    """Elections.json -> [{"id", "name", "date" (ISO), "type", "party"}].

    Two shapes: the rebuilt list (NM, DT, ET) and the site's own (ID, Name, DefaultElection),
    whose Name starts with the date and names the type and, for a primary, the party: the
    Democratic and the Republican primary of one day are two elections.
    """
    if not body.strip():
        raise ParseError("ct-sots Elections.json: empty body")
    try:
        entries = msgspec.json.decode(body.removeprefix(b"\xef\xbb\xbf"), type=list[ElectionEntry])
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ParseError(f"ct-sots Elections.json: {exc}") from None
    return [_parse_election_entry(entry) for entry in entries]


def _parse_election_entry(entry: ElectionEntry) -> dict[str, str | None]:
    where = f"Elections.json id {entry.ID}"
    name = entry.NM or entry.Name
    if not name:
        raise ParseError(f"ct-sots {where}: neither NM nor Name")
    date_text = entry.DT or name.split("--")[0]
    if entry.ET:
        kind = _ELECTION_TYPES.get(entry.ET, entry.ET)
    else:
        lowered = name.casefold()
        kind = next((k for k in ("primary", "special") if k in lowered), "general")
    party = None
    if kind == "primary":
        party = next((p for p in _PARTIES_IN_NAMES if p.casefold() in name.casefold()), None)
    return {
        "id": entry.ID,
        "name": name,
        "date": _parse_date(date_text, where),
        "type": kind,
        "party": party,
    }


def _parse_date(text: str, where: str) -> str:
    """'11/08/2022' -> '2022-11-08'."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text.strip())
    if match is None:
        raise ParseError(f"ct-sots {where}: date {text!r} is not MM/DD/YYYY")
    return f"{match[3]}-{int(match[1]):02d}-{int(match[2]):02d}"


def _parse_office(office: Office) -> tuple[str, str | None]:
    """('State Senate 1', D '1') -> ('State Senate', '1'): the name loses its district suffix."""
    district = office.D.strip()
    if not district or district == "0":
        return office.NM.strip(), None
    name = office.NM.strip()
    if district.isdigit():
        # "Representative in Congress 01" carries the district zero-padded, "State Senate 1" not.
        name = re.sub(rf"\s+0*{int(district)}$", "", name)
    return name, district


def _parse_status(text: str) -> str:
    """townStatus TS '( Official Results )' -> 'official'; '( *Unofficial Results )' -> …"""
    lowered = text.casefold()
    if "unofficial" in lowered:
        return "unofficial"
    if "certified" in lowered:
        return "certified"
    if "official" in lowered:
        return "official"
    return "unofficial"


def _parse_votes(cells: Votes, where: str) -> list[tuple[str, int]]:
    """[{"27489": {"V": "1,793"}}, …] -> [("27489", 1793), …]."""
    return [
        (candidate_id, to_int(cell.V, f"{where}[{candidate_id}]"))
        for item in cells
        for candidate_id, cell in item.items()
    ]


def _parse_candidate(
    candidate_id: str, lookup: Lookup, where: str
) -> tuple[str, str | None] | None:
    """Candidate id -> (name, party line), or None for a placeholder line named '*' / '**' or
    a line that is not a candidate ("Total Votes", "Blank": scrapers._common)."""
    candidate = lookup.candidateIds.get(candidate_id)
    if candidate is None:
        raise ParseError(f"ct-sots {where}: candidate id {candidate_id} not in candidateIds")
    name = " ".join(candidate.NM.split())
    if _PLACEHOLDER.match(name) or is_pseudo_candidate(name):
        return None
    if not candidate.P:
        return name, None
    party = lookup.partyIds.get(candidate.P)
    # The real 2021 municipal feed uses party ids 1057-1063 that its partyIds never names.
    return name, " ".join(party.NM.split()) if party else None


def _reporting(
    office_id: str, office: Office, town_ids: list[str], results: Results
) -> tuple[int | None, int | None]:
    """Polling places reporting for one contest, where the feed says it."""
    where = f"ct-sots office {office_id}"
    # A town office (SM) covers its whole town, so the town's count is the contest's. Its
    # officePrecincts entry is no use: the real feed says "1 of 744" (the town's places over the
    # state's). Assembly/senate districts can split a town, so for them a town count is wrong.
    if office.OT == "SM":
        if len(town_ids) == 1 and results.townStatus.get(town_ids[0], TownStatus()).PR:
            return parse_of(results.townStatus[town_ids[0]].PR, where)
        return None, None
    if office_id in results.officePrecincts:
        return parse_of(results.officePrecincts[office_id], where)
    if office.OT == "SW" and results.election.PR:
        return parse_of(results.election.PR, where)
    return None, None


def _contest_status(town_ids: list[str], results: Results) -> str:
    """The least final status among the contest's towns (all towns when it has none).

    reports.IO says the results are official: that lifts a contest to official, never to
    certified (certification comes after the recanvass, from a person or a later source).
    """
    ids = town_ids or list(results.townStatus)
    statuses = [_parse_status(results.townStatus[t].TS) for t in ids if t in results.townStatus]
    status = min(statuses, key=status_rank, default="unofficial")
    if is_official(results.reports) and status_rank(status) < status_rank("official"):
        return "official"
    return status


def _parse_seats(mapping: dict[str, Any] | None) -> dict[str, int]:
    """mapping["seats"]: office id or office name -> vote for N (the feed never says)."""
    seats = (mapping or {}).get("seats") or {}
    if not isinstance(seats, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in seats.values()
    ):
        raise ParseError(f"ct-sots: mapping key 'seats' must map offices to counts, got {seats!r}")
    return seats


def _parse_contest(
    oid: str,
    units: list[tuple[str, Votes]],
    lookup: Lookup,
    ids: dict[tuple[str, str | None], str] | None = None,
) -> dict[tuple[str, str | None, str], int]:
    """One office's votes by (candidate, party line, unit); `ids` gets each (candidate, party
    line)'s candidate id (the first, where two ids meet on one line)."""
    votes_by: dict[tuple[str, str | None, str], int] = {}
    ids = {} if ids is None else ids
    for unit, cells in units:
        where = f"office {oid} town {unit or 'state'}"
        for candidate_id, votes in _parse_votes(cells, f"ct-sots {where}"):
            parsed = _parse_candidate(candidate_id, lookup, where)
            if parsed is not None:
                # The real 2022 feed lists Wallingford's registrars twice on the same party line
                # under two ids (8475 + 0 votes): one line, so the votes are added.
                key = (*parsed, unit)
                votes_by[key] = votes_by.get(key, 0) + votes
                ids.setdefault(parsed, candidate_id)
    return votes_by


def _towns_by_office(results: Results, lookup: Lookup) -> dict[str, list[tuple[str, Votes]]]:
    """townVotes turned around: office id -> [(town id, votes), …]."""
    by_office: dict[str, list[tuple[str, Votes]]] = {}
    for town_id, town_offices in results.townVotes.items():
        if town_id not in lookup.townIds:
            raise ParseError(f"ct-sots: townVotes town id {town_id} is not in townIds")
        for oid, cells in town_offices.items():
            by_office.setdefault(oid, []).append((town_id, cells))
    return by_office


def _town_district(oid: str, office: Office, town_ids: list[str], lookup: Lookup) -> str | None:
    """The district of a town office: its town, which tells "Mayor" of one town from another's.

    A town office (SM) with votes in other than exactly one town cannot be placed in a town; it
    is kept apart by its office id rather than merged with same-named offices elsewhere.
    """
    if len(town_ids) == 1:
        return lookup.townIds[town_ids[0]]
    return f"office {oid}"


def _primary_party(lookup: Lookup, mapping: dict[str, Any] | None) -> str | None:
    """The party of a primary: one EMS election per party, so every contest of it is that
    party's (a line may carry no party, or another one). mapping["party"] overrides."""
    if party := (mapping or {}).get("party"):
        if not isinstance(party, str):
            raise ParseError(f"ct-sots: mapping key 'party' must be a party name, got {party!r}")
        return party
    election = lookup.election
    if election.ET != "P" and "primary" not in election.NM.casefold():
        return None
    if election.P in lookup.partyIds:
        return " ".join(lookup.partyIds[election.P].NM.split())
    named = f"{election.NM} {election.DNM}".casefold()
    return next((p for p in _PARTIES_IN_NAMES if p.casefold() in named), None)


def parse(body: bytes, mapping: dict[str, Any] | None = None) -> Parsed:
    """The combined document -> one record per candidate line per town of each contest."""
    if not body.strip():
        raise ParseError("ct-sots: empty body")
    try:
        doc = msgspec.json.decode(body, type=Combined)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ParseError(f"ct-sots: {exc} (read as the {_layout_of(body)} layout)") from None
    seats_by = _parse_seats(mapping)
    results, lookup = doc.Electiondata, doc.Lookupdata
    primary_party = _primary_party(lookup, mapping)
    offices = {oid: office for item in lookup.officeList for oid, office in item.items()}
    by_office = _towns_by_office(results, lookup)
    for oid in results.stateVotes.keys() | by_office.keys():
        if oid not in offices:
            raise ParseError(f"ct-sots: office id {oid} has votes but is not in officeList")
    records: list[ResultRecord] = []
    measures: list[Measure] = parse_measures(results.ballotQuestion)
    notes: list[ContestNote] = []
    for oid, office in offices.items():
        town_rows = by_office.get(oid, [])
        if not town_rows and oid not in results.stateVotes:
            continue  # on the ballot list but no votes published for it
        # Town rows when present; the statewide row only when there are none (never both).
        units = [(lookup.townIds[t], cells) for t, cells in town_rows]
        units = units or [("", results.stateVotes[oid])]
        town_ids = [t for t, _ in town_rows]
        name, district = _parse_office(office)
        if district is None and office.OT == "SM":
            district = _town_district(oid, office, town_ids, lookup)
        ids: dict[tuple[str, str | None], str] = {}
        votes_by = _parse_contest(oid, units, lookup, ids)
        if (questions := question_rows(name, district, votes_by)) is not None:
            measures += questions  # a yes/no question listed as an office: never candidates
            continue
        notes += check_grouping(oid, name, district, votes_by, results, lookup)
        reporting, total = _reporting(oid, office, town_ids, results)
        status = _contest_status(town_ids, results)
        seats = seats_by.get(oid, seats_by.get(name, 1))
        records += [
            ResultRecord(
                office=name,
                district=district,
                candidate=candidate,
                party=party,
                unit=unit,
                votes=votes,
                seats=seats,
                precincts_reporting=reporting,
                precincts_total=total,
                status=status,
                write_in=is_write_in(candidate, party),
                contest_party=primary_party,
                printed=" ".join(office.NM.split()),
                candidate_key=ids.get((candidate, party)),
            )
            for (candidate, party, unit), votes in votes_by.items()
        ]
    return Parsed(
        records=records,
        election_name=lookup.election.NM or None,
        version=str(doc.version),
        measures=measures,
        notes=notes,
    )


def _layout_of(body: bytes) -> str:
    """The layout a (possibly broken) body says it came from, for error messages."""
    return "split" if _SPLIT_MARK.search(body[:200]) else "legacy"
