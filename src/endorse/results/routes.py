"""HTTP routes of the results ingestion, and its lifespans (the worker inside `endorse serve`)."""

from typing import Any

from litestar.types import ControllerRouterHandler

from endorse.results.controllers import ElectionResultsController
from endorse.results.held_controllers import HeldController
from endorse.results.source_controllers import SourceController
from endorse.results.worker import worker_lifespan

ROUTES: list[ControllerRouterHandler] = [
    ElectionResultsController,
    SourceController,
    HeldController,
]
LIFESPANS: list[Any] = [worker_lifespan]
