"""Changing endorsements: create, update (PUT/PATCH), rescind and soft-delete, each audited.

Every change runs in one transaction: lock the row, check If-Match against its version,
write, and record the audit row with before/after images. The version itself is bumped by the
database trigger (sql/functions/endorsements.sql), and only when something really changed, so an edit that changes
nothing keeps the ETag and writes no history and no audit row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import asyncpg
import msgspec

from endorse.admin.bodies import find_or_create
from endorse.auth.audit import record
from endorse.endorsements import rules
from endorse.endorsements.schemas import (
    Endorsement,
    EndorsementCreate,
    EndorsementReplace,
    EndorsementUpdate,
    Rescind,
)
from endorse.endorsements.service import check_if_match, q, row_of, to_endorsement
from endorse.errors import Conflict, Invalid, NotFound
from endorse.matching import auto

# what the matcher reads: an edit of any of these matches the endorsement again
_MATCHED_ON = ("stage_id", "office", "office_typed", "district", "candidate", "party")


class Fields(msgspec.Struct, kw_only=True):
    """An endorsement's editable content before the rules are applied."""

    election: str
    stage: str
    office: str
    office_typed: str | None
    candidate: str
    endorsed_by: str
    endorsed_on: dt.date
    district: str = ""
    party: str = ""
    notes: str = ""
    late_ok: bool = False
    rescinded_on: dt.date | None = None
    rescind_reason: str | None = None


async def _values(conn: asyncpg.Connection, f: Fields, *, actor: str) -> dict[str, Any]:
    """Query parameters for a write, after every rule in endorse.endorsements.rules."""
    row = await conn.fetchrow(*q.stage_by_slug(slug=f.election, kind=f.stage))
    if row is None:
        raise Invalid(f"election: no election with slug {f.election!r}")
    if row["stage_id"] is None:
        raise Invalid(f"stage: election {f.election!r} has no {f.stage!r} stage")
    late = rules.is_late(f.endorsed_on, row["election_day"])
    if late and not f.late_ok:
        raise Invalid(
            "endorsed_on: " + rules.late_reason(f.endorsed_on, f.stage, row["election_day"])
        )
    candidate = rules.collapse(f.candidate)
    office = rules.collapse(f.office)
    if not candidate:
        raise Invalid("candidate: must not be empty")
    if not office or not rules.collapse(f.endorsed_by):
        raise Invalid(("office" if not office else "endorsed_by") + ": is empty")
    reason = rules.collapse(f.rescind_reason or "") or None
    problem = rules.rescind_reason_problem(f.endorsed_on, f.rescinded_on, reason)
    if problem:
        raise Invalid(f"{problem[0]}: {problem[1]}")
    office, district = rules.identity(office, f.district)
    return {
        "stage_id": row["stage_id"],
        "body_id": await find_or_create(conn, f.endorsed_by, actor=actor),
        "office": office,
        "office_typed": f.office_typed,
        "district": district,
        "candidate": candidate,
        "party": rules.party(f.party),
        "endorsed_on": f.endorsed_on,
        "notes": f.notes.strip(),
        "late_ok": late,  # only a late endorsement carries the flag
        "rescinded_on": f.rescinded_on,
        "rescind_reason": reason,
        "actor": actor,
    }


async def _conflict(conn: asyncpg.Connection, values: dict[str, Any]) -> Conflict:
    keys = ("stage_id", "body_id", "office", "district", "candidate")
    holder = await conn.fetchval(*q.identity_holder(**{k: values[k] for k in keys}))
    return Conflict(
        f"candidate: {values['candidate']!r} is already endorsed by this body for this office,"
        f" district and stage (endorsement {holder}); edit that one instead"
    )


async def create(conn: asyncpg.Connection, data: EndorsementCreate, *, actor: str) -> Endorsement:
    fields = Fields(**msgspec.structs.asdict(data), office_typed=rules.collapse(data.office))
    async with conn.transaction():
        values = await _values(conn, fields, actor=actor)
        del values["rescinded_on"], values["rescind_reason"]
        await auto.hold(conn, [values["stage_id"]])  # before any endorsement row (matching.auto)
        new_id = await conn.fetchval(*q.insert_endorsement(**values))
        if new_id is None:
            raise await _conflict(conn, values)
        after = await row_of(conn, new_id)
        await record(
            conn,
            actor=actor,
            action="endorsement.create",
            entity="endorsements",
            entity_id=new_id,
            after=after,
        )
        await auto.after_edit(conn, values["stage_id"], new_id)
        after = await row_of(conn, new_id)  # matched: the ETag returned is the current one
    return to_endorsement(after)


def _current(row: dict[str, Any]) -> Fields:
    return msgspec.convert(row, Fields, strict=False)


async def update(
    conn: asyncpg.Connection,
    endorsement_id: int,
    data: EndorsementUpdate | EndorsementReplace | Rescind,
    *,
    if_match: str | None,
    actor: str,
    action: str = "endorsement.update",
) -> Endorsement:
    async with conn.transaction():
        await auto.hold_for_endorsement(conn, endorsement_id)  # before the row lock
        version = await conn.fetchval(*q.lock_endorsement(id=endorsement_id))
        if version is None:
            raise NotFound(f"endorsement: no endorsement with id {endorsement_id}")
        check_if_match(if_match, endorsement_id, version)
        before = await row_of(conn, endorsement_id)
        fields = _current(before)
        if isinstance(data, Rescind):
            if before["rescinded_on"] is not None:
                raise Conflict(
                    f"rescinded_on: already rescinded on {before['rescinded_on']}; "
                    "PATCH rescinded_on/rescind_reason to change it"
                )
            fields.rescinded_on, fields.rescind_reason = data.rescinded_on, data.reason
        else:
            given = {
                k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET
            }
            # another spelling of the same office is no change (the import treats it alike)
            if "office" in given and rules.office(rules.collapse(given["office"])) != fields.office:
                given["office_typed"] = rules.collapse(given["office"])
            fields = msgspec.structs.replace(fields, **given)
        values = await _values(conn, fields, actor=actor)
        try:
            async with conn.transaction():  # a savepoint, so the 409 can still name the holder
                new_version = await conn.fetchval(
                    *q.update_endorsement(id=endorsement_id, **values)
                )
        except asyncpg.UniqueViolationError:
            raise await _conflict(conn, values) from None
        after = await row_of(conn, endorsement_id)
        if new_version != version:
            await record(
                conn,
                actor=actor,
                action=action,
                entity="endorsements",
                entity_id=endorsement_id,
                before=before,
                after=after,
            )
        if any(before[k] != after[k] for k in _MATCHED_ON):
            await auto.after_edit(conn, after["stage_id"], endorsement_id)
            after = await row_of(conn, endorsement_id)
    return to_endorsement(after)


async def delete(
    conn: asyncpg.Connection, endorsement_id: int, *, if_match: str | None, actor: str
) -> None:
    """Soft delete: the endorsement leaves every list and rate; its history stays."""
    async with conn.transaction():
        version = await conn.fetchval(*q.lock_endorsement(id=endorsement_id))
        if version is None:
            raise NotFound(f"endorsement: no endorsement with id {endorsement_id}")
        check_if_match(if_match, endorsement_id, version)
        before = await row_of(conn, endorsement_id)
        await conn.execute(*q.soft_delete_endorsement(id=endorsement_id, actor=actor))
        await record(
            conn,
            actor=actor,
            action="endorsement.delete",
            entity="endorsements",
            entity_id=endorsement_id,
            before=before,
        )
