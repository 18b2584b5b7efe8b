"""Serve an ASGI app on a real 127.0.0.1 socket from a background thread (for SSE, browsers)."""

from endorse.demo.feed import free_port, serve_in_thread

serve = serve_in_thread

__all__ = ["free_port", "serve"]
