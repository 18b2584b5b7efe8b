"""What the room asked to see: filters, search and sort, all held in the URL.

A link reproduces the view: every field is a query parameter, and `query_string()` writes the
state back out (the form, the stage switch and the live updates all use it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import urlencode

from endorse.dashboard.cards import Card, level_rank

Outcome = Literal["won", "lost", "pending", "not-reporting"]
Sort = Literal["office", "close"]
View = Literal["", "projector"]


@dataclass(frozen=True, slots=True)
class NightQuery:
    stage: str | None = None
    level: str | None = None
    body: str | None = None
    outcome: Outcome | None = None
    close: bool = False
    q: str = ""
    sort: Sort = "office"
    view: View = ""

    def query_string(self, **changes: object) -> str:
        """The URL query of this view (with `changes` applied), default values left out."""
        state = replace(self, **changes)  # type: ignore[arg-type]
        pairs = [
            ("stage", state.stage),
            ("level", state.level),
            ("body", state.body),
            ("outcome", state.outcome),
            ("close", "1" if state.close else None),
            ("q", state.q.strip() or None),
            ("sort", None if state.sort == "office" else state.sort),
            ("view", state.view or None),
        ]
        return urlencode([(k, v) for k, v in pairs if v])

    @property
    def filtered(self) -> bool:
        return bool(self.level or self.body or self.outcome or self.close or self.q.strip())


def _matches(card: Card, query: NightQuery) -> bool:
    if query.level and card.level != query.level:
        return False
    if query.body and query.body not in card.bodies:
        return False
    if query.outcome and card.outcome != query.outcome:
        return False
    if query.close and not card.close:
        return False
    wanted = query.q.lower().split()
    if wanted:  # every word typed starts a word of the card ("cho" finds Cho, not School)
        text = " ".join(
            [card.title, card.level_label, *(c.name for c in card.candidates), *card.bodies]
        )
        words = re.findall(r"\w[\w'.-]*", text.lower())
        return all(any(w.startswith(part) for w in words) for part in wanted)
    return True


def _district_key(district: str) -> tuple[int, str]:
    return (int(district), "") if district.isdigit() else (10**9, district)


def office_key(card: Card) -> tuple[object, ...]:
    return (level_rank(card.level), card.office, _district_key(card.district), card.contest_party)


def _close_key(card: Card) -> tuple[object, ...]:
    # undecided first, then by how small the margin is; races without votes last
    undecided = 0 if card.outcome in ("pending", "mixed") else 1
    margin = card.margin_percent
    return (undecided, 1 if margin is None else 0, margin or 0.0, *office_key(card))


def apply(cards: list[Card], query: NightQuery) -> list[Card]:
    shown = [c for c in cards if _matches(c, query)]
    return sorted(shown, key=_close_key if query.sort == "close" else office_key)
