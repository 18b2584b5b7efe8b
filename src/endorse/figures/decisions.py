"""Staff decisions on top of the scraped results: call a race, exclude it, certify a stage,
mark a candidate incumbent; and undo each (withdraw).

The rows are table race_decisions (sql/0080); what each kind does to an outcome is SQL, beside
the rule it overrides (sql/functions/outcomes.sql, decisions.sql). This module checks the
request against the ballot, records the row and its audit entry in one transaction, and never
computes an outcome. At most one decision of a kind is in force per target: a second one is a
Conflict that names the first, to be withdrawn before another is made.
"""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.elections.schemas import StageKind
from endorse.elections.service import get_election, stage_id
from endorse.errors import Conflict, Invalid, NotFound
from endorse.figures.schemas import DecisionInForce, DecisionKind
from endorse.vocab import canonical_party, contest_identity

q = load("decisions")

# the staff forms say the same (maxlength); the reason is shown beside the race on public pages
REASON_MAX = 300


class Decision(DecisionInForce, kw_only=True):
    """One staff decision, in force (withdrawn_at null) or withdrawn."""

    withdrawn_by: str | None = None
    withdrawn_at: dt.datetime | None = None


class DecisionCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """call: candidacy_id (its contest is implied); exclude: contest_id and a reason; certify:
    the stage alone; incumbent: candidacy_id and incumbent (false corrects a feed)."""

    kind: DecisionKind
    stage: StageKind = "general"
    contest_id: int | None = None
    candidacy_id: int | None = None
    incumbent: bool = True
    reason: str = ""


class DecisionNotFound(NotFound):
    """No decision with that id in force in that election."""


async def decide(
    conn: asyncpg.Connection, slug: str, data: DecisionCreate, *, actor: str
) -> Decision:
    """Record one decision (audited). Invalid/NotFound name the field; Conflict when the same
    decision is already in force (or a call would name more winners than the race has seats)."""
    reason = " ".join(data.reason.split())
    if len(reason) > REASON_MAX:
        raise Invalid(f"reason: at most {REASON_MAX} characters (this one has {len(reason)})")
    async with conn.transaction():
        stage = await stage_id(conn, slug, data.stage)
        contest_id, candidacy_id, incumbent = await _target(conn, stage, data)
        if data.kind == "exclude" and not reason:
            raise Invalid("reason: say why the race leaves the figures (shown beside it)")
        if data.kind == "call":
            await _check_seats(conn, stage, contest_id, candidacy_id)
        try:
            async with conn.transaction():
                new_id = await conn.fetchval(
                    *q.insert_decision(
                        kind=data.kind,
                        stage_id=stage,
                        contest_id=contest_id,
                        candidacy_id=candidacy_id,
                        incumbent=incumbent,
                        reason=reason,
                        actor=actor,
                    )
                )
        except asyncpg.UniqueViolationError:
            raise Conflict(f"kind: {_already(data.kind)}; withdraw that decision first") from None
        decision = await get_decision(conn, slug, new_id)
        await record(
            conn,
            actor=actor,
            action=f"decision.{data.kind}",
            entity="race_decisions",
            entity_id=new_id,
            after=decision,
        )
        return decision


async def withdraw(
    conn: asyncpg.Connection, slug: str, decision_id: int, *, actor: str
) -> Decision:
    """Undo a decision in force (audited); the row stays, marked withdrawn."""
    async with conn.transaction():
        before = await get_decision(conn, slug, decision_id)
        if (
            await conn.fetchval(*q.withdraw_decision(id=decision_id, slug=slug, actor=actor))
            is None
        ):
            raise Conflict(f"decision: {decision_id} was already withdrawn")
        after = await get_decision(conn, slug, decision_id)
        await record(
            conn,
            actor=actor,
            action="decision.withdraw",
            entity="race_decisions",
            entity_id=decision_id,
            before=before,
            after=after,
        )
        return after


async def get_decision(conn: asyncpg.Connection, slug: str, decision_id: int) -> Decision:
    rows = await conn.fetch(*q.decisions(slug=slug, stage=None, id=decision_id, everything=True))
    if not rows:
        raise DecisionNotFound(f"decision: no decision {decision_id} in election {slug!r}")
    return msgspec.convert(dict(rows[0]), Decision)


async def list_decisions(
    conn: asyncpg.Connection, slug: str, stage: str | None = None, *, everything: bool = False
) -> list[Decision]:
    """Newest first; in force only unless `everything` (withdrawn ones too). UnknownElection."""
    if stage is not None:
        await stage_id(conn, slug, stage)
    rows = await conn.fetch(*q.decisions(slug=slug, stage=stage, id=None, everything=everything))
    if not rows and stage is None:
        await get_election(conn, slug)  # UnknownElection naming the slug
    return [msgspec.convert(dict(r), Decision) for r in rows]


async def in_force(
    conn: asyncpg.Connection,
    slug: str,
    kind: str,
    stage: str,
    *,
    contest_id: int | None = None,
    candidacy_id: int | None = None,
) -> Decision:
    """The decision of a kind in force for a target (what an undo withdraws), or NotFound."""
    for d in await list_decisions(conn, slug, stage):
        if d.kind != kind:
            continue
        if kind == "exclude" and d.contest_id != contest_id:
            continue
        if kind in ("call", "incumbent") and d.candidacy_id != candidacy_id:
            continue
        return d
    raise DecisionNotFound(f"decision: no {kind} decision in force for that {_target_word(kind)}")


async def find_contest(
    conn: asyncpg.Connection,
    slug: str,
    stage: str,
    office: str,
    district: str = "",
    party: str = "",
) -> int:
    """A contest by office and district as people write them (canonical forms, endorse.vocab)."""
    sid = await stage_id(conn, slug, stage)
    canonical, _level, where = contest_identity(office, district)
    found = await conn.fetchval(
        *q.find_contest(
            stage_id=sid,
            office=canonical,
            district=where,
            party=canonical_party(party) if party else "",
        )
    )
    if found is None:
        named = " ".join(filter(None, (canonical, where, party)))
        raise NotFound(f"contest: no {named!r} on the {stage} ballot of {slug}")
    return found


async def find_candidacy(conn: asyncpg.Connection, contest_id: int, name: str) -> int:
    """A contest's candidacy by its ballot name (case and spacing aside)."""
    rows = await conn.fetch(*q.find_candidacy(contest_id=contest_id, name=name))
    if len(rows) != 1:
        raise NotFound(f"candidate: no candidate {name!r} on the ballot of contest {contest_id}")
    return rows[0]["id"]


async def _target(
    conn: asyncpg.Connection, stage: int, data: DecisionCreate
) -> tuple[int | None, int | None, bool | None]:
    """(contest_id, candidacy_id, incumbent) the kind needs, checked against the stage's ballot."""
    if data.kind == "certify":
        return None, None, None
    if data.kind == "exclude":
        if data.contest_id is None:
            raise Invalid("contest_id: which race to exclude")
        if await conn.fetchrow(*q.contest_for_update(contest_id=data.contest_id, stage_id=stage)):
            return data.contest_id, None, None
        raise NotFound(f"contest_id: no contest {data.contest_id} on the {data.stage} ballot")
    if data.candidacy_id is None:
        raise Invalid(f"candidacy_id: which candidate to {_verb(data.kind)}")
    row = await conn.fetchrow(*q.candidacy_in_stage(candidacy_id=data.candidacy_id, stage_id=stage))
    if row is None:
        raise NotFound(f"candidacy_id: no candidacy {data.candidacy_id} on the {data.stage} ballot")
    if data.contest_id is not None and data.contest_id != row["contest_id"]:
        raise Invalid(
            f"contest_id: candidacy {data.candidacy_id} is not in contest {data.contest_id}"
        )
    return row["contest_id"], row["id"], (data.incumbent if data.kind == "incumbent" else None)


async def _check_seats(
    conn: asyncpg.Connection, stage: int, contest_id: int | None, candidacy_id: int | None
) -> None:
    """A race has as many called winners as it has seats (the contest row is locked)."""
    contest = await conn.fetchrow(*q.contest_for_update(contest_id=contest_id, stage_id=stage))
    calls = await conn.fetch(*q.calls_in_force(contest_id=contest_id))
    if len(calls) >= contest["slots"] and candidacy_id not in {c["id"] for c in calls}:
        named = ", ".join(f"{c['ballot_name']} (decision {c['id']})" for c in calls)
        raise Conflict(
            f"candidacy_id: the race is already called for {named}; withdraw that call first"
        )


def _verb(kind: str) -> str:
    return {"call": "call the race for", "incumbent": "mark"}.get(kind, kind)


def _already(kind: str) -> str:
    return {
        "call": "the race is already called for this candidate",
        "exclude": "the race is already excluded",
        "certify": "the stage is already certified",
        "incumbent": "this candidate's incumbency is already decided",
    }[kind]


def _target_word(kind: str) -> str:
    return {"exclude": "race", "certify": "stage"}.get(kind, "candidate")
