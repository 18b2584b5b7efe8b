"""HTTP routes of the election-night page and the public figure pages, and the LISTEN lifespan."""

from typing import Any

from litestar.types import ControllerRouterHandler

from endorse.dashboard.controllers import NightController
from endorse.dashboard.events import listen_lifespan
from endorse.dashboard.public import FigurePageController

ROUTES: list[ControllerRouterHandler] = [NightController, FigurePageController]
LIFESPANS: list[Any] = [listen_lifespan]
