"""Staff accounts: create, list, disable, change role; every change audited.

Bad input raises endorse.errors.Invalid, a taken name Conflict, an unknown name NotFound, each
with a message naming the field (the CLI exits 2 with it, the pages show it beside the field). Disabling an
account or changing its role revokes its sessions, so it takes effect on the next request.
"""

from __future__ import annotations

import datetime as dt

import asyncpg
import msgspec

from endorse.auth.audit import record
from endorse.auth.tokens import ROLES, Role
from endorse.db.queries import load
from endorse.errors import Conflict, Invalid, NotFound
from endorse.users import passwords

q = load("users")


class StaffAccount(msgspec.Struct, kw_only=True):
    id: int
    name: str
    role: Role
    created_at: dt.datetime
    disabled_at: dt.datetime | None
    last_sign_in_at: dt.datetime | None
    sessions: int  # live sessions now


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise Invalid("name: must not be empty")
    if len(name) > 100:
        raise Invalid("name: at most 100 characters")
    return name


def check_role(role: str) -> Role:
    if role not in ROLES:
        raise Invalid(f"role: must be one of {', '.join(ROLES)}")
    return role  # type: ignore[return-value]


async def create_user(
    conn: asyncpg.Connection, *, name: str, role: str, password: str, actor: str
) -> int:
    name, role = check_name(name), check_role(role)
    if problem := passwords.problem(password):
        raise Invalid(f"password: {problem}")
    hashed = await passwords.hash_password(password)
    async with conn.transaction():
        user_id = await conn.fetchval(*q.insert_user(name=name, role=role, password_hash=hashed))
        if user_id is None:
            raise Conflict(f"name: an account named {name!r} already exists")
        await record(
            conn,
            actor=actor,
            action="user.create",
            entity="staff_users",
            entity_id=user_id,
            after={"name": name, "role": role},
        )
    return user_id


async def list_users(conn: asyncpg.Connection) -> list[StaffAccount]:
    return [
        msgspec.convert(dict(r), StaffAccount, strict=False)
        for r in await conn.fetch(*q.list_users())
    ]


async def _locked(conn: asyncpg.Connection, name: str) -> asyncpg.Record:
    row = await conn.fetchrow(*q.user_by_name(name=name))
    if row is None:
        raise NotFound(f"name: no account named {name!r}")
    return await conn.fetchrow(*q.lock_user(id=row["id"]))


async def set_disabled(
    conn: asyncpg.Connection, name: str, *, disabled: bool = True, actor: str
) -> bool:
    """Disable (or enable) an account; False when it already was."""
    async with conn.transaction():
        row = await _locked(conn, name)
        if (row["disabled_at"] is not None) == disabled:
            return False
        await conn.execute(*q.set_disabled(id=row["id"], disabled=disabled))
        if disabled:
            await conn.execute(*q.revoke_user_sessions(user_id=row["id"]))
        await record(
            conn,
            actor=actor,
            action="user.disable" if disabled else "user.enable",
            entity="staff_users",
            entity_id=row["id"],
            before={"name": row["name"], "disabled": not disabled},
            after={"name": row["name"], "disabled": disabled},
        )
    return True


async def set_role(conn: asyncpg.Connection, name: str, role: str, *, actor: str) -> bool:
    """Change an account's role; False when it already had it."""
    role = check_role(role)
    async with conn.transaction():
        row = await _locked(conn, name)
        if row["role"] == role:
            return False
        await conn.execute(*q.set_role(id=row["id"], role=role))
        await conn.execute(*q.revoke_user_sessions(user_id=row["id"]))
        await record(
            conn,
            actor=actor,
            action="user.role",
            entity="staff_users",
            entity_id=row["id"],
            before={"name": row["name"], "role": row["role"]},
            after={"name": row["name"], "role": role},
        )
    return True
