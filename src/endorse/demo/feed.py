"""The demo's stand-in for the Secretary of the State's site: the night's files over real HTTP."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from endorse.demo import night

PREFIX = "/ng-app/data/"


class NightFeed:
    """An ASGI app serving night.files(step); `step` moves the night forward."""

    def __init__(self) -> None:
        self.step = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = night.files(self.step).get(scope["path"].removeprefix(PREFIX))
        if body is None or not scope["path"].startswith(PREFIX):
            await _send(send, 404, b"not found", [])
            return
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'.encode()
        headers = dict(scope["headers"])
        if headers.get(b"if-none-match") == etag:
            await _send(send, 304, b"", [(b"etag", etag)])
            return
        await _send(send, 200, body, [(b"etag", etag), (b"content-type", b"application/json")])


async def _send(send: Any, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextmanager
def serve_in_thread(app: Any, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve an ASGI app with uvicorn from a daemon thread; yield its base URL."""
    port = free_port(host)
    config = uvicorn.Config(app, host=host, port=port, log_config=None, lifespan="auto")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
