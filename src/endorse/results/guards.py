"""Guards: a payload that would replace good results with bad ones is quarantined, not applied.

Election-night feeds fail in recognisable ways: an empty or half-written file, a feed that
suddenly carries one county instead of the state, a contest whose counts go backwards because a
town's upload was replaced by a partial one. Counts only grow on the night; a real downward
correction (a recanvass) is applied by a person releasing the payload with a note.
"""

from __future__ import annotations

from collections.abc import Iterable

SHRINK_RATIO = 0.5  # quarantine when a payload has under half the contests of the last applied one
DROP_RATIO = 0.10  # quarantine when a contest's total votes fall by more than 10% ...
DROP_MIN_VOTES = 10  # ... and by at least 10 votes: small races get small corrections


class Quarantine(Exception):
    """A guard refused the payload; the message names the guard and the contests involved."""


def check_not_empty(record_count: int) -> None:
    if record_count == 0:
        raise Quarantine("empty payload: it holds no result rows")


def check_shrink(previous_contests: int | None, contests: int) -> None:
    """`previous_contests`: what the source's last applied payload held (None: first load)."""
    if previous_contests and contests < previous_contests * SHRINK_RATIO:
        raise Quarantine(
            f"payload lost most of its contests: {contests} now, "
            f"{previous_contests} in the last applied payload"
        )


def check_drops(drops: Iterable[tuple[str, int, int]]) -> None:
    """`drops`: (contest label, total before, total now) for each contest already in results."""
    bad = [
        (label, before, now)
        for label, before, now in drops
        if before - now > before * DROP_RATIO and before - now >= DROP_MIN_VOTES
    ]
    if bad:
        shown = "; ".join(f"{label}: {before} -> {now}" for label, before, now in bad[:5])
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        raise Quarantine(
            f"total votes dropped sharply in {len(bad)} contest(s): {shown}{more}; "
            "release the snapshot with a note if this is a real correction"
        )
