"""/api/v1/elections/{slug}/decisions: the staff decisions on top of the scraped results (call
a race, exclude it, certify a stage, mark an incumbent) and their undo. Editors write (audited);
any token reads. The rules they change are SQL (endorse.figures.decisions says which)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from endorse.auth.guards import requires
from endorse.deps import Authed, Conn
from endorse.elections.schemas import StageKind
from endorse.figures import decisions
from endorse.figures.decisions import Decision, DecisionCreate


class DecisionsController(Controller):
    path = "/api/v1/elections/{slug:str}/decisions"
    tags = ["figures"]

    @get("/", operation_id="listDecisions", guards=[requires("viewer")], cache=False)
    async def list_decisions(
        self,
        conn: Conn,
        slug: FromPath[str],
        stage: FromQuery[StageKind | None] = None,
        everything: Annotated[bool, QueryParameter(name="all")] = False,
    ) -> list[Decision]:
        """Decisions in force, newest first (all=true: withdrawn ones too). Any token."""
        return await decisions.list_decisions(conn, slug, stage, everything=everything)

    @post("/", operation_id="createDecision", guards=[requires("editor")])
    async def create_decision(
        self, conn: Conn, slug: FromPath[str], data: JSONBody[DecisionCreate], principal: Authed
    ) -> Decision:
        """Call a race for a candidate, exclude a race (with a reason), certify a stage, or mark
        a candidate incumbent (editor). 409 when the same decision is already in force."""
        return await decisions.decide(conn, slug, data, actor=principal.name)

    @post(
        "/{decision_id:int}/withdraw",
        operation_id="withdrawDecision",
        guards=[requires("editor")],
        status_code=200,
    )
    async def withdraw_decision(
        self, conn: Conn, slug: FromPath[str], decision_id: FromPath[int], principal: Authed
    ) -> Decision:
        """Undo a decision (editor, audited): the figures go back to what the sources say."""
        return await decisions.withdraw(conn, slug, decision_id, actor=principal.name)


ROUTES = [DecisionsController]
