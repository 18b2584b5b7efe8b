"""The server processes the HTTP benchmarks talk to, on 127.0.0.1 only.

python -m bench._serve app DATABASE_URL PORT   the real app, served the way `endorse serve`
                                               serves it (uvicorn, one process), plus a
                                               hello-world route: the same-app baseline
python -m bench._serve raw PORT                the SSE baseline: plain asyncio, every
                                               connection gets the same bytes written when
                                               a line arrives on a control connection
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HELLO = "/bench/hello"
EVENT = b'event: results\r\ndata: {"election":"bench","contests":[1]}\r\n\r\n'


async def lifespan_handshake(scope: dict[str, Any], receive: Any, send: Any) -> bool:
    """For a bare ASGI fixture app: answer the server's lifespan messages. True when `scope`
    was the lifespan (nothing more to do), False for a request."""
    if scope["type"] != "lifespan":
        return False
    while (await receive())["type"] != "lifespan.shutdown":
        await send({"type": "lifespan.startup.complete"})
    await send({"type": "lifespan.shutdown.complete"})
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _app(url: str, port: int) -> None:
    import uvicorn
    from litestar import get

    from endorse.app import create_app
    from endorse.settings import Settings

    @get(HELLO, sync_to_thread=False)
    def hello() -> dict[str, bool]:
        return {"ok": True}

    with tempfile.TemporaryDirectory() as tmp:
        # bench_sse holds 2,000 streams on this one process: above the default cap (1,000),
        # which would answer the rest 503
        app = create_app(Settings(data_dir=Path(tmp), sse_max_clients=10_000), url)
        app.register(hello)
        # as `endorse serve` runs it (uvloop and httptools when installed); BENCH_UVICORN=
        # "asyncio,h11" forces the pure-Python stack, to compare the two
        loop, http = os.environ.get("BENCH_UVICORN", "auto,auto").split(",")
        # timeout_graceful_shutdown: a stop does not wait on SSE streams still open
        uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, access_log=False,
                    loop=loop, http=http, timeout_graceful_shutdown=2)  # fmt: skip


async def _raw(port: int) -> None:
    clients: set[asyncio.StreamWriter] = set()

    async def on_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        first = await reader.readline()
        if first.startswith(b"FIRE"):  # the control connection: each line fires one event
            while await reader.readline():
                for w in list(clients):
                    w.write(EVENT)
            return
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n")
        writer.write(b"event: hello\r\ndata: {}\r\n\r\n")
        clients.add(writer)
        try:
            await reader.read()  # until the client goes
        finally:
            clients.discard(writer)

    server = await asyncio.start_server(on_client, "127.0.0.1", port, backlog=4096)
    async with server:
        await server.serve_forever()


@contextlib.contextmanager
def running(*args: str, ready_path: str | None = HELLO) -> Iterator[int]:
    """Start `python -m bench._serve ARGS PORT`, wait until it answers, yield the port, stop it."""
    with running_many(1, *args, ready_path=ready_path) as ports:
        yield ports[0]


@contextlib.contextmanager
def running_many(count: int, *args: str, ready_path: str | None = HELLO) -> Iterator[list[int]]:
    """`count` servers as `running` starts one, all started before any is waited for: their
    start-ups (imports, the app's construction) overlap instead of adding up."""
    started: list[tuple[subprocess.Popen[bytes], int]] = []
    try:
        for _ in range(count):
            port = free_port()
            proc = subprocess.Popen(
                [sys.executable, "-m", "bench._serve", *args, str(port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            started.append((proc, port))
        deadline = time.monotonic() + 60
        for proc, port in started:
            _wait_ready(proc, port, ready_path, deadline)
        yield [port for _, port in started]
    finally:
        for proc, _ in started:
            proc.terminate()
        for proc, _ in started:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_ready(
    proc: subprocess.Popen[bytes], port: int, ready_path: str | None, deadline: float
) -> None:
    """Until the server answers ready_path with a 200 (or accepts a connection, None)."""
    while True:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"bench server exited: {err[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if ready_path is None:
                    return
                s.sendall(f"GET {ready_path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                if s.recv(12).endswith(b"200"):
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("bench server did not start within 60 s")
        time.sleep(0.2)


if __name__ == "__main__":
    if sys.argv[1] == "app":
        _app(sys.argv[2], int(sys.argv[3]))
    else:
        asyncio.run(_raw(int(sys.argv[2])))
