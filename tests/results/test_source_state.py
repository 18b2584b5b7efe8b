"""Source health from what polls recorded, and PATCH /api/v1/sources/{id}."""

from __future__ import annotations

import datetime as dt

import asyncpg
from litestar.testing import AsyncTestClient

from endorse.results.source_state import health

NOW = dt.datetime(2026, 11, 3, 21, 0, tzinfo=dt.UTC)


def _row(**values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "enabled": True,
        "schedule_seconds": 60,
        "last_checked_at": NOW - dt.timedelta(seconds=30),
        "last_success_at": NOW - dt.timedelta(seconds=30),
        "last_error": None,
        "last_error_at": None,
        "quarantined_snapshot_id": None,
        "quarantine_error": None,
    }
    return row | values


def test_health_states() -> None:
    minutes = lambda n: NOW - dt.timedelta(minutes=n)  # noqa: E731 (a tiny local helper)
    assert health(_row(), NOW) == ("healthy", "polling normally")
    assert health(_row(last_checked_at=None, last_success_at=None), NOW)[0] == "healthy"
    assert health(_row(enabled=False, last_error="x", last_error_at=NOW), NOW)[0] == "paused"
    recent = _row(last_success_at=minutes(1), last_error="timeout", last_error_at=NOW)
    assert health(recent, NOW) == ("degraded", "last poll failed: timeout")
    long = _row(last_success_at=minutes(10), last_error="HTTP 500", last_error_at=NOW)
    assert health(long, NOW) == ("failing", "no good poll for 10 min; last error: HTTP 500")
    never = _row(last_success_at=None, last_error="DNS", last_error_at=NOW)
    assert health(never, NOW)[0] == "failing"
    held = _row(quarantined_snapshot_id=7, quarantine_error="3 of 40 contests")
    assert health(held, NOW) == ("degraded", "a payload is quarantined: 3 of 40 contests")
    stale = _row(last_checked_at=minutes(5))
    assert health(stale, NOW)[0] == "degraded" and "worker" in health(stale, NOW)[1]
    # an error older than the last success is over
    assert health(_row(last_error="old", last_error_at=minutes(2)), NOW)[0] == "healthy"


async def test_patch_source(
    client: AsyncTestClient, auth: dict[str, dict[str, str]], conn: asyncpg.Connection, stage: int
) -> None:
    body = {"format": "ct-sots", "url": "https://example.org/e/1", "stage": "general"}
    made = await client.post(
        "/api/v1/elections/2026-ct-general/sources", json=body, headers=auth["editor"]
    )
    assert made.status_code == 201, made.text
    url = f"/api/v1/sources/{made.json()['id']}"
    assert (await client.patch(url, json={"enabled": False})).status_code == 401
    assert (
        await client.patch(url, json={"enabled": False}, headers=auth["viewer"])
    ).status_code == 403
    paused = await client.patch(url, json={"enabled": False}, headers=auth["editor"])
    assert paused.status_code == 200 and paused.json()["health"] == "paused"
    same = await client.patch(url, json={"enabled": False}, headers=auth["editor"])
    assert same.status_code == 200
    for bad in ({"schedule_seconds": 1}, {"nope": 1}, {"mapping": {"http": {"bogus": 1}}}):
        response = await client.patch(url, json=bad, headers=auth["editor"])
        assert response.status_code == 400, (bad, response.text)
    missing = await client.patch("/api/v1/sources/999", json={}, headers=auth["editor"])
    assert missing.status_code == 404
    listed = await client.get("/api/v1/sources", headers=auth["viewer"])
    assert [s["health"] for s in listed.json()] == ["paused"]
    actions = [r["action"] for r in await conn.fetch("select action from audit_log order by id")]
    assert actions.count("source.pause") == 1  # the second, no-op PATCH wrote nothing
