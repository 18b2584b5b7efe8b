"""/api/v1 figures: stats and races (public), published figures (and their reproduction),
matching and its review queue."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from endorse.auth.guards import requires
from endorse.deps import Authed, Conn, ElectionQuery
from endorse.elections.guards import require_visible_when
from endorse.elections.visibility import is_public
from endorse.figures import outcomes, published, stats
from endorse.figures.cache import Compute, Computed, FiguresCache
from endorse.figures.schemas import FigureCreate, PublishedFigure, RaceRow, StageParam, Stats
from endorse.matching import review
from endorse.matching import run as matching
from endorse.matching.schemas import MatchReport, ReviewItem

JSON = "application/json"
CSV = "text/csv; charset=utf-8"


def _cache(state: State) -> FiguresCache:
    cache = state.get("figures_cache")
    if cache is None:
        wait = state.settings.db_acquire_seconds  # no free connection in time: 503, not a hang
        cache = state.figures_cache = FiguresCache(acquire_seconds=wait)
    return cache


def _with_visibility(slug: str, stage: str, answer: Compute) -> Compute:
    """answer(conn) and the stage's visibility, read in one repeatable-read snapshot, so the
    cache's check of that snapshot proves both current (endorse.figures.cache)."""

    async def compute(conn: Conn) -> Computed:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            body, snapshot, *_ = await answer(conn)
            return body, snapshot, await is_public(conn, slug, stage)

    return compute


class FiguresController(Controller):
    path = "/api/v1"
    tags = ["figures"]

    @get("/elections/{slug:str}/stats", operation_id="getElectionStats", cache=False)
    async def get_stats(
        self,
        state: State,
        request: Request,
        slug: FromPath[str],
        stage: FromQuery[StageParam] = "general",
    ) -> Response[Stats]:
        """Public once the stage is (endorse.elections.visibility); before, staff and tokens only.
        Headline rate, variants, pending range, as-of, sources and the sentence.

        Stages are pooled only for stage=all. Served from a cache that one indexed query
        proves current (endorse.figures.cache), so it stays cheap on election night: the
        stage's visibility is cached with the answer and proven by the same query.
        """

        async def compute(c: Conn) -> Computed:
            result, snapshot = await stats.compute(c, slug, stage)
            return msgspec.json.encode(result), snapshot

        # the pool: concurrent requests share one freshness check of the cached answer
        key = ("stats", slug, stage)
        entry = await _cache(state).entry(state.pool, key, _with_visibility(slug, stage, compute))
        await require_visible_when(entry.public, request, slug, stage)
        return Response(entry.body, media_type=JSON)

    @get("/elections/{slug:str}/races", operation_id="getElectionRaces", cache=False)
    async def get_races(
        self,
        state: State,
        request: Request,
        slug: FromPath[str],
        stage: FromQuery[StageParam] = "general",
        fmt: Annotated[Literal["json", "csv"], QueryParameter(name="format")] = "json",
    ) -> Response[list[RaceRow]]:
        """Public once the stage is (endorse.elections.visibility); before, staff and tokens only.
        The race table behind the stats: one row per endorsed candidacy (JSON or CSV)."""

        async def compute(c: Conn) -> Computed:
            rows, snapshot = await outcomes.race_rows(c, slug, stage)
            body = outcomes.to_csv(rows).encode() if fmt == "csv" else msgspec.json.encode(rows)
            return body, snapshot

        key = ("races", slug, stage, fmt)
        entry = await _cache(state).entry(state.pool, key, _with_visibility(slug, stage, compute))
        await require_visible_when(entry.public, request, slug, stage)
        body = entry.body
        if fmt == "csv":
            name = f"{slug}-{stage}-races.csv"
            disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
            return Response(body, media_type=CSV, headers=disposition)
        return Response(body, media_type=JSON)

    @post(
        "/elections/{slug:str}/figures",
        operation_id="publishFigure",
        guards=[requires("editor")],
        status_code=201,
    )
    async def publish_figure(
        self, conn: Conn, slug: FromPath[str], data: JSONBody[FigureCreate], principal: Authed
    ) -> PublishedFigure:
        """Freeze the current stats and race table (editor; audited)."""
        return await published.publish(conn, slug, data.stage, actor=principal.name, note=data.note)

    @get("/elections/{slug:str}/figures", operation_id="listPublishedFigures", cache=False)
    async def list_figures(self, conn: Conn, slug: FromPath[str]) -> list[published.FigureSummary]:
        """Public (published figures are public by definition). Newest first."""
        return await published.list_figures(conn, slug)

    @get("/figures/{figure_id:int}", operation_id="getPublishedFigure", cache=False)
    async def get_figure(self, conn: Conn, figure_id: FromPath[int]) -> PublishedFigure:
        """Public. A published figure, exactly as frozen."""
        return await published.get_figure(conn, figure_id)

    @get(
        "/figures/{figure_id:int}/reproduce",
        operation_id="reproducePublishedFigure",
        guards=[requires("viewer")],
        cache=False,
    )
    async def reproduce_figure(
        self, conn: Conn, figure_id: FromPath[int]
    ) -> published.Reproduction:
        """Re-compute a figure from its stored raw snapshots and compare every frozen number
        (viewer: it re-applies the snapshots in a rolled-back transaction, which holds the
        stage's results lock meanwhile, so it is not for anonymous traffic)."""
        return await published.reproduce(conn, figure_id)

    @post(
        "/elections/{slug:str}/match",
        operation_id="matchElection",
        guards=[requires("editor")],
        status_code=200,
    )
    async def match(self, conn: Conn, slug: FromPath[str], principal: Authed) -> list[MatchReport]:
        """Run candidate matching for every stage of the election (editor; changes audited)."""
        return await matching.match_election(conn, slug, actor=principal.name)


class ReviewController(Controller):
    path = "/api/v1/review"
    tags = ["figures"]

    @get("/", operation_id="listMatchReviews", guards=[requires("viewer")], cache=False)
    async def list_reviews(
        self,
        conn: Conn,
        status: FromQuery[Literal["open", "confirmed", "rejected", "stale", "any"]] = "open",
        election: ElectionQuery = None,
    ) -> list[ReviewItem]:
        """Uncertain matches waiting for a person (viewer)."""
        return await review.list_reviews(
            conn, status=None if status == "any" else status, election=election
        )

    @post("/{review_id:int}/confirm", operation_id="confirmMatch", guards=[requires("editor")])
    async def confirm(self, conn: Conn, review_id: FromPath[int], principal: Authed) -> ReviewItem:
        """Confirm: the endorsement is matched, and the pairing remembered (editor; audited)."""
        return await _decide(conn, review_id, confirm=True, actor=principal.name)

    @post("/{review_id:int}/reject", operation_id="rejectMatch", guards=[requires("editor")])
    async def reject(self, conn: Conn, review_id: FromPath[int], principal: Authed) -> ReviewItem:
        """Reject: never proposed again for this name and contest (editor; audited)."""
        return await _decide(conn, review_id, confirm=False, actor=principal.name)


async def _decide(conn: Conn, review_id: FromPath[int], *, confirm: bool, actor: str) -> ReviewItem:
    return await review.decide(conn, review_id, confirm=confirm, actor=actor)
