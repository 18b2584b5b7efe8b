"""HTTP routes of the administration (tokens, audit log, bodies)."""

from litestar.types import ControllerRouterHandler

from endorse.admin.controllers import AuditController, BodyController, TokenController

ROUTES: list[ControllerRouterHandler] = [TokenController, AuditController, BodyController]
