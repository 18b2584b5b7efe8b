"""/api/v1/sources: every results source with its health; pause, resume, re-time (editor)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch
from litestar.params import FromPath, JSONBody

from endorse.auth.guards import requires
from endorse.deps import Authed, Conn, ElectionQuery, RowId
from endorse.results.renames import list_renames
from endorse.results.schemas import CandidateRename, Source, SourceEdit
from endorse.results.source_edits import edit_source
from endorse.results.sources import get_source, list_sources


class SourceController(Controller):
    path = "/api/v1/sources"
    tags = ["results"]

    @get("/", operation_id="listSources", guards=[requires("viewer")], cache=False)
    async def list_all(
        self,
        conn: Conn,
        election: ElectionQuery = None,
    ) -> list[Source]:
        """Sources with their state: health, last success, last error, quarantine (viewer)."""
        return await list_sources(conn, election)

    @get("/{source_id:int}", operation_id="getSource", guards=[requires("viewer")], cache=False)
    async def get_one(self, conn: Conn, source_id: Annotated[FromPath[int], RowId]) -> Source:
        return await get_source(conn, source_id)

    @get(
        "/{source_id:int}/renames",
        operation_id="listCandidateRenames",
        guards=[requires("viewer")],
        cache=False,
    )
    async def renames(
        self, conn: Conn, source_id: Annotated[FromPath[int], RowId]
    ) -> list[CandidateRename]:
        """Names the source printed under a candidate id it had printed another name under;
        each candidacy keeps the first name (viewer)."""
        await get_source(conn, source_id)  # 404 for no such source
        return await list_renames(conn, source_id=source_id)

    @patch("/{source_id:int}", operation_id="editSource", guards=[requires("editor")])
    async def edit(
        self,
        conn: Conn,
        source_id: Annotated[FromPath[int], RowId],
        data: JSONBody[SourceEdit],
        principal: Authed,
    ) -> Source:
        """Pause ({"enabled": false}) or resume a source, change its interval or mapping
        (editor; audited). The worker picks the change up within 30 s."""
        return await edit_source(conn, source_id, data, actor=principal.name)
