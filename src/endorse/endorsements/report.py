"""The import report for people: a table of the rows that need fixing, then one summary line."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from endorse.endorsements.schemas import ImportReport


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
