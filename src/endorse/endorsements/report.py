"""The import report: built from each row's outcome; printed for people as the rows to fix
and one summary line."""

from __future__ import annotations

import asyncpg
from rich.console import Console
from rich.table import Table

from endorse.endorsements.schemas import CellError, ImportReport, RowResult
from endorse.endorsements.tabular import Row


def print_report(report: ImportReport, console: Console) -> None:
    problems = [(r.row, e.column, e.reason) for r in report.results for e in r.errors]
    if problems and console.is_terminal:
        table = Table("row", "column", "reason", title="rows to fix", title_justify="left")
        for row, column, reason in problems:
            table.add_row(str(row), column, reason)
        console.print(table)
    else:  # piped: one greppable line per problem, never wrapped
        for row, column, reason in problems:
            console.print(f"row {row}, {column}: {reason}", soft_wrap=True, markup=False)
    summary = (
        f"{report.rows} rows: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.errors} with errors"
    )
    if report.bodies_created:
        summary += "; new bodies: " + ", ".join(report.bodies_created)
    if report.dry_run:
        summary += " (dry run: nothing written)"
    elif not report.ok:
        summary += " (nothing written: fix the rows above and import the file again)"
    console.print(summary, soft_wrap=True, markup=False, highlight=False)


def build_report(
    rows: list[Row],
    errors: dict[int, list[CellError]],
    outcome: dict[int, asyncpg.Record],
    bodies: list[str],
    *,
    dry_run: bool,
    write: bool,
) -> ImportReport:
    results = []
    for row in rows:
        if row.number in errors:
            results.append(RowResult(row=row.number, status="error", errors=errors[row.number]))
        else:
            done = outcome[row.number]
            results.append(
                RowResult(row=row.number, status=done["action"], id=done["endorsement_id"])
            )
    count = {s: sum(1 for r in results if r.status == s) for s in ("created", "updated")}
    return ImportReport(
        dry_run=dry_run,
        ok=not errors,
        written=write and bool(count["created"] or count["updated"] or bodies),
        rows=len(results),
        created=count["created"],
        updated=count["updated"],
        unchanged=sum(1 for r in results if r.status == "unchanged"),
        errors=len(errors),
        bodies_created=bodies,
        results=results,
    )
