"""/api/v1/elections/{slug}/visibility: read (public) and switch (editor, audited) a stage's
visibility, for scripts; staff switch it in the browser on the Endorsements page."""

from __future__ import annotations

import msgspec
from litestar import Controller, get, put
from litestar.params import FromPath, JSONBody

from endorse.auth.guards import requires
from endorse.deps import Authed, Conn
from endorse.elections import visibility
from endorse.elections.schemas import StageKind
from endorse.elections.service import UnknownElection
from endorse.elections.visibility import Visibility


class StageVisibility(msgspec.Struct, kw_only=True):
    stage: StageKind
    visibility: Visibility


class VisibilityChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    visibility: Visibility


class VisibilityController(Controller):
    path = "/api/v1/elections/{slug:str}"
    tags = ["elections"]

    @get("/visibility", operation_id="getStageVisibility", cache=False)
    async def get_visibility(self, conn: Conn, slug: FromPath[str]) -> list[StageVisibility]:
        """Public. Which stages' endorsements are announced (public) and which are private."""
        stages = await visibility.stage_visibilities(conn, slug)
        if not stages:
            raise UnknownElection(f"election: no election with slug {slug!r}")
        return [StageVisibility(stage=k, visibility=v) for k, v in stages.items()]  # type: ignore[arg-type]

    @put(
        "/stages/{stage:str}/visibility",
        operation_id="setStageVisibility",
        guards=[requires("editor")],
    )
    async def set_visibility(
        self,
        conn: Conn,
        slug: FromPath[str],
        stage: FromPath[StageKind],
        data: JSONBody[VisibilityChange],
        principal: Authed,
    ) -> StageVisibility:
        """Make a stage's endorsements public (the announcement) or private again (editor)."""
        await visibility.set_visibility(conn, slug, stage, data.visibility, actor=principal.name)
        return StageVisibility(stage=stage, visibility=data.visibility)


ROUTES = [VisibilityController]
