"""The `endorse` command: the parser, built from each command module by plain import.

Exit codes: 0 ok, 1 failed, 2 bad usage or bad input (a one-line message, no traceback). A
domain error (endorse.errors: not found, invalid, conflict, precondition) is bad input here,
whichever service raised it: this is the one place the CLI maps them.
"""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

import asyncpg

from endorse.cli import demo, elections, endorsements, figures, results, system, users, visibility
from endorse.cli import races as races_commands
from endorse.cli.helpers import UsageError
from endorse.errors import DomainError
from endorse.settings import SettingsError, load_settings


class Terminated(BaseException):
    """SIGTERM before the command installed its own graceful stop (a BaseException, so no
    `except Exception` on the way swallows it): unwinding runs every `finally`, so an embedded
    PostgreSQL started on the way is released as on any other exit."""


def _terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="endorse", description="Election endorsements next to the official returns."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for commands in (system, elections, endorsements, results, figures, demo, users, visibility):
        commands.register(sub)
    races_commands.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # serve, worker and demo replace this with their graceful stop once they are running
    signal.signal(signal.SIGTERM, _terminated)
    try:
        settings = load_settings()
        return args.handler(args, settings)
    except (SettingsError, UsageError, DomainError) as exc:
        print(f"endorse: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Terminated:
        return 0  # asked to stop while starting: stopped, cleanly
    except (OSError, asyncpg.PostgresError) as exc:
        # the database or a file is unreachable: say so in one line, not a traceback
        print(f"endorse: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
