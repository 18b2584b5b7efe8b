"""How the worker and `results load` fetch: one guarded HTTP client, and each poll's budget.

The limits come from the settings (ENDORSE_FETCH_*): the byte cap and the SSRF guard live in
scrapers (`_http`, `_guard`); this module only turns settings into a client and a budget.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import httpx
import msgspec

from endorse import __version__
from endorse.settings import Settings
from scrapers import _guard
from scrapers._http import DEFAULT_MAX_BYTES, Budget, budget

# What may be fetched where no settings reach (tests calling the pipeline directly): the
# defaults of Settings, private addresses refused.
DEADLINE_SECONDS = 30.0


class FetchLimits(msgspec.Struct, frozen=True, kw_only=True):
    max_bytes: int = DEFAULT_MAX_BYTES
    deadline_seconds: float = DEADLINE_SECONDS
    allow_private: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchLimits:
        return cls(
            max_bytes=settings.fetch_max_bytes,
            deadline_seconds=settings.fetch_deadline_seconds,
            allow_private=settings.fetch_allow_private,
        )


def http_client(limits: FetchLimits | None = None) -> httpx.AsyncClient:
    """One client per worker (connection reuse across polls); timeouts are set per request.

    trust_env=False: through an HTTP proxy the name would be resolved by the proxy, out of the
    guard's sight, so proxy variables in the environment are not followed.
    """
    limits = limits or FetchLimits()
    return httpx.AsyncClient(
        transport=_guard.transport(allow_private=limits.allow_private),
        trust_env=False,
        headers={"User-Agent": f"endorse/{__version__} (results worker)"},
    )


@contextlib.contextmanager
def poll_budget(limits: FetchLimits | None, schedule_seconds: float) -> Iterator[Budget]:
    """One poll's budget: the deadline setting, never longer than the source's interval."""
    limits = limits or FetchLimits()
    with budget(
        seconds=min(limits.deadline_seconds, schedule_seconds), max_bytes=limits.max_bytes
    ) as spent:
        yield spent
