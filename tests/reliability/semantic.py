"""Loading the semantic hostile fixtures through the real pipeline (what `results load` does)."""

from __future__ import annotations

from typing import Any

import asyncpg

from endorse.results.pipeline import PollResult, claimed, ingest_fetched
from endorse.results.sources import ensure_source
from scrapers import Fetched
from tests.reliability.make_semantic_fixtures import path

HTML_MAPPING = {
    "rows": "table.results tbody tr",
    "columns": {"office": 0, "district": 1, "candidate": 2, "party": 3, "votes": 4},
    "precincts": "#reporting b",
}
SEN, REP = ("State Senate", "5"), ("State Representative", "12")


async def source(conn: asyncpg.Connection, stage: int, fmt: str) -> int:
    """A source as staff register one (enabled), though these tests load it by hand."""
    source_id = await ensure_source(
        conn,
        stage_id=stage,
        format=fmt,
        url=f"https://results.example/brookfield/{fmt}",
        mapping=HTML_MAPPING if fmt == "html" else None,
        default_seconds=60,
        actor="test",
    )
    await conn.execute("update sources set enabled = true where id = $1", source_id)
    return source_id


async def load(
    conn: asyncpg.Connection, source_id: int, fmt: str, variant: str, **fetched: Any
) -> PollResult:
    """One fixture variant through claim, snapshot, parse, guards and apply."""
    body = path(fmt, variant).read_bytes()
    payload = Fetched(body=body, url=f"file://{fmt}/{variant}", headers={}, **fetched)
    return await claimed(conn, source_id, lambda src: ingest_fetched(conn, src, payload))


async def totals(conn: asyncpg.Connection) -> dict[tuple[str, str], dict[str, int]]:
    """(office as printed, district) -> candidate -> votes (candidacy_totals)."""
    rows = await conn.fetch(
        """select c.source_office, c.district, ca.ballot_name, t.votes
             from candidacy_totals t
             join candidacies ca on ca.id = t.candidacy_id
             join contests c on c.id = t.contest_id"""
    )
    out: dict[tuple[str, str], dict[str, int]] = {}
    for r in rows:
        office = r["source_office"].removesuffix(" " + r["district"])
        out.setdefault((office, r["district"]), {})[r["ballot_name"]] = r["votes"]
    return out
