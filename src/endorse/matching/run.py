"""match_stage(): point each endorsement of a stage at its ballot candidacy, or queue it.

Runs in one transaction under a per-stage advisory lock. Endorsements a person matched
(match_method 'confirmed' or 'manual') are left alone while their candidacy exists; the rest
are decided again from the current ballot (endorse.matching.choose), and only rows whose
(candidacy, method) changed are written, each with an audit row; those writes are
collected and made in two statements at the end of the run (one UPDATE, one pipelined audit
insert), not two round trips per endorsement, which were most of the cost at 5,000. Uncertain matches become
review items (at most one open per endorsement); proposals that no longer apply go stale.
It runs by itself after imports, edits and ingests that change the ballot (see
endorse.matching.auto); running it twice in a row changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import asyncpg

from endorse.auth.audit import record, record_many
from endorse.db.queries import load
from endorse.elections.service import UnknownElection
from endorse.matching.choose import (
    BallotEntry,
    Choice,
    Decisions,
    choose,
    contest_key,
    contest_pool,
)
from endorse.matching.names import Nicknames
from endorse.matching.schemas import MatchChange, MatchReport, Unmatched

q = load("matching")
MATCHER = "matcher"  # audit actor when matching runs by itself (after an import or ingest)
_PEOPLE = ("confirmed", "manual")
_KEEP = Choice(None, None, 0, "", False, None, "matched by a person")

Ballot = dict[tuple[str, str], list[BallotEntry]]  # (office, district) -> candidacies


async def _ballot(conn: asyncpg.Connection, stage_id: int) -> Ballot:
    ballot: Ballot = {}
    for row in await conn.fetch(*q.stage_ballot(stage_id=stage_id)):
        entry = BallotEntry(row["candidacy_id"], row["ballot_name"], row["party"])
        ballot.setdefault((row["office"], row["district"]), []).append(entry)
    return ballot


async def _decisions(conn: asyncpg.Connection, offices: list[str]) -> Decisions:
    rows = await conn.fetch(*q.decisions_for_offices(offices=offices))
    return {
        (r["typed_key"], r["ballot_key"], r["office"], r["district"]): r["decision"] for r in rows
    }


def _change(row: asyncpg.Record, office: str, district: str, choice: Choice) -> MatchChange:
    return MatchChange(
        endorsement_id=row["id"],
        candidate=row["candidate"],
        office=office,
        district=district,
        candidacy_id=choice.review_id if choice.review else choice.candidacy_id,
        ballot_name=choice.ballot_name,
        method=choice.method,
        score=choice.score,
        reason=choice.reason,
    )


async def _queue(
    conn: asyncpg.Connection,
    row: asyncpg.Record,
    choice: Choice,
    open_review: tuple | None,
    actor: str,
) -> None:
    """Keep one open review per endorsement: the current proposal, or none."""
    wanted = choice.review_id if choice.review else None
    if open_review is not None and open_review[1] == wanted:
        return
    if open_review is not None:
        await conn.execute(*q.close_review(id=open_review[0], status="stale", actor=actor))
        await record(
            conn,
            actor=actor,
            action="match_review.stale",
            entity="match_reviews",
            entity_id=open_review[0],
        )
    if wanted is not None:
        review_id = await conn.fetchval(
            *q.insert_review(
                endorsement_id=row["id"],
                candidacy_id=wanted,
                score=choice.score,
                candidate=row["candidate"],
                ballot_name=choice.ballot_name,
            )
        )
        await record(
            conn,
            actor=actor,
            action="match_review.create",
            entity="match_reviews",
            entity_id=review_id,
            after={"endorsement_id": row["id"], "candidacy_id": wanted, "score": choice.score},
        )


async def match_stage(
    conn: asyncpg.Connection,
    stage_id: int,
    *,
    actor: str = MATCHER,
    only: Collection[int] | None = None,
) -> MatchReport:
    """Match every live endorsement of one stage (or the ones in `only`); returns what changed
    and what waits. Rows whose match stays the same are not written (no version, no audit)."""
    async with conn.transaction():
        await conn.execute(*q.lock_stage_matching(stage_id=stage_id))
        stage = await conn.fetchrow(*q.stage_of(stage_id=stage_id))
        if stage is None:
            raise UnknownElection(f"stage: no stage with id {stage_id}")
        kind = stage["kind"]
        ballot = await _ballot(conn, stage_id)
        nicknames = Nicknames((r["nickname"], r["given"]) for r in await conn.fetch(*q.nicknames()))
        decisions = await _decisions(conn, sorted({office for office, _ in ballot}))
        reviews = {
            r["endorsement_id"]: (r["id"], r["candidacy_id"])
            for r in await conn.fetch(*q.open_reviews_of_stage(stage_id=stage_id))
        }
        rows = await conn.fetch(*q.stage_endorsements(stage_id=stage_id))
        if only is not None:
            wanted = frozenset(only)
            rows = [r for r in rows if r["id"] in wanted]
        report = MatchReport(stage["slug"], kind, len(rows), 0, [], [], [])
        writes: list[tuple[int, int | None, str | None, dict[str, Any]]] = []
        for row in rows:
            office, district = contest_key(row["office"], row["district"])
            if row["match_method"] in _PEOPLE and row["candidacy_id"] is not None:
                report.matched += 1
                await _queue(conn, row, _KEEP, reviews.get(row["id"]), actor)
                continue
            pool = contest_pool(ballot.get((office, district), []), row["party"], kind == "primary")
            if pool:
                choice = choose(row["candidate"], office, district, pool, decisions, nicknames)
            else:
                where = f"{office} {district}".strip()
                choice = Choice(
                    None, None, 0, "", False, None, f"no {where} contest on this ballot"
                )
            _apply(row, office, district, choice, actor, report, writes)
            await _queue(conn, row, choice, reviews.get(row["id"]), actor)
        if writes:
            ids, candidacies, methods, audits = zip(*writes, strict=True)
            await conn.execute(
                *q.set_matches(
                    ids=list(ids),
                    candidacy_ids=list(candidacies),
                    methods=list(methods),
                    actor=actor,
                )
            )
            await record_many(conn, list(audits))
        return report


def _apply(
    row: asyncpg.Record,
    office: str,
    district: str,
    choice: Choice,
    actor: str,
    report: MatchReport,
    writes: list[tuple[int, int | None, str | None, dict[str, Any]]],
) -> None:
    """Report the decision; when it changes the row, add the write and its audit row."""
    before = {"candidacy_id": row["candidacy_id"], "match_method": row["match_method"]}
    after = {"candidacy_id": choice.candidacy_id, "match_method": choice.method}
    item = _change(row, office, district, choice)
    if choice.candidacy_id is not None:
        report.matched += 1
    elif choice.review:
        report.review.append(item)
    else:
        report.unmatched.append(
            Unmatched(row["id"], row["candidate"], office, district, choice.reason)
        )
    if before == after:
        return
    audit = {
        "actor": actor,
        "action": "endorsement.match",
        "entity": "endorsements",
        "entity_id": row["id"],
        "before": before,
        "after": {
            **after,
            "score": choice.score,
            "ballot_name": choice.ballot_name,
            "reason": choice.reason,
        },
    }
    writes.append((row["id"], choice.candidacy_id, choice.method, audit))
    report.changed.append(item)


async def match_election(
    conn: asyncpg.Connection, slug: str, *, stage: str | None = None, actor: str = MATCHER
) -> list[MatchReport]:
    """match_stage() for every stage of an election (or the one named)."""
    stages = await conn.fetch(*q.election_stages(slug=slug))
    if not stages:
        raise UnknownElection(f"election: no election with slug {slug!r}")
    chosen = [s for s in stages if stage is None or s["kind"] == stage]
    if not chosen:
        raise UnknownElection(f"stage: election {slug!r} has no {stage!r} stage")
    return [await match_stage(conn, s["id"], actor=actor) for s in chosen]
