"""The badges a race earns from the human layer and the sources, named once for every view of a
race: the night page's cards (endorse.dashboard.cards), the public figure page (frozen rows,
plain dicts), the staff race pages (endorse.staff.race_pages) and the race view.

Each badge is (key, label): the key is a stable hook for CSS and tests (data-badge), the label
what people read. The facts come from the race row the figures compute (figure_races):
called_by_staff, certified_by_staff, excluded_reason (race_decisions, sql/0080) and disputed
(two sources differ, sql/0081).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _get(row: Any, key: str) -> Any:
    return row.get(key) if isinstance(row, dict) else getattr(row, key, None)


def race_badges(rows: Iterable[Any]) -> list[tuple[str, str]]:
    """The human-layer badges of a race from its rows (a RaceRow, a RaceView or a frozen dict)."""
    rows = list(rows)
    found: list[tuple[str, str]] = []
    if any(_get(r, "called_by_staff") for r in rows):
        found.append(("called", "Called by staff"))
    reasons = sorted({_get(r, "excluded_reason") for r in rows} - {None})
    found.extend(("excluded", f"Excluded: {reason}") for reason in reasons)
    if any(_get(r, "certified_by_staff") for r in rows):
        found.append(("certified", "Certified"))
    if any(_get(r, "disputed") for r in rows):  # sql/0081: the figures follow the official one
        found.append(("disputed", "Sources disagree"))
    return found
