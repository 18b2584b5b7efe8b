"""Token administration over HTTP: create (shown once), list (never the secret), revoke.

Revoking the last working admin token is refused: nobody could manage tokens over HTTP after
it (`endorse tokens create` on the server would still work).
"""

from __future__ import annotations

import asyncpg

from endorse.admin.schemas import Token, TokenCreate, TokenCreated
from endorse.auth.audit import record
from endorse.auth.tokens import create_token
from endorse.db.queries import load
from endorse.errors import Conflict, Invalid, NotFound

q = load("admin")


async def create(conn: asyncpg.Connection, data: TokenCreate, *, actor: str) -> TokenCreated:
    name = data.name.strip()
    try:
        token = await create_token(conn, name=name, role=data.role, actor=actor)
    except (Invalid, Conflict) as exc:
        raise type(exc)(f"name: {exc}") from None
    return TokenCreated(name=name, role=data.role, token=token)


async def list_tokens(conn: asyncpg.Connection) -> list[Token]:
    return [Token(**r) for r in await conn.fetch(*q.list_tokens())]


async def revoke(conn: asyncpg.Connection, name: str, *, actor: str) -> None:
    """Revoke by name; revoking a revoked token changes nothing (and writes no audit row)."""
    async with conn.transaction():
        row = await conn.fetchrow(*q.token_by_name(name=name))
        if row is None:
            raise NotFound(f"name: no token named {name!r}")
        if row["revoked_at"] is not None:
            return
        if row["role"] == "admin" and not await conn.fetchval(*q.other_active_admins(name=name)):
            raise Conflict(
                f"name: {name!r} is the last working admin token; create another admin first"
            )
        await conn.execute(*q.revoke_token(id=row["id"]))
        await record(
            conn,
            actor=actor,
            action="token.revoke",
            entity="api_tokens",
            entity_id=row["id"],
            before={"name": name, "role": row["role"]},
            after={"name": name, "role": row["role"], "revoked": True},
        )
