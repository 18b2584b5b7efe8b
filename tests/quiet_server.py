"""The local fixture servers' base: a client that hangs up early is the point of many tests
(a cap, a deadline, a cancelled poll), so its ConnectionResetError is not printed as a failure."""

from __future__ import annotations

import sys
from http.server import ThreadingHTTPServer
from typing import Any


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client left: expected, and nothing to debug
        super().handle_error(request, client_address)
