"""The `endorse` command: thin over the services; each domain adds its own subcommands.

Exit codes: 0 ok, 1 failed, 2 bad usage or bad input (a one-line message, no traceback).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import importlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

import asyncpg

from endorse.settings import Settings, SettingsError, load_settings

Handler = Callable[[argparse.Namespace, Settings], int]

# Domains register their subcommands here; a missing one shows as "not available yet".
_DOMAINS = (
    "endorse.elections.commands",
    "endorse.endorsements.commands",
    "endorse.results.commands",
    "endorse.figures.commands",
    "endorse.demo.commands",
)
_PLANNED = {
    "worker": "the scheduler alone: poll every enabled results source",
    "results": "load official results: results load --format F PATH_OR_URL --election SLUG",
    "endorsements": "import or export endorsements (CSV/XLSX)",
    "match": "match endorsements to ballot candidates",
    "review": "the match review queue: list | confirm ID | reject ID",
    "stats": "win rates for an election stage",
    "demo": "a simulated election night through the real pipeline",
}


class UsageError(Exception):
    """Bad input from the command line; printed as one line, exit code 2."""


def actor() -> str:
    """Audit name for local commands: whoever runs the shell owns the change."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


@contextmanager
def database(settings: Settings) -> Iterator[str]:
    """The database URL, migrated, with the embedded server started for this command if needed."""
    from endorse.db.embedded import database_url
    from endorse.db.migrate import migrate_url

    with database_url(settings) as url:
        asyncio.run(migrate_url(url))
        yield url


def run_with_conn(settings: Settings, work: Callable[[asyncpg.Connection], Awaitable[int]]) -> int:
    """Run one async unit of work on a fresh connection to the (migrated) database."""
    from endorse.db.pool import connect

    async def go(url: str) -> int:
        conn = await connect(url)
        try:
            return await work(conn)
        finally:
            await conn.close()

    with database(settings) as url:
        return asyncio.run(go(url))


def print_json(value: object) -> None:
    import msgspec

    sys.stdout.write(msgspec.json.encode(value).decode() + "\n")


# --- foundation commands ------------------------------------------------------------------


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from endorse.app import create_app
    from endorse.logs import setup_logging

    setup_logging(settings.log_level)
    host = args.host or settings.host
    port = args.port or settings.port
    with database(settings) as url:
        app = create_app(settings, url, worker=not args.no_worker)
        logging.getLogger("endorse").info("serving", extra={"host": host, "port": port})
        # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal to the handler that
        # was there before it; a no-op handler lets us return and stop the embedded server.
        signal.signal(signal.SIGTERM, lambda *_: None)
        uvicorn.run(app, host=host, port=port, log_config=None, access_log=False)
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
        try:
            token = await create_token(conn, name=args.name, role=args.role, actor=actor())
        except ValueError as exc:
            raise UsageError(str(exc)) from None
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


def _not_yet(name: str) -> Handler:
    def handler(args: argparse.Namespace, settings: Settings) -> int:
        print(f"endorse {name}: not available yet", file=sys.stderr)
        return 1

    return handler


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="endorse", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

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

    registered: set[str] = set()
    for module in _DOMAINS:
        try:
            commands = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        registered |= set(commands.register(sub))
    for name, help_text in _PLANNED.items():
        if name not in registered:
            planned = sub.add_parser(name, help=help_text + " (not available yet)")
            planned.add_argument("rest", nargs=argparse.REMAINDER)
            planned.set_defaults(handler=_not_yet(name))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        return args.handler(args, settings)
    except (SettingsError, UsageError) as exc:
        print(f"endorse: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except (OSError, asyncpg.PostgresError) as exc:
        # the database or a file is unreachable: say so in one line, not a traceback
        print(f"endorse: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


__all__ = ["Handler", "UsageError", "actor", "database", "main", "print_json", "run_with_conn"]
