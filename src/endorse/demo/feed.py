"""The demo's stand-in for the official sites: the night's files over real HTTP.

One ASGI app serves both sources, each in its real layout:
  /ct/ng-app/data/election/{id}/...   the Secretary of the State (CT layout: split or legacy)
  /clarity/{id}/...                   Harbor City's Clarity site
The night moves on by the clock (a new version every `step_seconds`) from the moment start()
is called, or by hand when `step` is set (`endorse demo --once`, tests). Version folders
already published stay served, as on the real sites.
"""

from __future__ import annotations

import hashlib
import inspect
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from endorse.demo import clarity_files, ct_files, returns, state
from scrapers import ct_sots


def parser_reads_split() -> bool:
    """The CT scraper reads the split layout the site serves since 2024 once its combine()
    takes a layout (issue 13); until then the demo serves the legacy layout, which it reads."""
    return "layout" in inspect.signature(ct_sots.combine).parameters


LAYOUTS = ("split", "legacy") if parser_reads_split() else ("legacy", "split")  # default first
NIGHT_SECONDS = 180.0  # 0% to official at --speed 1
CT_PREFIX = f"/ct/ng-app/data/election/{state.CT_ELECTION_ID}/"
CLARITY_PREFIX = f"/clarity/{clarity_files.ELECTION_ID}/"


class NightFeed:
    def __init__(self, *, speed: float = 1.0, layout: str = LAYOUTS[0]) -> None:
        if speed <= 0:
            raise ValueError("speed: must be above 0")
        self.step_seconds = NIGHT_SECONDS / returns.OFFICIAL / speed
        self.layout = layout
        self.manual: int | None = 0  # the clock is not running until start()
        self.started_at = 0.0

    def start(self) -> None:
        self.started_at = time.monotonic()
        self.manual = None

    @property
    def step(self) -> int:
        if self.manual is not None:
            return self.manual
        elapsed = time.monotonic() - self.started_at
        return min(returns.OFFICIAL, int(elapsed / self.step_seconds))

    @step.setter
    def step(self, value: int) -> None:
        self.manual = value

    def body(self, path: str) -> bytes | None:
        if path.startswith(CT_PREFIX):
            return ct_files.file(path.removeprefix(CT_PREFIX), self.step, self.layout)
        if path.startswith(CLARITY_PREFIX):
            return clarity_files.file(path.removeprefix(CLARITY_PREFIX), self.step)
        return None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = self.body(scope["path"])
        if body is None:
            await _send(send, 404, b"not found", [])
            return
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'.encode()
        if dict(scope["headers"]).get(b"if-none-match") == etag:
            await _send(send, 304, b"", [(b"etag", etag)])
            return
        kind = b"application/zip" if scope["path"].endswith(".zip") else b"application/json"
        await _send(send, 200, body, [(b"etag", etag), (b"content-type", kind)])


def urls(base: str) -> dict[str, str]:
    """The source URL of each format, as staff would register it."""
    return {"ct-sots": base + CT_PREFIX, "clarity": base + CLARITY_PREFIX}


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
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        lifespan="auto",
        access_log=False,
        proxy_headers=False,
    )
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
