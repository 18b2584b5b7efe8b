"""A small fictional Connecticut election night, served in the real CT SOTS file layout.

Four towns report in turn (0% -> 40% -> 100% unofficial -> official), so the dashboard moves
through not reporting, partial, called and official. The races are chosen to show the rules:
a fusion candidate, a nickname match ("Bill" endorsed, "William" on the ballot), a race inside
the recanvass margin, an uncontested seat with a write-in line, and a loss.
"""

from __future__ import annotations

import json
from typing import Any

ELECTION_ID = "501"
ELECTION_DAY = "11/03/2026"
TOWNS = {
    "1": ("Avonford", 4),
    "2": ("Bramble Hill", 3),
    "3": ("Cedar Falls", 2),
    "4": ("Dunmore", 1),
}
PARTIES = {
    "1": "Democratic Party",
    "6": "Republican Party",
    "12": "Working Families Party",
    "3": "Independent Party",
    "1026": "Write In",
}
# office id -> (name, type, district)
OFFICES = {
    "10": ("Governor and Lieutenant Governor", "SW", "0"),
    "20": ("State Senate 7", "S", "7"),
    "21": ("State Senate 12", "S", "12"),
    "30": ("State Representative 012", "A", "12"),
    "31": ("State Representative 045", "A", "45"),
}
# candidate id -> (name, party id, office id, final votes per town 1..4)
CANDIDATES = {
    "100": ("Maria T. Alvarez", "1", "10", (5200, 4100, 2600, 1300)),
    "101": ("Maria T. Alvarez", "12", "10", (410, 300, 160, 90)),
    "102": ("Robert Kline", "6", "10", (4700, 4300, 2500, 1500)),
    "103": ("Robert Kline", "3", "10", (180, 150, 90, 40)),
    "200": ("William Chen", "1", "20", (3100, 2500, 0, 0)),
    "201": ("Dana Whitfield", "6", "20", (2600, 2300, 0, 0)),
    "210": ("Priya Natarajan", "1", "21", (0, 0, 1510, 812)),
    "211": ("Thomas Greer", "6", "21", (0, 0, 1490, 820)),
    "300": ("Kevin O'Brien", "1", "30", (2200, 0, 0, 0)),
    "301": ("Laura Finch", "6", "30", (2650, 0, 0, 0)),
    "310": ("Rosa Delgado", "1", "31", (0, 2900, 0, 0)),
    "311": ("Write-ins", "1026", "31", (0, 31, 0, 0)),
}
ENDORSEMENTS_CSV = """election,stage,office,district,candidate,party,endorsed_by,endorsed_on,notes
2026-ct-demo,general,Governor,,Maria Alvarez,Democratic,AFT Connecticut,2026-09-15,
2026-ct-demo,general,State Senate,7,Bill Chen,Democratic,AFT Connecticut,2026-09-15,nickname on our list
2026-ct-demo,general,State Senate,12,Priya Natarajan,Democratic,AFT Connecticut,2026-09-15,
2026-ct-demo,general,State Representative,12,"O'Brien, Kevin",Democratic,AFT Connecticut,2026-09-15,
2026-ct-demo,general,State Representative,45,Rosa Delgado,Democratic,AFT Connecticut,2026-09-15,
"""
# (towns reporting, official?) for each version the night goes through
STEPS: list[tuple[int, bool]] = [(0, False), (2, False), (4, False), (4, True)]


def _office_towns(office_id: str) -> list[str]:
    return [
        t for t in TOWNS if any(c[2] == office_id and c[3][int(t) - 1] for c in CANDIDATES.values())
    ]


def lookup() -> dict[str, Any]:
    return {
        "election": {
            "ID": ELECTION_ID,
            "NM": f"{ELECTION_DAY} -- Demo State Election",
            "DT": ELECTION_DAY,
            "ET": "G",
            "EC": "SE",
        },
        "townIds": {t: name for t, (name, _) in TOWNS.items()},
        "officeList": [
            {oid: {"ID": oid, "NM": n, "OT": ot, "D": d}} for oid, (n, ot, d) in OFFICES.items()
        ],
        "partyIds": {p: {"CD": p, "NM": name} for p, name in PARTIES.items()},
        "candidateIds": {cid: {"NM": n, "P": p} for cid, (n, p, _, _) in CANDIDATES.items()},
    }


def results(step: int) -> dict[str, Any]:
    """Electiondata for one step of the night: the first N towns have reported."""
    reported, official = STEPS[step]
    towns_in = list(TOWNS)[:reported]
    places = sum(n for _, n in TOWNS.values())
    places_in = sum(TOWNS[t][1] for t in towns_in)
    town_votes: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for t in TOWNS:
        for cid, (_, _, oid, per_town) in CANDIDATES.items():
            if t in _office_towns(oid):
                votes = per_town[int(t) - 1] if t in towns_in else 0
                cell = {cid: {"V": f"{votes:,}", "TO": "0.00%"}}
                town_votes.setdefault(t, {}).setdefault(oid, []).append(cell)
    office_precincts = {}
    for oid, (_, ot, _) in OFFICES.items():
        if ot != "SW":
            towns = _office_towns(oid)
            total = sum(TOWNS[t][1] for t in towns)
            done = sum(TOWNS[t][1] for t in towns if t in towns_in)
            office_precincts[oid] = f"{done} of {total}"
    status = "( Official Results )" if official else "( *Unofficial Results )"
    return {
        "election": {"ID": ELECTION_ID, "PR": f"{places_in} of {places}"},
        "stateVotes": {},
        "townVotes": town_votes,
        "townStatus": {
            t: {"TS": status, "PR": f"{TOWNS[t][1] if t in towns_in else 0} of {TOWNS[t][1]}"}
            for t in TOWNS
        },
        "officePrecincts": office_precincts,
    }


def files(step: int) -> dict[str, bytes]:
    """Path (under ng-app/data/) -> body, as the site serves them at this step."""
    version = str(1000 + step)
    base = f"election/{ELECTION_ID}"
    return {
        f"{base}/Version.json": json.dumps({"Version": int(version)}).encode(),
        f"{base}/{version}/Electiondata.json": json.dumps(results(step)).encode(),
        f"{base}/{version}/Lookupdata.json": json.dumps(lookup()).encode(),
    }
