"""/api/v1/elections/{slug}: results, reporting and sources of one election (reads public)."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody

from endorse.auth.guards import requires
from endorse.ballot.schemas import ContestCreate, ContestCreated
from endorse.ballot.service import create_contest
from endorse.deps import Authed, Conn, RowId
from endorse.elections.guards import is_staff_or_token
from endorse.elections.schemas import StageKind
from endorse.errors import Conflict, NotFound
from endorse.results import read
from endorse.results.reconcile import reconciliation
from endorse.results.release import release
from endorse.results.schemas import (
    ContestPage,
    ElectionResults,
    Reconciliation,
    Source,
    SourceCreate,
    SourceRelease,
)
from endorse.results.sources import add_source, get_source


class ElectionResultsController(Controller):
    path = "/api/v1/elections/{slug:str}"
    tags = ["results"]

    @get("/", operation_id="getElection", cache=False)
    async def get_election(
        self, state: State, request: Request, slug: FromPath[str]
    ) -> ElectionResults:
        """Public: the election, its stages and sources (last update, last error, quarantine).
        Source URLs in full for staff and tokens only: a query string may carry an API key."""
        # who asks is looked up before a connection is held: the lookup takes one of its own
        # (holding two at once deadlocks a full pool once pool_max such requests arrive)
        full = await is_staff_or_token(request)
        async with state.pool.acquire(timeout=state.settings.db_acquire_seconds) as conn:
            return await read.election_results(conn, slug, full_urls=full)

    @post("/contests", operation_id="createContest", guards=[requires("editor")])
    async def create_contest(
        self, conn: Conn, slug: FromPath[str], data: JSONBody[ContestCreate], principal: Authed
    ) -> ContestCreated:
        """Put a contest and its candidacies on the ballot before results (editor; audited)."""
        return await create_contest(conn, slug, data, actor=principal.name)

    @get("/contests", operation_id="listContests", cache=False)
    async def list_contests(
        self, conn: Conn, slug: FromPath[str], stage: FromQuery[StageKind | None] = None
    ) -> ContestPage:
        """Public: contests with candidates (fusion-summed votes and per-line), reporting, status."""
        return await read.contest_page(conn, slug, stage)

    @get("/reconciliation", operation_id="getReconciliation", cache=False)
    async def get_reconciliation(self, conn: Conn, slug: FromPath[str]) -> Reconciliation:
        """Public: contests whose totals differ between sources, with each source's numbers."""
        return await reconciliation(conn, slug)

    @post("/sources", operation_id="createSource", guards=[requires("editor")])
    async def create_source(
        self,
        conn: Conn,
        slug: FromPath[str],
        data: JSONBody[SourceCreate],
        principal: Authed,
        state: State,
    ) -> Source:
        """Register an official-results source; the worker polls it when enabled."""
        return await add_source(
            conn, slug, data, default_seconds=state.settings.poll_seconds, actor=principal.name
        )

    @post(
        "/sources/{source_id:int}/release",
        operation_id="releaseQuarantined",
        guards=[requires("editor")],
    )
    async def release_quarantined(
        self,
        conn: Conn,
        slug: FromPath[str],
        source_id: RowId,
        data: JSONBody[SourceRelease],
        principal: Authed,
    ) -> Source:
        """Apply a source's quarantined payload anyway; the note says why (a real correction)."""
        source = await get_source(conn, source_id)
        if source.election != slug:
            raise NotFound(f"source: election {slug!r} has no source {source_id}")
        result = await release(conn, source_id, note=data.note, actor=principal.name)
        if result.outcome == "busy":
            raise Conflict("source: a poll holds it right now; retry")
        return await get_source(conn, source_id)
