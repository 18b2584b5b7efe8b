"""/staff/review: the match review queue beside the ballot, and unmatched endorsements.

    GET  /staff/review?election=SLUG                    the queue and the unmatched list
    POST /staff/review/{id}/confirm | /reject           decide one review item
    POST /staff/review/endorsements/{id}/match          pick the ballot candidate by hand

Decisions go through the same services as the API (endorse.matching.review, .pick), are
audited under the person's name and remembered for later runs.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from endorse.deps import Conn, ElectionQuery
from endorse.errors import NotFound
from endorse.matching import desk, pick, review
from endorse.staff.respond import PAGE_ERRORS, is_htmx, pick_election, respond
from endorse.staff.session import Staff, StaffUser, flash, requires_staff

PAGE, FRAGMENT = "staff/review.html", "staff/_review_area.html"


def _back(election: str) -> str:
    return f"/staff/review?election={election}" if election else "/staff/review"


async def _page(
    request: Request, conn: Conn, staff: StaffUser, slug: str | None, *, status: int = 200,
    **extra: Any,
) -> Template:  # fmt: skip
    elections, chosen = await pick_election(conn, slug)
    cards, unmatched = [], []
    if chosen is not None:
        cards = await desk.review_cards(conn, election=chosen.slug)
        unmatched = await desk.unmatched_cards(conn, chosen.slug)
    context = {"active": "review", "elections": elections, "election": chosen, "cards": cards,
               "unmatched": unmatched, "unknown": slug if slug and chosen is None else None,
               "pick_errors": {}} | extra  # fmt: skip
    return respond(request, staff, PAGE, FRAGMENT, status=status, **context)


class ReviewPages(Controller):
    path = "/staff/review"
    guards = [requires_staff("viewer")]
    include_in_schema = False
    exception_handlers = PAGE_ERRORS

    @get("/")
    async def queue(
        self, request: Request, conn: Conn, staff: Staff, election: ElectionQuery = None
    ) -> Template:
        return await _page(request, conn, staff, election)

    @post("/{review_id:int}/confirm", guards=[requires_staff("editor")])
    async def confirm(
        self, request: Request, conn: Conn, staff: Staff, review_id: FromPath[int]
    ) -> Response:
        return await _decide(request, conn, staff, review_id, confirm=True)

    @post("/{review_id:int}/reject", guards=[requires_staff("editor")])
    async def reject(
        self, request: Request, conn: Conn, staff: Staff, review_id: FromPath[int]
    ) -> Response:
        return await _decide(request, conn, staff, review_id, confirm=False)

    @post("/endorsements/{endorsement_id:int}/match", guards=[requires_staff("editor")])
    async def match(
        self, request: Request, conn: Conn, staff: Staff, endorsement_id: FromPath[int]
    ) -> Response:
        form = await request.form()
        election = str(form.get("election") or "")
        raw = str(form.get("candidacy_id") or "")
        problem = None
        if not raw.isdigit():
            problem = "Choose the ballot candidate this endorsement means."
        else:
            try:
                await pick.pick(conn, endorsement_id, int(raw), actor=staff.actor)
            except pick.NotOnBallot:
                problem = "That candidate is not on the ballot of this contest; choose one listed."
            except NotFound as exc:
                raise NotFoundException(str(exc)) from None
        if problem:
            return await _page(
                request, conn, staff, election or None, status=400,
                pick_errors={endorsement_id: problem},
            )  # fmt: skip
        message = "Matched by hand; remembered for later ballots."
        if is_htmx(request):
            return await _page(request, conn, staff, election or None, ok_message=message)
        await flash(conn, staff, message)
        return Redirect(_back(election), status_code=303)


async def _decide(
    request: Request, conn: Conn, staff: StaffUser, review_id: int, *, confirm: bool
) -> Response:
    form = await request.form()
    election = str(form.get("election") or "")
    try:
        item = await review.decide(conn, review_id, confirm=confirm, actor=staff.actor)
    except review.ReviewNotFound as exc:
        raise NotFoundException(str(exc)) from None
    except review.ReviewClosed as exc:
        return await _page(
            request, conn, staff, election or None, status=409,
            problem=str(exc).removeprefix("review: "),
        )  # fmt: skip
    verb = "Confirmed" if confirm else "Rejected"
    message = f"{verb}: {item.candidate} is {'' if confirm else 'not '}{item.ballot_name}."
    if is_htmx(request):
        return await _page(request, conn, staff, election or None, ok_message=message)
    await flash(conn, staff, message)
    return Redirect(_back(election), status_code=303)


ROUTES = [ReviewPages]
