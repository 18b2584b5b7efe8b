"""`endorse visibility SLUG [--stage KIND] [public|private]` as a subprocess: shows and switches,
audited with the shell user."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import asyncpg

from tests.staff.night_data import SLUG, seed

ENDORSE = str(Path(sys.executable).with_name("endorse"))


async def _run(db_url: str, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path / "data")}
    proc = await asyncio.create_subprocess_exec(
        ENDORSE, "visibility", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_show_and_switch(db_url: str, tmp_path: Path, conn: asyncpg.Connection) -> None:
    await seed(conn)
    code, out, _ = await _run(db_url, tmp_path, SLUG, "--json")
    assert code == 0 and json.loads(out) == {"general": "private"}
    code, out, err = await _run(db_url, tmp_path, SLUG, "public", "--stage", "general")
    assert code == 0, err
    assert out.startswith(f"{SLUG} general: public")
    actor = await conn.fetchval("select actor from audit_log where action = 'stage.visibility'")
    assert actor.startswith("cli:")
    code, _, err = await _run(db_url, tmp_path, SLUG, "public", "--stage", "primary")
    assert code == 2 and "no 'primary' stage" in err
    code, _, err = await _run(db_url, tmp_path, "no-such-election")
    assert code == 2 and "no election" in err
