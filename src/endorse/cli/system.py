"""`endorse serve`, `endorse db migrate|url` and `endorse tokens create`: the foundation."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from typing import Any

import asyncpg

from endorse.cli.helpers import actor, database, print_json, run_with_conn
from endorse.settings import Settings


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from endorse.app import create_app
    from endorse.logs import setup_logging
    from endorse.serving import run

    setup_logging(settings.log_level)
    host = args.host or settings.host
    port = args.port or settings.port
    with database(settings) as url:
        app = create_app(settings, url, worker=not args.no_worker)
        logging.getLogger("endorse").info("serving", extra={"host": host, "port": port})
        # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal to the handler that
        # was there before it; a no-op handler lets us return and stop the embedded server.
        signal.signal(signal.SIGTERM, lambda *_: None)
        run(app, host=host, port=port, grace_seconds=settings.shutdown_grace_seconds)
    return 0


def _db_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from endorse.db.embedded import database_url
    from endorse.db.migrate import migrate_url

    with database_url(settings) as url:
        applied = asyncio.run(migrate_url(url))
    if args.json:
        print_json({"applied": applied})
    else:
        print(
            f"applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied else "")
        )
    return 0


def _db_url(args: argparse.Namespace, settings: Settings) -> int:
    if settings.database_url:
        print(settings.database_url)
        return 0
    # The embedded server keeps running after this command only while another process holds it,
    # so the printed URL is for scripts run alongside `endorse serve` (or the next start).
    from endorse.db.embedded import EmbeddedServer

    server = EmbeddedServer(settings.pg_dir, keep_running=args.keep_running)
    try:
        print(server.url)
    finally:
        server.stop()
    return 0


def _tokens_create(args: argparse.Namespace, settings: Settings) -> int:
    from endorse.auth.tokens import create_token

    async def work(conn: asyncpg.Connection) -> int:
        token = await create_token(conn, name=args.name, role=args.role, actor=actor())
        if args.json:
            print_json({"name": args.name, "role": args.role, "token": token})
        else:
            print(token)
            print(
                f"(token {args.name!r}, role {args.role}; it is shown only this once)",
                file=sys.stderr,
            )
        return 0

    return run_with_conn(settings, work)


def register(sub: Any) -> None:
    serve = sub.add_parser("serve", help="API + dashboard (and the scheduler unless --no-worker)")
    serve.add_argument("--host", help="bind address (ENDORSE_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (ENDORSE_PORT, default 8000)")
    serve.add_argument("--no-worker", action="store_true", help="do not run the scheduler here")
    serve.set_defaults(handler=_serve)

    db = sub.add_parser("db", help="database: migrate | url").add_subparsers(
        dest="db_command", required=True, metavar="ACTION"
    )
    mig = db.add_parser("migrate", help="apply sql/ migrations")
    mig.add_argument("--json", action="store_true")
    mig.set_defaults(handler=_db_migrate)
    url = db.add_parser("url", help="print the connection URL in use")
    url.add_argument("--keep-running", action="store_true", help="leave the embedded server up")
    url.set_defaults(handler=_db_url)

    tokens = sub.add_parser("tokens", help="API tokens: create").add_subparsers(
        dest="tokens_command", required=True, metavar="ACTION"
    )
    create = tokens.add_parser("create", help="create a token; prints it once")
    create.add_argument("--role", required=True, choices=["viewer", "editor", "admin"])
    create.add_argument("--name", required=True)
    create.add_argument("--json", action="store_true")
    create.set_defaults(handler=_tokens_create)
