"""HTTP routes of the endorsement registry."""

from litestar.types import ControllerRouterHandler

from endorse.endorsements.controllers import EndorsementController
from endorse.endorsements.transfer import EndorsementFileController

ROUTES: list[ControllerRouterHandler] = [EndorsementController, EndorsementFileController]
