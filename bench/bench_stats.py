"""Stats over a real socket to a real server process, against a hello-world route in the same app.

The server is the app as `endorse serve` runs it (uvicorn, one process; bench/_serve.py adds
GET /bench/hello). The load generator is a bounded asyncio HTTP/1.1 client with keep-alive
connections (and wrk too, when installed), in this process, on 127.0.0.1; each path gets the
same client, connection count and request count, interleaved, median of 3. The stats endpoint
is measured on a statewide-sized general election: 3,000 contests, ~170,000 result rows
(fusion lines x towns), 400 endorsed candidacies (five locals each, some withdrawn/rescinded/
unmatched); unchanged data is served from the per-process cache after one indexed check.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import re
import shutil
import subprocess
import time

import asyncpg

from bench._common import QUICK, REPEATS, database, embedded, median, verdict
from bench._serve import HELLO, running
from endorse.db.migrate import migrate_url
from endorse.db.pool import connect

SLUG = "2018-ct-general"
DAY = dt.date(2018, 11, 6)
CONTESTS, TOWNS, ENDORSED = (600 if QUICK else 3_000), 20, 400
REQUESTS = 500 if QUICK else 2_500  # per path per run
CONNECTIONS = 16
TIME_CAP = 30.0  # seconds: a run stops by itself even if the server stalls


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
        columns=["stage_id", "body_id", "office", "district", "candidate", "candidacy_id",
                 "endorsed_on", "rescinded_on", "created_by", "updated_by"])  # fmt: skip
    await conn.execute("analyze")
    return {"contests": len(contests), "results": len(results), "endorsements": len(endorsements),
            "candidacy": cds[0]["id"]}  # fmt: skip


_LENGTH = re.compile(rb"content-length:\s*(\d+)", re.IGNORECASE)


async def _load(port: int, path: str, requests: int, connections: int = CONNECTIONS) -> float:
    """Requests/s: `requests` GETs over `connections` keep-alive connections, bounded in time."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    deadline = time.monotonic() + TIME_CAP
    done = 0

    async def client(count: int) -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for _ in range(count):
                if time.monotonic() > deadline:
                    return
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                if head[9:12] != b"200":
                    raise RuntimeError(f"{path}: {head[:200]!r}")
                length = _LENGTH.search(head)
                await reader.readexactly(int(length[1]) if length else 0)
                done += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(requests // connections) for _ in range(connections)))
    return done / (time.perf_counter() - started)


def _wrk(port: int, path: str) -> float | None:
    """wrk's requests/s (1 thread, same connection count, 3 s), or None when wrk is absent."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    out = subprocess.run([wrk, "-t1", f"-c{CONNECTIONS}", "-d3s", f"http://127.0.0.1:{port}{path}"],
                         capture_output=True, text=True, timeout=30, check=False).stdout  # fmt: skip
    found = re.search(r"Requests/sec:\s*([\d.]+)", out)
    return float(found[1]) if found else None


async def _populated(url: str) -> tuple[dict[str, int], float]:
    await migrate_url(url)
    conn = await connect(url)
    try:
        shape = await _populate(conn)
        t0 = time.perf_counter()
        for _ in range(20):
            await conn.fetchval("select figure_stats($1, 'general')::text", SLUG)
        return shape, (time.perf_counter() - t0) / 20 * 1000
    finally:
        await conn.close()


def measure() -> tuple[dict[str, int], float, dict[str, float], dict[str, float | None]]:
    stats_path = f"/api/v1/elections/{SLUG}/stats?stage=general"
    paths = {"hello": HELLO, "health": "/health", "stats": stats_path}
    with embedded() as (admin, _tmp):
        url = asyncio.run(database(admin, "bench_stats"))
        shape, sql_ms = asyncio.run(_populated(url))
        with running("app", url) as port:

            async def go() -> dict[str, list[float]]:
                for path in paths.values():  # warm up: imports, pool, the stats cache
                    await _load(port, path, 200)
                runs: dict[str, list[float]] = {}
                for _ in range(REPEATS):
                    for name, path in paths.items():
                        runs.setdefault(name, []).append(await _load(port, path, REQUESTS))
                return runs

            runs = asyncio.run(go())
            wrk = {name: _wrk(port, path) for name, path in paths.items()}
    return shape, sql_ms, {k: median(v) for k, v in runs.items()}, wrk


def run() -> str:
    shape, sql_ms, rps, wrk = measure()
    hello = rps["hello"]
    ratio = rps["stats"] / hello
    lines = [
        "## Stats endpoint over a real socket (`bench/bench_stats.py`)",
        "",
        f"One uvicorn process serving the app; {shape['contests']:,} contests, "
        f"{shape['results']:,} result rows, {shape['endorsements']:,} endorsements. Client: "
        f"bounded asyncio HTTP/1.1, {CONNECTIONS} keep-alive connections, {REQUESTS:,} requests "
        f"per path per run, median of {REPEATS}, in the bench process on the same 2 cores.",
        "",
        "| request | requests/s | vs. hello-world | goal | |",
        "|---|---:|---:|---|---|",
        f"| GET {HELLO} (baseline: hello-world route in the same app) | {hello:,.0f} | 1.00x | | |",
        f"| GET /health (one `select 1`) | {rps['health']:,.0f} | {rps['health'] / hello:.2f}x | | |",
        f"| GET .../stats, unchanged data (cache + one indexed check) | {rps['stats']:,.0f} "
        f"| {ratio:.2f}x | >= 0.6x | {verdict(ratio >= 0.6)} |",
    ]
    if wrk["hello"] and wrk["stats"]:
        w = wrk["stats"] / wrk["hello"]
        lines.append(f"| wrk -t1 -c{CONNECTIONS} -d3s: stats vs hello | {wrk['stats']:,.0f} vs "
                     f"{wrk['hello']:,.0f} | {w:.2f}x | >= 0.6x | {verdict(w >= 0.6)} |")  # fmt: skip
    else:
        lines.append("| wrk | not installed: skipped | | | |")
    lines += ["", f"`figure_stats()` alone (the recomputation after a change, one SQL round trip, "
              f"no HTTP): {sql_ms:.1f} ms."]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
