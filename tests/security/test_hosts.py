"""ENDORSE_ALLOWED_HOSTS: the service answers only to its own names (issue 14, item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from endorse.app import create_app
from endorse.settings import Settings, SettingsError, load_settings
from endorse.web.hosts import host_allowed, host_of


async def test_a_request_for_another_host_is_refused(db_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, allowed_hosts=("results.example.org", "*.union.test"))
    app = create_app(settings, db_url)
    for base, status in (
        ("http://results.example.org", 200),
        ("http://results.example.org:8000", 200),  # the port is not part of the name
        ("http://night.union.test", 200),
        ("http://evil.example", 400),
        ("http://results.example.org.evil.example", 400),
        ("http://union.test.evil.example", 400),
    ):
        async with AsyncTestClient(app=app, base_url=base) as client:
            answer = await client.get("/health")
            assert answer.status_code == status, base
            if status == 400:
                assert "ENDORSE_ALLOWED_HOSTS" in answer.json()["detail"]
                # the refusal still carries the headers every answer carries
                assert answer.headers["x-content-type-options"] == "nosniff"


def test_the_environment_default_is_loopback_only() -> None:
    assert load_settings({}).allowed_hosts == ("localhost", "127.0.0.1", "[::1]")
    bound = load_settings({"ENDORSE_HOST": "10.0.0.5"}).allowed_hosts
    assert "10.0.0.5" in bound and "localhost" in bound
    assert "0.0.0.0" not in load_settings({"ENDORSE_HOST": "0.0.0.0"}).allowed_hosts  # noqa: S104
    named = load_settings({"ENDORSE_ALLOWED_HOSTS": "results.example.org, *.union.test"})
    assert named.allowed_hosts == ("results.example.org", "*.union.test")
    with pytest.raises(SettingsError, match="ENDORSE_ALLOWED_HOSTS"):
        load_settings({"ENDORSE_ALLOWED_HOSTS": "evil*.example"})


def test_the_host_is_read_without_its_port() -> None:
    assert host_of("Results.Example.org:8443") == "results.example.org"
    assert host_of("[::1]:8000") == "[::1]"
    assert host_of("[::1]") == "[::1]"
    assert host_allowed("[::1]", ("[::1]",))
    assert not host_allowed("example.org", ("*.example.org",))
