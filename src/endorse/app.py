"""create_app(): the Litestar application, wired from each domain's routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import ServiceUnavailableException
from litestar.openapi import OpenAPIConfig
from litestar.plugins.htmx import HTMXPlugin

from endorse import __version__
from endorse.admin.routes import ROUTES as ADMIN_ROUTES
from endorse.auth.guards import provide_principal
from endorse.auth.limits import BadTokens
from endorse.dashboard.events import end_streams
from endorse.dashboard.routes import LIFESPANS as DASHBOARD_LIFESPANS
from endorse.dashboard.routes import ROUTES as DASHBOARD_ROUTES
from endorse.dashboard.slots import StreamSlots
from endorse.db.pool import create_pool
from endorse.elections.controllers import ElectionController
from endorse.endorsements.routes import ROUTES as ENDORSEMENT_ROUTES
from endorse.figures.routes import ROUTES as FIGURE_ROUTES
from endorse.health import health
from endorse.http_errors import EXCEPTION_HANDLERS
from endorse.logs import request_logging
from endorse.results.routes import LIFESPANS as RESULT_LIFESPANS
from endorse.results.routes import ROUTES as RESULT_ROUTES
from endorse.settings import Settings
from endorse.staff.routes import staff_router
from endorse.staff.visibility_api import ROUTES as VISIBILITY_ROUTES
from endorse.web.assets import static_router, template_config
from endorse.web.headers import security_headers
from endorse.web.hosts import allowed_hosts


async def provide_conn(state: State) -> AsyncIterator[asyncpg.Connection]:
    """A pooled connection for one request; 503 when none comes free in time (never a hang)."""
    wait = state.settings.db_acquire_seconds
    try:
        acquired = await state.pool.acquire(timeout=wait)
    except TimeoutError:
        raise ServiceUnavailableException(
            detail=f"database busy: no connection came free within {wait:g} s; try again",
            headers={"Retry-After": "5"},
        ) from None
    try:
        yield acquired
    finally:
        await state.pool.release(acquired)


def create_app(settings: Settings, database_url: str, *, worker: bool = False) -> Litestar:
    @asynccontextmanager
    async def pool_lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.pool = await create_pool(
            database_url, min_size=settings.pool_min, max_size=settings.pool_max
        )
        try:
            yield
        finally:
            await app.state.pool.close()

    lifespans: list[Any] = [pool_lifespan, *DASHBOARD_LIFESPANS, *RESULT_LIFESPANS]
    state = State(
        {
            "settings": settings,
            "database_url": database_url,
            "run_worker": worker,
            "bad_tokens": BadTokens(),
            "sse_slots": StreamSlots(settings.sse_max_clients),
        }
    )
    app = Litestar(
        route_handlers=[
            health,
            ElectionController,
            *ENDORSEMENT_ROUTES,
            *ADMIN_ROUTES,
            *RESULT_ROUTES,
            *FIGURE_ROUTES,
            *DASHBOARD_ROUTES,
            *VISIBILITY_ROUTES,
            staff_router(),
            static_router(),
        ],
        dependencies={"conn": Provide(provide_conn), "principal": Provide(provide_principal)},
        lifespan=lifespans,
        middleware=[request_logging, security_headers, allowed_hosts(settings.allowed_hosts)],
        template_config=template_config(),
        plugins=[HTMXPlugin()],
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=settings.max_upload_bytes,
        state=state,
        openapi_config=OpenAPIConfig(title="endorse", version=__version__, path="/schema"),
        logging_config=None,
    )
    app.state.end_streams = lambda: end_streams(app.state)  # endorse.serving calls it on SIGTERM
    return app
