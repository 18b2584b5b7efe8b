"""/staff/import: check a CSV or XLSX file, read the per-row report, import exactly that file.

    GET  /staff/import               the form
    POST /staff/import               check the uploaded file (a dry run) -> /staff/import/{id}
    GET  /staff/import/{id}          a checked file's report (bookmarkable for a day)
    POST /staff/import/{id}/map      check the same bytes again with a column mapping
    POST /staff/import/{id}/recheck  check the same bytes again as they are
    POST /staff/import/{id}/apply    import the checked bytes, unless the data changed meanwhile

The bytes are kept server-side (endorse.endorsements.checked), so "Import" applies what was
checked, never a second upload.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from endorse.deps import Conn
from endorse.endorsements import checked
from endorse.endorsements.tabular import EXPORT_HEADER, IGNORE, FileError, parse_mapping
from endorse.staff.respond import PAGE_ERRORS, is_htmx, respond
from endorse.staff.session import Staff, StaffUser, flash, requires_staff

PAGE, FRAGMENT = "staff/import.html", "staff/_import_area.html"
ROWS_SHOWN = 500  # rows without a problem listed in full; errors are always all listed


def _fold(text: str) -> str:
    return " ".join(text.split()).lower()


def _mapping_rows(headers: list[str], mapping: str | None) -> list[dict[str, Any]]:
    """One select per file header: what it maps to now (canonical name, the mapping, or '')."""
    try:
        given = parse_mapping(mapping)
    except FileError:
        given = {}
    rows = []
    for i, header in enumerate(headers):
        guess = _fold(header).replace(" ", "_")
        chosen = given.get(_fold(header)) or (guess if guess in EXPORT_HEADER else "")
        rows.append({"index": i, "header": header, "chosen": chosen, "mappable": "," not in header})
    return rows


def _summary(kept: checked.CheckedImport) -> dict[str, Any]:
    report = kept.applied_report or kept.report
    if report is None:
        return {}
    errors = [r for r in report.results if r.status == "error"]
    others = [r for r in report.results if r.status != "error"]
    return {"report": report, "error_rows": errors, "other_rows": others[:ROWS_SHOWN],
            "hidden_rows": max(0, len(others) - ROWS_SHOWN)}  # fmt: skip


async def _context(conn: Conn, kept: checked.CheckedImport | None, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {"active": "import", "kept": kept, "errors": {}, "columns": EXPORT_HEADER,
                               "ignore": IGNORE}  # fmt: skip
    if kept is not None:
        shown = await checked.preview(conn, kept.id)
        context |= _summary(kept) | {
            "cells": shown.rows,
            "mapping_rows": _mapping_rows(shown.headers, kept.mapping) if kept.file_error else [],
            "mapping": kept.mapping or "",
            "late_ok": kept.late_ok,
        }
        if kept.file_error:
            field = "mapping" if kept.file_error.startswith(("header", "map")) else "file"
            context["errors"] = {field: kept.file_error}
    return context | extra


class ImportPages(Controller):
    path = "/staff/import"
    guards = [requires_staff("editor")]
    include_in_schema = False
    exception_handlers = PAGE_ERRORS

    @get("/")
    async def form(self, request: Request, conn: Conn, staff: Staff) -> Template:
        return respond(request, staff, PAGE, FRAGMENT, **await _context(conn, None))

    @post("/")
    async def check(self, request: Request, conn: Conn, staff: Staff) -> Response:
        form = await request.form()
        upload = form.get("file")
        mapping = str(form.get("mapping") or "").strip()
        late_ok = form.get("late_ok") == "on"
        errors: dict[str, str] = {}
        data = await upload.read() if isinstance(upload, UploadFile) else b""
        if not data.strip():
            errors["file"] = "Choose a CSV or XLSX file to check (this one is missing or empty)."
        try:
            parse_mapping(mapping)
        except FileError as exc:
            errors["mapping"] = str(exc).removeprefix("map: ")
        if errors:
            context = await _context(conn, None, errors=errors, mapping=mapping, late_ok=late_ok)
            return respond(request, staff, PAGE, FRAGMENT, status=400, **context)
        assert isinstance(upload, UploadFile)
        kept = await checked.check(
            conn,
            data,
            actor=staff.actor,
            filename=upload.filename or "",
            content_type=upload.content_type,
            mapping=mapping or None,
            late_ok=late_ok,
        )
        return await _show(request, conn, staff, kept)

    @get("/{checked_id:str}")
    async def report(
        self, request: Request, conn: Conn, staff: Staff, checked_id: FromPath[str]
    ) -> Template:
        kept = await checked.get(conn, checked_id)
        return respond(request, staff, PAGE, FRAGMENT, **await _context(conn, kept))

    @post("/{checked_id:str}/map")
    async def remap(
        self, request: Request, conn: Conn, staff: Staff, checked_id: FromPath[str]
    ) -> Response:
        form = await request.form()
        headers = (await checked.preview(conn, checked_id)).headers
        parts = []
        for i, header in enumerate(headers):
            target = str(form.get(f"map-{i}") or "")
            if target and "," not in header and _fold(header).replace(" ", "_") != target:
                parts.append(f"{' '.join(header.split())}:{target}")
        kept = await checked.recheck(
            conn, checked_id, mapping=",".join(parts) or None, actor=staff.actor
        )
        return await _show(request, conn, staff, kept)

    @post("/{checked_id:str}/recheck")
    async def recheck(
        self, request: Request, conn: Conn, staff: Staff, checked_id: FromPath[str]
    ) -> Response:
        """The same kept bytes and mapping, checked again (after "the data changed")."""
        old = await checked.get(conn, checked_id)
        kept = await checked.recheck(conn, checked_id, mapping=old.mapping, actor=staff.actor)
        return await _show(request, conn, staff, kept)

    @post("/{checked_id:str}/apply")
    async def apply(
        self, request: Request, conn: Conn, staff: Staff, checked_id: FromPath[str]
    ) -> Response:
        try:
            kept = await checked.apply(conn, checked_id, actor=staff.actor)
        except checked.NotApplicable as exc:
            kept = await checked.get(conn, checked_id)
            context = await _context(conn, kept, problem=str(exc).removeprefix("import: "))
            return respond(request, staff, PAGE, FRAGMENT, status=409, **context)
        report = kept.applied_report
        assert report is not None
        message = (
            f"Imported {kept.filename or 'the file'}: {report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged."
        )
        if is_htmx(request):
            return respond(
                request, staff, PAGE, FRAGMENT, **await _context(conn, kept, ok_message=message)
            )
        await flash(conn, staff, message)
        return Redirect(f"/staff/import/{kept.id}", status_code=303)


async def _show(
    request: Request, conn: Conn, staff: StaffUser, kept: checked.CheckedImport
) -> Response:
    url = f"/staff/import/{kept.id}"
    if is_htmx(request):
        return respond(request, staff, PAGE, FRAGMENT, push_url=url, **await _context(conn, kept))
    return Redirect(url, status_code=303)


ROUTES = [ImportPages]
