"""Stats endpoint: requests/s from one process, cached and after every change.

Baseline, measured in the same run through the same AsyncTestClient, app and pool: GET /health
(one `select 1` per request, the cheapest request that touches the database). The stats
endpoint is measured on a statewide-sized general election: 3,000 contests, ~170,000 result rows
(fusion lines x towns), 400 endorsed candidacies (five locals each, some withdrawn/rescinded/
unmatched), with three cases:
  cached   -- the answer is served from the per-process cache after one indexed check;
  changed  -- a results row changes before every request (the election-night worst case), so
              every request recomputes figure_stats() in one SQL round trip;
  sql      -- figure_stats() called directly, no HTTP.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

import asyncpg
from litestar import Litestar, get
from litestar.testing import AsyncTestClient

from endorse.app import create_app
from endorse.db.embedded import EmbeddedServer
from endorse.db.migrate import migrate_url
from endorse.db.pool import connect
from endorse.settings import Settings

SLUG = "2018-ct-general"
DAY = dt.date(2018, 11, 6)
CONTESTS, TOWNS, ENDORSED = 3_000, 20, 400
CACHED_REQUESTS, CHANGED_REQUESTS = 3_000, 200


async def _populate(conn: asyncpg.Connection) -> dict[str, int]:
    """Contests, candidacies, results, statuses and endorsements written in bulk with COPY."""
    rng = random.Random(2018)
    e = await conn.fetchval("insert into elections (slug, name, election_date) "
                            "values ($1, '2018 General', $2) returning id", SLUG, DAY)  # fmt: skip
    # public: the bench measures what anonymous election-night readers get
    stage = await conn.fetchval("insert into stages (election_id, kind, election_day, visibility) "
                                "values ($1, 'general', $2, 'public') returning id", e, DAY)  # fmt: skip
    rows = []
    for n in range(CONTESTS):  # 187 House and Senate seats, then town boards (vote 3, cap 2)
        if n < 374:
            office, level = (
                ("State House", "state_house") if n % 2 else ("State Senate", "state_senate")
            )
            rows.append((stage, office, level, str(n // 2 + 1), 1, None))
        else:
            rows.append((stage, "Board of Education", "school_board", f"Town {n}", 3, 2))
    await conn.copy_records_to_table("contests", records=rows,
        columns=["stage_id", "office", "level", "district", "seats", "party_cap"])  # fmt: skip
    contests = [r["id"] for r in await conn.fetch("select id from contests order by id")]
    people = [(f"Person {i}", f"person {i}") for i in range(len(contests) * 4)]
    await conn.copy_records_to_table("candidates", records=people, columns=["name", "name_key"])
    cand_ids = [r["id"] for r in await conn.fetch("select id from candidates order by id")]
    candidacies, k = [], 0
    for c in contests:
        for party in (["Democratic", "Working Families"], ["Republican", "Independent"], ["Green"]):
            candidacies.append((c, cand_ids[k], f"Person {k}", party, rng.random() < 0.5))
            k += 1
    await conn.copy_records_to_table("candidacies", records=candidacies,
        columns=["contest_id", "candidate_id", "ballot_name", "parties", "incumbent"])  # fmt: skip
    cds = await conn.fetch("select id, parties from candidacies order by id")
    results = [(r["id"], p, f"Town {t}", rng.randint(0, 2_000))
               for r in cds for p in r["parties"] for t in range(TOWNS)]  # fmt: skip
    await conn.copy_records_to_table("results", records=results,
                                     columns=["candidacy_id", "party", "unit", "votes"])  # fmt: skip
    await conn.copy_records_to_table("contest_status", columns=["contest_id", "status"],
                                     records=[(c, "official") for c in contests])  # fmt: skip
    fed = await conn.fetchval("insert into bodies (name, kind) values ('Federation', "
                              "'state_federation') returning id")  # fmt: skip
    locals_ = [await conn.fetchval("insert into bodies (name, parent_id) values ($1, $2) "
               "returning id", f"Local {i}", fed) for i in range(5)]  # fmt: skip
    endorsements = []
    for i, cd in enumerate(rng.sample(list(cds), ENDORSED)):
        for j, body in enumerate(locals_):
            endorsements.append((stage, body, "State House", str(i), f"Person typed {i}",
                                 None if i % 50 == 0 else cd["id"], dt.date(2018, 9, 1 + j),
                                 DAY - dt.timedelta(days=1) if i % 40 == 0 and j == 0 else None,
                                 "bench", "bench"))  # fmt: skip
    await conn.copy_records_to_table("endorsements", records=endorsements,
        columns=["stage_id", "body_id", "office", "district", "candidate_name", "candidacy_id",
                 "endorsed_on", "rescinded_on", "created_by", "updated_by"])  # fmt: skip
    await conn.execute("analyze")
    return {"contests": len(contests), "results": len(results), "endorsements": len(endorsements),
            "candidacy": cds[0]["id"]}  # fmt: skip


async def _rate(client: AsyncTestClient, path: str, n: int, before=None) -> float:
    """Sequential requests/s; `before` runs ahead of each request, outside the timing."""
    spent = 0.0
    for _ in range(n):
        if before is not None:
            await before()
        t0 = time.perf_counter()
        res = await client.get(path)
        spent += time.perf_counter() - t0
        assert res.status_code == 200, res.text
    return n / spent


async def _concurrent(client: AsyncTestClient, path: str, n: int, width: int = 16) -> float:
    """Requests/s with `width` requests in flight (the pool has ten connections)."""

    async def worker(count: int) -> None:
        for _ in range(count):
            res = await client.get(path)
            assert res.status_code == 200, res.text

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(n // width) for _ in range(width)))
    return (n // width * width) / (time.perf_counter() - t0)


@get("/ping", sync_to_thread=False)
def _ping() -> dict[str, bool]:
    return {"ok": True}


async def _measure(url: str, tmp: Path) -> tuple[dict[str, int], dict[str, float]]:
    conn = await connect(url)
    shape = await _populate(conn)
    app = create_app(Settings(data_dir=tmp / "data"), url)
    stats_path = f"/api/v1/elections/{SLUG}/stats?stage=general"
    out: dict[str, float] = {}
    async with AsyncTestClient(app=app) as client:
        await _rate(client, "/health", 200)  # warm up both paths
        await _rate(client, stats_path, 20)
        out["health"] = await _rate(client, "/health", CACHED_REQUESTS)
        out["cached"] = await _rate(client, stats_path, CACHED_REQUESTS)
        out["health_16"] = await _concurrent(client, "/health", CACHED_REQUESTS)
        out["cached_16"] = await _concurrent(client, stats_path, CACHED_REQUESTS)
        votes = iter(range(10**9))

        async def change() -> None:
            await conn.execute("update results set votes = $2 where candidacy_id = $1 "
                               "and unit = 'Town 0' and party = 'Democratic'",
                               shape["candidacy"], next(votes))  # fmt: skip

        out["changed"] = await _rate(client, stats_path, CHANGED_REQUESTS, before=change)
    async with AsyncTestClient(app=Litestar([_ping])) as bare:
        await _rate(bare, "/ping", 200)
        out["ping"] = await _rate(bare, "/ping", CACHED_REQUESTS)
    t0 = time.perf_counter()
    for _ in range(50):
        await conn.fetchval("select figure_stats($1, 'general')::text", SLUG)
    out["sql_ms"] = (time.perf_counter() - t0) / 50 * 1000
    await conn.close()
    return shape, out


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedServer(Path(tmp) / "pg")
        try:
            url = server.url

            async def go() -> tuple[dict[str, int], dict[str, float]]:
                await migrate_url(url)
                return await _measure(url, Path(tmp))

            shape, out = asyncio.run(go())
        finally:
            server.stop()
    health = out["health"]
    return "\n".join([
        "## Stats endpoint (`bench/bench_stats.py`)",
        "",
        f"One process, requests through Litestar's AsyncTestClient; "
        f"{shape['contests']:,} contests, {shape['results']:,} result rows, "
        f"{shape['endorsements']:,} endorsements (five locals per candidacy).",
        "",
        "| request | requests/s | vs. /health |",
        "|---|---:|---:|",
        f"| GET /health (baseline: one `select 1`) | {health:,.0f} | 1.00 |",
        f"| GET .../stats, unchanged data (cache + one indexed check) | {out['cached']:,.0f} "
        f"| {out['cached'] / health:.2f} |",
        f"| GET /health, 16 in flight | {out['health_16']:,.0f} | 1.00 |",
        f"| GET .../stats, unchanged data, 16 in flight | {out['cached_16']:,.0f} "
        f"| {out['cached_16'] / out['health_16']:.2f} |",
        f"| GET .../stats, a result changed before every request | {out['changed']:,.0f} "
        f"| {out['changed'] / health:.2f} |",
        f"| harness ceiling: GET /ping on a bare Litestar app, no database | {out['ping']:,.0f} "
        f"| {out['ping'] / health:.2f} |",
        "",
        "Each stats request costs what /health costs (a pooled connection and one tiny query); "
        "the rest is the framework and the in-process test client, as the ceiling row shows. "
        "A change costs one recomputation per (election, stage) per process, not one per request.",
        "",
        f"`figure_stats()` alone (one SQL round trip, no HTTP): {out['sql_ms']:.1f} ms.",
    ])  # fmt: skip


if __name__ == "__main__":
    print(run())
