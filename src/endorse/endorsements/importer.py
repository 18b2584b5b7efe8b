"""Import endorsements from CSV/XLSX: all rows checked, then one set-based merge, all or nothing.

The checked rows are COPYed into a temporary table and merged with a handful of statements
(no per-row round trips), so a 5,000-row file is one request. A row is `created` when no live
endorsement has its identity, `updated` when one does and a value differs, `unchanged` when
nothing differs: re-importing a file writes nothing (no versions, no audit rows). Any row with
an error means nothing is written. A dry run does the same work and rolls it back, so what it
reports is exactly what the real run would do. Unknown bodies are created top-level
(see endorse.admin.bodies). A real run matches the endorsements it created or re-typed to the
ballot before it commits (endorse.matching.auto).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import asyncpg

from endorse.admin.bodies import find_or_create
from endorse.auth.audit import record
from endorse.endorsements import rules
from endorse.endorsements.report import build_report
from endorse.endorsements.rowcheck import Staged, check_row
from endorse.endorsements.schemas import CellError, ImportReport
from endorse.endorsements.service import q
from endorse.endorsements.tabular import parse_mapping, read_table
from endorse.errors import Conflict
from endorse.matching import auto

Progress = Callable[[str, int, int], None]  # (what, done, total)
_COLUMNS = [
    "row_no", "stage_id", "body_name", "office", "office_typed", "district", "candidate",
    "party", "endorsed_on", "notes", "late_ok", "set_rescind", "rescinded_on", "rescind_reason",
    "version", "set_incumbent", "incumbent",
]  # fmt: skip


class ImportConflict(Conflict):
    """Another writer created the same endorsements while this import ran; nothing written."""


def _quiet(what: str, done: int, total: int) -> None:
    pass


async def import_file(
    conn: asyncpg.Connection,
    data: bytes,
    *,
    actor: str,
    content_type: str | None = None,
    mapping: str | None = None,
    dry_run: bool = False,
    late_ok: bool = False,
    progress: Progress = _quiet,
) -> ImportReport:
    """Raises tabular.FileError when the file as a whole is unreadable (format, header)."""
    table = read_table(data, content_type, parse_mapping(mapping))
    total = len(table.rows)
    errors: dict[int, list[CellError]] = {}
    staged: list[Staged] = []
    for i, row in enumerate(table.rows, start=1):
        good, problems = check_row(row, late_ok=late_ok)
        if problems:
            errors[row.number] = problems
        elif good is not None:
            staged.append(good)
        if i % 500 == 0 or i == total:
            progress("checking rows", i, total)

    transaction = conn.transaction()
    await transaction.start()
    commit = False
    try:
        staged = await _resolve_stages(conn, staged, errors)
        if not dry_run:  # the matching lock comes before any endorsement row (matching.auto)
            await auto.hold(conn, (s.stage_id for s in staged))
        progress("comparing with the registry", 0, 1)
        created_bodies = await _stage_rows(conn, staged, errors, actor=actor)
        progress("comparing with the registry", 1, 1)
        write = not errors and not dry_run
        if write:
            progress("writing", 0, 1)
            try:
                await conn.execute(*q.import_insert(actor=actor))
            except asyncpg.UniqueViolationError:
                raise ImportConflict(
                    "another import or edit created some of these endorsements meanwhile; "
                    "nothing was written, run the import again"
                ) from None
            await conn.execute(*q.import_link_created())
            await conn.execute(*q.import_update(actor=actor))
            await conn.execute(*q.import_audit(actor=actor))
            await auto.after_import(conn)  # match what was written, before the commit
        outcome = {r["row_no"]: r for r in await conn.fetch(*q.import_outcome())}
        report = build_report(
            table.rows, errors, outcome, created_bodies, dry_run=dry_run, write=write
        )
        if write and (report.created or report.updated or created_bodies):
            await record(
                conn,
                actor=actor,
                action="endorsement.import",
                entity="endorsements",
                after={
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "format": table.kind,
                    "rows": report.rows,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "bodies_created": created_bodies,
                },
            )
        commit = write
        if write:
            progress("writing", 1, 1)
    finally:
        await (transaction.commit() if commit else transaction.rollback())
    return report


def _stale(row: asyncpg.Record) -> str:
    """Why a row exported before a later change of its endorsement is not applied."""
    if row["deleted_at"] is not None:
        what = "deleted"
    elif row["rescinded_on"] is not None:
        what = "rescinded or edited"
    else:
        what = "edited"
    return (
        f"conflict: the file has version {row['file_version']}, but the endorsement was {what} "
        f"after this file was exported (now version {row['stored_version']}, by "
        f"{row['updated_by']} at {row['updated_at']:%Y-%m-%d %H:%M %Z}); export again and redo "
        "this row's change, or empty its version cell to overwrite"
    )


async def _resolve_stages(
    conn: asyncpg.Connection, staged: list[Staged], errors: dict[int, list[CellError]]
) -> list[Staged]:
    """Drop rows whose election/stage is unknown or whose date is too late; note why."""
    slugs = sorted({s.election for s in staged})
    stages: dict[str, dict[str, tuple[int, dt.date]]] = {}
    for r in await conn.fetch(*q.stages_for_slugs(slugs=slugs)):
        stages.setdefault(r["slug"], {})
        if r["kind"] is not None:
            stages[r["slug"]][r["kind"]] = (r["stage_id"], r["election_day"])
    kept = []
    for s in staged:
        if s.election not in stages:
            problem = CellError(column="election", reason=f"no election with slug {s.election!r}")
        elif s.stage not in stages[s.election]:
            problem = CellError(
                column="stage", reason=f"election {s.election!r} has no {s.stage!r} stage"
            )
        else:
            stage_id, day = stages[s.election][s.stage]
            late = rules.is_late(s.endorsed_on, day)
            if late and not s.late_ok:
                reason = rules.late_reason(s.endorsed_on, s.stage, day)
                problem = CellError(column="endorsed_on", reason=reason + " (late_ok column)")
            else:
                s.late_ok = late  # only a late endorsement carries the flag
                s.stage_id = stage_id
                kept.append(s)
                continue
        errors.setdefault(s.number, []).append(problem)
    return kept


async def _stage_rows(
    conn: asyncpg.Connection,
    staged: list[Staged],
    errors: dict[int, list[CellError]],
    *,
    actor: str,
) -> list[str]:
    """COPY the good rows into import_rows, create missing bodies, find duplicates, classify."""
    await conn.execute(*q.create_import_table())
    records = [
        (s.number, s.stage_id, s.body, s.office, s.office_typed, s.district, s.candidate,
         s.party, s.endorsed_on, s.notes, s.late_ok, s.set_rescind, s.rescinded_on,
         s.rescind_reason, s.version, s.set_incumbent, s.incumbent)
        for s in staged
    ]  # fmt: skip
    await conn.copy_records_to_table("import_rows", records=records, columns=_COLUMNS)
    await conn.execute(*q.analyze_import_table())
    created = [r["body_name"] for r in await conn.fetch(*q.import_missing_bodies())]
    for name in created:
        await find_or_create(conn, name, actor=actor)
    await conn.execute(*q.import_resolve_bodies())
    for dup in await conn.fetch(*q.import_duplicates()):
        errors.setdefault(dup["row_no"], []).append(
            CellError(
                column="candidate",
                reason=f"the same endorsement as row {dup['first_row']} (same election, stage,"
                " endorsed_by, office, district and candidate)",
            )
        )
    await conn.fetch(*q.import_lock_targets())
    await conn.execute(*q.import_link_existing())
    for stale in await conn.fetch(*q.import_stale_versions()):
        errors.setdefault(stale["row_no"], []).append(
            CellError(column="version", reason=_stale(stale))
        )
    await conn.execute(*q.import_classify())
    await conn.execute(*q.import_mark_created())
    await conn.execute(*q.analyze_import_table())  # again: the merge filters on action
    return created
