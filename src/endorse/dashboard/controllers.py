"""The election-night page, its live parts, and the public page of a published figure. Public.

GET /                            the newest election's night page (?election=slug picks one)
GET /elections/{slug}            the night page; filters, search, sort and stage in the URL
GET /elections/{slug}/live       what changed since a change number (the page patches itself)
GET /elections/{slug}/events     Server-Sent Events: numbered changes, resumable
GET /api/v1/events               Server-Sent Events of every ingest, for API clients
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.exceptions import ValidationException
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Stream, Template

from endorse.dashboard import feed, view
from endorse.dashboard.events import stream as api_stream
from endorse.dashboard.filters import NightQuery, Outcome, Sort, View
from endorse.dashboard.slots import StreamSlots
from endorse.db.queries import load
from endorse.deps import TEXT_NO_NUL, Conn, ElectionQuery
from endorse.elections.schemas import Election
from endorse.elections.service import get_election, list_elections

q = load("night")
SSE_HEADERS = {"Cache-Control": "no-cache", "Connection": "keep-alive", "X-Accel-Buffering": "no"}


def _query(
    stage: str | None,
    level: str | None,
    body: str | None,
    outcome: Outcome | None,
    close: bool,
    search: str,
    sort: Sort,
    show: View,
) -> NightQuery:
    return NightQuery(stage, level, body, outcome, close, search[:200], sort, show)


def _stage(election: Election, stage: str | None) -> str:
    if not election.stages:
        raise ValidationException(f"election: {election.slug!r} has no stages yet")
    if stage is None:
        return view.default_stage(election)
    if stage not in {s.kind for s in election.stages}:
        kinds = ", ".join(s.kind for s in election.stages)
        raise ValidationException(f"stage: {election.slug!r} has no {stage!r} stage ({kinds})")
    return stage


async def _page(
    request: Request, conn: Conn, election: Election, query: NightQuery, template: str
) -> Template:
    stage = _stage(election, query.stage)
    page = await view.build(request, conn, election, stage, query)
    elections = await list_elections(conn)
    return Template(template, context={"page": page, "elections": elections})


Stage = Annotated[str | None, QueryParameter(name="stage", max_length=20, pattern=TEXT_NO_NUL)]
Level = Annotated[str | None, QueryParameter(name="level", max_length=40, pattern=TEXT_NO_NUL)]
Body = Annotated[str | None, QueryParameter(name="body", max_length=200, pattern=TEXT_NO_NUL)]
Search = Annotated[str, QueryParameter(name="q", max_length=200, pattern=TEXT_NO_NUL)]
ViewParam = Annotated[View, QueryParameter(name="view")]
Since = Annotated[int | None, QueryParameter(name="since", ge=0, le=2**62)]


class NightController(Controller):
    tags = ["dashboard"]
    include_in_schema = False

    @get("/", operation_id="nightHome", cache=False)
    async def home(
        self, request: HTMXRequest, conn: Conn, election: ElectionQuery = None
    ) -> Template | Redirect:
        """Public: the newest election's night page (the old ?election=slug redirects)."""
        if election:
            return Redirect(f"/elections/{election}")
        elections = await list_elections(conn)
        if not elections:
            return Template("night/empty.html", context={})
        return await _page(request, conn, elections[0], NightQuery(), "night/page.html")

    @get("/elections/{slug:str}", operation_id="nightPage", cache=False)
    async def night(
        self,
        request: HTMXRequest,
        conn: Conn,
        slug: FromPath[str],
        stage: Stage = None,
        level: Level = None,
        endorser: Body = None,
        outcome: FromQuery[Outcome | None] = None,
        close: FromQuery[bool] = False,
        search: Search = "",
        sort: FromQuery[Sort] = "office",
        show: ViewParam = "",
    ) -> Template:
        """Public: the night page of one election; the races fragment for htmx requests."""
        election = await get_election(conn, slug)
        query = _query(stage, level, endorser, outcome, close, search, sort, show)
        name = "night/_board.html" if request.htmx else "night/page.html"
        return await _page(request, conn, election, query, name)

    @get("/elections/{slug:str}/live", operation_id="nightLive", cache=False)
    async def live(
        self,
        request: Request,
        conn: Conn,
        slug: FromPath[str],
        since: Since = None,
        stage: Stage = None,
        level: Level = None,
        endorser: Body = None,
        outcome: FromQuery[Outcome | None] = None,
        close: FromQuery[bool] = False,
        search: Search = "",
        sort: FromQuery[Sort] = "office",
        show: ViewParam = "",
    ) -> Template:
        """Public: the tally and the race cards changed after change number `since` (all of
        them without it), with the order of the whole list, for the page to patch itself."""
        election = await get_election(conn, slug)
        query = _query(stage, level, endorser, outcome, close, search, sort, show)
        kind = _stage(election, query.stage)
        changed, seq = None, None
        if since is not None:
            stage_id = await conn.fetchval(*q.stage_of_election(election_id=election.id, kind=kind))
            row = await conn.fetchrow(
                *q.contests_changed_since(election_id=election.id, stage_id=stage_id, since=since)
            )
            changed, seq = set(row["contests"]), row["seq"]
        page = await view.build(request, conn, election, kind, query)
        # the number the cards were chosen by, not the page's own (read later): a change that
        # lands in between is then sent next time instead of being marked as applied
        seq = page.seq if seq is None else seq
        context = {"page": page, "changed": changed, "seq": seq}
        return Template("night/_patch.html", context=context)

    @get("/elections/{slug:str}/events", operation_id="nightEvents", cache=False)
    async def night_events(
        self,
        request: Request,
        state: State,
        slug: FromPath[str],
        since: Since = None,
    ) -> Stream:
        """Public: numbered changes of this election; resumes after Last-Event-ID.

        No pooled connection is held for the stream's life: it borrows one per read. Past
        ENDORSE_SSE_MAX_CLIENTS streams in this process: 503 (the page polls instead)."""
        async with state.pool.acquire() as conn:
            election = await get_election(conn, slug)
            resume = request.headers.get("last-event-id", "")
            start = int(resume) if resume.isdigit() and len(resume) < 19 else since
            if start is None:
                start = await conn.fetchval(*q.night_seq(election_id=election.id))
        slots: StreamSlots = state.sse_slots
        slots.check()
        return _sse(feed.stream(state.night, state.pool, election.id, max(start, 0), slots))

    @get("/api/v1/events", operation_id="events", include_in_schema=True)
    async def events(self, state: State) -> Stream:
        """Public: Server-Sent Events, one `results` event per ingest (coalesced per client).

        503 past ENDORSE_SSE_MAX_CLIENTS streams in this process."""
        slots: StreamSlots = state.sse_slots
        slots.check()
        return _sse(api_stream(state.events, slots))


def _sse(frames: AsyncIterator[bytes]) -> Stream:
    """Ready SSE frames as a response: a plain Stream, since ServerSentEvent would relay them
    through one more generator and re-encode each per client; the headers are the ones it
    sets."""
    return Stream(frames, media_type="text/event-stream", headers=SSE_HEADERS)
