"""The server-drawn charts: points placed by time, the range band, bars scaled to the largest."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from endorse.dashboard.charts import level_bars, rate_chart
from endorse.figures.schemas import KeyedRate

T0 = dt.datetime(2026, 11, 4, 1, 0, tzinfo=dt.UTC)


def _point(minutes: float, won: int, lost: int, percent: int | None, low: int, high: int) -> dict:
    return {
        "at": T0 + dt.timedelta(minutes=minutes),
        "won": won,
        "lost": lost,
        "percent": percent,
        "low": low,
        "high": high,
    }


def test_rate_chart_spans_the_night_and_skips_undecided_points() -> None:
    zone = ZoneInfo("America/New_York")
    assert rate_chart([_point(0, 0, 0, None, 0, 100), _point(5, 1, 0, 100, 25, 100)], zone) is None
    chart = rate_chart(
        [_point(0, 0, 0, None, 0, 100), _point(10, 1, 1, 50, 25, 75), _point(30, 3, 1, 75, 75, 75)],
        zone,
    )
    assert chart is not None
    # 10 min -> left edge (x 40), 30 min -> right edge (x 588); 50% -> y 90, 75% -> y 52
    assert chart.line == "40.0,90.0 588.0,52.0"
    assert chart.band == "40.0,52.0 588.0,52.0 588.0,52.0 40.0,128.0"
    assert (chart.first, chart.last) == ("20:10 EST", "20:30 EST")
    same_second = [_point(0, 1, 1, 50, 50, 50), _point(0, 2, 1, 67, 67, 67)]
    assert rate_chart(same_second, zone).line.endswith("588.0,64.2")  # spread evenly


def test_level_bars_scale_to_the_level_with_most_races() -> None:
    rates = [
        KeyedRate(2, 1, 1, 3, 67, "2 of 3", 50, 75, key="state_house"),
        KeyedRate(1, 0, 1, 1, 100, "1 of 1", 50, 100, key="statewide"),
    ]
    house, state = level_bars(rates, {"state_house": "State House"})
    assert house.label == "State House" and house.text == "2 of 3 (67%)"
    assert house.segments == [
        ("won", 0.0, 50.0, 2),
        ("lost", 50.0, 25.0, 1),
        ("pending", 75.0, 25.0, 1),
    ]
    assert state.label == "statewide"
    assert state.segments == [("won", 0.0, 25.0, 1), ("pending", 25.0, 25.0, 1)]


def test_a_level_with_nothing_decided_says_how_many_are_pending() -> None:
    rates = [
        KeyedRate(0, 0, 4, 0, None, "0 of 0", 0, 100, key="federal"),
        KeyedRate(1, 0, 2, 1, 100, "1 of 1", 33, 100, key="statewide"),
    ]
    federal, state = level_bars(rates, {"federal": "Federal"})
    assert federal.text == "4 pending"
    assert state.text == "1 of 1 (100%)"
