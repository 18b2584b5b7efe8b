"""Matching at scale: 5,000 endorsements onto a 302-contest ballot, against the plain import.

Baseline: importing the 5,000-row CSV when no ballot exists yet (nothing to match). Measured:
the ingest that brings the ballot and matches all 5,000 by itself, and a re-import onto the
matched ballot (nothing changes, nothing is matched again).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
import time
from pathlib import Path

from tests.integration.test_match_scale import ROWS, ballot, endorsements
from tests.results.night import SLUG

from endorse.db.embedded import EmbeddedServer
from endorse.db.migrate import migrate_url
from endorse.db.pool import connect
from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election, stage_id
from endorse.endorsements.importer import import_file
from endorse.results.ingest import apply_parsed


async def _measure(url: str) -> dict[str, float]:
    conn = await connect(url)
    try:
        day = dt.date(2026, 11, 3)
        await create_election(
            conn, ElectionCreate(SLUG, "Bench", day, [Stage("general", day)]), actor="bench"
        )
        stage = await stage_id(conn, SLUG, "general")
        body = endorsements()
        started = time.perf_counter()
        await import_file(conn, body, actor="bench", content_type="text/csv")
        plain = time.perf_counter() - started
        started = time.perf_counter()
        applied = await apply_parsed(conn, stage_id=stage, parsed=ballot())
        ingest = time.perf_counter() - started
        matched = await conn.fetchval(
            "select count(*) from endorsements where candidacy_id is not null"
        )
        started = time.perf_counter()
        await import_file(conn, body, actor="bench", content_type="text/csv")
        again = time.perf_counter() - started
        return {"plain": plain, "ingest": ingest, "matched": matched,
                "auto": applied.matched, "again": again}  # fmt: skip
    finally:
        await conn.close()


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedServer(Path(tmp) / "pg")
        try:

            async def go() -> dict[str, float]:
                await migrate_url(server.url)
                return await _measure(server.url)

            out = asyncio.run(go())
        finally:
            server.stop()
    plain = out["plain"]
    return "\n".join([
        "## Matching (`bench/bench_matching.py`)",
        "",
        f"{ROWS:,} endorsements (CSV import) and a 302-contest ballot with an opponent each; "
        f"{out['matched']:,.0f} matched automatically.",
        "",
        "| step | seconds | vs. plain import |",
        "|---|---:|---:|",
        f"| import, no ballot yet (baseline) | {plain:.2f} | 1.00 |",
        f"| ingest bringing the ballot, matching all {ROWS:,} | {out['ingest']:.2f} "
        f"| {out['ingest'] / plain:.2f} |",
        f"| re-import onto the matched ballot (unchanged) | {out['again']:.2f} "
        f"| {out['again'] / plain:.2f} |",
    ])  # fmt: skip


if __name__ == "__main__":
    print(run())
