"""`endorse results load|sources` through the real CLI, as a subprocess on the test database."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import asyncpg

from tests.results import night as truth
from tests.results.helpers import totals
from tests.results.replay import NIGHT, Night

ENDORSE = Path(sys.executable).parent / "endorse"


def endorse(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run(
        [str(ENDORSE), *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


async def test_load_a_file_then_a_url(
    conn: asyncpg.Connection, db_url: str, stage: int, night: Night, tmp_path: Path
) -> None:
    csv = str(NIGHT / "openelections_v2.csv")
    args = ("results", "load", "--format", "openelections", csv, "--election", truth.SLUG,
            "--stage", "general")  # fmt: skip
    done = endorse(db_url, tmp_path, *args, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["outcome"] == "applied"
    assert (report["stats"]["contests"], report["stats"]["rows_written"]) == (3, 44)
    assert await totals(conn) == truth.TOTALS[2]
    audited = await conn.fetch("select actor, action from audit_log order by id")
    assert [a["action"] for a in audited] == ["election.create", "source.create", "results.load"]
    assert audited[-1]["actor"].startswith("cli")

    again = endorse(db_url, tmp_path, *args)  # human output: a one-line summary
    assert again.returncode == 0 and again.stdout.startswith("unchanged"), again.stdout

    night.publish("html", 3)
    mapping = json.dumps({"rows": "table.results tbody tr", "winner": "img.elected",
                          "columns": {"office": 0, "district": 1, "candidate": 2, "party": 3, "votes": 4}})  # fmt: skip
    html = endorse(db_url, tmp_path, "results", "load", "--format", "html", night.url("html"),
                   "--election", truth.SLUG, "--stage", "general", "--mapping", mapping)  # fmt: skip
    assert html.returncode == 0, html.stderr
    assert html.stdout.startswith("applied snapshot") and "3 contests" in html.stdout
    assert "done" in html.stderr  # the rich progress bar, on stderr
    assert await totals(conn) == truth.TOTALS[3]
    # one-off loads are recorded as sources, but never polled by the worker on their own
    listed = json.loads(endorse(db_url, tmp_path, "results", "sources", "list", "--json").stdout)
    assert [(s["format"], s["enabled"]) for s in listed] == [
        ("openelections", False),
        ("html", False),
    ]


async def test_bad_input_exits_2_with_one_line(db_url: str, stage: int, tmp_path: Path) -> None:
    csv = str(NIGHT / "openelections_v2.csv")
    cases = [
        (("--election", "no-such-election"), "no-such-election"),
        (("--election", truth.SLUG, "--stage", "runoff"), "runoff"),
        (("--election", truth.SLUG, "--mapping", "{nope"), "--mapping"),
    ]
    for extra, word in cases:
        done = endorse(
            db_url, tmp_path, "results", "load", "--format", "openelections", csv, *extra
        )
        assert done.returncode == 2 and word in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    missing = endorse(
        db_url,
        tmp_path,
        "results",
        "load",
        "--format",
        "clarity",
        "/no/such.zip",
        "--election",
        "x",
    )
    assert missing.returncode == 2 and "no such file" in missing.stderr
    nothing = endorse(db_url, tmp_path, "results", "release", "999", "--note", "recanvass")
    assert nothing.returncode == 2 and "no source with id 999" in nothing.stderr


async def test_load_picks_the_only_stage_or_creates_the_election(
    conn: asyncpg.Connection, db_url: str, stage: int, tmp_path: Path
) -> None:
    csv = str(NIGHT / "openelections_v2.csv")
    load = ("results", "load", "--format", "openelections", csv, "--election")
    two = endorse(db_url, tmp_path, *load, truth.SLUG)  # a general and a primary: which?
    assert two.returncode == 2 and "has stages" in two.stderr and "--stage" in two.stderr
    unknown = endorse(db_url, tmp_path, *load, "2026-ct-fresh")
    assert unknown.returncode == 2, unknown.stderr
    assert "endorse elections create --slug 2026-ct-fresh" in unknown.stderr
    assert "--create" in unknown.stderr
    undated = endorse(db_url, tmp_path, *load, "2026-ct-fresh", "--create")
    assert undated.returncode == 2 and "--date" in undated.stderr
    assert await conn.fetchval("select count(*) from elections") == 1  # nothing made
    created = endorse(db_url, tmp_path, *load, "2026-ct-fresh", "--create", "--date", "2026-11-03")
    assert created.returncode == 0, created.stderr
    stages = await conn.fetch(
        "select s.kind, s.election_day from stages s join elections e on e.id = s.election_id"
        " where e.slug = '2026-ct-fresh'"
    )
    assert [(r["kind"], r["election_day"].isoformat()) for r in stages] == [
        ("general", "2026-11-03")
    ]
    again = endorse(db_url, tmp_path, *load, "2026-ct-fresh")  # one stage: no --stage needed
    assert again.returncode == 0 and again.stdout.startswith("unchanged"), again.stderr
    actions = await conn.fetch("select action from audit_log where action = 'election.create'")
    assert len(actions) == 2  # the fixture's and the --create


async def test_sources_add_then_list(db_url: str, stage: int, tmp_path: Path) -> None:
    url = "https://example.org/ng-app/data/election/77"
    added = endorse(db_url, tmp_path, "results", "sources", "add", "--election", truth.SLUG,
                    "--format", "ct-sots", url, "--every", "30", "--json")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["schedule_seconds"] == 30
    listed = endorse(db_url, tmp_path, "results", "sources", "list", "--election", truth.SLUG)
    assert listed.returncode == 0 and url in listed.stdout and "healthy" in listed.stdout
    dup = endorse(db_url, tmp_path, "results", "sources", "add", "--election", truth.SLUG,
                  "--format", "ct-sots", url)  # fmt: skip
    assert dup.returncode == 2 and "already has" in dup.stderr


async def test_sources_pause_resume_edit(
    conn: asyncpg.Connection, db_url: str, stage: int, tmp_path: Path
) -> None:
    url = "https://example.org/ng-app/data/election/78"
    added = endorse(db_url, tmp_path, "results", "sources", "add", "--election", truth.SLUG,
                    "--format", "ct-sots", url, "--json")  # fmt: skip
    source = str(json.loads(added.stdout)["id"])
    paused = endorse(db_url, tmp_path, "results", "sources", "pause", source, "--json")
    assert paused.returncode == 0, paused.stderr
    assert (json.loads(paused.stdout)["enabled"], json.loads(paused.stdout)["health"]) == (
        False,
        "paused",
    )
    assert "paused" in endorse(db_url, tmp_path, "results", "sources", "list").stdout
    edited = endorse(db_url, tmp_path, "results", "sources", "edit", source, "--every", "20")
    assert edited.returncode == 0 and "every 20s" in edited.stdout, edited.stderr
    resumed = endorse(db_url, tmp_path, "results", "sources", "resume", source)
    assert resumed.returncode == 0 and "healthy" in resumed.stdout
    actions = [r["action"] for r in await conn.fetch("select action from audit_log order by id")]
    assert actions[-3:] == ["source.pause", "source.update", "source.resume"]
    for bad, word in (
        (("edit", source, "--every", "2"), "--every"),
        (("edit", source), "--every"),
        (("pause", "999"), "no source with id 999"),
    ):
        done = endorse(db_url, tmp_path, "results", "sources", *bad)
        assert done.returncode == 2 and word in done.stderr, done.stderr


async def test_worker_once_and_worker_until_sigterm(
    conn: asyncpg.Connection, db_url: str, stage: int, night: Night, tmp_path: Path
) -> None:
    sots = await night.register(conn, stage, "ct-sots")
    night.publish("ct-sots", 1)
    once = endorse(db_url, tmp_path, "worker", "--once")
    assert once.returncode == 0, once.stderr
    assert [r["outcome"] for r in json.loads(once.stdout)] == ["applied"]
    assert await totals(conn) == truth.TOTALS[1]

    clarity = await night.register(conn, stage, "clarity")
    night.publish("clarity", 2)
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path / "data")}
    worker = await asyncio.create_subprocess_exec(
        str(ENDORSE), "worker", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        for _ in range(400):
            if await conn.fetchval("select last_success_at from sources where id = $1", clarity):
                break
            await asyncio.sleep(0.05)
        worker.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(worker.communicate(), 20)
    finally:
        if worker.returncode is None:
            worker.kill()
    logs = err.decode()
    assert worker.returncode == 0, logs
    assert '"msg": "payload applied"' in logs, logs
    assert '"msg": "worker stopped"' in logs, logs
    assert await totals(conn) == truth.TOTALS[2]
    # the SOTS source had just been checked by --once: not due, so this worker left it alone
    assert night.server.count(night.main_path("ct-sots")) == 1
    assert sots != clarity
