"""SIGTERM (what a service manager sends) stops `serve`, `worker` and `demo` cleanly, and the
embedded PostgreSQL stops when the last live process using it leaves, even when an earlier one
was killed with SIGKILL and could not say goodbye (issue 14, item 7).

Each test has its own data directory, so its embedded server is its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil

from tests.serving import free_port

ENDORSE = str(Path(sys.executable).with_name("endorse"))


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ENDORSE_DATA_DIR"] = str(data)
    return env


def _postgres_for(pg_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if proc.info["name"] == "postgres" and str(pg_dir.resolve()) in cmdline:
            found.append(proc)
    return found


def _start(data: Path, *args: str) -> subprocess.Popen[str]:
    """Start `endorse ARGS`; its log goes to a file beside the data (read with _log)."""
    log = (data.parent / f"{args[0]}-{time.monotonic_ns()}.log").open("w")
    proc = subprocess.Popen(
        [ENDORSE, *args], env=_env(data), stdout=subprocess.DEVNULL, stderr=log, text=True
    )
    proc.log_path = Path(log.name)  # type: ignore[attr-defined]
    log.close()
    return proc


def _log(proc: subprocess.Popen[str]) -> str:
    return proc.log_path.read_text()  # type: ignore[attr-defined]


def _wait_healthy(proc: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, _log(proc)
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the service did not come up"
        time.sleep(0.2)


def _terminate(proc: subprocess.Popen[str]) -> str:
    """SIGTERM, as a service manager sends it; the process's whole log once it has exited."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return _log(proc)


def _wait_for(what: str, condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_postgres_stops_with_the_last_live_process_even_after_a_sigkill(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    subprocess.run([ENDORSE, "db", "migrate"], env=_env(data), check=True, capture_output=True)
    first_port, second_port = free_port(), free_port()
    first = _start(data, "serve", "--port", str(first_port), "--no-worker")
    second = None
    try:
        _wait_healthy(first, first_port)
        second = _start(data, "serve", "--port", str(second_port), "--no-worker")
        _wait_healthy(second, second_port)
        worker = _start(data, "worker")
        _wait_for("the worker started", lambda: '"msg": "worker started"' in _log(worker))
        first.kill()  # no goodbye: its pid stays on the server's list of users
        first.wait(timeout=30)
        stderr = _terminate(worker)
        assert worker.returncode == 0, stderr
        assert '"msg": "worker stopped"' in stderr and "Traceback" not in stderr
        assert _postgres_for(data / "pg"), "the serve still running keeps PostgreSQL up"
        stderr = _terminate(second)
        assert second.returncode == 0, stderr
        assert "Traceback" not in stderr
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
    _wait_for("PostgreSQL stopped with the last live user", lambda: not _postgres_for(data / "pg"))


def test_sigterm_stops_the_demo_and_its_postgres(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    subprocess.run([ENDORSE, "db", "migrate"], env=_env(data), check=True, capture_output=True)
    port = free_port()
    demo = _start(data, "demo", "--port", str(port), "--speed", "20")
    try:
        _wait_healthy(demo, port)
    finally:
        stderr = _terminate(demo)
    assert demo.returncode == 0, stderr
    assert "Traceback" not in stderr
    _wait_for("the demo's PostgreSQL stopped", lambda: not _postgres_for(data / "pg"))


def test_sigterm_stops_serve_while_event_streams_are_open(tmp_path: Path) -> None:
    """A night page left open is an SSE stream that never ends by itself: SIGTERM must not
    wait on it for ever (uvicorn's graceful shutdown waits for every open response)."""
    data = tmp_path / "data"
    data.mkdir()
    subprocess.run([ENDORSE, "db", "migrate"], env=_env(data), check=True, capture_output=True)
    port = free_port()
    serve = _start(data, "serve", "--port", str(port), "--no-worker")
    opened = threading.Event()

    def listen() -> None:
        with contextlib.suppress(httpx.HTTPError):  # the stream ends when the server goes
            url = f"http://127.0.0.1:{port}/api/v1/events"
            with httpx.stream("GET", url, timeout=120) as res:
                opened.set()
                for _ in res.iter_bytes():
                    pass

    readers = [threading.Thread(target=listen, daemon=True) for _ in range(3)]
    try:
        _wait_healthy(serve, port)
        for reader in readers:
            reader.start()
        assert opened.wait(30), "no event stream opened"
    finally:
        stderr = _terminate(serve)
    assert serve.returncode == 0, stderr
    assert "Traceback" not in stderr
    _wait_for("PostgreSQL stopped with serve", lambda: not _postgres_for(data / "pg"))
