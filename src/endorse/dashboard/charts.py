"""Server-drawn SVG geometry: the rate through the night, and won/lost/pending per office level.

Drawn on the server so the charts need no script and no chart library, print as they show, and
pass the CSP (SVG presentation attributes are not inline styles).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_Y = 600, 180, 40, 12, 14


@dataclass(slots=True)
class RateChart:
    line: str  # polyline points of the headline percent
    band: str  # polygon points of the range it can still end in (low .. high)
    dots: list[tuple[float, float, str]]  # x, y, title
    ticks: list[tuple[float, str]]  # y, label
    first: str
    last: str
    width: int = WIDTH
    height: int = HEIGHT


def _y(percent: float) -> float:
    return round(PAD_Y + (100 - percent) / 100 * (HEIGHT - 2 * PAD_Y), 1)


def rate_chart(history: list[dict[str, Any]], zone: ZoneInfo) -> RateChart | None:
    """None until two decided points exist (one point is a dot, not a trend)."""
    points = [h for h in history if h["percent"] is not None]
    if len(points) < 2:
        return None
    start, end = points[0]["at"].timestamp(), points[-1]["at"].timestamp()
    inner = WIDTH - PAD_LEFT - PAD_RIGHT
    place = {id(h): i / (len(points) - 1) for i, h in enumerate(points)}  # no time span: evenly

    def x(h: dict[str, Any]) -> float:
        share = (h["at"].timestamp() - start) / (end - start) if end > start else place[id(h)]
        return round(PAD_LEFT + share * inner, 1)

    line = " ".join(f"{x(h)},{_y(h['percent'])}" for h in points)
    upper = [f"{x(h)},{_y(h['high'])}" for h in points]
    lower = [f"{x(h)},{_y(h['low'])}" for h in reversed(points)]
    dots = [
        (
            x(h),
            _y(h["percent"]),
            f"{h['at'].astimezone(zone):%H:%M}: {h['won']} of {h['won'] + h['lost']} ({h['percent']}%)",
        )
        for h in points
    ]
    ticks = [(_y(p), f"{p}%") for p in (0, 50, 100)]
    first, last = (f"{p['at'].astimezone(zone):%H:%M %Z}" for p in (points[0], points[-1]))
    return RateChart(line, " ".join(upper + lower), dots, ticks, first, last)


@dataclass(slots=True)
class LevelBar:
    key: str
    label: str
    won: int
    lost: int
    pending: int
    text: str  # "w of n (p%)", or "p pending" while none of the level's races is decided
    segments: list[tuple[str, float, float, int]]  # css class, x, width, count


def level_bars(by_level: list[Any], labels: dict[str, str], width: float = 100.0) -> list[LevelBar]:
    """One stacked bar per office level, scaled to the level with the most endorsed races."""
    biggest = max((r.won + r.lost + r.pending for r in by_level), default=0)
    bars = []
    for rate in by_level:
        x = 0.0
        segments = []
        for cls, count in (("won", rate.won), ("lost", rate.lost), ("pending", rate.pending)):
            w = round(count / biggest * width, 2) if biggest else 0.0
            if count:
                segments.append((cls, round(x, 2), w, count))
            x += w
        percent = f" ({rate.percent}%)" if rate.percent is not None else ""
        # "0 of 0" beside a bar of pending races reads as if the level had none
        text = f"{rate.text}{percent}" if rate.decided else f"{rate.pending} pending"
        bars.append(
            LevelBar(
                key=rate.key,
                label=labels.get(rate.key, rate.key),
                won=rate.won,
                lost=rate.lost,
                pending=rate.pending,
                text=text,
                segments=segments,
            )
        )
    return bars
