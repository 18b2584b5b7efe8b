"""A misbehaving upstream on a real 127.0.0.1 socket: statuses, hangs, drips, cut connections,
oversized and compressed bodies, redirects and Retry-After, plus the files of
tests/fixtures/hostile/transport/ under /files/.

Routes (query parameters in brackets):
  /files/NAME                     a corpus file, 200
  /status/CODE                    that status with a short body
  /html-200                       an HTML error page served with 200
  /big[?size=N]                   N bytes of "a,", chunked (no Content-Length)
  /declared[?size=N]              Content-Length N, a few bytes sent, then the socket closed
  /gzip-bomb[?size=N]             N zero bytes gzip-compressed (Content-Encoding: gzip)
  /brotli                         Content-Encoding: br
  /hang                           headers never come (until the server stops, or 60 s)
  /drip[?every=S]                 200 with Content-Length 4096, one byte every S seconds
  /cut                            Content-Length 1000, 100 bytes, then the socket closed
  /retry-after/SECONDS[?then=P]   429 with Retry-After; after the first, redirect-free 200 of P
  /redirect?to=URL[&code=302]     a redirect to URL
Every request is counted in `hits` (by path) with its arrival time in `times`.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.quiet_server import QuietServer

CORPUS = Path(__file__).resolve().parent / "fixtures" / "hostile" / "transport"


class Hostile:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.times: defaultdict[str, list[float]] = defaultdict(list)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self._bombs: dict[int, bytes] = {}
        self.httpd = QuietServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def bomb(self, size: int) -> bytes:
        with self.lock:
            if size not in self._bombs:
                self._bombs[size] = gzip.compress(b"\0" * size, compresslevel=9)
            return self._bombs[size]

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()
            self.times.clear()

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(server: Hostile) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _head(self, status: int, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()

        def _send(self, status: int, body: bytes, **headers: str) -> None:
            self._head(status, {"Content-Length": str(len(body))} | _dashed(headers))
            self._write(body)

        def _write(self, data: bytes) -> bool:
            try:
                self.wfile.write(data)
                self.wfile.flush()
            except OSError:  # the client gave up: that is the point of most routes
                return False
            return True

        def do_GET(self) -> None:
            try:
                self._route()
            except OSError:  # the client hung up mid-answer: what most routes provoke
                self.close_connection = True

        def _route(self) -> None:
            parts = urlsplit(self.path)
            path, query = parts.path, {k: v[-1] for k, v in parse_qs(parts.query).items()}
            with server.lock:
                server.hits[path] += 1
                server.times[path].append(time.monotonic())
                count = server.hits[path]
            size = int(query.get("size", 2 * 1024 * 1024))
            if path.startswith("/files/"):
                file = (CORPUS / path.removeprefix("/files/")).resolve()
                if not file.is_relative_to(CORPUS) or not file.is_file():
                    return self._send(404, b"not found")
                return self._send(200, file.read_bytes(), content_type=_type(file.name))
            if path.startswith("/status/"):
                return self._send(int(path.rsplit("/", 1)[1]), b"upstream says no")
            if path == "/html-200":
                page = b"<html><body><h1>Site under maintenance</h1></body></html>"
                return self._send(200, page, content_type="text/html")
            if path == "/big":
                self._head(200, {"Transfer-Encoding": "chunked", "Content-Type": "text/csv"})
                chunk = b"a," * 32768
                sent = 0
                while sent < size:
                    piece = chunk[: size - sent]
                    if not self._write(b"%x\r\n%s\r\n" % (len(piece), piece)):
                        return None
                    sent += len(piece)
                self._write(b"0\r\n\r\n")
                return None
            if path == "/declared":
                self._head(200, {"Content-Length": str(size)})
                self._write(b"office,")
                self.close_connection = True
                return None
            if path == "/gzip-bomb":
                body = server.bomb(size)
                return self._send(200, body, content_encoding="gzip", content_type="text/csv")
            if path == "/brotli":
                return self._send(200, b"\x0b\x02\x80hi\x03", content_encoding="br")
            if path == "/hang":
                server.stop.wait(60)
                self.close_connection = True
                return None
            if path == "/drip":
                every = float(query.get("every", 0.1))
                self._head(200, {"Content-Length": "4096"})
                for _ in range(4096):
                    if server.stop.wait(every) or not self._write(b"x"):
                        break
                self.close_connection = True
                return None
            if path == "/cut":
                self._head(200, {"Content-Length": "1000"})
                self._write(b"y" * 100)
                self.close_connection = True
                return None
            if path.startswith("/retry-after/"):
                seconds = path.rsplit("/", 1)[1]
                then = query.get("then")
                if then and count > 1:
                    file = CORPUS / then
                    return self._send(200, file.read_bytes(), content_type=_type(file.name))
                return self._send(429, b"slow down", retry_after=seconds)
            if path == "/redirect":
                code = int(query.get("code", 302))
                return self._send(code, b"", location=query["to"])
            return self._send(404, b"no such route")

    return Handler


def _dashed(headers: dict[str, str]) -> dict[str, str]:
    return {k.replace("_", "-").title(): v for k, v in headers.items()}


def _type(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1]
    return {"csv": "text/csv", "json": "application/json", "zip": "application/zip"}.get(
        suffix, "application/octet-stream"
    )


def running() -> Iterator[Hostile]:
    """Start one; the caller's fixture yields it and closes it after."""
    server = Hostile()
    server.thread.start()
    try:
        yield server
    finally:
        server.close()
