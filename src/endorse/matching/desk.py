"""The review desk: each uncertain or missing match shown beside the ballot it is about.

A review card is one open review item with every candidate of its contest (votes, party lines,
the name score against the typed name, which one is proposed) and the matcher's reason. An
unmatched card is a live endorsement neither matched nor queued, with the candidates of the
contest(s) it can mean, so a person can pick one by hand (endorse.matching.pick).
"""

from __future__ import annotations

import asyncpg
import msgspec

from endorse.db.queries import load
from endorse.elections.service import UnknownElection
from endorse.matching.choose import BallotEntry, Decisions, choose, contest_key, contest_pool
from endorse.matching.names import Nicknames, parse_name, score
from endorse.matching.review import get_review, list_reviews
from endorse.matching.schemas import ReviewItem

q = load("review_desk")
fq = load("matching")


class Line(msgspec.Struct):
    party: str
    votes: int


class BallotCandidate(msgspec.Struct, kw_only=True):
    candidacy_id: int
    name: str
    parties: list[str]
    lines: list[Line]
    votes: int
    incumbent: bool
    write_in: bool
    score: int  # 0-100 against the typed name (endorse.matching.names.score)
    proposed: bool = False


class ContestChoice(msgspec.Struct, kw_only=True):
    contest_id: int
    office: str
    district: str
    party: str  # a primary's party, else ""
    precincts_reporting: int | None
    precincts_total: int | None
    candidates: list[BallotCandidate]


class ReviewCard(msgspec.Struct, kw_only=True):
    item: ReviewItem
    reason: str
    contests: list[ContestChoice]


class UnmatchedCard(msgspec.Struct, kw_only=True):
    endorsement_id: int
    election: str
    stage: str
    candidate: str
    party: str
    endorsed_by: str
    office: str
    district: str
    reason: str
    contests: list[ContestChoice]  # empty: no contest on this stage's ballot yet


async def _nicknames(conn: asyncpg.Connection) -> Nicknames:
    return Nicknames((r["nickname"], r["given"]) for r in await conn.fetch(*fq.nicknames()))


async def _decisions(conn: asyncpg.Connection, offices: list[str]) -> Decisions:
    rows = await conn.fetch(*fq.decisions_for_offices(offices=offices))
    return {
        (r["typed_key"], r["ballot_key"], r["office"], r["district"]): r["decision"] for r in rows
    }


async def _contests(
    conn: asyncpg.Connection, contest_ids: list[int], candidate: str, nicknames: Nicknames
) -> list[ContestChoice]:
    parsed = parse_name(candidate)
    contests: dict[int, ContestChoice] = {}
    for r in await conn.fetch(*q.contest_candidates(contest_ids=contest_ids)):
        contest = contests.setdefault(
            r["contest_id"],
            ContestChoice(
                contest_id=r["contest_id"],
                office=r["office"],
                district=r["district"],
                party=r["contest_party"],
                precincts_reporting=r["precincts_reporting"],
                precincts_total=r["precincts_total"],
                candidates=[],
            ),
        )
        lines = r["lines"] if not isinstance(r["lines"], str) else msgspec.json.decode(r["lines"])
        contest.candidates.append(
            BallotCandidate(
                candidacy_id=r["candidacy_id"],
                name=r["name"],
                parties=list(r["parties"]),
                lines=[Line(x["party"], x["votes"]) for x in lines],
                votes=r["votes"],
                incumbent=r["incumbent"],
                write_in=r["write_in"],
                score=score(parsed, r["name"], nicknames),
            )
        )
    return [contests[i] for i in contest_ids if i in contests]


def _reason(
    candidate: str, contests: list[ContestChoice], decisions: Decisions, nicknames: Nicknames
) -> str:
    """The matcher's own words for this name against these candidates (endorse.matching.choose)."""
    if not contests:
        return "no contest for this office and district on the ballot yet"
    office, district = contests[0].office, contests[0].district
    pool = [BallotEntry(c.candidacy_id, c.name, k.party) for k in contests for c in k.candidates]
    return choose(candidate, office, district, pool, decisions, nicknames).reason


async def review_cards(
    conn: asyncpg.Connection, *, election: str | None = None, limit: int = 200
) -> list[ReviewCard]:
    """Open review items, newest first, each beside its contest."""
    items = await list_reviews(conn, status="open", election=election, limit=limit)
    nicknames = await _nicknames(conn)
    decisions = await _decisions(conn, sorted({i.office for i in items}))
    cards = []
    for item in items:
        contest_id = await conn.fetchval(*q.review_contest(id=item.id))
        contests = await _contests(conn, [contest_id], item.candidate, nicknames)
        for contest in contests:
            for c in contest.candidates:
                c.proposed = c.candidacy_id == item.candidacy_id
        reason = _reason(item.candidate, contests, decisions, nicknames)
        cards.append(ReviewCard(item=item, reason=reason, contests=contests))
    return cards


async def review_card(conn: asyncpg.Connection, review_id: int) -> ReviewCard:
    """One review item (any status) beside its contest; ReviewNotFound when unknown."""
    item = await get_review(conn, review_id)
    nicknames = await _nicknames(conn)
    contest_id = await conn.fetchval(*q.review_contest(id=review_id))
    contests = await _contests(conn, [contest_id], item.candidate, nicknames)
    for contest in contests:
        for c in contest.candidates:
            c.proposed = c.candidacy_id == item.candidacy_id
    decisions = await _decisions(conn, [item.office])
    return ReviewCard(
        item=item,
        reason=_reason(item.candidate, contests, decisions, nicknames),
        contests=contests,
    )


async def contest_ids_for(
    conn: asyncpg.Connection, stage_id: int, stage: str, office: str, district: str, party: str
) -> list[int]:
    """The contests an endorsement can mean: its office and district (endorse.vocab identity),
    in a primary its party's contest when it names a party."""
    key = contest_key(office, district)
    matching = [r for r in await conn.fetch(*q.stage_contests(stage_id=stage_id))
                if (r["office"], r["district"]) == key]  # fmt: skip
    entries = [BallotEntry(r["id"], "", r["party"]) for r in matching]
    return [e.candidacy_id for e in contest_pool(entries, party, stage == "primary")]


async def unmatched_cards(conn: asyncpg.Connection, election: str) -> list[UnmatchedCard]:
    """Every stage's live endorsements that are neither matched nor waiting for review."""
    stages = await conn.fetch(*fq.election_stages(slug=election))
    if not stages:
        raise UnknownElection(f"election: no election with slug {election!r}")
    nicknames = await _nicknames(conn)
    cards = []
    for stage in stages:
        rows = await conn.fetch(*q.unmatched_of_stage(stage_id=stage["id"]))
        decisions = await _decisions(conn, sorted({contest_key(r["office"], r["district"])[0]
                                                   for r in rows}))  # fmt: skip
        for r in rows:
            ids = await contest_ids_for(
                conn, stage["id"], stage["kind"], r["office"], r["district"], r["party"]
            )
            contests = await _contests(conn, ids, r["candidate"], nicknames)
            office, district = contest_key(r["office"], r["district"])
            cards.append(
                UnmatchedCard(
                    endorsement_id=r["id"],
                    election=election,
                    stage=stage["kind"],
                    candidate=r["candidate"],
                    party=r["party"],
                    endorsed_by=r["endorsed_by"],
                    office=office,
                    district=district,
                    reason=_reason(r["candidate"], contests, decisions, nicknames),
                    contests=contests,
                )
            )
    return cards
