"""HTTP routes of the results ingestion, and its lifespans (the worker inside `endorse serve`)."""

from typing import Any

from litestar.types import ControllerRouterHandler

ROUTES: list[ControllerRouterHandler] = []
LIFESPANS: list[Any] = []
