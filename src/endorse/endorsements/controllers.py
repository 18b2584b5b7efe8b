"""/api/v1/endorsements: list, read and history (viewer); create, edit, rescind, delete (editor).

Every response for one endorsement carries its ETag; PUT, PATCH, rescind and DELETE need it
back in If-Match (428 without it, 412 when someone changed the endorsement in between).
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.params import (
    FromQuery,
    HeaderParameter,
    JSONBody,
    Parameter,
    QueryParameter,
)

from endorse.auth.guards import requires
from endorse.deps import Authed, Conn, RowId
from endorse.elections.schemas import StageKind
from endorse.endorsements import edits, service
from endorse.endorsements.schemas import (
    NO_NUL,
    Endorsement,
    EndorsementCreate,
    EndorsementPage,
    EndorsementReplace,
    EndorsementUpdate,
    EndorsementVersion,
    Rescind,
)

IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]
# bounded so a huge id or a NUL in a filter is a 400, never a database error (500)
Filter = Annotated[str | None, QueryParameter(max_length=300, pattern=NO_NUL)]


def _with_etag(endorsement: Endorsement, status_code: int = 200) -> Response[Endorsement]:
    headers = {"ETag": endorsement.etag}
    if status_code == 201:
        headers["Location"] = f"/api/v1/endorsements/{endorsement.id}"
    return Response(endorsement, status_code=status_code, headers=headers)


class EndorsementController(Controller):
    path = "/api/v1/endorsements"
    tags = ["endorsements"]

    @get("/", operation_id="listEndorsements", guards=[requires("viewer")], cache=False)
    async def list_endorsements(
        self,
        conn: Conn,
        election: Filter = None,
        stage: FromQuery[StageKind | None] = None,
        body_name: Annotated[
            str | None,
            QueryParameter(
                name="body",
                description="this body and those under it",
                max_length=300,
                pattern=NO_NUL,
            ),
        ] = None,
        office: Annotated[
            str | None,
            QueryParameter(
                description="any spelling; canonicalised", max_length=300, pattern=NO_NUL
            ),
        ] = None,
        matched: Annotated[bool | None, Parameter(description="matched to a candidacy")] = None,
        rescinded: FromQuery[bool | None] = None,
        candidate: Annotated[
            str | None,
            QueryParameter(description="part of the name", max_length=300, pattern=NO_NUL),
        ] = None,
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 100,
        offset: Annotated[int, Parameter(ge=0, le=2**31 - 1)] = 0,
    ) -> EndorsementPage:
        return await service.list_page(
            conn,
            election=election,
            stage=stage,
            body=body_name,
            office=office,
            matched=matched,
            rescinded=rescinded,
            candidate=candidate,
            limit=limit,
            offset=offset,
        )

    @get("/{endorsement_id:int}", operation_id="getEndorsement", guards=[requires("viewer")])
    async def get_endorsement(
        self,
        conn: Conn,
        endorsement_id: RowId,
        if_none_match: Annotated[str | None, HeaderParameter(name="If-None-Match")] = None,
    ) -> Response[Endorsement]:
        endorsement = await service.get(conn, endorsement_id)
        if if_none_match and endorsement.etag.removeprefix("W/") in {
            t.strip().removeprefix("W/") for t in if_none_match.split(",")
        }:
            return Response(None, status_code=304, headers={"ETag": endorsement.etag})  # type: ignore[arg-type]
        return _with_etag(endorsement)

    @get(
        "/{endorsement_id:int}/history",
        operation_id="endorsementHistory",
        guards=[requires("viewer")],
    )
    async def history(self, conn: Conn, endorsement_id: RowId) -> list[EndorsementVersion]:
        return await service.history(conn, endorsement_id)

    @post("/", operation_id="createEndorsement", guards=[requires("editor")])
    async def create(
        self, conn: Conn, data: JSONBody[EndorsementCreate], principal: Authed
    ) -> Response[Endorsement]:
        return _with_etag(await edits.create(conn, data, actor=principal.name), 201)

    @put("/{endorsement_id:int}", operation_id="replaceEndorsement", guards=[requires("editor")])
    async def replace(
        self,
        conn: Conn,
        endorsement_id: RowId,
        data: JSONBody[EndorsementReplace],
        principal: Authed,
        if_match: IfMatch = None,
    ) -> Response[Endorsement]:
        return _with_etag(
            await edits.update(conn, endorsement_id, data, if_match=if_match, actor=principal.name)
        )

    @patch("/{endorsement_id:int}", operation_id="updateEndorsement", guards=[requires("editor")])
    async def update(
        self,
        conn: Conn,
        endorsement_id: RowId,
        data: JSONBody[EndorsementUpdate],
        principal: Authed,
        if_match: IfMatch = None,
    ) -> Response[Endorsement]:
        return _with_etag(
            await edits.update(conn, endorsement_id, data, if_match=if_match, actor=principal.name)
        )

    @post(
        "/{endorsement_id:int}/rescind",
        operation_id="rescindEndorsement",
        guards=[requires("editor")],
        status_code=200,
    )
    async def rescind(
        self,
        conn: Conn,
        endorsement_id: RowId,
        data: JSONBody[Rescind],
        principal: Authed,
        if_match: IfMatch = None,
    ) -> Response[Endorsement]:
        endorsement = await edits.update(
            conn,
            endorsement_id,
            data,
            if_match=if_match,
            actor=principal.name,
            action="endorsement.rescind",
        )
        return _with_etag(endorsement)

    @delete("/{endorsement_id:int}", operation_id="deleteEndorsement", guards=[requires("editor")])
    async def delete(
        self, conn: Conn, endorsement_id: RowId, principal: Authed, if_match: IfMatch = None
    ) -> None:
        await edits.delete(conn, endorsement_id, if_match=if_match, actor=principal.name)
