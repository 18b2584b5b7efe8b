"""The real `endorse endorsements import|export` as a subprocess against the test database."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import asyncpg

from tests.endorsements.sample import SAMPLE, counts, csv_bytes, row

ENDORSE = str(Path(sys.executable).with_name("endorse"))


async def _run(db_url: str, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path / "data")}
    proc = await asyncio.create_subprocess_exec(
        ENDORSE,
        "endorsements",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_import_report_and_idempotence(
    db_url: str, tmp_path: Path, conn: asyncpg.Connection, election: str
) -> None:
    code, out, err = await _run(db_url, tmp_path, "import", str(SAMPLE), "--dry-run", "--json")
    assert code == 0, err
    assert json.loads(out)["created"] == 6 and json.loads(out)["dry_run"] is True
    assert await counts(conn) == (0, 0, 0)

    code, out, err = await _run(db_url, tmp_path, "import", str(SAMPLE))
    assert code == 0, err
    assert "6 rows: 6 created, 0 updated, 0 unchanged, 0 with errors" in out
    assert "new bodies: AFT Connecticut, Hartford Federation of Teachers" in out
    assert await counts(conn) == (6, 6, 7)
    actor = await conn.fetchval("select distinct created_by from endorsements")
    assert actor.startswith("cli")

    code, out, _ = await _run(db_url, tmp_path, "import", str(SAMPLE), "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 6
    assert await counts(conn) == (6, 6, 7)


async def test_bad_rows_exit_2_and_write_nothing(
    db_url: str, tmp_path: Path, conn: asyncpg.Connection, election: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(row(), row("", district="4"), row()))
    code, out, err = await _run(db_url, tmp_path, "import", str(bad))
    assert code == 2, err
    assert "must not be empty" in out and "the same endorsement as row 2" in out
    assert "nothing written" in out
    code, out, _ = await _run(db_url, tmp_path, "import", str(bad), "--json")
    report = json.loads(out)
    assert code == 2
    assert [(r["row"], r["status"]) for r in report["results"]] == [
        (2, "created"),
        (3, "error"),
        (4, "error"),
    ]
    assert report["results"][1]["errors"] == [
        {"column": "candidate", "reason": "must not be empty"}
    ]
    assert await counts(conn) == (0, 0, 0)

    code, _, err = await _run(db_url, tmp_path, "import", str(tmp_path / "missing.csv"))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "FILE" in err
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,date\nx,y\n")
    code, _, err = await _run(db_url, tmp_path, "import", str(wrong))
    assert code == 2 and "header: missing column(s)" in err


async def test_export_then_import_is_unchanged(
    db_url: str, tmp_path: Path, conn: asyncpg.Connection, election: str
) -> None:
    assert (await _run(db_url, tmp_path, "import", str(SAMPLE)))[0] == 0
    before = await counts(conn)
    for fmt in ("csv", "xlsx"):
        out_file = tmp_path / f"out.{fmt}"
        code, _, err = await _run(
            db_url, tmp_path, "export", "--election", election, "--output", str(out_file)
        )
        assert code == 0, err
        assert f"wrote {out_file} ({fmt}" in err
        code, out, err = await _run(db_url, tmp_path, "import", str(out_file), "--json")
        assert code == 0, err
        assert (json.loads(out)["unchanged"], json.loads(out)["created"]) == (6, 0)
    assert await counts(conn) == before
    code, out, _ = await _run(db_url, tmp_path, "export")
    assert code == 0 and out.startswith("\ufeffelection,stage,office") and out.count("\n") == 7
    code, _, err = await _run(db_url, tmp_path, "export", "--election", "nope")
    assert code == 2 and "election" in err
