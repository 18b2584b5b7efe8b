"""The real `endorse users create|list|disable` as a subprocess: password on stdin, audited."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import asyncpg

ENDORSE = str(Path(sys.executable).with_name("endorse"))


async def _users(db_url: str, tmp_path: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path / "data")}
    proc = await asyncio.create_subprocess_exec(
        ENDORSE,
        "users",
        *args,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate(stdin.encode())
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_create_list_disable(db_url: str, tmp_path: Path, conn: asyncpg.Connection) -> None:
    code, _, err = await _users(
        db_url,
        tmp_path,
        "create",
        "--name",
        "Maria Lopez",
        "--role",
        "editor",
        stdin="s3cret pw!\n",
    )
    assert code == 0, err
    stored = await conn.fetchval("select password_hash from staff_users where name = 'Maria Lopez'")
    assert stored.startswith("$argon2id$") and "s3cret" not in stored
    audit = await conn.fetchrow(
        "select actor, action, after from audit_log where entity = 'staff_users'"
    )
    assert audit["action"] == "user.create" and "s3cret" not in json.dumps(audit["after"])

    code, _, err = await _users(
        db_url,
        tmp_path,
        "create",
        "--name",
        "maria lopez",
        "--role",
        "viewer",
        stdin="another pw\n",
    )
    assert code == 2 and "already exists" in err
    code, _, err = await _users(
        db_url, tmp_path, "create", "--name", "Short", "--role", "viewer", stdin="pw\n"
    )
    assert code == 2 and "password: must be at least" in err

    code, out, _ = await _users(db_url, tmp_path, "list", "--json")
    [user] = json.loads(out)
    assert (user["name"], user["role"], user["disabled_at"]) == ("Maria Lopez", "editor", None)

    code, out, _ = await _users(db_url, tmp_path, "disable", "Maria Lopez")
    assert code == 0
    code, out, _ = await _users(db_url, tmp_path, "list", "--json")
    assert json.loads(out)[0]["disabled_at"] is not None
    code, _, err = await _users(db_url, tmp_path, "disable", "Nobody")
    assert code == 2 and "no account named" in err
