"""The demo night as the Connecticut Secretary of the State's site serves it (ng-app/data).

Per election: `Version.json`, and per version folder `Lookupdata.json` beside the results,
either split into one `{part}_Electiondata.json` per part (the site since 2024) or as one
`Electiondata.json` (the legacy layout, to 2023). Same content either way: each split part is
the same-named key of the legacy file. Numbers are strings with thousands separators, as on
the real site.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from endorse.demo import returns, state
from endorse.demo.model import Race, races

VERSION_BASE = 7000
LAYOUTS = ("split", "legacy")
_PARTY_IDS = {
    state.D: "1",
    state.R: "6",
    state.WF: "12",
    state.IND: "3",
    state.G: "9",
    state.W: "1026",
}


def version(step: int) -> int:
    return VERSION_BASE + step


def _races() -> list[Race]:
    return [r for r in races() if r.feed == "ct"]


@cache
def _ids() -> tuple[dict[Any, str], dict[tuple[Any, str, str], str]]:
    """Office id per race key, candidate-line id per (race key, candidate, party)."""
    offices: dict[Any, str] = {}
    lines: dict[tuple[Any, str, str], str] = {}
    for i, race in enumerate(_races()):
        offices[race.key] = str(600 + i)
        for candidate, party, _ in race.lines:
            lines[(race.key, candidate, party)] = str(5000 + len(lines))
    return offices, lines


@cache
def lookup() -> bytes:
    offices, lines = _ids()
    day = state.DAY.strftime("%m/%d/%Y")
    document = {
        "election": {"ID": state.CT_ELECTION_ID, "NM": f"{day} -- {state.NAME}", "DT": day,
                     "ET": "G", "EC": "SE", "P": "", "DNM": state.NAME},
        "townIds": {str(t): name for t, (name, _) in state.TOWNS.items()},
        "officeList": [
            {offices[r.key]: {"ID": offices[r.key], "NM": r.office, "OT": r.office_type,
                              "D": r.district, "DT": "" if r.district == "0" else r.district}}
            for r in _races()
        ],
        "partyIds": {pid: {"CD": pid, "NM": state.PARTIES[p]} for p, pid in _PARTY_IDS.items()},
        "candidateIds": {
            cid: {"NM": candidate, "P": _PARTY_IDS[party]}
            for (_, candidate, party), cid in lines.items()
        },
    }  # fmt: skip
    return json.dumps(document).encode()


def _of(done: int, total: int) -> str:
    return f"{done} of {total} ({100 * done / total if total else 0:.2f}%)"


def _cells(race: Race, counted: list[tuple[returns.LineVotes, int]]) -> list[dict[str, Any]]:
    _, lines = _ids()
    total = sum(v for _, v in counted)
    return [
        {lines[(race.key, line.candidate, line.party)]: {
            "V": f"{v:,}", "TO": f"{100 * v / total if total else 0:.2f}%"}}
        for line, v in counted
    ]  # fmt: skip


def parts(step: int) -> dict[str, Any]:
    """The results of one step, by part (the keys of the legacy Electiondata.json)."""
    offices, lines = _ids()
    official = step >= returns.OFFICIAL
    status = "( Official Results )" if official else "( *Unofficial Results )"
    state_votes, town_votes, office_precincts, grouping = {}, {}, {}, {}
    for race in _races():
        oid = offices[race.key]
        state_votes[oid] = _cells(race, returns.votes(race, step))
        for town in race.towns:
            town_votes.setdefault(str(town), {})[oid] = _cells(
                race, returns.votes(race, step, town)
            )
        if race.office_type != "SW":
            office_precincts[oid] = _of(*returns.precincts(race.towns, step))
        people: dict[str, list[tuple[str, int]]] = {}
        for line, v in returns.votes(race, step):
            people.setdefault(line.candidate, []).append(
                (lines[(race.key, line.candidate, line.party)], v)
            )
        summed = [{ids[0][0]: {"V": f"{sum(v for _, v in ids):,}"}}
                  for ids in people.values() if len(ids) > 1]  # fmt: skip
        if summed:
            grouping[oid] = summed
    done, total = returns.precincts(tuple(state.TOWNS), step)
    return {
        "election": {"ID": state.CT_ELECTION_ID, "PR": _of(done, total)},
        "stateVotes": state_votes,
        "townVotes": town_votes,
        "townStatus": {
            str(t): {"TS": status, "PR": _of(*returns.precincts((t,), step))} for t in state.TOWNS
        },
        "officePrecincts": office_precincts,
        "reports": {"IR": "True", "IO": "True" if official else "False"},
        "candidateGrouping": grouping,
    }


@cache
def _folder(step: int, layout: str) -> dict[str, bytes]:
    if layout == "legacy":
        return {"Lookupdata.json": lookup(), "Electiondata.json": json.dumps(parts(step)).encode()}
    return {"Lookupdata.json": lookup()} | {
        f"{part}_Electiondata.json": json.dumps(body).encode() for part, body in parts(step).items()
    }


def file(path: str, current: int, layout: str = "split") -> bytes | None:
    """A path under the election folder -> body, or None; old version folders stay served
    (they are immutable on the real site, and a poll may read one as the next appears)."""
    if path == "Version.json":
        return json.dumps({"Version": version(current)}).encode()
    folder, _, name = path.partition("/")
    if not folder.isdigit() or not VERSION_BASE <= int(folder) <= version(current):
        return None
    return _folder(int(folder) - VERSION_BASE, layout).get(name)
