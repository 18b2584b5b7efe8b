"""Check a file, then import exactly that file: the two steps of the staff import page.

`check` runs the importer's dry run and keeps the bytes server-side under a random id, with
the plan the check reported: what each row would do (create / update / unchanged / error)
plus the current values of every endorsement the file would touch. `apply` imports the kept
bytes (never a second upload) and proves, under lock and in one transaction, that the real run
did what the check said; if anything differs (an edit or another import landed in between),
the whole import is rolled back and the person is told to check again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

import asyncpg
import msgspec

from endorse.db.queries import load
from endorse.endorsements.importer import ImportConflict, import_file
from endorse.endorsements.schemas import ImportReport
from endorse.endorsements.tabular import FileError, header_cells, parse_mapping, read_table
from endorse.errors import Conflict, NotFound

q = load("checked_imports")


class CheckedNotFound(NotFound):
    """No checked file with that id (never checked, or pruned a day after its check)."""


class NotApplicable(Conflict):
    """The checked file cannot be imported as checked; the message says why. Nothing written."""


class CheckedImport(msgspec.Struct, kw_only=True):
    id: str
    sha256: str
    filename: str
    size: int
    mapping: str | None
    late_ok: bool
    report: ImportReport | None  # None when the file as a whole could not be read
    file_error: str | None
    checked_by: str
    checked_at: dt.datetime
    applied_at: dt.datetime | None
    applied_by: str | None
    applied_report: ImportReport | None

    @property
    def importable(self) -> bool:
        return self.report is not None and self.report.ok and self.applied_at is None


def _targets(report: ImportReport) -> list[int]:
    return sorted({r.id for r in report.results if r.id is not None and r.status != "created"})


def _plan(report: ImportReport, targets: list[asyncpg.Record]) -> bytes:
    """What the import would do, and to which values: ids of rows it would create are left out
    (a dry run has none)."""
    rows = [
        (r.row, r.status, None if r.status == "created" else r.id, [e.reason for e in r.errors])
        for r in report.results
    ]
    state = [[str(v) for v in t.values()] for t in targets]
    payload = msgspec.json.encode([rows, sorted(report.bodies_created), state])
    return hashlib.sha256(payload).digest()


async def check(
    conn: asyncpg.Connection,
    data: bytes,
    *,
    actor: str,
    filename: str = "",
    content_type: str | None = None,
    mapping: str | None = None,
    late_ok: bool = False,
) -> CheckedImport:
    """Dry-run the file and keep it (a whole-file problem is kept too, so the page can show it
    and offer the mapping); nothing in the registry changes."""
    report: ImportReport | None = None
    plan = file_error = None
    async with conn.transaction():
        try:
            report = await import_file(
                conn,
                data,
                actor=actor,
                content_type=content_type,
                mapping=mapping,
                dry_run=True,
                late_ok=late_ok,
            )
        except FileError as exc:
            file_error = str(exc)
        if report is not None:
            targets = await conn.fetch(*q.import_targets(ids=_targets(report)))
            plan = _plan(report, targets)
        await conn.execute(*q.prune_checked())
        checked_id = secrets.token_urlsafe(18)
        await conn.execute(
            *q.insert_checked(
                id=checked_id,
                sha256=hashlib.sha256(data).digest(),
                body=data,
                filename=filename[:300],
                content_type=content_type,
                mapping=mapping or None,
                late_ok=late_ok,
                plan=plan,
                report=msgspec.to_builtins(report) if report is not None else None,
                file_error=file_error,
                actor=actor,
            )
        )
    return await get(conn, checked_id)


async def recheck(
    conn: asyncpg.Connection, checked_id: str, *, mapping: str | None, actor: str
) -> CheckedImport:
    """Check the same kept bytes again with another column mapping (a new check, new id)."""
    row = await conn.fetchrow(*q.checked_body(id=checked_id))
    if row is None:
        raise CheckedNotFound(f"import: no checked file {checked_id!r}; upload it again")
    old = await get(conn, checked_id)
    return await check(
        conn,
        bytes(row["body"]),
        actor=actor,
        filename=old.filename,
        content_type=row["content_type"],
        mapping=mapping,
        late_ok=old.late_ok,
    )


async def get(conn: asyncpg.Connection, checked_id: str) -> CheckedImport:
    row = await conn.fetchrow(*q.checked_by_id(id=checked_id))
    if row is None:
        raise CheckedNotFound(
            f"import: no checked file {checked_id!r} (checks are kept for a day); check it again"
        )
    value: dict[str, Any] = dict(row)
    value["sha256"] = bytes(value["sha256"]).hex()
    value.pop("plan")
    for key in ("report", "applied_report"):
        if isinstance(value[key], str):  # a connection without the jsonb codec
            value[key] = msgspec.json.decode(value[key])
    return msgspec.convert(value, CheckedImport)


async def apply(conn: asyncpg.Connection, checked_id: str, *, actor: str) -> CheckedImport:
    """Import the checked bytes as checked, or raise NotApplicable and write nothing."""
    async with conn.transaction():
        row = await conn.fetchrow(*q.checked_for_apply(id=checked_id))
        if row is None:
            raise CheckedNotFound(
                f"import: no checked file {checked_id!r} (checks are kept for a day)"
            )
        if row["applied_at"] is not None:
            raise NotApplicable(
                f"import: this file was already imported by {row['applied_by']} at "
                f"{row['applied_at']:%Y-%m-%d %H:%M}"
            )
        body = bytes(row["body"])
        if row["plan"] is None or hashlib.sha256(body).digest() != bytes(row["sha256"]):
            raise NotApplicable("import: this file did not pass its check; fix it and check again")
        checked = msgspec.convert(row["report"], ImportReport)
        if not checked.ok:
            raise NotApplicable("import: the check found rows to fix; fix them and check again")
        targets = await conn.fetch(*q.lock_import_targets(ids=_targets(checked)))
        try:
            report = await import_file(
                conn,
                body,
                actor=actor,
                content_type=row["content_type"],
                mapping=row["mapping"],
                late_ok=row["late_ok"],
            )
        except (FileError, ImportConflict) as exc:
            raise NotApplicable(f"import: {exc}") from None
        if not report.ok or _plan(report, targets) != bytes(row["plan"]):
            raise NotApplicable(
                "import: the endorsements changed since this file was checked (someone edited "
                "or imported meanwhile), so the result would differ from the report; nothing "
                "was written. Check the file again to see what it would do now."
            )
        await conn.execute(
            *q.mark_checked_applied(id=checked_id, actor=actor, report=msgspec.to_builtins(report))
        )
    return await get(conn, checked_id)


class Preview(msgspec.Struct, kw_only=True):
    """The checked file as the page shows it beside the report."""

    headers: list[str]  # the file's own header row, as typed
    rows: dict[int, dict[str, str]]  # spreadsheet row number -> column -> cell (when readable)


async def preview(conn: asyncpg.Connection, checked_id: str) -> Preview:
    row = await conn.fetchrow(*q.checked_body(id=checked_id))
    if row is None:
        raise CheckedNotFound(f"import: no checked file {checked_id!r}")
    body = bytes(row["body"])
    try:
        table = read_table(body, row["content_type"], parse_mapping(row["mapping"]))
        rows = {r.number: r.values for r in table.rows}
    except FileError:
        rows = {}
    return Preview(headers=header_cells(body), rows=rows)
