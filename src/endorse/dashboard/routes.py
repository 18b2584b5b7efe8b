"""HTTP routes of the election-night dashboard."""

from litestar.types import ControllerRouterHandler

ROUTES: list[ControllerRouterHandler] = []
