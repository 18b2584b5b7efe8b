"""The one place a domain error (endorse.errors) becomes an HTTP answer.

The body is the one Litestar gives its own HTTP exceptions ({"status_code", "detail"}), so a
client sees one shape for every 4xx whoever raised it.
"""

from __future__ import annotations

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.exceptions.responses import create_exception_response

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


EXCEPTION_HANDLERS = {DomainError: domain_error_handler}
