"""GET with timeouts, retries with exponential backoff, and conditional requests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from scrapers.records import Fetched, FetchError, ParseError, SourceState

KEPT_HEADERS = ("content-type", "etag", "last-modified", "date")
# Clarity sites behind a WAF answer 403 to Python's default User-Agent; a browser's passes.
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


@dataclass(frozen=True)
class Policy:
    """How hard to try, and as whom. A source's mapping may carry "http": {attempts, backoff,
    max_delay, timeout, user_agent}."""

    attempts: int = 4  # tries in all, the first included
    backoff: float = 0.5  # seconds before the 2nd try; doubles each time
    max_delay: float = 8.0
    timeout: float = 15.0  # per request: connect, read, write and pool each
    user_agent: str = BROWSER_USER_AGENT

    @classmethod
    def from_mapping(cls, mapping: dict[str, Any] | None) -> Policy:
        options = (mapping or {}).get("http") or {}
        unknown = set(options) - {"attempts", "backoff", "max_delay", "timeout", "user_agent"}
        if unknown:
            raise ValueError(f"mapping key 'http' has unknown option(s) {sorted(unknown)}")
        return cls(**options)

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed try number `attempt` (1-based)."""
        return min(self.max_delay, self.backoff * 2 ** (attempt - 1))


def _retryable(status: int) -> bool:
    # 5xx is the server's trouble and may pass; 429 asks us to come back. Other 4xx will not.
    return status >= 500 or status == 429


async def get(
    client: httpx.AsyncClient,
    url: str,
    policy: Policy,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> httpx.Response | None:
    """The 200 response for `url`, or None on 304 Not Modified; FetchError after the last try."""
    headers: dict[str, str] = {"User-Agent": policy.user_agent}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    reason = "no attempt made"
    for attempt in range(1, policy.attempts + 1):
        try:
            response = await client.get(url, headers=headers, timeout=policy.timeout)
        except httpx.TimeoutException as exc:
            reason = f"timed out after {policy.timeout:g}s ({type(exc).__name__})"
        except httpx.TransportError as exc:
            reason = f"{type(exc).__name__}: {exc or 'connection failed'}"
        else:
            if response.status_code == 304:
                return None
            if response.status_code == 200:
                return response
            reason = f"HTTP {response.status_code}"
            if not _retryable(response.status_code):
                raise FetchError(url, reason)
        if attempt < policy.attempts:
            await asyncio.sleep(policy.delay(attempt))
    raise FetchError(url, f"{reason} (gave up after {policy.attempts} attempts)")


def kept_headers(response: httpx.Response) -> dict[str, str]:
    """The response headers worth keeping with a snapshot."""
    return {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}


async def fetch_conditional(
    client: httpx.AsyncClient, url: str, state: SourceState, mapping: dict[str, Any] | None
) -> Fetched | None:
    """One file by conditional GET: None when the server says 304 Not Modified."""
    response = await get(
        client,
        url,
        Policy.from_mapping(mapping),
        etag=state.etag,
        last_modified=state.last_modified,
    )
    if response is None:
        return None
    return Fetched(
        body=response.content,
        url=str(response.url),
        headers=kept_headers(response),
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
    )


def child_url(base: str, *parts: str) -> str:
    """`base` treated as a directory, with `parts` appended: child_url('…/64', '5842', 'x')."""
    return base.rstrip("/") + "/" + "/".join(part.strip("/") for part in parts)


async def poll_version(
    client: httpx.AsyncClient,
    url: str,
    name: str,
    policy: Policy,
    state: SourceState,
    read: Callable[[bytes], str],
) -> tuple[str, httpx.Response] | None:
    """Conditional GET of a source's cheap version file; None when the version has not moved.

    `read` turns the file into a version id or raises ParseError, reported as a FetchError of
    the version file's URL (the payload itself was never fetched).
    """
    version_url = child_url(url, name)
    polled = await get(
        client, version_url, policy, etag=state.etag, last_modified=state.last_modified
    )
    if polled is None:
        return None
    try:
        version = read(polled.content)
    except ParseError as exc:
        raise FetchError(version_url, str(exc)) from None
    return None if version == state.version else (version, polled)
