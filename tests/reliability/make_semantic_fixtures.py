"""Write tests/fixtures/hostile/semantic/: feeds that parse but say something wrong, four formats.

Run `python -m tests.reliability.make_semantic_fixtures` after changing the tables below. One
invented election (Brookfield, two towns, two contests, numbers made up for the project), a
`base` version and variants of it, each written in every format that can say it:

  grown             every count up, all precincts in: the good next version
  votes_down        Ann Park's Alden votes 100 -> 96 (State Senate falls 1%, under the drop guard)
  precincts_down    State Senate reporting 3 -> 2 of 4, votes unchanged
  precincts_over    State Senate reporting 5 of 4
  vanished          Ed Voss (5 votes) gone from the State Senate
  contest_gone      grown, but the State Representative contest is gone from the payload
  renamed           id 501 "Ann Park" printed "Ann B. Park" (formats with candidate ids)
  pseudo            "Total Votes", "Over Votes", "Under Votes", "Blank Votes" rows in each contest
  version_back      grown, but an older version number / earlier as-of time (CT SOTS, Clarity)
  separators        grown, with Ann Park's Birch count 1,080 written with a thousands separator
  x_cell            grown, with an "X" where a count should be
  blank_cell        grown, with an empty count cell
  negative          grown, with -5 as a count

In every variant but votes_down/precincts_*/vanished/renamed/contest_gone the State
Representative contest grows as in `grown`, so a test sees the rest of the payload apply while
one contest is held.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "hostile" / "semantic"
TOWNS = ("Alden", "Birch")
# contest -> (office as printed, district, [(candidate id, name, party line, votes per town)])
BASE = {
    "sen": ("State Senate", "5", [
        ("501", "Ann Park", "Democratic Party", [100, 80]),
        ("502", "Bo Reyes", "Republican Party", [90, 70]),
        ("503", "Ed Voss", "Independent Party", [3, 2]),
    ]),
    "rep": ("State Representative", "12", [
        ("601", "Cy Lund", "Democratic Party", [50, 40]),
        ("602", "Di Marsh", "Republican Party", [45, 44]),
    ]),
}  # fmt: skip
PSEUDO = ("Total Votes", "Over Votes", "Under Votes", "Blank Votes")
OFFICE_IDS = {"sen": "700", "rep": "701"}
VARIANTS = (
    "base", "grown", "votes_down", "precincts_down", "precincts_over", "vanished", "renamed",
    "pseudo", "version_back", "separators", "x_cell", "blank_cell", "negative", "contest_gone",
)  # fmt: skip
WITH_IDS = ("ct-sots", "clarity")  # formats whose rows carry a candidate id


def model(variant: str) -> dict:
    """{contest: {"reporting": (n, of), "rows": [(id, name, line, [cells per town])]}}."""
    grown = variant not in ("base", "votes_down", "precincts_down", "precincts_over", "vanished",
                            "renamed")  # fmt: skip
    out = {}
    for key, (_, _, lines) in BASE.items():
        if key == "rep" and variant == "contest_gone":
            continue
        rows = []
        for cid, name, line, per in lines:
            cells: list[str] = [str(v + 5) if grown else str(v) for v in per]
            if key == "rep" and variant in ("votes_down", "precincts_down", "precincts_over",
                                            "vanished", "renamed"):  # fmt: skip
                cells = [str(v + 5) for v in per]  # the rest of the payload moves on
            if key == "sen":
                if variant == "votes_down" and cid == "501":
                    cells[0] = "96"
                if variant == "vanished" and cid == "503":
                    continue
                if variant == "renamed" and cid == "501":
                    name = "Ann B. Park"
                if variant == "separators" and cid == "501":
                    cells[1] = "1,080"
                if variant == "x_cell" and cid == "502":
                    cells[0] = "X"
                if variant == "blank_cell" and cid == "502":
                    cells[0] = ""
                if variant == "negative" and cid == "502":
                    cells[0] = "-5"
            rows.append((cid, name, line, cells))
        if variant == "pseudo":
            rows += [
                (f"9{i}{OFFICE_IDS[key][-1]}", p, "", ["7", "3"]) for i, p in enumerate(PSEUDO)
            ]
        reporting = (4, 4) if grown or key == "rep" else (3, 4)
        if key == "sen" and variant == "precincts_down":
            reporting = (2, 4)
        if key == "sen" and variant == "precincts_over":
            reporting = (5, 4)
        out[key] = {"reporting": reporting, "rows": rows}
    return out


def _number(cell: str) -> int:
    return int(cell.replace(",", "")) if cell.replace(",", "").isdigit() else 0


def _sum(cells: list[str]) -> str:
    """A contest-wide cell: the towns added, or the odd cell itself when one is odd."""
    odd = [c for c in cells if not c.replace(",", "").isdigit()]
    if odd:
        return odd[0]
    total = sum(_number(c) for c in cells)
    return f"{total:,}" if any("," in c for c in cells) else str(total)


def openelections(variant: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["county", "town", "office", "district", "party", "candidate", "votes"])
    for key, contest in model(variant).items():
        office, district, _ = BASE[key]
        for _, name, line, cells in contest["rows"]:
            for town, cell in zip(TOWNS, cells, strict=True):
                writer.writerow(["Fairfield", town, office, district, line, name, cell])
    return out.getvalue()


def _of(n: int, total: int) -> str:
    return f"{n} of {total} ({100 * n / total:.2f}%)"


def ct_sots(variant: str) -> str:
    m = model(variant)
    parties = {"Democratic Party": "1", "Republican Party": "6", "Independent Party": "3"}
    candidates = {
        cid: {"NM": name, "P": parties.get(line, "")}
        for contest in m.values()
        for cid, name, line, _ in contest["rows"]
    }
    town_votes: dict[str, dict] = {"1": {}, "2": {}}
    state_votes = {}
    for key, contest in m.items():
        oid = OFFICE_IDS[key]
        for t, town in enumerate(("1", "2")):
            town_votes[town][oid] = [{cid: {"V": cells[t]}} for cid, _, _, cells in contest["rows"]]
        state_votes[oid] = [{cid: {"V": _sum(cells)}} for cid, _, _, cells in contest["rows"]]
    version = {"base": 10, "version_back": 9}.get(variant, 11)
    body = {
        "version": version,
        "layout": "legacy",
        "Electiondata": {
            "election": {"ID": "88", "PR": _of(4, 4)},
            "townStatus": {t: {"TS": "( *Unofficial Results )"} for t in ("1", "2")},
            "townVotes": town_votes,
            "stateVotes": state_votes,
            "officePrecincts": {OFFICE_IDS[k]: _of(*c["reporting"]) for k, c in m.items()},
        },
        "Lookupdata": {
            "election": {"ID": "88", "NM": "11/03/2026 -- Brookfield State Election", "ET": "G"},
            "townIds": {"1": "Alden", "2": "Birch"},
            "officeList": [
                {OFFICE_IDS[k]: {"NM": f"{o} {d}", "OT": "S" if k == "sen" else "A", "D": d}}
                for k, (o, d, _) in BASE.items()
            ],
            "partyIds": {v: {"NM": k} for k, v in parties.items()},
            "candidateIds": candidates,
        },
    }
    return json.dumps(body, indent=1) + "\n"


def clarity(variant: str) -> str:
    stamp = {"base": "9:00:00 PM", "version_back": "8:30:00 PM"}.get(variant, "9:30:00 PM")
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<ElectionResult>",
           f"  <Timestamp>11/3/2026 {stamp} EST</Timestamp>",
           "  <ElectionName>Brookfield State Election</ElectionName>"]  # fmt: skip
    for n, (key, contest) in enumerate(model(variant).items(), start=1):
        office, district, _ = BASE[key]
        reported, total = contest["reporting"]
        out.append(
            f'  <Contest key="{n}" text="{office} {district}" voteFor="1" isQuestion="false" '
            f'precinctsParticipating="{total}" precinctsReported="{reported}">'
        )
        for cid, name, line, cells in contest["rows"]:
            party = f' party="{line}"' if line else ""
            out.append(f'    <Choice key="{cid}" text="{name}"{party} totalVotes="{_sum(cells)}">')
            out.append(f'      <VoteType name="Election Day" votes="{_sum(cells)}">')
            out += [
                f'        <Precinct name="{town}" votes="{cell}" />'
                for town, cell in zip(TOWNS, cells, strict=True)
            ]
            out += ["      </VoteType>", "    </Choice>"]
        out.append("  </Contest>")
    out.append("</ElectionResult>")
    return "\n".join(out) + "\n"


def html(variant: str) -> str:
    m = model(variant)
    reported, total = m["sen"]["reporting"]
    out = ["<!DOCTYPE html>", '<html lang="en">', '<head><meta charset="utf-8">',
           "<title>Brookfield results</title></head>", "<body>",
           f'<p id="reporting">Precincts reporting: <b>{reported} of {total}</b></p>',
           '<table class="results">',
           "  <thead><tr><th>Office</th><th>District</th><th>Candidate</th><th>Party</th>"
           "<th>Votes</th></tr></thead>", "  <tbody>"]  # fmt: skip
    for key, contest in m.items():
        office, district, _ = BASE[key]
        for _, name, line, cells in contest["rows"]:
            party = line.removesuffix(" Party")
            out.append(
                f"    <tr><td>{office}</td><td>{district}</td><td>{name}</td><td>{party}</td>"
                f"<td>{_sum(cells)}</td></tr>"
            )
    out += ["  </tbody>", "</table>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


WRITERS = {
    "openelections": (openelections, "csv"),
    "ct-sots": (ct_sots, "json"),
    "clarity": (clarity, "xml"),
    "html": (html, "html"),
}


def path(fmt: str, variant: str) -> Path:
    return OUT / f"{fmt.replace('-', '_')}_{variant}.{WRITERS[fmt][1]}"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for fmt, (write, _) in WRITERS.items():
        for variant in VARIANTS:
            if variant == "renamed" and fmt not in WITH_IDS:
                continue
            if variant == "version_back" and fmt not in WITH_IDS:
                continue
            path(fmt, variant).write_text(write(variant), encoding="utf-8")


if __name__ == "__main__":
    main()
