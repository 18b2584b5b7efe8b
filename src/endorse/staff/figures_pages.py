"""/staff/figures: a stage's current stats with the sentence to paste, the race table behind it,
"Publish" to freeze it under a title, and the published figures with their public pages.

    GET  /staff/figures?election=SLUG&stage=general
    POST /staff/figures/publish          form fields election, stage, title

The same services as the API (endorse.figures.stats, .outcomes, .published).
"""

from __future__ import annotations

from typing import Any, get_args

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Response, Template

from endorse.deps import Conn, ElectionQuery, StageQuery
from endorse.elections.service import UnknownElection
from endorse.figures import outcomes, published, stats
from endorse.figures.badges import race_badges
from endorse.figures.schemas import StageParam
from endorse.staff.respond import PAGE_ERRORS, is_htmx, pick_election, respond
from endorse.staff.session import Staff, StaffUser, flash, requires_staff

PAGE, FRAGMENT = "staff/figures.html", "staff/_figures_area.html"
STAGES = get_args(StageParam)
TITLE_MAX = 200


def _url(election: str, stage: str) -> str:
    return f"/staff/figures?election={election}&stage={stage}"


async def _page(
    request: Request, conn: Conn, staff: StaffUser, slug: str | None, stage: str | None,
    *, status: int = 200, **extra: Any,
) -> Template:  # fmt: skip
    elections, chosen = await pick_election(conn, slug)
    context: dict[str, Any] = {"active": "figures", "elections": elections, "election": chosen,
                               "stage": None, "stats": None, "races": [], "figures": [],
                               "errors": {}, "title": ""}  # fmt: skip
    if slug and chosen is None:
        context["problem"] = f"No election with slug “{slug}”."
    if chosen is not None:
        kinds = [s.kind for s in chosen.stages]
        stage = stage or ("general" if "general" in kinds else (kinds[0] if kinds else "general"))
        context |= {"stage": stage, "stage_choices": [*kinds, "all"]}
        try:
            context["stats"] = await stats.get_stats(conn, chosen.slug, stage)
            context["races"] = (await outcomes.race_rows(conn, chosen.slug, stage))[0]
        except UnknownElection as exc:
            context["problem"] = str(exc)
        context["figures"] = await published.list_figures(conn, chosen.slug)
    context["badges"] = race_badges  # staff decisions and disputed sources, as everywhere
    return respond(request, staff, PAGE, FRAGMENT, status=status, **(context | extra))


class FigurePages(Controller):
    path = "/staff/figures"
    guards = [requires_staff("viewer")]
    include_in_schema = False
    exception_handlers = PAGE_ERRORS

    @get("/")
    async def index(
        self,
        request: Request,
        conn: Conn,
        staff: Staff,
        election: ElectionQuery = None,
        stage: StageQuery = None,
    ) -> Template:
        return await _page(request, conn, staff, election, stage)

    @post("/publish", guards=[requires_staff("editor")])
    async def publish(self, request: Request, conn: Conn, staff: Staff) -> Response:
        form = await request.form()
        election = str(form.get("election") or "")
        stage = str(form.get("stage") or "")
        title = " ".join(str(form.get("title") or "").split())
        errors = {}
        if not title:
            errors["title"] = "Give the figure a title (what it was published for)."
        elif len(title) > TITLE_MAX:
            errors["title"] = f"At most {TITLE_MAX} characters."
        if stage not in STAGES:
            errors["title"] = f"Unknown stage {stage!r}: choose the stage again above."
        figure = None
        if not errors:
            try:
                figure = await published.publish(
                    conn, election, stage, actor=staff.actor, note=title
                )
            except UnknownElection as exc:
                errors["title"] = str(exc)
        if figure is None:
            return await _page(
                request, conn, staff, election or None, stage or None, status=400,
                errors=errors, title=title,
            )  # fmt: skip
        message = (
            f"Published figure {figure.id}: “{title}”. Its public page is /figures/{figure.id}."
        )
        if is_htmx(request):
            return await _page(request, conn, staff, election, stage, ok_message=message)
        await flash(conn, staff, message)
        return Redirect(_url(election, stage), status_code=303)


ROUTES = [FigurePages]
