"""Admin HTTP surface: /api/v1/admin/tokens, /api/v1/admin/audit, /api/v1/bodies.

Tokens and the audit log are admin-only. Bodies are read by any viewer (staff pick them when
entering endorsements) and changed by admins.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import JSONBody, Parameter, PathParameter, QueryParameter

from endorse.admin import audit, bodies, tokens
from endorse.admin.schemas import (
    AuditPage,
    Body,
    BodyCreate,
    BodyUpdate,
    Token,
    TokenCreate,
    TokenCreated,
)
from endorse.auth.guards import requires
from endorse.deps import Authed, Conn, RowId

# bounded so a huge id or a NUL in a filter is a 400, never a database error (500)
Filter = Annotated[str | None, QueryParameter(max_length=300, pattern=r"^[^\x00]*$")]


class TokenController(Controller):
    path = "/api/v1/admin/tokens"
    tags = ["admin"]
    guards = [requires("admin")]

    @post("/", operation_id="createToken")
    async def create(
        self, conn: Conn, data: JSONBody[TokenCreate], principal: Authed
    ) -> TokenCreated:
        return await tokens.create(conn, data, actor=principal.name)

    @get("/", operation_id="listTokens", cache=False)
    async def list_tokens(self, conn: Conn) -> list[Token]:
        return await tokens.list_tokens(conn)

    @delete("/{name:str}", operation_id="revokeToken")
    async def revoke(
        self,
        conn: Conn,
        name: Annotated[str, PathParameter(max_length=200, pattern=r"^[^\x00]*$")],
        principal: Authed,
    ) -> None:
        await tokens.revoke(conn, name, actor=principal.name)


class AuditController(Controller):
    path = "/api/v1/admin/audit"
    tags = ["admin"]
    guards = [requires("admin")]

    @get("/", operation_id="listAudit", cache=False)
    async def list_audit(
        self,
        conn: Conn,
        entity: Filter = None,
        entity_id: Filter = None,
        actor: Filter = None,
        action: Filter = None,
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 100,
        offset: Annotated[int, Parameter(ge=0, le=2**31 - 1)] = 0,
    ) -> AuditPage:
        return await audit.page(
            conn,
            entity=entity,
            entity_id=entity_id,
            actor=actor,
            action=action,
            limit=limit,
            offset=offset,
        )


class BodyController(Controller):
    path = "/api/v1/bodies"
    tags = ["bodies"]

    @get("/", operation_id="listBodies", guards=[requires("viewer")], cache=False)
    async def list_bodies(self, conn: Conn) -> list[Body]:
        return await bodies.list_bodies(conn)

    @get("/{body_id:int}", operation_id="getBody", guards=[requires("viewer")])
    async def get_body(self, conn: Conn, body_id: RowId) -> Body:
        return await bodies.get_body(conn, body_id)

    @post("/", operation_id="createBody", guards=[requires("admin")])
    async def create(self, conn: Conn, data: JSONBody[BodyCreate], principal: Authed) -> Body:
        return await bodies.create_body(conn, data, actor=principal.name)

    @patch("/{body_id:int}", operation_id="updateBody", guards=[requires("admin")])
    async def update(
        self, conn: Conn, body_id: RowId, data: JSONBody[BodyUpdate], principal: Authed
    ) -> Body:
        return await bodies.update_body(conn, body_id, data, actor=principal.name)

    @delete("/{body_id:int}", operation_id="deleteBody", guards=[requires("admin")])
    async def delete(self, conn: Conn, body_id: RowId, principal: Authed) -> None:
        await bodies.delete_body(conn, body_id, actor=principal.name)
