"""The public page behind a published figure: GET /figures/{id} (HTML) and its race table as CSV.

Only the frozen figure is read (endorse.figures.published.get_figure): whatever the live
results do afterwards, this page shows the numbers as they were published. Published figures
are public by design, so no sign-in and no visibility check.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath
from litestar.response import Template

from endorse.dashboard.cards import LEVEL_WORDS
from endorse.deps import Conn
from endorse.elections.service import get_election
from endorse.figures.badges import race_badges
from endorse.figures.outcomes import CSV_COLUMNS, csv_cell
from endorse.figures.published import get_figure
from endorse.figures.schemas import PublishedFigure

CSV = "text/csv; charset=utf-8"


@dataclass(slots=True)
class FrozenRace:
    title: str
    level: str
    rows: list[dict[str, Any]]


def races(figure: PublishedFigure) -> tuple[list[FrozenRace], list[dict[str, Any]]]:
    """(counted races grouped by contest in their frozen order, rows listed but not counted)."""
    grouped: dict[Any, FrozenRace] = {}
    excluded = []
    for row in figure.races:
        if row.get("tally") == "excluded":
            excluded.append(row)
            continue
        key = (row.get("stage"), row.get("contest_id"))
        if key not in grouped:
            district = row.get("district") or ""
            office = row.get("office") or ""
            title = f"{office} {district}".strip() if district not in office else office
            level = LEVEL_WORDS.get(row.get("level") or "", row.get("level") or "")
            grouped[key] = FrozenRace(title, level, [])
        grouped[key].rows.append(row)
    return list(grouped.values()), excluded


def frozen_csv(figure: PublishedFigure) -> str:
    """The frozen race rows in the live race table's columns (endorse.figures.outcomes)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in figure.races:
        writer.writerow(csv_cell(row.get(column)) for column in CSV_COLUMNS)
    return out.getvalue()


class FigurePageController(Controller):
    tags = ["dashboard"]
    include_in_schema = False

    @get("/figures/{figure_id:int}", operation_id="figurePage", cache=False)
    async def page(self, request: Request, conn: Conn, figure_id: FromPath[int]) -> Template:
        """Public: the page a press release links to; the frozen numbers only."""
        figure = await get_figure(conn, figure_id)
        counted, excluded = races(figure)
        election = await get_election(conn, figure.election)  # for the DEMO banner only
        return Template(
            "night/figure.html",
            context={
                "figure": figure,
                "stats": figure.stats,
                "counted": counted,
                "excluded": excluded,
                "badges": race_badges,  # the human layer's badges of a race's frozen rows
                "url": str(request.url),
                "election": election,
            },
        )

    @get("/figures/{figure_id:int}/races.csv", operation_id="figureCsv", cache=False)
    async def races_csv(self, conn: Conn, figure_id: FromPath[int]) -> Response[str]:
        """Public: the frozen race table of a published figure, as CSV."""
        figure = await get_figure(conn, figure_id)
        name = f"figure-{figure.id}-{figure.election}-{figure.stage}-races.csv"
        return Response(
            frozen_csv(figure),
            media_type=CSV,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
