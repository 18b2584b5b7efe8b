"""Unknown bearer tokens are rate-limited per client address (issue 14, item 8).

Over a real socket: the peer is 127.0.0.1, which these tests name a trusted proxy, so
X-Forwarded-For stands for distinct clients; a second app without the setting shows that the
header is then ignored (a client cannot pick the address it is counted under).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from endorse.app import create_app
from endorse.auth.limits import LIMIT
from endorse.auth.peer import forwarded_client
from endorse.settings import Settings, SettingsError, load_settings
from tests.serving import serve

BAD = {"Authorization": "Bearer end_not-a-token"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", trusted_proxies=("127.0.0.0/8",))


def _as(client: str, headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "X-Forwarded-For": f"{client}, 127.0.0.1"}


async def test_an_address_sending_unknown_tokens_is_held_back(
    live: str, auth: dict[str, dict[str, str]]
) -> None:
    async with httpx.AsyncClient(base_url=live, timeout=10) as http:
        for _ in range(LIMIT):
            answer = await http.get("/api/v1/admin/tokens", headers=_as("203.0.113.7", BAD))
            assert answer.status_code == 401
        held = await http.get("/api/v1/admin/tokens", headers=_as("203.0.113.7", BAD))
        assert held.status_code == 429
        assert int(held.headers["retry-after"]) > 0
        # held back whatever it sends: a good token does not tell it apart
        good = await http.get("/api/v1/admin/tokens", headers=_as("203.0.113.7", auth["admin"]))
        assert good.status_code == 429
        # another client behind the same proxy is not
        other = await http.get("/api/v1/admin/tokens", headers=_as("198.51.100.2", auth["admin"]))
        assert other.status_code == 200
        # and a client without a token at all still gets the plain 401
        anonymous = await http.get(
            "/api/v1/admin/tokens", headers={"X-Forwarded-For": "203.0.113.7"}
        )
        assert anonymous.status_code == 401


async def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(
    db_url: str, tmp_path: Path, auth: dict[str, dict[str, str]]
) -> None:
    app: Litestar = create_app(Settings(data_dir=tmp_path), db_url)
    with serve(app) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            for n in range(LIMIT):  # a new made-up client address each time
                spoofed = {**BAD, "X-Forwarded-For": f"192.0.2.{n}"}
                assert (await http.get("/api/v1/admin/tokens", headers=spoofed)).status_code == 401
            spoofed = {**auth["admin"], "X-Forwarded-For": "192.0.2.250"}
            assert (await http.get("/api/v1/admin/tokens", headers=spoofed)).status_code == 429


def test_the_client_is_the_last_hop_no_trusted_proxy_vouched_for() -> None:
    trusted = ("10.0.0.0/8",)
    assert forwarded_client("10.0.0.2", "198.51.100.9, 10.0.0.1", trusted) == "198.51.100.9"
    # a client prepending its own "forwarded" address does not get to choose
    assert forwarded_client("10.0.0.2", "1.2.3.4, 198.51.100.9", trusted) == "198.51.100.9"
    assert forwarded_client("198.51.100.9", "1.2.3.4", trusted) == "198.51.100.9"
    assert forwarded_client("10.0.0.2", "", trusted) == "10.0.0.2"
    assert forwarded_client("10.0.0.2", "1.2.3.4", ()) == "10.0.0.2"
    assert load_settings({"ENDORSE_TRUSTED_PROXIES": "10.0.0.0/8, ::1"}).trusted_proxies == (
        "10.0.0.0/8",
        "::1",
    )
    with pytest.raises(SettingsError, match="ENDORSE_TRUSTED_PROXIES"):
        load_settings({"ENDORSE_TRUSTED_PROXIES": "proxy.local"})
