"""Matching at scale: 5,000 and 10,000 endorsements against a ballot of 20,000 candidates.

The ballot: 5,000 contests (State House districts) of four candidates each, names built from
given names that have nicknames, every full name distinct. Staff typed 60% of the names as on the ballot, 20% with a
nickname ("Bill" for "William") and 20% as "LAST, First". 5,000 endorsements are one per
contest; 10,000 are two per contest (two candidates endorsed by different locals). Timed:
match_stage() matching every endorsement for the first time (the CLI's `endorse match` and
the ingest that brings the ballot run the same code); median of 3 fresh databases each.
No baseline but itself: 10,000 should cost at most 2.2x what 5,000 cost (linear, not worse).
"""

from __future__ import annotations

import asyncio
from typing import Any

from bench._common import QUICK, REPEATS, SLUG, database, embedded, median, template, timed
from endorse.db.pool import connect
from endorse.elections.service import stage_id
from endorse.endorsements.importer import import_file
from endorse.matching.run import match_stage
from endorse.results.ingest import apply
from scrapers.records import Parsed, ResultRecord

CONTESTS = 500 if QUICK else 5_000
PER_CONTEST = 4
GIVEN = (("William", "Bill"), ("Robert", "Bob"), ("Elizabeth", "Liz"), ("Katherine", "Kate"),
         ("Richard", "Rick"), ("James", "Jim"), ("Margaret", "Peggy"), ("Thomas", "Tom"),
         ("Joseph", "Joe"), ("Michael", "Mike"))  # fmt: skip
STEMS = ("Ash", "Birch", "Cole", "Dale", "Eads", "Finch", "Gray", "Hart", "Ives", "Judd")
TAILS = ("ley", "man", "ford", "wick", "ton", "by", "well", "er", "son", "mont")
SURNAMES = [s + t for s in STEMS for t in TAILS]
HEADER = "election,stage,office,district,candidate,party,endorsed_by,endorsed_on,notes"


def _candidate(contest: int, k: int) -> tuple[str, str, str]:
    """(given, nickname, surname) of candidate k in a contest: 20,000 distinct full names, as
    on a real ballot (a matcher that only ever sees a few names would flatter its caches)."""
    i = contest * PER_CONTEST + k
    given, nick = GIVEN[(i * 7 + i // 10_000 * 3) % len(GIVEN)]
    return given, nick, SURNAMES[i % 100] + SURNAMES[(i // 100) % 100].lower()


def ballot() -> Parsed:
    records = []
    for c in range(CONTESTS):
        for k in range(PER_CONTEST):
            given, _, surname = _candidate(c, k)
            party = ("Democratic", "Republican", "Green", "Libertarian")[k]
            records.append(ResultRecord("State House", str(c + 1), f"{given} {surname}", party,
                                        "", 100 + k))  # fmt: skip
    return Parsed(records)


def endorsements(per_contest: int) -> bytes:
    rows = [HEADER]
    for c in range(CONTESTS):
        for k in range(per_contest):
            given, nick, surname = _candidate(c, k)
            typed = (f"{given} {surname}", f"{given} {surname}", f"{given} {surname}",
                     f"{nick} {surname}", f"{surname.upper()}, {given}")[(c + k) % 5]  # fmt: skip
            name = f'"{typed}"' if "," in typed else typed
            rows.append(f"{SLUG},general,State House,{c + 1},{name},,Local {k + 1},2026-09-20,")
    return ("\n".join(rows) + "\n").encode()


async def _one(admin: str, tpl: str, name: str, per_contest: int) -> tuple[float, Any]:
    conn = await connect(await database(admin, name, tpl))
    try:
        stage = await stage_id(conn, SLUG, "general")
        await import_file(conn, endorsements(per_contest), actor="bench", content_type="text/csv")
        await apply(conn, stage_id=stage, parsed=ballot(), match=False)
        return await timed(lambda: match_stage(conn, stage))
    finally:
        await conn.close()


async def _bench(admin: str) -> dict[int, tuple[float, Any]]:
    tpl = await template(admin)
    out: dict[int, list[float]] = {}
    reports: dict[int, Any] = {}
    for i in range(REPEATS):
        for per in (1, 2):
            secs, reports[per] = await _one(admin, tpl, f"bench_match_{i}_{per}", per)
            out.setdefault(per, []).append(secs)
    return {per: (median(v), reports[per]) for per, v in out.items()}


def run() -> str:
    with embedded() as (admin, _tmp):
        res = asyncio.run(_bench(admin))
    (five, r5), (ten, r10) = res[1], res[2]
    n5, n10, cands = CONTESTS, CONTESTS * 2, CONTESTS * PER_CONTEST
    ok5 = five < 5 if not QUICK else None
    growth = ten / five
    return "\n".join([
        "## Matching (`bench/bench_matching.py`)",
        "",
        f"A ballot of {cands:,} candidates in {CONTESTS:,} contests; endorsements typed as on "
        "the ballot (60%), with a nickname (20%) or as \"LAST, First\" (20%); `match_stage()` "
        f"matching them all the first time; median of {REPEATS} fresh databases.",
        "",
        "| figure | seconds | matched / waiting / unmatched | goal | |",
        "|---|---:|---|---|---|",
        f"| {n5:,} endorsements vs {cands:,} candidates | {five:.2f} | {r5.matched:,} / "
        f"{len(r5.review):,} / {len(r5.unmatched):,} | < 5 s "
        f"| {'(quick size)' if ok5 is None else '**met**' if ok5 else '**missed**'} |",
        f"| {n10:,} endorsements vs {cands:,} candidates | {ten:.2f} ({growth:.2f}x of "
        f"{n5:,}) | {r10.matched:,} / {len(r10.review):,} / {len(r10.unmatched):,} "
        f"| <= 2.2x of {n5:,} | {'**met**' if growth <= 2.2 else '**missed**'} |",
    ])  # fmt: skip


if __name__ == "__main__":
    print(run())
