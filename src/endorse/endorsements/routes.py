"""HTTP routes of the endorsement registry."""

from litestar.types import ControllerRouterHandler

ROUTES: list[ControllerRouterHandler] = []
