"""A stream's one-slot mailbox of ready SSE frames, shared by both event streams.

Delivery is the hot path (2,000 clients per process on election night, bench/bench_sse.py), so
a stream holds at most one pending thing, already encoded: what it has not taken yet (a later
notification merges into it), a keep-alive comment, or END. Lighter than a one-slot
asyncio.Queue read with asyncio.wait_for (in Python 3.11 a Task per wait): a put is two
assignments and, when the stream is waiting, one future set; a take that finds the slot
filled does not suspend. Keep-alive comments come from one timer per hub (`tick`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

KEEPALIVE = b": keep-alive\r\n\r\n"  # a comment: browsers dispatch nothing for it
END = b""  # the stream ends (the server is stopping, or streams are dropped): clients reconnect

T = TypeVar("T")


class Mailbox(Generic[T]):
    """What a stream has not taken yet (`pending`; None for a comment, END, or nothing) and
    its frame (`data`; None: nothing pending)."""

    __slots__ = ("_waiter", "data", "pending")

    def __init__(self) -> None:
        self.pending: T | None = None
        self.data: bytes | None = None
        self._waiter: asyncio.Future[None] | None = None

    def put(self, pending: T | None, data: bytes) -> None:
        self.pending, self.data = pending, data
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def take(self) -> tuple[T | None, bytes]:
        """The pending thing and its frame, waiting for them."""
        while self.data is None:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        taken = self.pending, self.data
        self.pending = self.data = None
        return taken


async def tick(seconds: float, keep_alive: Callable[[], None]) -> None:
    """A hub's one keep-alive timer (the listen lifespan runs it), not a timeout per stream."""
    while True:
        await asyncio.sleep(seconds)
        keep_alive()
