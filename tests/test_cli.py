"""The real `endorse` command as a subprocess: start-up, shutdown, URLs and bad settings."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import psutil
import pytest

ENDORSE = str(Path(sys.executable).with_name("endorse"))


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ENDORSE_DATA_DIR"] = str(tmp_path / "data")
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_for(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if proc.info["name"] == "postgres" and str(data_dir.resolve()) in cmdline:
            found.append(proc)
    return found


def test_help_lists_every_command() -> None:
    out = subprocess.run([ENDORSE, "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("serve", "worker", "db", "results", "endorsements", "match", "review"):
        assert command in out
    for command in ("stats", "tokens", "demo"):
        assert command in out


def test_serve_starts_answers_health_and_stops_postgres(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [ENDORSE, "serve", "--port", str(port), "--no-worker"],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "service did not come up in 60 s"
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.json()["database"] == "up"
        assert _postgres_for(tmp_path / "data" / "pg"), "embedded postgres should be running"
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr
    assert '"path": "/health"' in stderr  # one structured line per request
    assert "Traceback" not in stderr
    assert _postgres_for(tmp_path / "data" / "pg") == []


def test_db_url_prints_a_url_asyncpg_connects_to(server_url: str, tmp_path: Path) -> None:
    # with DATABASE_URL set, the same URL comes back and nothing is started
    out = subprocess.run(
        [ENDORSE, "db", "url"],
        env=_env(tmp_path, DATABASE_URL=server_url),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == server_url

    async def version(url: str) -> int:
        conn = await asyncpg.connect(url)
        try:
            return conn.get_server_version().major
        finally:
            await conn.close()

    assert asyncio.run(version(out)) >= 15

    # embedded: the URL is for a server kept running; connect while it is up
    embedded = subprocess.run(
        [ENDORSE, "db", "url", "--keep-running"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    try:
        assert embedded.startswith("postgresql://")
        assert asyncio.run(version(embedded)) >= 15
    finally:
        for proc in _postgres_for(tmp_path / "data" / "pg"):
            proc.terminate()


@pytest.mark.parametrize(
    ("env", "setting"),
    [
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://host:notaport/x"}, "DATABASE_URL"),
        ({"ENDORSE_PORT": "eighty"}, "ENDORSE_PORT"),
        ({"ENDORSE_DATA_DIR": "/proc/endorse-cannot-live-here"}, "ENDORSE_DATA_DIR"),
    ],
)
def test_bad_setting_is_one_line_exit_2(tmp_path: Path, env: dict[str, str], setting: str) -> None:
    result = subprocess.run(
        [ENDORSE, "db", "migrate"], env=_env(tmp_path, **env), capture_output=True, text=True
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert setting in lines[0]


def test_tokens_create_prints_once_and_stores_hash(server_url: str, tmp_path: Path) -> None:
    env = _env(tmp_path, DATABASE_URL=server_url)
    name = f"press-{os.getpid()}-{time.monotonic_ns()}"
    result = subprocess.run(
        [ENDORSE, "tokens", "create", "--role", "editor", "--name", name],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    token = result.stdout.strip()
    assert token.startswith("end_")

    async def stored() -> asyncpg.Record:
        conn = await asyncpg.connect(server_url)
        try:
            return await conn.fetchrow("select * from api_tokens where name = $1", name)
        finally:
            await conn.close()

    row = asyncio.run(stored())
    assert row["role"] == "editor"
    assert token.encode() not in bytes(row["token_hash"])
    again = subprocess.run(
        [ENDORSE, "tokens", "create", "--role", "editor", "--name", name],
        env=env,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 2
    assert "already exists" in again.stderr
