"""A seeded synthetic state: towns, precincts, contests and fusion lines, written in real layouts.

Deterministic: the same seed and size give the same bytes, so every run of `make bench` loads
the same files. Each precinct carries 100 result rows: eight statewide offices, a U.S. House,
State Senate and State House district, a probate district, and three town offices (a
registrar, a vote-for-3 board of education, a board of finance). Major-party candidates run
on two lines (Democratic + Working Families, Republican + Independent), as in Connecticut.

    python -m bench.generate --rows 200000 --format openelections --out /tmp/state.csv
    python -m bench.generate --rows 170000 --format clarity --out /tmp/detail.xml
    python -m bench.generate --rows 4000 --format html --out /tmp/town.html
"""

from __future__ import annotations

import argparse
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.sax.saxutils import quoteattr

ROWS_PER_PRECINCT = 100
PRECINCTS = 4  # per town
STATEWIDE = ("Governor", "U.S. Senate", "Attorney General", "Secretary of the State",
             "State Treasurer", "State Comptroller", "Lieutenant Governor", "President")  # fmt: skip
# (party line, index of the person on the ballot): lines 0+1 and 2+3 are fusion pairs.
FUSION = (("Democratic Party", 0), ("Working Families Party", 0), ("Republican Party", 1),
          ("Independent Party", 1), ("Green Party", 2), ("Write In", 3))  # fmt: skip
VOTE_TYPES = ("Election Day", "Absentee", "Early Vote")


@dataclass(frozen=True, slots=True)
class Contest:
    office: str
    district: str
    seats: int
    lines: tuple[tuple[str, str], ...]  # (candidate, party line); fusion: one name, two lines


def _lines(office: str, district: str, count: int) -> tuple[tuple[str, str], ...]:
    """`count` party lines; beyond the six fusion lines, one more candidate per line pair."""
    label = f"{office} {district}".strip()
    out = [(f"Candidate {who} of {label}" if who < 3 else "Write-ins", party)
           for party, who in FUSION[: min(count, 6)]]  # fmt: skip
    for k in range(6, count):
        out.append((f"Candidate {k // 2 + 2} of {label}", FUSION[k % 4][0]))
    return tuple(out)


def town_contests(town: int) -> list[Contest]:
    """The contests on one town's ballot: 100 party lines in all."""
    name = f"Town {town:04d}"
    specs = [
        *((office, "", 1, 6) for office in STATEWIDE),
        ("U.S. House", str(town % 5 + 1), 1, 6),
        ("State Senate", str(town % 36 + 1), 1, 6),
        ("State House", str(town % 151 + 1), 1, 6),
        ("Judge of Probate", str(town % 54 + 1), 1, 4),
        (f"Registrar of Voters - {name}", "", 1, 4),
        (f"Board of Education - {name}", "", 3, 14),
        (f"Board of Finance - {name}", "", 3, 12),
    ]
    return [Contest(o, d, s, _lines(o, d, n)) for o, d, s, n in specs]


def towns_for(rows: int) -> int:
    return max(1, math.ceil(rows / (ROWS_PER_PRECINCT * PRECINCTS)))


def precinct_rows(
    rows: int, seed: int = 2026
) -> Iterator[tuple[str, str, str, str, str, int, str]]:
    """(candidate, party, office, district, town, votes, precinct), town by town, streaming."""
    rng = random.Random(seed)
    for town in range(towns_for(rows)):
        contests = town_contests(town)
        for precinct in range(1, PRECINCTS + 1):
            unit = f"{precinct} - Precinct {precinct}"
            for c in contests:
                for candidate, party in c.lines:
                    yield (candidate, party, c.office, c.district, f"Town {town:04d}",
                           rng.randint(0, 900), unit)  # fmt: skip


def write_openelections(out: IO[str], rows: int, seed: int = 2026) -> int:
    """The OpenElections precinct CSV (header `candidate,party,office,district,town,votes,
    precinct`), written as generated; returns the row count."""
    out.write("candidate,party,office,district,town,votes,precinct\n")
    n = 0
    for candidate, party, office, district, town, votes, precinct in precinct_rows(rows, seed):
        out.write(f"{candidate},{party},{office},{district},{town},{votes},{precinct}\n")
        n += 1
    return n


def openelections_bytes(rows: int, seed: int = 2026) -> bytes:
    import io

    buf = io.StringIO()
    write_openelections(buf, rows, seed)
    return buf.getvalue().encode()


def _contests_by_unit(towns: int) -> dict[tuple[str, str], tuple[Contest, list[str]]]:
    """Each distinct contest with the precincts that vote in it, in town order."""
    out: dict[tuple[str, str], tuple[Contest, list[str]]] = {}
    for town in range(towns):
        units = [f"Town {town:04d} P{p}" for p in range(1, PRECINCTS + 1)]
        for c in town_contests(town):
            out.setdefault((c.office, c.district), (c, []))[1].extend(units)
    return out


def write_clarity(out: IO[str], rows: int, seed: int = 2026) -> int:
    """Clarity detail XML, precinct level, in the real layout (ElectionResult > Contest >
    Choice > VoteType > Precinct); three vote types per choice. `rows` counts choice x
    precinct (what a parser returns), not vote-type lines. Returns that count."""
    rng = random.Random(seed)
    towns = towns_for(rows)
    out.write('<?xml version="1.0" encoding="utf-8"?>\n<ElectionResult>\n'
              "  <Timestamp>11/8/2026 11:58:41 PM EST</Timestamp>\n"
              "  <ElectionName>Synthetic State General Election</ElectionName>\n"
              "  <ElectionDate>11/3/2026</ElectionDate>\n  <Region>SY</Region>\n")  # fmt: skip
    contests = _contests_by_unit(towns)
    precincts = [f"Town {t:04d} P{p}" for t in range(towns) for p in range(1, PRECINCTS + 1)]
    out.write(
        f'  <VoterTurnout totalVoters="{len(precincts) * 1500}" '
        f'ballotsCast="{len(precincts) * 900}" voterTurnout="60.00">\n    <Precincts>\n'
    )
    for unit in precincts:
        out.write(
            f'      <Precinct name="{unit}" totalVoters="1500" ballotsCast="900" '
            'voterTurnout="60.00" percentReporting="4" />\n'
        )
    out.write("    </Precincts>\n  </VoterTurnout>\n")  # fmt: skip
    n = 0
    for key, (contest, units) in enumerate(contests.values(), 1):
        text = (
            f"{contest.office} District {contest.district}" if contest.district else contest.office
        )
        out.write(f'  <Contest key="{key}" text={quoteattr(text)} voteFor="{contest.seats}" '
                  f'isQuestion="false" precinctsReported="{len(units)}" '
                  f'precinctsParticipating="{len(units)}">\n')  # fmt: skip
        for ckey, (candidate, party) in enumerate(contest.lines, 1):
            votes = [[rng.randint(0, 300) for _ in units] for _ in VOTE_TYPES]
            total = sum(map(sum, votes))
            label = candidate if party != "Write In" else "Write-ins"
            out.write(f'    <Choice key="{ckey}" text={quoteattr(label)} '
                      f'party={quoteattr(party)} totalVotes="{total}">\n')  # fmt: skip
            for vt, by_unit in zip(VOTE_TYPES, votes, strict=True):
                out.write(f'      <VoteType name="{vt}" votes="{sum(by_unit)}">\n')
                for unit, v in zip(units, by_unit, strict=True):
                    out.write(f'        <Precinct name="{unit}" votes="{v}" />\n')
                out.write("      </VoteType>\n")
            out.write("    </Choice>\n")
            n += len(units)
        out.write("  </Contest>\n")
    out.write("</ElectionResult>\n")
    return n


def write_html(out: IO[str], rows: int, seed: int = 2026) -> int:
    """A county results page: one table row per candidate line per precinct."""
    out.write("<!doctype html>\n<html><head><meta charset='utf-8'><title>Results</title></head>"
              "<body><h1>Unofficial results</h1><p class='reporting'>Precincts reporting: "
              f"{towns_for(rows) * PRECINCTS} of {towns_for(rows) * PRECINCTS}</p>\n"
              "<table class='results'><thead><tr><th>Office</th><th>District</th>"
              "<th>Candidate</th><th>Party</th><th>Precinct</th><th>Votes</th></tr></thead>"
              "<tbody>\n")  # fmt: skip
    n = 0
    for candidate, party, office, district, town, votes, precinct in precinct_rows(rows, seed):
        out.write(f"<tr><td>{office}</td><td>{district}</td><td><b>{candidate}</b></td>"
                  f"<td>{party}</td><td>{town} / {precinct}</td><td>{votes:,}</td></tr>\n")  # fmt: skip
        n += 1
    out.write("</tbody></table></body></html>\n")
    return n


HTML_MAPPING = {
    "rows": "table.results tbody tr",
    "columns": {"office": 0, "district": 1, "candidate": 2, "party": 3, "unit": 4, "votes": 5},
    "precincts": "p.reporting",
}
WRITERS = {"openelections": write_openelections, "clarity": write_clarity, "html": write_html}


def write(path: Path, fmt: str, rows: int, seed: int = 2026) -> int:
    with path.open("w", encoding="utf-8", newline="") as out:
        return WRITERS[fmt](out, rows, seed)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--format", choices=sorted(WRITERS), default="openelections")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    n = write(args.out, args.format, args.rows, args.seed)
    print(f"{args.out}: {n:,} rows, {args.out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
