"""HTTP routes of the figures (stats, races, published figures, review queue)."""

from litestar.types import ControllerRouterHandler

ROUTES: list[ControllerRouterHandler] = []
