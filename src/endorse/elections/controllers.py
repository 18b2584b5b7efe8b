"""/api/v1/elections: list (public) and create (editor)."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import JSONBody

from endorse.auth.guards import requires
from endorse.deps import Authed, Conn
from endorse.elections import service
from endorse.elections.schemas import Election, ElectionCreate


class ElectionController(Controller):
    path = "/api/v1/elections"
    tags = ["elections"]

    @get("/", operation_id="listElections", cache=False)
    async def list_elections(self, conn: Conn) -> list[Election]:
        return await service.list_elections(conn)

    @post("/", operation_id="createElection", guards=[requires("editor")])
    async def create_election(
        self, conn: Conn, data: JSONBody[ElectionCreate], principal: Authed
    ) -> Election:
        return await service.create_election(conn, data, actor=principal.name)
