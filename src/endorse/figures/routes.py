"""HTTP routes of the figures (stats, races, published figures, matching, review queue)."""

from litestar.types import ControllerRouterHandler

from endorse.figures.controllers import FiguresController, ReviewController
from endorse.figures.decision_controllers import DecisionsController
from endorse.figures.desk_controllers import ReviewDeskController

ROUTES: list[ControllerRouterHandler] = [
    FiguresController,
    ReviewController,
    ReviewDeskController,
    DecisionsController,
]
