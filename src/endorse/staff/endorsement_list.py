"""The endorsement list's state: filters read from the URL (so a view can be bookmarked and
works without JavaScript), turned into one call of endorse.endorsements.service.list_page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import asyncpg
import msgspec

from endorse.admin.bodies import list_bodies
from endorse.elections.schemas import STAGE_KINDS
from endorse.elections.service import list_elections
from endorse.elections.visibility import stage_visibilities
from endorse.endorsements import service

PAGE_SIZE = 50
LEVELS = (
    ("federal", "Federal"),
    ("statewide", "Statewide"),
    ("state_senate", "State Senate"),
    ("state_house", "State House"),
    ("county", "County"),
    ("municipal", "Municipal"),
    ("school_board", "School board"),
    ("other", "Other"),
)
OUTCOMES = (
    ("WON", "Won"),
    ("LOST", "Lost"),
    ("ADVANCED", "Advanced"),
    ("PENDING", "Pending"),
    ("WITHDREW", "Withdrew"),
    ("RESCINDED", "Rescinded"),
    ("UNMATCHED", "Unmatched"),
    ("NOT_COUNTED", "Not counted (late)"),
)
_YES_NO = {"yes": True, "no": False}


class ListQuery(msgspec.Struct, kw_only=True):
    election: str = ""
    stage: str = ""
    level: str = ""
    body: str = ""
    outcome: str = ""
    matched: str = ""
    rescinded: str = ""
    q: str = ""
    page: int = 1

    @classmethod
    def from_params(cls, params: Any) -> ListQuery:
        """Unknown or malformed values are dropped, not errors: a URL is often hand-edited."""

        def one(name: str, allowed: tuple[str, ...] | None = None) -> str:
            value = str(params.get(name) or "").strip()[:300].replace("\x00", "")
            return value if allowed is None or value in allowed else ""

        try:
            page = max(1, min(int(params.get("page") or 1), 100_000))
        except ValueError:
            page = 1
        return cls(
            election=one("election"),
            stage=one("stage", STAGE_KINDS),
            level=one("level", tuple(k for k, _ in LEVELS)),
            body=one("body"),
            outcome=one("outcome", tuple(k for k, _ in OUTCOMES)),
            matched=one("matched", ("yes", "no")),
            rescinded=one("rescinded", ("yes", "no")),
            q=one("q"),
            page=page,
        )

    def url(self, **change: Any) -> str:
        values = {**msgspec.structs.asdict(self), **change}
        kept = {k: v for k, v in values.items() if v not in ("", None) and (k, v) != ("page", 1)}
        return "/staff/endorsements" + ("?" + urlencode(kept) if kept else "")


async def list_context(conn: asyncpg.Connection, query: ListQuery) -> dict[str, Any]:
    """Everything the list page and its htmx fragment show."""
    elections = sorted(await list_elections(conn), key=lambda e: e.election_date, reverse=True)
    election = next((e for e in elections if e.slug == query.election), None)
    if election is None and elections:
        election = elections[0]
    stages = [s.kind for s in election.stages] if election else []
    if election is not None and query.stage not in stages:
        query.stage = "general" if "general" in stages else (stages[0] if stages else "")
    if election is not None:
        query.election = election.slug
    bodies = [b.name for b in await list_bodies(conn)]
    if query.body not in bodies:
        query.body = ""
    page = None
    if election is not None:
        page = await service.list_page(
            conn,
            election=election.slug,
            stage=query.stage or None,
            body=query.body or None,
            level=query.level or None,
            outcome=query.outcome or None,
            matched=_YES_NO.get(query.matched),
            rescinded=_YES_NO.get(query.rescinded),
            candidate=query.q or None,
            with_outcome=True,
            limit=PAGE_SIZE,
            offset=(query.page - 1) * PAGE_SIZE,
        )
    visibility = (
        (await stage_visibilities(conn, election.slug)).get(query.stage) if election else None
    )
    pages = max(1, -(-page.total // PAGE_SIZE)) if page else 1
    return {
        "query": query,
        "elections": elections,
        "election": election,
        "stages": stages,
        "levels": LEVELS,
        "outcomes": OUTCOMES,
        "bodies": bodies,
        "page": page,
        "pages": pages,
        "visibility": visibility,
    }
