"""Litestar guards: `Authorization: Bearer <token>` and a minimum role.

401 when the token is missing or unknown, 403 when its role is too low, 429 when the client
address sent too many unknown tokens lately (endorse.auth.limits). The principal is kept on the
connection state so handlers can name the actor in the audit log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.connection import ASGIConnection
from litestar.exceptions import (
    NotAuthorizedException,
    PermissionDeniedException,
    TooManyRequestsException,
)
from litestar.handlers.base import BaseRouteHandler

from endorse.auth.limits import BadTokens
from endorse.auth.peer import forwarded_client
from endorse.auth.tokens import Principal, Role, authenticate

Guard = Callable[[ASGIConnection, BaseRouteHandler], Awaitable[None]]


def _bearer(connection: ASGIConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def peer_address(connection: ASGIConnection) -> str:
    """The request's client address, with ENDORSE_TRUSTED_PROXIES applied (auth.peer)."""
    peer = connection.client.host if connection.client else "unknown"
    trusted = connection.app.state.settings.trusted_proxies
    return forwarded_client(peer, connection.headers.get("x-forwarded-for", ""), trusted)


async def token_principal(connection: ASGIConnection, token: str) -> Principal | None:
    """The token's principal, or None for an unknown one (counted against the address).

    Raises 429 without looking the token up while the address is held back."""
    address = peer_address(connection)
    limiter: BadTokens = connection.app.state.bad_tokens
    wait = limiter.retry_after(address)
    if wait:
        raise TooManyRequestsException(
            f"too many unknown tokens from this address; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    principal = await authenticate(connection.app.state.pool, token)
    if principal is None:
        limiter.failed(address)
    return principal


def requires(role: Role) -> Guard:
    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        token = _bearer(connection)
        if token is None:
            raise NotAuthorizedException("missing bearer token (Authorization: Bearer <token>)")
        principal = await token_principal(connection, token)
        if principal is None:
            raise NotAuthorizedException("unknown or revoked token")
        if not principal.can(role):
            raise PermissionDeniedException(
                f"this needs the {role} role; token has {principal.role}"
            )
        connection.state.principal = principal

    guard.__name__ = f"requires_{role}"
    return guard


async def provide_principal(request: ASGIConnection) -> Principal:
    """Dependency for guarded handlers: the authenticated principal."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        raise NotAuthorizedException("missing bearer token (Authorization: Bearer <token>)")
    return principal
