"""Bad bearer tokens, counted per client address in this process.

Tokens are 256 random bits, so this is not about guessing: it stops one address from making
every request a token lookup in the database. The count lives in process memory, not in
PostgreSQL like failed sign-ins (endorse.users.throttle): writing a row per bad token would turn
the flood into database writes, the very load being refused. With several processes each keeps
its own count, so the effective limit is LIMIT times the process count; still bounded.
After LIMIT bad tokens within WINDOW seconds an address is refused (429, Retry-After) until its
window ends, whatever token it sends, so the refusal tells nothing about the tokens.
"""

from __future__ import annotations

import math
import time

LIMIT = 20
WINDOW = 60.0
MAX_ADDRESSES = 10_000  # past this, the oldest windows are forgotten: memory stays bounded


class BadTokens:
    def __init__(self, limit: int = LIMIT, window: float = WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._windows: dict[str, tuple[float, int]] = {}  # address -> (window start, failures)

    def retry_after(self, address: str) -> int:
        """Seconds before this address may present a token again; 0: go ahead."""
        entry = self._windows.get(address)
        if entry is None:
            return 0
        started, failures = entry
        left = started + self.window - time.monotonic()
        if left <= 0:
            del self._windows[address]
            return 0
        return math.ceil(left) if failures >= self.limit else 0

    def failed(self, address: str) -> None:
        now = time.monotonic()
        started, failures = self._windows.pop(address, (now, 0))
        if started + self.window <= now:
            started, failures = now, 0
        if len(self._windows) >= MAX_ADDRESSES:
            self._forget(now)
        self._windows[address] = (started, failures + 1)

    def _forget(self, now: float) -> None:
        expired = [a for a, (s, _) in self._windows.items() if s + self.window <= now]
        for address in expired or list(self._windows)[: MAX_ADDRESSES // 10]:
            del self._windows[address]
