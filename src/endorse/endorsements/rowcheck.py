"""Check one import row on its own (no database): required cells, dates, flags, encoding.

What needs the database (does the election have that stage, is the date before its election
day, is the row a duplicate) is checked by the importer on the whole file at once.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from endorse.elections.schemas import STAGE_KINDS
from endorse.endorsements import rules
from endorse.endorsements.schemas import CellError
from endorse.endorsements.tabular import Row, undecodable

REQUIRED = ("election", "stage", "office", "candidate", "endorsed_by", "endorsed_on")
MAX_CELL = 4000


class Staged(msgspec.Struct, kw_only=True):
    """A row that passed its own checks, in canonical form, ready for the database."""

    number: int
    election: str
    stage: str
    body: str
    office: str
    office_typed: str
    district: str
    candidate: str
    party: str
    endorsed_on: dt.date
    notes: str
    late_ok: bool
    set_rescind: bool
    rescinded_on: dt.date | None
    rescind_reason: str | None
    version: int | None = None  # the endorsement's version when exported (None: not compared)
    set_incumbent: bool = False  # the file has an incumbent column: it is the truth
    incumbent: bool | None = None  # what it says (None: blank, not stated)
    stage_id: int = 0  # set once the election and stage are found


def _encoding_errors(row: Row) -> list[CellError]:
    errors = []
    for column, text in row.values.items():
        if undecodable(text):
            reason = "not UTF-8 text; save the file as 'CSV UTF-8' and import it again"
        elif "\x00" in text:
            reason = "contains a NUL character"
        elif len(text) > MAX_CELL:
            reason = f"longer than {MAX_CELL} characters"
        else:
            continue
        errors.append(CellError(column=column, reason=reason))
    return errors


def check_row(row: Row, *, late_ok: bool) -> tuple[Staged | None, list[CellError]]:
    """The row in canonical form, or the reasons it cannot be imported (every one, not just
    the first, so staff fix a row once)."""
    errors = _encoding_errors(row)
    if errors:
        return None, errors
    if row.extra_cells:
        errors.append(
            CellError(column="row", reason=f"{row.extra_cells} cell(s) right of the last column")
        )

    def cell(column: str) -> str:
        return rules.collapse(row.values.get(column, ""))

    errors += [CellError(column=c, reason="must not be empty") for c in REQUIRED if not cell(c)]
    stage = cell("stage").lower()
    if stage and stage not in STAGE_KINDS:
        errors.append(
            CellError(column="stage", reason=f"{stage!r} is not one of {', '.join(STAGE_KINDS)}")
        )
    endorsed_on = rescinded_on = None
    late = late_ok
    try:
        endorsed_on = rules.parse_date(cell("endorsed_on")) if cell("endorsed_on") else None
    except ValueError as exc:
        errors.append(CellError(column="endorsed_on", reason=str(exc)))
    try:
        late = rules.parse_bool(cell("late_ok")) or late_ok
    except ValueError as exc:
        errors.append(CellError(column="late_ok", reason=str(exc)))
    set_rescind = "rescinded_on" in row.values or "rescind_reason" in row.values
    incumbent = None
    try:
        incumbent = rules.parse_incumbent(cell("incumbent"))
    except ValueError as exc:
        errors.append(CellError(column="incumbent", reason=str(exc)))
    reason = cell("rescind_reason") or None
    try:
        rescinded_on = rules.parse_date(cell("rescinded_on")) if cell("rescinded_on") else None
    except ValueError as exc:
        errors.append(CellError(column="rescinded_on", reason=str(exc)))
    version = None
    if cell("version"):
        if cell("version").isdigit() and 0 < int(cell("version")) < 2**31:
            version = int(cell("version"))
        else:
            errors.append(
                CellError(column="version", reason=f"{cell('version')!r} is not a version number")
            )
    if errors or endorsed_on is None:
        return None, errors
    if set_rescind:
        problem = rules.rescind_reason_problem(endorsed_on, rescinded_on, reason)
        if problem:
            return None, [CellError(column=problem[0], reason=problem[1])]
    office, district = rules.identity(cell("office"), cell("district"))
    return Staged(
        number=row.number,
        election=cell("election").lower(),
        stage=stage,
        body=cell("endorsed_by"),
        office=office,
        office_typed=cell("office"),
        district=district,
        candidate=cell("candidate"),
        party=rules.party(cell("party")),
        endorsed_on=endorsed_on,
        notes=row.values.get("notes", "").strip(),
        late_ok=late,
        set_rescind=set_rescind,
        rescinded_on=rescinded_on,
        rescind_reason=reason,
        version=version,
        set_incumbent="incumbent" in row.values,
        incumbent=incumbent,
    ), []
