"""Elections API: public list, editor-only create with audit, clear 4xx on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
from litestar.testing import AsyncTestClient

ENDORSE = str(Path(sys.executable).with_name("endorse"))

GENERAL = {
    "slug": "2018-ct-general",
    "name": "2018 Connecticut General Election",
    "election_date": "2018-11-06",
    "stages": [{"kind": "general", "election_day": "2018-11-06"}],
}


async def test_create_needs_editor_and_is_audited(
    client: AsyncTestClient, auth: dict[str, dict[str, str]], conn: asyncpg.Connection
) -> None:
    assert (await client.post("/api/v1/elections", json=GENERAL)).status_code == 401
    bad = {"Authorization": "Bearer end_nope"}
    assert (await client.post("/api/v1/elections", json=GENERAL, headers=bad)).status_code == 401
    viewer = await client.post("/api/v1/elections", json=GENERAL, headers=auth["viewer"])
    assert viewer.status_code == 403
    created = await client.post("/api/v1/elections", json=GENERAL, headers=auth["editor"])
    assert created.status_code == 201, created.text
    assert created.json()["stages"] == [{"kind": "general", "election_day": "2018-11-06"}]
    audit = await conn.fetchrow(
        "select actor, action, after from audit_log where entity = 'elections'"
    )
    assert audit["actor"] == "test-editor"
    assert audit["action"] == "election.create"
    assert audit["after"]["slug"] == "2018-ct-general"

    listed = await client.get("/api/v1/elections")  # public read
    assert [e["slug"] for e in listed.json()] == ["2018-ct-general"]


async def test_bad_input_is_4xx_and_changes_nothing(
    client: AsyncTestClient, auth: dict[str, dict[str, str]], conn: asyncpg.Connection
) -> None:
    editor = auth["editor"]
    cases = [
        ({**GENERAL, "slug": "Bad Slug!"}, "slug"),
        ({**GENERAL, "election_date": "2018-13-45"}, "election_date"),
        ({**GENERAL, "stages": []}, "stages"),
        ({**GENERAL, "stages": [{"kind": "final", "election_day": "2018-11-06"}]}, "kind"),
    ]
    for body, field in cases:
        response = await client.post("/api/v1/elections", json=body, headers=editor)
        assert response.status_code == 400, (body, response.text)
        assert field in response.text
    assert (await client.post("/api/v1/elections", json=GENERAL, headers=editor)).status_code == 201
    dup = await client.post("/api/v1/elections", json=GENERAL, headers=editor)
    assert dup.status_code == 400 and "already exists" in dup.text
    assert await conn.fetchval("select count(*) from elections") == 1


def test_cli_creates_and_lists_elections(db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path)}
    create = [ENDORSE, "elections", "create", "--slug", "2018-ct-primary", "--name", "2018 CT"]
    ok = subprocess.run(
        [
            *create,
            "--date",
            "2018-11-06",
            "--stage",
            "primary=2018-08-14",
            "--stage",
            "general=2018-11-06",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert "primary, general" in ok.stdout
    bad = subprocess.run(
        [*create, "--date", "2018-11-06", "--stage", "final=2018-11-06"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert "final" in bad.stderr
    listed = subprocess.run(
        [ENDORSE, "elections", "list", "--json"], env=env, capture_output=True, text=True
    )
    assert [e["slug"] for e in json.loads(listed.stdout)] == ["2018-ct-primary"]
