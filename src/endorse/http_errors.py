"""The one place a domain error (endorse.errors) becomes an HTTP answer.

The body is the one Litestar gives its own HTTP exceptions ({"status_code", "detail"}), so a
client sees one shape for every 4xx whoever raised it.
"""

from __future__ import annotations

import logging

import asyncpg
from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.exceptions.responses import create_exception_response
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from endorse.db.pool import DB_UNAVAILABLE
from endorse.errors import (
    Conflict,
    DomainError,
    Invalid,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)

# most specific first: PreconditionRequired is a PreconditionFailed
STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (Invalid, 400),
    (Conflict, 409),
    (PreconditionRequired, 428),
    (PreconditionFailed, 412),
)


def status_of(exc: DomainError) -> int:
    return next((code for kind, code in STATUS if isinstance(exc, kind)), 400)


def domain_error_handler(request: Request, exc: DomainError) -> Response:
    headers = {"ETag": exc.etag} if isinstance(exc, PreconditionFailed) and exc.etag else None
    http = HTTPException(detail=str(exc), status_code=status_of(exc), headers=headers)
    return create_exception_response(request, http)


log = logging.getLogger("endorse.errors")
DB_RETRY_SECONDS = 5


def database_away(exc: BaseException) -> bool:
    """Did this fail because the database went away? Looks down the chain too: a transaction
    whose connection died re-raises on rollback ("the underlying connection is closed")."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 10:
        if isinstance(current, DB_UNAVAILABLE):
            return True
        current, seen = current.__cause__ or current.__context__, seen + 1
    return False


def bad_value(exc: BaseException) -> bool:
    """A value the client sent that PostgreSQL cannot hold: a number beyond bigint, text with
    lone surrogates (both refused by asyncpg while encoding the argument) or a NUL byte. The
    request is wrong, not the server (found by `make fuzz` on ids in paths and names)."""
    encoding = isinstance(exc, asyncpg.DataError) and isinstance(
        exc.__cause__, OverflowError | UnicodeEncodeError
    )
    # UntranslatableCharacter: a NUL escape inside JSON sent to a jsonb column
    unstorable = (asyncpg.CharacterNotInRepertoireError, asyncpg.UntranslatableCharacterError)
    return encoding or isinstance(exc, unstorable)


def unexpected_error_handler(request: Request, exc: Exception) -> Response:
    """Every exception nothing else answered: logged whole, answered without a word of it.

    The client sees a bare 500 (or a 503 when the database is away, which is not a bug and
    passes); the log line carries the traceback, the method and the path (no query string,
    which may hold a token)."""
    if isinstance(exc, HTTPException) and exc.status_code != HTTP_500_INTERNAL_SERVER_ERROR:
        return create_exception_response(request, exc)
    where = {"method": request.method, "path": request.url.path}
    if bad_value(exc):
        http = HTTPException(
            detail="a value in the request is out of range (a number beyond any id or count, "
            "or text with a NUL byte or an unpaired surrogate)",
            status_code=400,
        )
        return create_exception_response(request, http)
    if database_away(exc):
        log.warning("database unavailable", extra={**where, "error": type(exc).__name__})
        http = HTTPException(
            detail="the database is unavailable; try again shortly",
            status_code=503,
            headers={"Retry-After": str(DB_RETRY_SECONDS)},
        )
        return create_exception_response(request, http)
    log.error("unhandled error", exc_info=exc, extra=where)
    return create_exception_response(request, HTTPException(status_code=500))


EXCEPTION_HANDLERS = {
    DomainError: domain_error_handler,
    HTTP_500_INTERNAL_SERVER_ERROR: unexpected_error_handler,
}
