"""Contests two sources disagree on: each source's last applied payload, compared contest by
contest after the same canonical identities the ingest applies (prepare.py).

The stored results hold one source per contest, so each source's own numbers are read back
from its last applied snapshot. A contest carried by two or more sources whose candidates'
totals differ is listed with every source's numbers; the source figures follow is the most
final one (certified > official > unofficial), and among equals the official election-night
feed (ct-sots, clarity) before a community file: the load guard keeps exactly that source's
numbers in the results (endorse.results.status_guard.rank, the one ranking), so the preferred
source here is the one the figures use (at an equal rank, the one loaded last).
"""

from __future__ import annotations

import asyncio
import zlib

import asyncpg

from endorse.db.queries import load
from endorse.elections.service import get_election
from endorse.results.prepare import ContestBatch, prepare
from endorse.results.schemas import Disagreement, Reconciliation, SourceTotals
from endorse.results.status_guard import rank
from scrapers import FORMATS

q = load("results")

ContestId = tuple[str, str, str, str]  # (stage, office, district, party)


def _totals(batch: ContestBatch) -> dict[str, int]:
    out: dict[str, int] = {}
    for (key, _line, _unit), votes in batch.votes.items():
        name = batch.candidacies[key].ballot_name
        out[name] = out.get(name, 0) + votes
    return out


def _read(row: asyncpg.Record) -> dict[ContestId, ContestBatch]:
    body = zlib.decompress(row["body"])
    parsed = FORMATS[row["format"]].parse(body, row["mapping"] or None)
    batches = prepare(parsed.records, primary=row["stage"] == "primary")
    return {(row["stage"], *key): batch for key, batch in batches.items()}


async def reconciliation(conn: asyncpg.Connection, slug: str) -> Reconciliation:
    """UnknownElection for an unknown slug; otherwise every contest in disagreement."""
    election = await get_election(conn, slug)
    rows = await conn.fetch(*q.reconcile_snapshots(election_id=election.id))
    seen: dict[ContestId, list[SourceTotals]] = {}
    latest = {row["source_id"]: row["snapshot_id"] for row in rows}
    for row in rows:
        for contest, batch in (await asyncio.to_thread(_read, row)).items():
            seen.setdefault(contest, []).append(
                SourceTotals(
                    source_id=row["source_id"],
                    format=row["format"],
                    version=row["version"],
                    status=batch.status,
                    totals=_totals(batch),
                )
            )
    disagreements = [
        Disagreement(
            stage=stage,
            office=office,
            district=district,
            party=party,
            # at an equal rank the latest load speaks, in the results and here
            preferred_source_id=max(
                sources, key=lambda s: (*rank(s.status, s.format), latest[s.source_id])
            ).source_id,
            sources=sources,
        )
        for (stage, office, district, party), sources in seen.items()
        if len(sources) > 1 and any(s.totals != sources[0].totals for s in sources[1:])
    ]
    return Reconciliation(
        election=slug,
        sources=len(rows),
        contests_compared=sum(1 for sources in seen.values() if len(sources) > 1),
        disagreements=disagreements,
    )
