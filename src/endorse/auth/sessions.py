"""Who is signed in on a request: staff sessions, looked up below every part that asks.

The cookie holds 256 random bits; the database keeps only their sha256 (like API tokens), with
an expiry and a revocation time, so signing out or disabling an account takes effect at once in
every process. The CSRF token of a session is derived from the cookie value (an HMAC), so it
needs no storage and cannot be computed by a page that cannot read the cookie.

This lives in auth/ (not with the staff pages) because public readers ask it too: stage
visibility (auth.visibility) lets a signed-in person see what anonymous visitors may not.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets

import asyncpg
import msgspec
from litestar.connection import ASGIConnection

from endorse.auth.tokens import Principal, Role
from endorse.db.queries import load

q = load("staff")

COOKIE = "endorse_session"
LIFETIME = dt.timedelta(hours=12)  # a working day and an election night; then sign in again
_UNSET = object()


class StaffUser(msgspec.Struct, frozen=True, kw_only=True):
    """The signed-in person behind a request."""

    user_id: int
    session_id: int
    name: str
    role: Role
    csrf: str  # the token every form of this session must send back
    flash: str | None = None  # a message left by the previous request, shown once

    @property
    def actor(self) -> str:
        """The audit log's name for this person's writes."""
        return f"staff:{self.name}"

    def can(self, role: Role) -> bool:
        return self.principal().can(role)

    def principal(self) -> Principal:
        return Principal(name=self.actor, role=self.role)


def hash_session(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8")).digest()


def csrf_for(value: str) -> str:
    mac = hmac.new(value.encode("utf-8"), b"endorse-csrf", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def is_https(connection: ASGIConnection) -> bool:
    return connection.url.scheme == "https"


async def create_session(conn: asyncpg.Connection, user_id: int, peer: str) -> str:
    """A new session for the account; returns the cookie value (shown to no one else)."""
    value = secrets.token_urlsafe(32)
    await conn.execute(
        *q.insert_session(
            user_id=user_id,
            token_hash=hash_session(value),
            seconds=LIFETIME.total_seconds(),
            peer=peer,
        )
    )
    await conn.execute(*q.mark_signed_in(id=user_id))
    return value


async def revoke_session(conn: asyncpg.Connection, session_id: int) -> None:
    await conn.execute(*q.revoke_session(id=session_id))


async def current_staff(connection: ASGIConnection) -> StaffUser | None:
    """The person signed in on this request, or None; looked up once per request."""
    cached = connection.scope.get("endorse_staff", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    staff = None
    value = connection.cookies.get(COOKIE)
    if value and len(value) < 200:
        pool = connection.app.state.pool
        row = await pool.fetchrow(*q.session_user(token_hash=hash_session(value)))
        if row is not None:
            message = None
            # a flash is shown by the next full page, not by an htmx fragment or a form post
            if row["flash"] and connection.scope.get("method") == "GET" and not _htmx(connection):
                message = await pool.fetchval(*q.take_flash(id=row["session_id"]))
            if row["stale"]:
                await pool.execute(*q.touch_session(id=row["session_id"]))
            staff = StaffUser(
                user_id=row["user_id"],
                session_id=row["session_id"],
                name=row["name"],
                role=row["role"],
                csrf=csrf_for(value),
                flash=message,
            )
    connection.scope["endorse_staff"] = staff  # type: ignore[typeddict-unknown-key]
    return staff


def _htmx(connection: ASGIConnection) -> bool:
    return connection.headers.get("hx-request") == "true"
