"""API tokens: random, shown once, stored as a sha256 hash.

A sha256 (not a slow password hash) is right here because tokens are 256 random bits: there is
nothing to brute-force, and every authenticated request pays for the hash.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Literal

import asyncpg
import msgspec

from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.errors import Conflict, Invalid

Role = Literal["viewer", "editor", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "editor", "admin")
_RANK = {role: i for i, role in enumerate(ROLES)}
PREFIX = "end_"
q = load("auth")


class Principal(msgspec.Struct, frozen=True):
    """Who is making a request: the token's name and role."""

    name: str
    role: Role

    def can(self, role: Role) -> bool:
        return _RANK[self.role] >= _RANK[role]


def hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


async def create_token(conn: asyncpg.Connection, *, name: str, role: Role, actor: str) -> str:
    """Store a new token's hash and return the token; it cannot be recovered later."""
    if role not in _RANK:
        raise Invalid(f"role must be one of {', '.join(ROLES)}")
    if not name.strip():
        raise Invalid("name must not be empty")
    token = PREFIX + secrets.token_urlsafe(32)
    async with conn.transaction():
        exists = await conn.fetchval(*q.token_exists(name=name))
        if exists:
            raise Conflict(f"a token named {name!r} already exists")
        token_id = await conn.fetchval(
            *q.insert_token(name=name, role=role, token_hash=hash_token(token))
        )
        await record(
            conn,
            actor=actor,
            action="token.create",
            entity="api_tokens",
            entity_id=token_id,
            after={"name": name, "role": role},
        )
    return token


async def authenticate(conn: asyncpg.Connection | asyncpg.Pool, token: str) -> Principal | None:
    row = await conn.fetchrow(*q.authenticate(token_hash=hash_token(token)))
    return None if row is None else Principal(name=row["name"], role=row["role"])
