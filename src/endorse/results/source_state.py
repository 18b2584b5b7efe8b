"""A source's health, derived from what its polls recorded: healthy / degraded / paused / failing.

One pure function, so every reader (the API, the CLI, the staff Sources page) says the same,
and the worker's own bookkeeping can feed it more facts later without touching its readers.

* paused   -- staff switched polling off (sources.enabled = false);
* failing  -- the last poll failed and it has not had a good poll for FAILING_AFTER intervals
              (or never had one): the numbers on screen are not moving;
* degraded -- something needs a look but data still flows: a payload held in quarantine, a
              contest held back because its counts went backwards (endorse.results.held), a
              failure since the last good poll that is still recent, or no poll at all for
              STALE_AFTER intervals (no worker running?);
* healthy  -- otherwise, including a source not polled yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from endorse.results.schemas import Health

FAILING_AFTER = 3  # intervals without a good poll, after a failure
STALE_AFTER = 3  # intervals without any poll while enabled


def _ago(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{int(seconds)} s" if minutes < 2 else f"{minutes} min"


def health(source: Mapping[str, Any], now: dt.datetime | None = None) -> tuple[Health, str]:
    """(state, the reason in words) from a sources row joined as list_sources reads it."""
    now = now or dt.datetime.now(dt.UTC)
    interval = dt.timedelta(seconds=source["schedule_seconds"])
    success, error_at = source["last_success_at"], source["last_error_at"]
    if not source["enabled"]:
        return "paused", "polling is paused"
    if source["last_error"] and error_at is not None and (success is None or error_at > success):
        if success is None:
            return "failing", f"no good poll yet; last error: {source['last_error']}"
        if now - success >= interval * FAILING_AFTER:
            return "failing", (
                f"no good poll for {_ago((now - success).total_seconds())}; "
                f"last error: {source['last_error']}"
            )
        return "degraded", f"last poll failed: {source['last_error']}"
    if source["quarantined_snapshot_id"] is not None:
        return "degraded", f"a payload is quarantined: {source['quarantine_error']}"
    if held := source.get("held_corrections"):
        return "degraded", (
            f"{held} contest(s) held back, their counts went backwards or they left the feed: "
            "accept the correction or wait for the source"
        )
    checked = source["last_checked_at"]
    if checked is None:
        return "healthy", "not polled yet"
    if now - checked >= interval * STALE_AFTER:
        return "degraded", (
            f"not polled for {_ago((now - checked).total_seconds())} (is a worker running?)"
        )
    return "healthy", "polling normally"
