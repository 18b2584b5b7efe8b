"""HTTP routes of the endorsement registry (and, until app.py lists them, the admin routes)."""

from litestar.types import ControllerRouterHandler

from endorse.admin.routes import ROUTES as ADMIN_ROUTES
from endorse.endorsements.controllers import EndorsementController
from endorse.endorsements.transfer import EndorsementFileController

# ADMIN_ROUTES ride along here so they are live without touching app.py; when app.py lists
# endorse.admin.routes.ROUTES itself, drop them from this list (Litestar refuses duplicates).
ROUTES: list[ControllerRouterHandler] = [
    EndorsementController,
    EndorsementFileController,
    *ADMIN_ROUTES,
]
