"""A cap on the Server-Sent Event streams one process holds open (ENDORSE_SSE_MAX_CLIENTS).

Each stream holds a socket, a task and a mailbox for as long as the client stays; without a cap
a crowd (or one script opening streams in a loop) exhausts the process. Past the cap a new
stream is refused with 503 and Retry-After; the night page then polls /live instead
(dashboard/static/night-live.js), so a reader still sees every number, a little later.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from litestar.exceptions import HTTPException

RETRY_SECONDS = 30


class StreamSlots:
    """Streams are counted while they run, from their first message to their end, so a
    response that never started cannot leak a slot; the check before it is therefore soft
    (requests racing in the same instant may pass it together), which a cap can afford."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.taken = 0

    def check(self) -> None:
        """Raise 503 when the process already holds `capacity` streams."""
        if self.taken >= self.capacity:
            raise HTTPException(
                status_code=503,
                detail=f"too many live streams on this server ({self.capacity}); poll instead",
                headers={"Retry-After": str(RETRY_SECONDS)},
            )

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Hold a slot while a stream runs; freed however the stream ends. Entered inside the
        stream's own generator (not a generator relaying it: one hop less per event)."""
        self.taken += 1
        try:
            yield
        finally:
            self.taken -= 1
