"""GET with retries and backoff, conditional requests, and the limits every fetch keeps.

Limits (see `budget`): a body is read under a byte cap, a poll's tries and waits end by its
deadline, redirects stay on the URL's host and never go from https to http. Where a fetch may
connect at all is the transport's business (scrapers._guard).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import email.utils
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import msgspec

from scrapers._guard import BlockedAddress
from scrapers.records import Fetched, FetchError, ParseError, SourceState

KEPT_HEADERS = ("content-type", "etag", "last-modified", "date")
# Clarity sites behind a WAF answer 403 to Python's default User-Agent; a browser's passes.
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # ENDORSE_FETCH_MAX_BYTES; a statewide zip is a few MB
MAX_REDIRECTS = 5
# httpx inflates these a network read (64 KiB) at a time, so a compressed bomb meets the byte
# cap after one read; other encodings (brotli, zstd) are refused rather than trusted.
ACCEPTED_ENCODINGS = ("identity", "gzip", "deflate")


@dataclass
class Budget:
    """What one poll may spend, shared by every get() of the poll (a ct-sots version is several
    files): `deadline` on the event loop's clock (None: none), and bytes, all files together."""

    max_bytes: int = DEFAULT_MAX_BYTES
    deadline: float | None = None
    seconds: float = 0.0  # the deadline as first given, for messages
    used: int = 0  # bytes read so far by this poll

    def left(self) -> float | None:
        if self.deadline is None:
            return None
        return self.deadline - asyncio.get_running_loop().time()

    def timeout(self, per_request: float) -> float:
        """A request's timeout: its policy's, never past the deadline."""
        left = self.left()
        return per_request if left is None else max(0.001, min(per_request, left))


# Set by budget() for one poll; a get() outside any budget gets one of its own.
_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


@contextlib.contextmanager
def budget(*, seconds: float | None, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Budget]:
    """Every get() inside (tasks it starts included) shares one deadline `seconds` from now."""
    deadline = None if seconds is None else asyncio.get_running_loop().time() + seconds
    spent = Budget(max_bytes, deadline, seconds or 0.0)
    token = _BUDGET.set(spent)
    try:
        yield spent
    finally:
        _BUDGET.reset(token)


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
        for name, value in options.items():
            kind = {"user_agent": (str,), "attempts": (int,)}.get(name, (int, float))
            if isinstance(value, bool) or not isinstance(value, kind):
                raise ValueError(
                    f"mapping key 'http' option {name!r} must be a {kind[-1].__name__}"
                )
            if not isinstance(value, str) and not 0 < value <= 3600:
                raise ValueError(
                    f"mapping key 'http' option {name!r} must be above 0, at most 3600"
                )
        return cls(**options)

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed try number `attempt` (1-based)."""
        return min(self.max_delay, self.backoff * 2 ** (attempt - 1))


def _retryable(status: int) -> bool:
    # 5xx is the server's trouble and may pass; 429 asks us to come back. Other 4xx will not.
    return status >= 500 or status == 429


class Got(msgspec.Struct, frozen=True):
    """One answer, its body read whole (under the byte cap); `url` is where it came from."""

    status_code: int
    url: str
    headers: httpx.Headers
    content: bytes = b""


class _Refused(Exception):
    """Not worth another try this poll: too large, a refused redirect or address."""


def _retry_after(headers: httpx.Headers) -> float | None:
    """Retry-After in seconds (delta-seconds or an HTTP date), None when absent or unreadable."""
    raw = (headers.get("retry-after") or "").strip()
    if raw.isdigit():
        return float(raw)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _redirect_target(origin: httpx.URL, response: httpx.Response) -> httpx.URL:
    """Where a redirect points, if it may be followed: the same host, never https -> http."""
    target = response.url.join(response.headers["location"])
    if target.scheme not in ("http", "https"):
        raise _Refused(f"redirect to a {target.scheme or 'relative'} URL refused")
    if target.host != origin.host:
        raise _Refused(f"redirect to another host ({target.host}) refused")
    if origin.scheme == "https" and target.scheme == "http":
        raise _Refused("redirect from https to http refused")
    return target


async def _read_capped(response: httpx.Response, limit: Budget) -> bytes:
    """The decoded body, refused as soon as the poll's bytes pass the cap (decompression
    included: a gzip bomb is stopped at the cap, not after it has filled the memory)."""
    encoding = (response.headers.get("content-encoding") or "identity").strip().lower()
    if encoding not in ACCEPTED_ENCODINGS:
        raise _Refused(f"content-encoding {encoding[:20]!r} is not accepted")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and limit.used + int(declared) > limit.max_bytes:
        raise _Refused(f"body of {int(declared):,} bytes is over the cap of {limit.max_bytes:,}")
    chunks: list[bytes] = []
    read = 0
    try:
        async for chunk in response.aiter_bytes():
            read += len(chunk)
            limit.used += len(chunk)  # at once: the files of one poll are read side by side
            if limit.used > limit.max_bytes:
                raise _Refused(f"body is over the cap of {limit.max_bytes:,} bytes (one poll)")
            chunks.append(chunk)
    except BaseException:
        limit.used -= read  # a try that failed holds nothing: the next try has the room
        raise
    return b"".join(chunks)


async def _send(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], policy: Policy, limit: Budget
) -> Got:
    """One try: redirects followed by hand (each one checked), a 200's body read under the cap."""
    origin = target = httpx.URL(url)
    for _ in range(MAX_REDIRECTS + 1):
        request = client.build_request(
            "GET", target, headers=headers, timeout=limit.timeout(policy.timeout)
        )
        response = await client.send(request, stream=True, follow_redirects=False)
        try:
            if response.has_redirect_location:
                target = _redirect_target(origin, response)
                continue
            body = await _read_capped(response, limit) if response.status_code == 200 else b""
            return Got(response.status_code, str(response.url), response.headers, body)
        finally:
            await response.aclose()  # an error page's body is never read, never quoted
    raise _Refused(f"more than {MAX_REDIRECTS} redirects")


async def get(
    client: httpx.AsyncClient,
    url: str,
    policy: Policy,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Got | None:
    """The 200 answer for `url`, or None on 304 Not Modified; FetchError after the last try.

    Within the current budget (see `budget`): the body is capped, and every try and every wait
    between tries ends by its deadline. A Retry-After is waited out in full, never shortened;
    when it reaches past the deadline this poll gives up, so the server is never asked sooner
    than it allowed.
    """
    limit = _BUDGET.get() or Budget()
    headers: dict[str, str] = {
        "User-Agent": policy.user_agent,
        "Accept-Encoding": ", ".join(ACCEPTED_ENCODINGS[1:]),
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    reason = "no attempt made"
    asked: float | None = None  # the last answer's Retry-After
    try:
        async with asyncio.timeout_at(limit.deadline):
            for attempt in range(1, policy.attempts + 1):
                wait = policy.delay(attempt)
                asked = None
                try:
                    got = await _send(client, url, headers, policy, limit)
                except (_Refused, BlockedAddress) as exc:
                    raise FetchError(url, str(exc)) from None
                except httpx.TimeoutException as exc:
                    timeout = limit.timeout(policy.timeout)
                    reason = f"timed out after {timeout:g}s ({type(exc).__name__})"
                except httpx.TransportError as exc:
                    reason = f"{type(exc).__name__}: {exc or 'connection failed'}"
                else:
                    if got.status_code == 304:
                        return None
                    if got.status_code == 200:
                        return got
                    reason = f"HTTP {got.status_code}"
                    if not _retryable(got.status_code):
                        raise FetchError(url, reason)
                    asked = _retry_after(got.headers)
                    if asked is not None:
                        wait = max(wait, asked)
                        left = limit.left()
                        if left is not None and wait >= left:
                            raise FetchError(
                                url,
                                f"{reason}, Retry-After {asked:g}s: past this poll's deadline "
                                f"({left:.0f}s left); not asked again before then",
                                retry_after=asked,
                            )
                if attempt < policy.attempts:
                    await asyncio.sleep(wait)
    except TimeoutError:
        raise FetchError(
            url, f"no complete answer within the poll's deadline of {limit.seconds:g}s ({reason})"
        ) from None
    # The last try's Retry-After goes with the error, so the worker does not come back before
    # it has passed either (its next interval could be sooner than the server allowed).
    if asked is not None:
        reason = f"{reason}, Retry-After {asked:g}s"
    raise FetchError(url, f"{reason} (gave up after {policy.attempts} attempts)", retry_after=asked)


def kept_headers(response: Got | httpx.Response) -> dict[str, str]:
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
) -> tuple[str, Got] | None:
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
