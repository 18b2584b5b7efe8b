"""/staff/races: the human layer on top of the scraped results, in the browser.

    GET  /staff/races?election=SLUG&stage=general     the endorsed races with their badges, the
                                                      stage's certification and every decision
                                                      in force (with its undo)
    GET  /staff/races/{contest_id}                    one race: every candidate as the figures
                                                      decide them, and the forms
    POST /staff/races/{contest_id}/call               candidacy_id, reason
    POST /staff/races/{contest_id}/exclude            reason
    POST /staff/races/{contest_id}/incumbent          candidacy_id, incumbent (yes|no)
    POST /staff/races/certify                         election, stage, reason
    POST /staff/races/decisions/{id}/withdraw         election, back (the page to return to)

Every form posts without JavaScript (303 back with a flash message); editors decide, viewers
read. The same service as the API and the CLI (endorse.figures.decisions), so each decision is
audited under the person's name (staff:NAME).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from endorse.deps import Conn, ElectionQuery, StageQuery
from endorse.elections.schemas import STAGE_KINDS
from endorse.elections.service import UnknownElection
from endorse.errors import Conflict, Invalid, NotFound
from endorse.figures import decisions, outcomes
from endorse.figures.badges import race_badges
from endorse.figures.decisions import DecisionCreate
from endorse.figures.race_view import race_view
from endorse.staff.respond import PAGE_ERRORS, pick_election
from endorse.staff.session import Staff, StaffUser, flash, requires_staff, staff_page

_YES = {"yes", "true", "1", "on"}


def _list_url(election: str, stage: str) -> str:
    return f"/staff/races?election={election}&stage={stage}"


async def _list_page(
    conn: Conn, staff: StaffUser, slug: str | None, stage: str | None, *, status: int = 200,
    **extra: Any,
) -> Template:  # fmt: skip
    elections, chosen = await pick_election(conn, slug)
    context: dict[str, Any] = {"active": "races", "elections": elections, "election": chosen,
                               "stage": None, "races": [], "decisions": [], "errors": {}}  # fmt: skip
    if slug and chosen is None:
        context["problem"] = f"No election with slug “{slug}”."
    if chosen is not None:
        kinds = [s.kind for s in chosen.stages]
        stage = stage if stage in kinds else ("general" if "general" in kinds else kinds[0])
        context |= {"stage": stage, "stage_choices": kinds}
        context["races"] = (await outcomes.race_rows(conn, chosen.slug, stage))[0]
        context["decisions"] = await decisions.list_decisions(conn, chosen.slug, stage)
    page = staff_page(staff, "staff/races.html", badges=race_badges, **(context | extra))
    page.status_code = status
    return page


async def _race_page(
    conn: Conn, staff: StaffUser, contest_id: int, *, status: int = 200, **extra: Any
) -> Template:
    race = await race_view(conn, contest_id)
    context = {"active": "races", "race": race, "badges": race_badges, "errors": {}} | extra
    page = staff_page(staff, "staff/race.html", **context)
    page.status_code = status
    return page


class RacePages(Controller):
    path = "/staff/races"
    guards = [requires_staff("viewer")]
    include_in_schema = False
    exception_handlers = PAGE_ERRORS

    @get("/")
    async def index(
        self,
        conn: Conn,
        staff: Staff,
        election: ElectionQuery = None,
        stage: StageQuery = None,
    ) -> Template:
        return await _list_page(conn, staff, election, stage)

    @get("/{contest_id:int}")
    async def race(self, conn: Conn, staff: Staff, contest_id: FromPath[int]) -> Template:
        return await _race_page(conn, staff, contest_id)

    @post("/{contest_id:int}/{kind:str}", guards=[requires_staff("editor")])
    async def decide(
        self, request: Request, conn: Conn, staff: Staff, contest_id: FromPath[int],
        kind: FromPath[str],
    ) -> Response:  # fmt: skip
        form = await request.form()
        race = await race_view(conn, contest_id)  # NotFound: the error page
        if kind not in ("call", "exclude", "incumbent"):
            raise NotFound(f"action: no {kind!r} on a race (call, exclude, incumbent)")
        reason = str(form.get("reason") or "")
        try:
            candidacy = int(str(form.get("candidacy_id") or 0)) or None
        except ValueError:
            candidacy = None
        data = DecisionCreate(
            kind=kind,  # type: ignore[arg-type]
            stage=race.stage,  # type: ignore[arg-type]
            contest_id=contest_id,
            candidacy_id=candidacy,
            incumbent=str(form.get("incumbent") or "yes").lower() in _YES,
            reason=reason,
        )
        try:
            made = await decisions.decide(conn, race.election, data, actor=staff.actor)
        except (Invalid, Conflict, NotFound) as exc:
            message = str(exc).split(": ", 1)[-1]
            if str(exc).startswith("reason"):  # said beside the reason field
                shown: dict[str, Any] = {"errors": {f"{kind}-reason": message}}
            else:  # said at the top of the page, whichever form it came from
                shown = {"problem": message}
            return await _race_page(
                conn, staff, contest_id, status=409 if isinstance(exc, Conflict) else 400,
                values={"reason": reason}, **shown,
            )  # fmt: skip
        await flash(conn, staff, _said(made))
        return Redirect(f"/staff/races/{contest_id}", status_code=303)

    @post("/certify", guards=[requires_staff("editor")])
    async def certify(self, request: Request, conn: Conn, staff: Staff) -> Response:
        form = await request.form()
        election, stage = str(form.get("election") or ""), str(form.get("stage") or "")
        try:
            if stage not in STAGE_KINDS:
                raise Invalid(f"stage: unknown stage {stage!r}")
            data = DecisionCreate(
                kind="certify",
                stage=stage,  # type: ignore[arg-type]
                reason=str(form.get("reason") or ""),
            )
            made = await decisions.decide(conn, election, data, actor=staff.actor)
        except (Invalid, Conflict, UnknownElection) as exc:
            return await _list_page(
                conn, staff, election or None, stage or None,
                status=409 if isinstance(exc, Conflict) else 400, problem=str(exc),
            )  # fmt: skip
        await flash(conn, staff, _said(made))
        return Redirect(_list_url(election, stage), status_code=303)

    @post("/decisions/{decision_id:int}/withdraw", guards=[requires_staff("editor")])
    async def withdraw(
        self, request: Request, conn: Conn, staff: Staff, decision_id: FromPath[int]
    ) -> Response:
        form = await request.form()
        election = str(form.get("election") or "")
        back = str(form.get("back") or "")
        if not back.startswith("/staff/races"):  # only ever back to a page of this area
            back = "/staff/races"
        done = await decisions.withdraw(conn, election, decision_id, actor=staff.actor)
        await flash(conn, staff, f"Withdrawn: {_said(done)} The figures follow the sources again.")
        return Redirect(back, status_code=303)


def _said(d: decisions.Decision) -> str:
    race = " ".join(filter(None, (d.office, d.district)))
    return {
        "call": f"Called {race} for {d.candidate}.",
        "exclude": f"Excluded {race} from the figures: {d.reason}.",
        "certify": f"Certified the {d.stage} results.",
        "incumbent": f"Marked {d.candidate} {'incumbent' if d.incumbent else 'not incumbent'}.",
    }[d.kind]


ROUTES = [RacePages]
