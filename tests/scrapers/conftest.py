"""Shared test plumbing: import path, fixture/real-data locations, a real local HTTP server."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.quiet_server import QuietServer

ROOT = Path(__file__).resolve().parents[2]
if importlib.util.find_spec("scrapers") is None:  # the project installs it; a bare checkout not
    sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "tests" / "fixtures"
# The real samples sit beside the checkout (../shared/data), or further up from a worktree.
SHARED_DATA = next(
    (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()),
    ROOT.parent / "shared" / "data",
)
LAST_MODIFIED = "Wed, 06 Nov 2024 06:15:09 GMT"


def _shared(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real sample {path} is not here")
    return path


@pytest.fixture
def shared() -> Callable[..., Path]:
    """shared("clarity", "county.xml"): a real sample in ../shared/data, or skip the test."""
    return _shared


@pytest.fixture
def fixtures() -> Path:
    """tests/fixtures: the recorded-format files written for the project."""
    return FIXTURES


class FixtureServer:
    """Serves tests/fixtures under /files/ with ETag, Last-Modified and 304, plus trouble routes.

    /always-500        500 every time
    /hang              answers only after `release` is set (or 5 s): a timeout
    /drop              closes the connection without answering
    /waf/…             /files/… behind a firewall that refuses non-browser User-Agents (403)
    fail_first[path]   that many 500s before the real answer
    overrides[path]    a body to serve instead of (or in addition to) the files
    gone               paths answered 404 although the file is there
    """

    def __init__(self) -> None:
        self.overrides: dict[str, bytes] = {}
        self.gone: set[str] = set()
        self.fail_first: dict[str, int] = {}
        self.hits: Counter[str] = Counter()
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.httpd = QuietServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def reset(self) -> None:
        with self.lock:
            self.overrides.clear()
            self.gone.clear()
            self.fail_first.clear()
            self.hits.clear()

    def body(self, path: str) -> bytes | None:
        if path in self.gone:
            return None
        if path in self.overrides:
            return self.overrides[path]
        if path.startswith("/files/"):
            file = (FIXTURES / path.removeprefix("/files/")).resolve()
            if file.is_relative_to(FIXTURES) and file.is_file():
                return file.read_bytes()
        return None


def _handler(server: FixtureServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

        def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None):
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(ConnectionError):  # the client gave up (a timeout test)
                self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            with server.lock:
                server.hits[path] += 1
                failing = server.fail_first.get(path, 0)
                if failing:
                    server.fail_first[path] = failing - 1
            if path == "/always-500" or failing:
                return self._send(500, b"internal error")
            if path == "/hang":
                server.release.wait(5)
                return self._send(200, b"late")
            if path == "/drop":
                self.close_connection = True
                return None
            if path.startswith("/waf/"):  # a Clarity site's firewall: no Python clients
                agent = (self.headers.get("User-Agent") or "").casefold()
                if "python" in agent or not agent.startswith("mozilla/"):
                    return self._send(403, b"forbidden")
                path = "/files/" + path.removeprefix("/waf/")
            body = server.body(path)
            if body is None:
                return self._send(404, b"not found")
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED, "Content-Type": _type(path)}
            inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            # RFC 9110: If-None-Match wins when both are sent.
            if (inm is not None and inm == etag) or (inm is None and ims == LAST_MODIFIED):
                return self._send(304, b"", {"ETag": etag, "Last-Modified": LAST_MODIFIED})
            return self._send(200, body, headers)

    return Handler


def _type(path: str) -> str:
    suffix = path.rsplit(".", 1)[-1]
    return {
        "json": "application/json",
        "zip": "application/zip",
        "csv": "text/csv",
        "html": "text/html; charset=utf-8",
        "xml": "application/xml",
    }.get(suffix, "text/plain")


@pytest.fixture(scope="session")
def _server() -> Iterator[FixtureServer]:
    server = FixtureServer()
    server.thread.start()
    yield server
    server.release.set()
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def server(_server: FixtureServer) -> FixtureServer:
    """The session's fixture server, with overrides, failures and hit counts cleared."""
    _server.reset()
    return _server


@pytest.fixture
def fast() -> dict[str, dict[str, float]]:
    """A mapping with quick retries: the real defaults wait seconds between tries."""
    return {"http": {"attempts": 3, "backoff": 0.01, "timeout": 1.0}}
