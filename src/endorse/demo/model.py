"""The demo state's tables (endorse.demo.state) read into one list of races and one CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache

from endorse.demo import state as s

Key = tuple[str, int | str]  # ("O", i) CONTESTS[i], ("S", n), ("A", n), ("M", contest text)


@dataclass(frozen=True)
class Race:
    key: Key
    feed: str  # "ct" (the Secretary of the State) or "clarity" (Harbor City)
    office: str  # as the feed names it
    office_type: str  # CT: SW statewide, C congress, S senate, A assembly; "" for Clarity
    district: str  # CT "D": "0" when none
    towns: tuple[int, ...]
    seats: int
    party_cap: int | None
    lines: tuple[tuple[str, str, int], ...]  # (candidate, party code, final votes), ballot order
    staff_office: str  # how staff type the office and district in their spreadsheet
    staff_district: str


def _district_lines(kind: str, n: int, dem: str, dv: int, rep: str, rv: int) -> list:
    extra = dict(zip((s.D, s.R), s.FUSION.get((kind, n), ()), strict=False))
    lines = [(dem, s.D, dv)]
    if (kind, n) in s.FUSION:
        lines.append((dem, extra[s.D][0], extra[s.D][1]))
    if rep:
        lines.append((rep, s.R, rv))
        if (kind, n) in s.FUSION:
            lines.append((rep, extra[s.R][0], extra[s.R][1]))
    if (kind, n) in s.WRITE_INS:
        lines.append(("Write-ins", s.W, s.WRITE_INS[(kind, n)]))
    return lines


_STAFF_NAMES = {"United States Senator": "U.S. Senate", "Representative in Congress": "U.S. House"}


@cache
def races() -> tuple[Race, ...]:
    out: list[Race] = []
    for i, (office, kind, district, towns, candidates) in enumerate(s.CONTESTS):
        lines = tuple((name, party, votes) for name, ls in candidates for party, votes in ls)
        staff = _STAFF_NAMES.get(office.rsplit(" ", 1)[0] if kind == "C" else office, office)
        staff_district = "" if district == "0" else district
        out.append(Race(("O", i), "ct", office, kind, district, towns, 1, None, lines, staff,
                        staff_district))  # fmt: skip
    for kind, table, name, staff in (
        ("S", s.SENATE, "State Senator", "State Senate"),
        ("A", s.HOUSE, "State Representative", "State House"),
    ):
        for n, (town, dem, dv, rep, rv) in table.items():
            lines = tuple(_district_lines(kind, n, dem, dv, rep, rv))
            office = f"{name} {n:03d}" if kind == "A" else f"{name} {n}"
            out.append(
                Race((kind, n), "ct", office, kind, str(n), (town,), 1, None, lines, staff, str(n))
            )
    for text, seats, cap, candidates in s.CLARITY:
        office, _, town = text.partition(" - ")
        out.append(
            Race(("M", text), "clarity", text, "", "0", (s.CLARITY_TOWN,), seats, cap,
                 tuple(candidates), office, town)
        )  # fmt: skip
    return tuple(out)


def _endorsed(race: Race) -> str:
    party = s.R if race.key in s.REPUBLICAN else s.D
    return next(name for name, p, _ in race.lines if p == party)


def _row(race: Race, candidate: str, body: str, **extra: str) -> dict[str, str]:
    party = next(p for name, p, _ in race.lines if name == candidate)
    return {
        "election": s.SLUG,
        "stage": "general",
        "office": race.staff_office,
        "district": race.staff_district,
        "candidate": candidate,
        "party": {
            "D": "Democratic",
            "R": "Republican",
            "DEM": "Democratic",
            "REP": "Republican",
        }.get(party, party),
        "endorsed_by": body,
        "endorsed_on": s.ENDORSED_ON,
        **extra,
    }


def endorsement_rows() -> list[dict[str, str]]:
    """Every endorsement of the demo, as rows of the canonical import file."""
    by_key = {r.key: r for r in races()}
    rows = []
    for race in races():
        if race.feed == "clarity":
            picks = [name for name, _, _ in race.lines if name in s.MUNICIPAL]
        elif race.key in s.SKIPPED:
            picks = []
        else:
            picks = [_endorsed(race)]
        for candidate in picks:
            row = _row(race, candidate, s.FEDERATION)
            row["candidate"] = s.TYPED.get(race.key, candidate)
            if race.key in s.RESCINDED:
                row["rescinded_on"], row["rescind_reason"] = s.RESCINDED[race.key]
            rows.append(row)
    for body, picks in s.LOCAL_PICKS.items():
        for kind, ref, typed in picks:
            if kind == "M":
                race = next(r for r in races() if r.feed == "clarity" and ref in _names(r))
                candidate = str(ref)
            else:
                race = by_key[(kind, ref)]
                candidate = _endorsed(race)
            row = _row(race, candidate, body)
            row["candidate"] = typed or s.TYPED.get(race.key, candidate)
            rows.append(row)
    for office, district, candidate, party, body, on, extra in s.EXTRA_ENDORSEMENTS:
        rows.append(
            {"election": s.SLUG, "stage": "general", "office": office, "district": district,
             "candidate": candidate, "party": party, "endorsed_by": body, "endorsed_on": on,
             **extra}
        )  # fmt: skip
    return rows


def _names(race: Race) -> set[str]:
    return {name for name, _, _ in race.lines}


def endorsements_csv() -> bytes:
    columns = [
        "election", "stage", "office", "district", "candidate", "party", "endorsed_by",
        "endorsed_on", "notes", "late_ok", "rescinded_on", "rescind_reason",
    ]  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(endorsement_rows())
    return out.getvalue().encode()
