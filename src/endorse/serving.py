"""Run the app under uvicorn, the one way `serve`, `demo` and the demo's night all do.

On SIGTERM/SIGINT the app's open event streams are ended first (`app.state.end_streams`, set by
create_app): a night page's stream never ends by itself, and uvicorn's graceful shutdown waits
for every open response. Ended, the browser's EventSource reconnects (to whichever process
serves next) and resumes after its Last-Event-ID. Whatever is still open after
`grace_seconds` is cut.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from types import FrameType
from typing import Any


def run(app: Any, *, host: str, port: int, grace_seconds: float) -> None:
    """Serve until SIGINT/SIGTERM, then stop within about `grace_seconds`."""
    import uvicorn  # here, not at import: only a serving process needs it

    end_streams: Callable[[], None] | None = app.state.get("end_streams")

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            if end_streams is not None and not self.should_exit:
                # a signal handler: hand the work to the loop rather than run it here (no loop
                # running yet: nothing is streaming)
                with contextlib.suppress(RuntimeError):
                    asyncio.get_running_loop().call_soon_threadsafe(end_streams)
            super().handle_exit(sig, frame)

    # log_config None: our JSON logs; proxy_headers off: ENDORSE_TRUSTED_PROXIES alone decides
    # when X-Forwarded-For counts
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        proxy_headers=False,
        timeout_graceful_shutdown=grace_seconds,
    )
    Server(config).run()
