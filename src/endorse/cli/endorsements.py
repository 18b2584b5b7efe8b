"""`endorse endorsements import FILE | export`: the registry's spreadsheet path from a shell.

import prints the same per-row report as the API (or --json) and exits 2 when any row has an
error, in which case nothing was written. export writes CSV (or XLSX) that imports unchanged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import asyncpg

from endorse.cli.helpers import UsageError, actor, print_json, run_with_conn
from endorse.settings import Settings

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("endorsements", help="import or export endorsements (CSV/XLSX)")
    actions = parser.add_subparsers(dest="endorsements_command", required=True, metavar="ACTION")

    imp = actions.add_parser("import", help="import a CSV or XLSX file, all rows or none")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    imp.add_argument(
        "--late-ok", action="store_true", help="accept rows dated on/after election day"
    )
    imp.add_argument(
        "--map",
        dest="mapping",
        metavar="SPEC",
        help="rename headers: 'Candidate Name:candidate,Date:endorsed_on,Internal ID:-'",
    )
    imp.add_argument("--json", action="store_true", help="the report as JSON on stdout")
    imp.set_defaults(handler=_import)

    exp = actions.add_parser("export", help="write endorsements as CSV or XLSX")
    exp.add_argument("--election", metavar="SLUG", help="only this election")
    exp.add_argument("--format", choices=["csv", "xlsx"], help="default: from --output, else csv")
    exp.add_argument("--output", "-o", type=Path, metavar="FILE", help="default: stdout")
    exp.set_defaults(handler=_export)


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from rich.console import Console
    from rich.progress import Progress

    from endorse.endorsements.importer import ImportConflict, import_file
    from endorse.endorsements.report import print_report
    from endorse.endorsements.tabular import FileError

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise UsageError(f"FILE: cannot read {args.file}: {exc.strerror}") from None
    kind = XLSX_TYPE if args.file.suffix.lower() == ".xlsx" else "text/csv"

    async def work(conn: asyncpg.Connection) -> int:
        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("reading", total=None)

            def progress(what: str, done: int, total: int) -> None:
                bar.update(task, description=what, completed=done, total=total)

            try:
                report = await import_file(
                    conn,
                    data,
                    actor=actor(),
                    content_type=kind,
                    mapping=args.mapping,
                    dry_run=args.dry_run,
                    late_ok=args.late_ok,
                    progress=progress,
                )
            except FileError as exc:
                raise UsageError(f"{args.file}: {exc}") from None
            except ImportConflict as exc:
                print(f"endorse: failed: {exc}", file=sys.stderr)
                return 1
        if args.json:
            print_json(report)
        else:
            print_report(report, Console())
        return 0 if report.ok else 2

    return run_with_conn(settings, work)


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from endorse.endorsements.exporter import export_bytes

    fmt = args.format or ("xlsx" if args.output and args.output.suffix == ".xlsx" else "csv")
    if fmt == "xlsx" and args.output is None and sys.stdout.isatty():
        raise UsageError("--output: give a file for XLSX (it is binary)")

    async def work(conn: asyncpg.Connection) -> int:
        body = await export_bytes(conn, fmt, args.election)
        if args.output is None:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
        else:
            args.output.write_bytes(body)
            print(f"wrote {args.output} ({fmt}, {len(body):,} bytes)", file=sys.stderr)
        return 0

    return run_with_conn(settings, work)
