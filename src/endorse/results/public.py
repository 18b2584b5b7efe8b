"""What anyone may read about a source's trouble: its state in our own words, never the error.

An error can quote what was fetched (a parse error shows the bad bytes; a fetch an editor or a
redirect pointed inward could return anything), so the public reads (the election's sources,
the contest page, the night page) say only that something is wrong and that the last good
numbers are shown. The details stay for signed-in readers: /api/v1/sources and staff pages.
"""

from __future__ import annotations

import msgspec

from endorse.results.schemas import Health, Source

# Read after "source 3 …" (the night page adds "Figures show the last good data").
PROBLEM = "had a problem at its last poll"
HELD = "has a payload held back for review"
REASONS: dict[Health, str] = {
    "degraded": "needs a look; the last good numbers are shown",
    "failing": "is not updating: its polls keep failing; the last good numbers are shown",
}


def public(source: Source) -> Source:
    """`source` with every error text replaced by a fixed phrase (health kept as it is)."""
    return msgspec.structs.replace(
        source,
        last_error=PROBLEM if source.last_error else None,
        warning=HELD if source.warning else None,
        # healthy and paused reasons are fixed phrases of source_state already
        health_reason=REASONS.get(source.health, source.health_reason),
    )
