"""Official-results scrapers: one module per source format, each a pure fetch + parse."""

from __future__ import annotations

from types import ModuleType

from scrapers import clarity, ct_sots, html, openelections
from scrapers.records import (
    ContestNote,
    Fetched,
    FetchError,
    Measure,
    Parsed,
    ParseError,
    ResultRecord,
    SourceState,
)

# FORMAT -> module; each module has FORMAT, fetch(), parse() and load_path().
FORMATS: dict[str, ModuleType] = {
    module.FORMAT: module for module in (ct_sots, clarity, openelections, html)
}

__all__ = [
    "FORMATS",
    "ContestNote",
    "FetchError",
    "Fetched",
    "Measure",
    "ParseError",
    "Parsed",
    "ResultRecord",
    "SourceState",
]
