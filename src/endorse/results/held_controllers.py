"""/api/v1/held-corrections: contests held back because their counts went backwards; accept one."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from endorse.auth.guards import requires
from endorse.deps import Authed, Conn, ElectionQuery, RowId
from endorse.results.accept import accept, list_held
from endorse.results.schemas import HeldAccept, HeldCorrection


class HeldController(Controller):
    path = "/api/v1/held-corrections"
    tags = ["results"]

    @get("/", operation_id="listHeldCorrections", guards=[requires("viewer")], cache=False)
    async def list_all(
        self,
        conn: Conn,
        election: ElectionQuery = None,
        source_id: Annotated[int | None, QueryParameter(ge=1, le=2**63 - 1)] = None,
    ) -> list[HeldCorrection]:
        """Open held corrections, newest first, with what went backwards (viewer)."""
        return await list_held(conn, election=election, source_id=source_id)

    @post(
        "/{held_id:int}/accept",
        operation_id="acceptHeldCorrection",
        guards=[requires("editor")],
        status_code=200,
    )
    async def accept_one(
        self,
        conn: Conn,
        held_id: Annotated[FromPath[int], RowId],
        data: JSONBody[HeldAccept],
        principal: Authed,
    ) -> HeldCorrection:
        """Apply the held contest from its snapshot; the note says why it is right (editor;
        audited). 409 when it is no longer held or a poll holds the source."""
        return await accept(conn, held_id, note=data.note, actor=principal.name)
