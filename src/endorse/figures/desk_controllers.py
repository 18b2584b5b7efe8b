"""/api/v1 review desk: review items beside their ballot, unmatched endorsements with the
candidates they can mean, and a match picked by hand (the staff review page calls the same)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from endorse.auth.guards import requires
from endorse.deps import Authed, Conn, ElectionQuery, RowId
from endorse.elections.schemas import NO_NUL
from endorse.matching import desk, pick


class MatchPick(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    candidacy_id: Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]


class ReviewDeskController(Controller):
    path = "/api/v1"
    tags = ["figures"]

    @get("/review/cards", operation_id="listReviewCards", guards=[requires("viewer")], cache=False)
    async def cards(
        self,
        conn: Conn,
        election: ElectionQuery = None,
    ) -> list[desk.ReviewCard]:
        """Open review items, each with every candidate of its contest and the reason (viewer)."""
        return await desk.review_cards(conn, election=election)

    @get(
        "/review/unmatched", operation_id="listUnmatched", guards=[requires("viewer")], cache=False
    )
    async def unmatched(
        self, conn: Conn, election: Annotated[str, QueryParameter(max_length=100, pattern=NO_NUL)]
    ) -> list[desk.UnmatchedCard]:
        """Endorsements neither matched nor queued, with the candidates they can mean (viewer)."""
        return await desk.unmatched_cards(conn, election)

    @post(
        "/endorsements/{endorsement_id:int}/match",
        operation_id="pickMatch",
        guards=[requires("editor")],
        status_code=200,
    )
    async def pick_match(
        self,
        conn: Conn,
        endorsement_id: Annotated[FromPath[int], RowId],
        data: JSONBody[MatchPick],
        principal: Authed,
    ) -> None:
        """Match an endorsement to a candidate of its contest by hand; remembered like a
        confirmation (editor; audited)."""
        await pick.pick(conn, endorsement_id, data.candidacy_id, actor=principal.name)
