"""The public reads: an election with its sources, and its contests with results."""

from __future__ import annotations

import asyncpg
import msgspec

from endorse.db.queries import load
from endorse.elections.service import UnknownElection, get_election
from endorse.results.public import public
from endorse.results.schemas import (
    Contest,
    ContestCandidate,
    ContestNoteOut,
    ContestPage,
    ElectionResults,
    Source,
    SourceUpdate,
)
from endorse.results.sources import list_sources

q = load("results")


def _warnings(sources: list[Source]) -> list[str]:
    lines = [f"source {s.id} ({s.format}): {s.warning}" for s in sources if s.warning]
    lines += [
        f"source {s.id} ({s.format}): {s.last_error}"
        for s in sources
        if s.last_error and not s.warning
    ]
    return lines


async def election_results(
    conn: asyncpg.Connection, slug: str, *, full_urls: bool = False
) -> ElectionResults:
    """Public: the sources' trouble in fixed words (results.public), never their error text;
    their URLs without credentials or query string unless `full_urls` (staff, tokens)."""
    election = await get_election(conn, slug)
    sources = [public(s, full_url=full_urls) for s in await list_sources(conn, slug)]
    return ElectionResults(election=election, sources=sources, warnings=_warnings(sources))


async def contest_page(conn: asyncpg.Connection, slug: str, stage: str | None) -> ContestPage:
    """UnknownElection when the slug, or the stage of that election, does not exist."""
    election = await get_election(conn, slug)
    if stage is not None and stage not in {s.kind for s in election.stages}:
        raise UnknownElection(f"stage: election {slug!r} has no {stage!r} stage")
    args = {"election_id": election.id, "stage": stage}
    candidates: dict[int, list[ContestCandidate]] = {}
    for row in await conn.fetch(*q.election_candidacies(**args)):
        candidates.setdefault(row["contest_id"], []).append(
            msgspec.convert(dict(row.items()), ContestCandidate, strict=False)
        )
    notes: dict[int, list[ContestNoteOut]] = {}
    for row in await conn.fetch(*q.election_contest_notes(**args)):
        notes.setdefault(row["contest_id"], []).append(
            ContestNoteOut(source_id=row["source_id"], kind=row["kind"], detail=row["detail"])
        )
    contests = [
        Contest(
            **dict(row.items()),
            total_votes=sum(c.votes for c in candidates.get(row["id"], [])),
            candidates=candidates.get(row["id"], []),
            notes=notes.get(row["id"], []),
        )
        for row in await conn.fetch(*q.election_contests(**args))
    ]
    sources = [
        SourceUpdate(
            id=s.id,
            format=s.format,
            last_success_at=s.last_success_at,
            as_of=s.as_of,
            warning=s.warning,
        )
        for s in map(public, await list_sources(conn, slug))
        if stage is None or s.stage == stage
    ]
    return ContestPage(election=slug, stage=stage, sources=sources, contests=contests)
