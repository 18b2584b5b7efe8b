"""What matching by itself costs at scale: 5,000 endorsements on a ballot of 302 contests.

In the suite: once matched, a re-ingest that adds a contest decides again only what it can
change (nothing here), so it stays cheap and writes no endorsement version. The full cost of
matching all 5,000 is measured by bench/bench_matching.py (`make bench`); tests never time.
"""

from __future__ import annotations

import time

import asyncpg
from litestar.testing import AsyncTestClient

from endorse.results.ingest import apply, apply_parsed
from scrapers.records import Parsed, ResultRecord
from tests.integration.conftest import HEADER
from tests.results.night import SLUG

ROWS = 5000
FIRST = [
    "Ana",
    "Ben",
    "Cal",
    "Dora",
    "Eli",
    "Fay",
    "Gus",
    "Hana",
    "Ivo",
    "Jude",
    "Kai",
    "Lena",
    "Milo",
    "Nia",
    "Otto",
    "Pia",
    "Quin",
    "Rhea",
    "Sam",
    "Tia",
    "Uma",
    "Vic",
    "Wes",
    "Xena",
    "Yuri",
    "Zoe",
    "Abe",
    "Bea",
    "Cy",
    "Dee",
    "Ed",
    "Flo",
    "Gil",
    "Hal",
    "Ida",
    "Jon",
    "Kit",
    "Lou",
    "Max",
    "Ned",
    "Ola",
    "Pat",
    "Ray",
    "Sue",
    "Ted",
    "Val",
    "Walt",
    "Yves",
    "Zack",
    "Ari",
]
STEMS = ("Ash", "Birch", "Cole", "Dale", "Eads", "Finch", "Gray", "Hart", "Ives", "Judd")
TAILS = ("ley", "man", "ford", "wick", "ton", "by", "well", "er", "son", "mont")
LAST = [stem + tail for stem in STEMS for tail in TAILS]
OFFICES = ("State Senate", "State House")
Auth = dict[str, dict[str, str]]


def person(i: int) -> tuple[str, str, str]:
    """(office, district, name) of candidate i: 302 contests, names unique in the file."""
    return OFFICES[i % 2], str(i % 151 + 1), f"{FIRST[i % 50]} {LAST[i // 50]}"


def endorsements() -> bytes:
    rows = [HEADER]
    for i in range(ROWS):
        office, district, name = person(i)
        rows.append(f"{SLUG},general,{office},{district},{name},,AFT Connecticut,2026-09-20,")
    return ("\n".join(rows) + "\n").encode()


def ballot(extra: int = 0) -> Parsed:
    """Every endorsed candidate with 100 votes, plus an opponent per contest; `extra` more
    contests nobody endorsed (the ballot grows)."""
    records = [ResultRecord(*person(i), "Democratic", "", 100) for i in range(ROWS)]
    for office in OFFICES:
        for d in range(1, 152):
            records.append(ResultRecord(office, str(d), f"Opponent {d}", "Republican", "", 90))
    for d in range(extra):
        records.append(ResultRecord("Town Council", f"Ward {d}", "Late Comer", "", "", 5))
    return Parsed(records)


async def _import(client: AsyncTestClient, auth: Auth) -> float:
    headers = {**auth["editor"], "Content-Type": "text/csv"}
    started = time.perf_counter()
    res = await client.post("/api/v1/endorsements/import", content=endorsements(), headers=headers)
    assert res.status_code == 200 and res.json()["created"] == ROWS, res.text[:300]
    return time.perf_counter() - started


async def _matched(conn: asyncpg.Connection) -> int:
    return await conn.fetchval(
        "select count(*) from endorsements where match_method = 'auto' and deleted_at is null"
    )


async def test_a_growing_ballot_decides_again_only_what_it_can_change(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, stage: int
) -> None:
    no_ballot = await _import(client, auth)
    await apply(conn, stage_id=stage, parsed=ballot(), match=False)
    # matched as the matcher would (same names), without paying for 5,000 name scores here
    await conn.execute(
        """update endorsements e set candidacy_id = ca.id, match_method = 'auto'
             from candidacies ca join contests c on c.id = ca.contest_id
            where (c.office, c.district, ca.ballot_name) = (e.office, e.district, e.candidate)"""
    )
    assert await _matched(conn) == ROWS
    versions = await conn.fetchval("select count(*) from endorsement_versions")

    again = await apply_parsed(conn, stage_id=stage, parsed=ballot(extra=3))  # 3 new contests
    assert (again.contests_created, again.matched) == (3, 0)
    assert await conn.fetchval("select count(*) from endorsement_versions") == versions
    print(
        f"\n5,000 endorsements: import {no_ballot:.2f}s (no ballot to match);"
        f" ingest adding 3 contests to a matched ballot {again.elapsed:.2f}s"
    )
