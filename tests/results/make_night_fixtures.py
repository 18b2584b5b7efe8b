"""Write tests/fixtures/20261103_elmvale_night/: one invented election night in four formats.

Run `python -m tests.results.make_night_fixtures` after changing the table below. The names,
towns and numbers are made up for the project. Four versions: v0 polls open (0 of 5
precincts), v1 two precincts in (40%), v2 all in (100%), v3 the official canvass (two
corrections, SOTS towns marked official, winners marked on the HTML page). The totals each
version must produce are worked out by hand in night.py (and written into the XML/HTML comments).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.results.night import comment

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "20261103_elmvale_night"
PRECINCTS = [  # (town, OpenElections precinct name, Clarity precinct name)
    ("Elmvale", "1 - Town Hall", "Elmvale 1"),
    ("Elmvale", "2 - Library", "Elmvale 2"),
    ("Elmvale", "3 - Fire House", "Elmvale 3"),
    ("Harrow Point", "1 - School", "Harrow Point 1"),
    ("Harrow Point", "2 - Grange Hall", "Harrow Point 2"),
]
# contest -> [(candidate, party line, votes per precinct at 100%)]; BOE is Elmvale's only
CONTESTS = {
    "gov": [
        ("Rosa Delgado", "Democratic Party", [300, 250, 200, 180, 170]),
        ("Rosa Delgado", "Working Families Party", [20, 15, 10, 12, 8]),
        ("Martin Hale", "Republican Party", [280, 260, 240, 150, 160]),
        ("Write-ins", "Write In", [1, 0, 2, 0, 1]),
    ],
    "sen": [
        ("Ian Cho", "Democratic Party", [290, 240, 190, 175, 165]),
        ("Beth Lyle", "Republican Party", [270, 255, 230, 140, 150]),
        ("Beth Lyle", "Independent Party", [25, 20, 15, 10, 12]),
    ],
    "boe": [
        ("Ana Ruiz", "Democratic Party", [210, 190, 150]),
        ("Kay Moss", "Democratic Party", [180, 170, 160]),
        ("Tom Best", "Republican Party", [260, 230, 205]),
    ],
}
REPORTED = {0: set(), 1: {0, 3}, 2: {0, 1, 2, 3, 4}, 3: {0, 1, 2, 3, 4}}
CORRECTIONS = {  # v3 canvass: (contest, candidate, line, precinct index) -> votes
    ("gov", "Rosa Delgado", "Democratic Party", 1): 255,
    ("gov", "Martin Hale", "Republican Party", 2): 238,
}
WINNERS = {"Rosa Delgado", "Beth Lyle", "Tom Best", "Ana Ruiz"}  # marked in v3 only


def votes(v: int, contest: str, name: str, line: str, i: int, full: int) -> int:
    if i not in REPORTED[v]:
        return 0
    return CORRECTIONS.get((contest, name, line, i), full) if v == 3 else full


def rows(v: int):  # (contest, name, line, precinct index, votes)
    for contest, lines in CONTESTS.items():
        for name, line, per in lines:
            for i, full in enumerate(per):
                yield contest, name, line, i, votes(v, contest, name, line, i, full)


def openelections(v: int) -> str:
    office = {
        "gov": ("Governor", ""),
        "sen": ("State Senate", "9"),
        "boe": ("Board of Education - Elmvale", ""),
    }
    out = ["candidate,party,office,district,town,votes,precinct"]
    for contest, name, line, i, n in rows(v):
        town, precinct, _ = PRECINCTS[i]
        out.append(f"{name},{line},{office[contest][0]},{office[contest][1]},{town},{n},{precinct}")
    return "\n".join(out) + "\n"


SOTS_OFFICE = {"gov": "600", "sen": "601", "boe": "602"}
SOTS_PARTY = {"Democratic Party": "1", "Republican Party": "6", "Independent Party": "3",
              "Working Families Party": "12", "Write In": "1026"}  # fmt: skip
SOTS_IDS = {  # (contest, name, line) -> candidate id: one id per party line, as the feed does
    (c, name, line): str(9001 + 100 * k + j)
    for k, c in enumerate(CONTESTS)
    for j, (name, line, _) in enumerate(CONTESTS[c])
}


def sots_lookup() -> dict:
    office = [
        {"600": {"ID": "600", "NM": "Governor and Lieutenant Governor", "OT": "SW", "OO": "1", "DT": "", "D": "0"}},
        {"601": {"ID": "601", "NM": "State Senate 9", "OT": "S", "OO": "2", "DT": "Connecticut 09", "D": "9"}},
        {"602": {"ID": "602", "NM": "Board of Education", "OT": "SM", "OO": "3", "DT": "", "D": "0"}},
    ]  # fmt: skip
    return {
        "election": {"ID": "77", "NM": "11/03/2026 -- November 2026 State Election",
                     "DT": "11/03/2026", "ET": "G", "EC": "SE", "P": "", "DNM": ""},
        "townIds": {"1": "Elmvale", "2": "Harrow Point"},
        "officeList": office,
        "partyIds": {pid: {"CD": "", "NM": name, "P": ""} for name, pid in SOTS_PARTY.items()},
        "candidateIds": {
            cid: {"NM": name, "LN": name.split()[-1], "FN": name.split()[0], "MN": "", "P": SOTS_PARTY[line]}
            for (_, name, line), cid in SOTS_IDS.items()
        },
    }  # fmt: skip


def _of(k: int, n: int) -> str:
    return f"{k} of {n} ({100 * k / n:.2f}%)"


def sots_election(v: int) -> dict:
    towns = {"Elmvale": "1", "Harrow Point": "2"}
    town_votes: dict[str, dict[str, dict[str, int]]] = {}
    state: dict[str, dict[str, int]] = {}
    for contest, name, line, i, n in rows(v):
        office, cid = SOTS_OFFICE[contest], SOTS_IDS[(contest, name, line)]
        town = towns[PRECINCTS[i][0]]
        cells = town_votes.setdefault(town, {}).setdefault(office, {})
        cells[cid] = cells.get(cid, 0) + n
        state.setdefault(office, {})[cid] = state.get(office, {}).get(cid, 0) + n

    def cells(by_id: dict[str, int]) -> list:
        return [{cid: {"V": f"{n:,}", "TO": "0.00%"}} for cid, n in by_id.items()]

    status = "( Official Results )" if v == 3 else "( *Unofficial Results )"
    e_in = len(REPORTED[v] & {0, 1, 2})
    h_in = len(REPORTED[v] & {3, 4})
    return {
        "election": {"ID": "77", "PR": _of(len(REPORTED[v]), 5)},
        "townStatus": {"1": {"TS": status, "PR": _of(e_in, 3)}, "2": {"TS": status, "PR": _of(h_in, 2)}},
        "townVotes": {t: {o: cells(c) for o, c in offices.items()} for t, offices in town_votes.items()},
        "stateVotes": {o: cells(c) for o, c in state.items()},
        "officePrecincts": {"601": _of(len(REPORTED[v]), 5)},
    }  # fmt: skip


TIMESTAMPS = ["11/3/2026 8:05:00 PM EST", "11/3/2026 9:30:00 PM EST",
              "11/4/2026 1:10:00 AM EST", "11/10/2026 4:00:00 PM EST"]  # fmt: skip


def clarity(v: int, comment: str) -> str:
    text = {"gov": ("Governor", 1, 5), "sen": ("State Senator District 9", 1, 5),
            "boe": ("Board of Education - Elmvale", 2, 3)}  # fmt: skip
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f"<!--{comment}-->", "<ElectionResult>",
           f"  <Timestamp>{TIMESTAMPS[v]}</Timestamp>", "  <ElectionName>2026 General Election</ElectionName>",
           "  <ElectionDate>11/3/2026</ElectionDate>", "  <Region>Elmvale</Region>"]  # fmt: skip
    for key, (contest, lines) in enumerate(CONTESTS.items(), 1):
        label, vote_for, n_precincts = text[contest]
        done = len(REPORTED[v] & set(range(n_precincts)))
        out.append(
            f'  <Contest key="{key}" text="{label}" voteFor="{vote_for}" isQuestion="false" '
            f'precinctsParticipating="{n_precincts}" precinctsReported="{done}">'
        )
        for j, (name, line, per) in enumerate(lines, 1):
            shown = f"{name} (I)" if name == "Ian Cho" else name
            got = [votes(v, contest, name, line, i, full) for i, full in enumerate(per)]
            out.append(
                f'    <Choice key="{j}" text="{shown}" party="{line}" totalVotes="{sum(got)}">'
            )
            absentee = [n // 10 for n in got]  # a tenth by mail: vote types must be summed
            for kind, split in (("Election Day", [n - a for n, a in zip(got, absentee, strict=True)]),
                                ("Absentee", absentee)):  # fmt: skip
                out.append(f'      <VoteType name="{kind}" votes="{sum(split)}">')
                out += [
                    f'        <Precinct name="{PRECINCTS[i][2]}" votes="{n}" />'
                    for i, n in enumerate(split)
                ]
                out.append("      </VoteType>")
            out.append("    </Choice>")
        out.append("  </Contest>")
    return "\n".join([*out, "</ElectionResult>", ""])


def html(v: int, comment: str) -> str:
    short = {"Democratic Party": "Democratic", "Republican Party": "Republican", "Write In": "",
             "Working Families Party": "Working Families", "Independent Party": "Independent"}  # fmt: skip
    office = {
        "gov": ("Governor", ""),
        "sen": ("State Senator", "9"),
        "boe": ("Board of Education", "Elmvale"),
    }
    body = []
    for contest, lines in CONTESTS.items():
        for name, line, per in lines:
            n = sum(votes(v, contest, name, line, i, full) for i, full in enumerate(per))
            mark = (
                '<img class="elected" src="check.png" alt="Elected">'
                if v == 3 and name in WINNERS
                else ""
            )
            shown = f"{name} (I)" if name == "Ian Cho" else name
            body.append(f"      <tr><td>{office[contest][0]}</td><td>{office[contest][1]}</td>"
                        f"<td>{shown}</td><td>{short[line]}</td><td>{n:,}</td><td>{mark}</td></tr>")  # fmt: skip
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head><meta charset=\"utf-8\"><title>Elmvale Registrars of Voters: results</title></head>",
        "<body>", f"<!--{comment}-->", "<h1>State Election, November 3, 2026</h1>",
        f'<p id="reporting">Precincts reporting: <b>{len(REPORTED[v])} of 5</b></p>',
        '<table class="results">',
        "  <thead><tr><th>Office</th><th>District</th><th>Candidate</th><th>Party</th><th>Votes</th><th>Elected</th></tr></thead>",
        "  <tbody>", *body, "  </tbody>", "</table>", "</body>", "</html>", "",
    ])  # fmt: skip


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    comments = {v: comment(v) for v in REPORTED}
    (OUT / "README.md").write_text(
        "# An invented election night (written for the project)\n\n"
        "Made by `python -m tests.results.make_night_fixtures` from the per-precinct table there;\n"
        "CSV and JSON cannot carry comments, so the hand-computed totals every format must give\n"
        "are here (and in tests/results/night.py, which the tests assert):\n\n```\n"
        + "\n".join(comment(v) for v in REPORTED)
        + "```\n"
    )
    (OUT / "sots_lookupdata.json").write_text(json.dumps(sots_lookup(), indent=1) + "\n")
    for v in REPORTED:
        (OUT / f"openelections_v{v}.csv").write_text(openelections(v))
        (OUT / f"sots_electiondata_v{v}.json").write_text(
            json.dumps(sots_election(v), indent=1) + "\n"
        )
        (OUT / f"clarity_detail_v{v}.xml").write_text(clarity(v, comments[v]))
        (OUT / f"html_results_v{v}.html").write_text(html(v, comments[v]))


if __name__ == "__main__":
    main()
