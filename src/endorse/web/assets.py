"""Template and static-file wiring for the pages (Jinja2 templates, /static from the package)."""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from endorse.figures.decisions import REASON_MAX

_PACKAGE = Path(__file__).resolve().parents[1]
# web/ first so the shared layout wins any name clash; areas keep their files in subfolders.
_AREAS = ("web", "staff", "dashboard")


def _existing(sub: str) -> list[Path]:
    return [p for area in _AREAS if (p := _PACKAGE / area / sub).is_dir()]


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """Jinja2 with autoescape on, reading every area's templates/ folder. Limits the service
    enforces are template globals, so a form's maxlength cannot drift from the check."""
    return TemplateConfig(
        directory=_existing("templates"), engine=JinjaTemplateEngine, engine_callback=_globals
    )


def _globals(engine: JinjaTemplateEngine) -> None:
    engine.engine.globals["reason_max"] = REASON_MAX


def static_router() -> Router:
    """Public: /static/... from the package itself (the machine may be offline: no CDN)."""
    return create_static_files_router(
        path="/static",
        directories=_existing("static"),
        cache_control=CacheControlHeader(max_age=300, public=True),
        include_in_schema=False,
    )
