"""Errors every layer shares; the app turns them into HTTP answers in one place."""

from __future__ import annotations

from litestar import Request, Response


class NotFound(LookupError):
    """A named thing (election, stage, figure, review item, source) does not exist; the message
    names which. The API answers 404 with it, the CLI exits 2 with it."""


def not_found_handler(_: Request, exc: NotFound) -> Response[dict[str, object]]:
    # Same body as Litestar's own NotFoundException, so clients see one shape for every 404.
    return Response({"status_code": 404, "detail": str(exc)}, status_code=404)
