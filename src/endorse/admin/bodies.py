"""Endorsing bodies: national -> state federation -> council -> local, each counting as its root.

A parent must rank strictly above its child, which keeps the tree the shape staff mean and
makes a cycle impossible without a separate check. Names are unique in any case.
A body named in an endorsement or an import that does not exist yet is created as a top-level
state federation (staff spreadsheets name bodies; refusing them would block every first
import); admins then set its kind and parent here.
"""

from __future__ import annotations

import asyncpg
import msgspec

from endorse.admin.schemas import Body, BodyCreate, BodyKind, BodyUpdate
from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.errors import Conflict, Invalid, NotFound

q = load("admin")
RANK: dict[str, int] = {"national": 0, "state_federation": 1, "council": 2, "local": 3}
DEFAULT_KIND: BodyKind = "state_federation"


async def list_bodies(conn: asyncpg.Connection) -> list[Body]:
    return [Body(**r) for r in await conn.fetch(*q.list_bodies(id=None))]


async def get_body(conn: asyncpg.Connection, body_id: int) -> Body:
    row = await conn.fetchrow(*q.list_bodies(id=body_id))
    if row is None:
        raise NotFound(f"body: no body with id {body_id}")
    return Body(**row)


async def _parent_id(conn: asyncpg.Connection, parent: str | None, kind: str) -> int | None:
    if parent is None:
        return None
    row = await conn.fetchrow(*q.body_by_name(name=" ".join(parent.split())))
    if row is None:
        raise Invalid(f"parent: no body named {parent!r}")
    if RANK[row["kind"]] >= RANK[kind]:
        raise Invalid(
            f"parent: a {row['kind']} ({row['name']!r}) cannot be the parent of a {kind}; "
            "parents rank above children (national > state_federation > council > local)"
        )
    return row["id"]


async def create_body(conn: asyncpg.Connection, data: BodyCreate, *, actor: str) -> Body:
    name = " ".join(data.name.split())
    async with conn.transaction():
        parent_id = await _parent_id(conn, data.parent, data.kind)
        body_id = await conn.fetchval(
            *q.insert_body(name=name, kind=data.kind, parent_id=parent_id)
        )
        if body_id is None:
            raise Conflict(f"name: a body named {name!r} already exists")
        body = await get_body(conn, body_id)
        await record(
            conn, actor=actor, action="body.create", entity="bodies", entity_id=body_id, after=body
        )
    return body


async def update_body(
    conn: asyncpg.Connection, body_id: int, data: BodyUpdate, *, actor: str
) -> Body:
    async with conn.transaction():
        row = await conn.fetchrow(*q.body_by_id(id=body_id))
        if row is None:
            raise NotFound(f"body: no body with id {body_id}")
        before = await get_body(conn, body_id)
        name = before.name if data.name is msgspec.UNSET else " ".join(data.name.split())
        kind = before.kind if data.kind is msgspec.UNSET else data.kind
        parent = before.parent if data.parent is msgspec.UNSET else data.parent
        if parent is not None and parent.strip().lower() == name.lower():
            raise Invalid("parent: a body cannot be its own parent")
        parent_id = await _parent_id(conn, parent, kind)
        for child_kind in await conn.fetch(*q.body_children_kinds(id=body_id)):
            if RANK[child_kind["kind"]] <= RANK[kind]:
                raise Invalid(
                    f"kind: a {kind} cannot have the {child_kind['kind']} bodies under it"
                )
        clash = await conn.fetchrow(*q.body_by_name(name=name))
        if clash is not None and clash["id"] != body_id:
            raise Conflict(f"name: a body named {name!r} already exists")
        await conn.execute(*q.update_body(id=body_id, name=name, kind=kind, parent_id=parent_id))
        after = await get_body(conn, body_id)
        if after != before:
            await record(
                conn,
                actor=actor,
                action="body.update",
                entity="bodies",
                entity_id=body_id,
                before=before,
                after=after,
            )
    return after


async def delete_body(conn: asyncpg.Connection, body_id: int, *, actor: str) -> None:
    async with conn.transaction():
        if await conn.fetchrow(*q.body_by_id(id=body_id)) is None:
            raise NotFound(f"body: no body with id {body_id}")
        before = await get_body(conn, body_id)
        use = await conn.fetchrow(*q.body_in_use(id=body_id))
        if use["endorsements"] or use["children"]:
            raise Conflict(
                f"body: {before.name!r} has {use['endorsements']} endorsement(s) (deleted ones"
                f" keep their history) and {use['children']} body(ies) under it; it stays"
            )
        await conn.execute(*q.delete_body(id=body_id))
        await record(
            conn,
            actor=actor,
            action="body.delete",
            entity="bodies",
            entity_id=body_id,
            before=before,
        )


async def find_or_create(conn: asyncpg.Connection, name: str, *, actor: str) -> int:
    """The id of the body with this name (any case), created top-level if new (audited)."""
    name = " ".join(name.split())
    row = await conn.fetchrow(*q.body_by_name(name=name))
    if row is not None:
        return row["id"]
    body_id = await conn.fetchval(*q.insert_body(name=name, kind=DEFAULT_KIND, parent_id=None))
    if body_id is None:  # created meanwhile by a concurrent request
        return (await conn.fetchrow(*q.body_by_name(name=name)))["id"]
    await record(
        conn,
        actor=actor,
        action="body.create",
        entity="bodies",
        entity_id=body_id,
        after={"name": name, "kind": DEFAULT_KIND, "parent": None, "auto": True},
    )
    return body_id
