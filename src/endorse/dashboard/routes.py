"""HTTP routes of the election-night dashboard, and the LISTEN lifespan that feeds it."""

from typing import Any

from litestar.types import ControllerRouterHandler

from endorse.dashboard.controllers import DashboardController
from endorse.dashboard.events import listen_lifespan

ROUTES: list[ControllerRouterHandler] = [DashboardController]
LIFESPANS: list[Any] = [listen_lifespan]
