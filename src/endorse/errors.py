"""The errors services raise, whoever called them: one language for the API and the CLI.

A service raises one of these with a message that names the field or row ("election: no
election with slug '2018-x'"); it never picks an HTTP status or an exit code. The HTTP answer
is chosen once (endorse.http_errors), the exit code once (endorse.cli.main: 2, bad input).
No web framework is imported here or in the services.
"""

from __future__ import annotations


class DomainError(Exception):
    """Something the caller asked for cannot be done as asked; the message says why."""


class NotFound(DomainError, LookupError):
    """A named thing (election, stage, endorsement, body, token, figure, review item, source)
    does not exist. HTTP 404."""


class Invalid(DomainError, ValueError):
    """The input breaks a rule (an empty name, an unknown body, a file that does not parse).
    HTTP 400."""


class Conflict(DomainError):
    """The input is fine but clashes with what is stored (a name taken, an item already
    decided, the last admin token). HTTP 409."""


class PreconditionFailed(DomainError):
    """The change was made against a version that is no longer current. HTTP 412; `etag` is
    the current version's tag, sent back so the client can reload."""

    def __init__(self, message: str, *, etag: str | None = None) -> None:
        super().__init__(message)
        self.etag = etag


class PreconditionRequired(PreconditionFailed):
    """The change did not say which version it was made against. HTTP 428."""
