"""Reading back what an ingest wrote, the way a test wants to compare it."""

from __future__ import annotations

from typing import Any

import asyncpg

from endorse.results.accept import accept, list_held

Contest = tuple[str, str]


async def totals(conn: asyncpg.Connection) -> dict[Contest, dict[str, int]]:
    """(office, district) -> candidate -> votes summed over party lines (candidacy_totals)."""
    rows = await conn.fetch(
        """select c.office, c.district, ca.ballot_name, t.votes
             from candidacy_totals t
             join candidacies ca on ca.id = t.candidacy_id
             join contests c on c.id = t.contest_id"""
    )
    out: dict[Contest, dict[str, int]] = {}
    for r in rows:
        out.setdefault((r["office"], r["district"]), {})[r["ballot_name"]] = r["votes"]
    return out


async def reporting(conn: asyncpg.Connection) -> dict[Contest, tuple[Any, ...]]:
    """(office, district) -> (precincts reporting, total, status)."""
    rows = await conn.fetch(
        """select c.office, c.district, cs.precincts_reporting, cs.precincts_total, cs.status
             from contest_status cs join contests c on c.id = cs.contest_id"""
    )
    return {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows}


async def footprint(conn: asyncpg.Connection) -> dict[str, Any]:
    """Every row version a load could have written: equal footprints mean nothing was written."""
    return {
        # ordered by the whole row: results rows share (candidacy, party) across units
        table: await conn.fetch(f"select xmin::text, t.* from {table} t order by t::text")
        for table in ("results", "contest_status", "candidacies", "contests", "candidates")
    } | {
        "snapshots": await conn.fetchval("select count(*) from snapshots"),
        "source_state": await conn.fetch(
            "select id, etag, last_hash, last_snapshot_id, quarantined_snapshot_id from sources"
        ),
    }


async def accept_held(conn: asyncpg.Connection, note: str = "the canvass") -> list[str]:
    """Accept every open held correction, as a person confirming the canvass would: labels."""
    held = await list_held(conn)
    for x in held:
        await accept(conn, x.id, note=note, actor="test")
    return [x.label for x in held]
