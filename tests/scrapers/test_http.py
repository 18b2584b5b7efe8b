"""scrapers._http against a real local server: conditional GET, retries, timeouts, errors."""

from __future__ import annotations

import socket

import httpx
import pytest

from scrapers import FetchError, SourceState
from scrapers._http import Policy, child_url, fetch_conditional, get, kept_headers

QUICK = Policy(attempts=3, backoff=0.01, timeout=1.0)
CSV = "/files/20241105_ct_general_precinct.csv"


def test_policy_from_mapping_and_backoff_doubles() -> None:
    policy = Policy.from_mapping({"http": {"attempts": 5, "backoff": 0.5, "max_delay": 1.5}})
    assert (policy.attempts, policy.timeout) == (5, Policy().timeout)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 1.5, 1.5]  # capped
    assert Policy.from_mapping(None) == Policy()
    with pytest.raises(ValueError, match="retries"):
        Policy.from_mapping({"http": {"retries": 3}})


def test_child_url_joins_as_a_directory() -> None:
    assert child_url("http://h/data/election/90", "4101", "Lookupdata.json") == (
        "http://h/data/election/90/4101/Lookupdata.json"
    )
    assert child_url("http://h/e/90/", "/Version.json") == "http://h/e/90/Version.json"


@pytest.mark.asyncio
async def test_get_200_then_304_by_etag_and_by_last_modified(server) -> None:
    async with httpx.AsyncClient() as client:
        first = await get(client, server.url(CSV), QUICK)
        assert first is not None and first.status_code == 200
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert await get(client, server.url(CSV), QUICK, etag=etag) is None
        assert await get(client, server.url(CSV), QUICK, last_modified=modified) is None
        changed = await get(client, server.url(CSV), QUICK, etag='"stale"')
        assert changed is not None and changed.content == first.content
    assert kept_headers(first) == {
        "content-type": "text/csv",
        "etag": etag,
        "last-modified": modified,
        "date": first.headers["date"],
    }


@pytest.mark.asyncio
async def test_get_retries_a_5xx_then_succeeds(server) -> None:
    server.fail_first[CSV] = 2
    async with httpx.AsyncClient() as client:
        response = await get(client, server.url(CSV), QUICK)
    assert response is not None and response.status_code == 200
    assert server.hits[CSV] == 3


@pytest.mark.asyncio
async def test_get_gives_up_on_persistent_500(server) -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(FetchError) as caught:
            await get(client, server.url("/always-500"), QUICK)
    assert caught.value.url.endswith("/always-500")
    assert "HTTP 500" in caught.value.reason and "3 attempts" in caught.value.reason
    assert server.hits["/always-500"] == 3


@pytest.mark.asyncio
async def test_get_does_not_retry_a_404(server) -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(FetchError, match="HTTP 404"):
            await get(client, server.url("/files/nope.json"), QUICK)
    assert server.hits["/files/nope.json"] == 1


@pytest.mark.asyncio
async def test_get_times_out_a_hanging_server(server) -> None:
    policy = Policy(attempts=2, backoff=0.01, timeout=0.2)
    async with httpx.AsyncClient() as client:
        with pytest.raises(FetchError, match=r"timed out after 0.2s"):
            await get(client, server.url("/hang"), policy)
    assert server.hits["/hang"] == 2


@pytest.mark.asyncio
async def test_get_retries_a_dropped_connection(server) -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(FetchError, match="RemoteProtocolError"):
            await get(client, server.url("/drop"), QUICK)
    assert server.hits["/drop"] == 3


@pytest.mark.asyncio
async def test_get_connection_refused_is_a_fetch_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with httpx.AsyncClient() as client:
        with pytest.raises(FetchError, match="ConnectError"):
            await get(client, f"http://127.0.0.1:{port}/x", QUICK)


@pytest.mark.asyncio
async def test_fetch_conditional_remembers_validators(server, fast) -> None:
    async with httpx.AsyncClient() as client:
        fetched = await fetch_conditional(client, server.url(CSV), SourceState(), fast)
        assert fetched is not None and fetched.body.startswith(b"candidate,party")
        assert fetched.etag and fetched.last_modified and fetched.version is None
        state = SourceState(etag=fetched.etag, last_modified=fetched.last_modified)
        assert await fetch_conditional(client, server.url(CSV), state, fast) is None


@pytest.mark.asyncio
async def test_a_browser_like_user_agent_passes_a_waf(server, fast) -> None:
    url = server.url("/waf/20241105_ct_general_precinct.csv")
    async with httpx.AsyncClient() as client:  # httpx's own agent would be refused
        fetched = await fetch_conditional(client, url, SourceState(), fast)
        assert fetched is not None and fetched.body.startswith(b"candidate,")
        python = {"http": {**fast["http"], "user_agent": "python-requests/2.32"}}
        with pytest.raises(FetchError, match="HTTP 403"):
            await fetch_conditional(client, url, SourceState(), python)
