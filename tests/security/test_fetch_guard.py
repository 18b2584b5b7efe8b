"""Item 4 of issue 14: no fetching where it should not. Internal addresses are refused after
DNS, on every connection, unless ENDORSE_FETCH_ALLOW_PRIVATE allows them; redirects stay on
the URL's host and never go from https to http."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import httpx
import pytest

from endorse.results.fetching import FetchLimits, http_client
from endorse.results.pipeline import poll_source
from endorse.settings import load_settings
from scrapers import FetchError
from scrapers._guard import refused
from scrapers._http import Policy, _redirect_target, get
from tests.hostile import Hostile
from tests.security.conftest import SLUG, add

QUICK = Policy(attempts=2, backoff=0.01, timeout=2.0)
CSV = "/files/20261103_elmvale_governor.csv"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.8.9.10", "::1", "10.0.0.5", "172.16.3.4", "192.168.1.1",
        "169.254.169.254",  # the cloud metadata service
        "fd00:ec2::254",  # its IPv6 twin
        "0.0.0.0",  # noqa: S104 - an address to refuse, not one to bind
        "fe80::1", "100.64.0.1", "::", "224.0.0.1", "::ffff:127.0.0.1",
        "::ffff:169.254.169.254", "240.0.0.1",
    ],
)  # fmt: skip
def test_internal_addresses_are_refused(address: str) -> None:
    assert refused(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.215.14", "2606:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert not refused(ipaddress.ip_address(address))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_the_worker_client_refuses_loopback_by_default(hostile: Hostile, host: str) -> None:
    async with http_client(FetchLimits()) as client:
        with pytest.raises(FetchError, match="non-public address; fetching it is refused"):
            await get(client, hostile.url(CSV, host=host), QUICK)
    assert sum(hostile.hits.values()) == 0  # refused before a byte was sent


async def test_the_setting_allows_private_addresses(hostile: Hostile) -> None:
    async with http_client(FetchLimits(allow_private=True)) as client:
        got = await get(client, hostile.url(CSV), QUICK)
    assert got is not None and got.content.startswith(b"candidate,")


async def test_a_redirect_is_followed_on_the_same_host_only(hostile: Hostile) -> None:
    async with http_client(FetchLimits(allow_private=True)) as client:
        same = await get(client, hostile.url(f"/redirect?to={CSV}&code=301"), QUICK)
        assert same is not None and same.url.endswith(CSV) and hostile.hits[CSV] == 1
        elsewhere = hostile.url(CSV, host="localhost")  # same machine, another host name
        with pytest.raises(FetchError, match="redirect to another host \\(localhost\\) refused"):
            await get(client, hostile.url(f"/redirect?to={elsewhere}"), QUICK)
        metadata = "http://169.254.169.254/latest/meta-data/"
        with pytest.raises(FetchError, match=r"another host \(169\.254\.169\.254\)"):
            await get(client, hostile.url(f"/redirect?to={metadata}"), QUICK)
        with pytest.raises(FetchError, match="a file URL"):
            await get(client, hostile.url("/redirect?to=file:///etc/passwd"), QUICK)
    assert hostile.hits[CSV] == 1 and hostile.hits["/redirect"] == 4  # refusals not retried


def test_a_redirect_never_goes_from_https_to_http() -> None:
    def hop(origin: str, location: str) -> str:
        request = httpx.Request("GET", origin)
        response = httpx.Response(302, headers={"location": location}, request=request)
        return str(_redirect_target(httpx.URL(origin), response))

    assert hop("http://feed.example/a", "https://feed.example/b") == "https://feed.example/b"
    assert hop("https://feed.example/a", "/b") == "https://feed.example/b"
    with pytest.raises(Exception, match="from https to http refused"):
        hop("https://feed.example/a", "http://feed.example/b")


async def test_a_source_at_an_internal_address_fails_visibly_and_is_never_fetched(
    conn: asyncpg.Connection, stage: int, hostile: Hostile
) -> None:
    source_id = await add(conn, hostile.url(CSV))
    async with http_client(FetchLimits()) as client:
        result = await poll_source(conn, source_id, client, force=True, limits=FetchLimits())
    assert result.outcome == "failed" and "refused" in (result.error or "")
    error = await conn.fetchval("select last_error from sources where id = $1", source_id)
    assert "127.0.0.1, a loopback, private, link-local" in error
    assert sum(hostile.hits.values()) == 0


def test_allow_private_is_off_unless_set() -> None:
    assert load_settings({}).fetch_allow_private is False
    assert load_settings({"ENDORSE_FETCH_ALLOW_PRIVATE": "1"}).fetch_allow_private is True
    with pytest.raises(ValueError, match="ENDORSE_FETCH_ALLOW_PRIVATE"):
        load_settings({"ENDORSE_FETCH_ALLOW_PRIVATE": "maybe"})


def _load(db_url: str, tmp_path: Path, url: str, allow: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "endorse", "results", "load", "--format", "openelections"]
    return subprocess.run(
        [*command, url, "--election", SLUG, "--json"],
        env=env | {"ENDORSE_FETCH_ALLOW_PRIVATE": allow},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_results_load_refuses_an_internal_url_unless_allowed(
    db_url: str, stage: int, hostile: Hostile, tmp_path: Path
) -> None:
    refused_run = await asyncio.to_thread(_load, db_url, tmp_path, hostile.url(CSV), "0")
    assert refused_run.returncode == 1, refused_run.stderr
    assert "fetching it is refused" in refused_run.stdout + refused_run.stderr
    assert sum(hostile.hits.values()) == 0
    allowed = await asyncio.to_thread(_load, db_url, tmp_path, hostile.url(CSV), "1")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert hostile.hits[CSV] == 1
