"""/staff/endorsements: the list (filters, search, htmx), add, edit, rescind, history.

Every write goes through endorse.endorsements.edits, the service behind the API, with the
person as the actor ("staff:NAME") and the version the form was read at as If-Match, so a
stale save is a conflict shown side by side and never an overwrite.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from endorse.admin.bodies import list_bodies
from endorse.deps import TEXT_NO_NUL, Conn, RowId
from endorse.elections.schemas import STAGE_KINDS
from endorse.elections.service import list_elections
from endorse.endorsements import edits, service
from endorse.endorsements.schemas import Endorsement
from endorse.errors import DomainError, NotFound, PreconditionFailed
from endorse.http_errors import status_of
from endorse.staff import endorsement_form as ef
from endorse.staff.endorsement_list import ListQuery, list_context
from endorse.staff.session import Staff, StaffUser, flash, requires_staff, staff_page


def _htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _values_of(e: Endorsement) -> dict[str, str]:
    return {
        "election": e.election,
        "stage": e.stage,
        "office": e.office_typed or e.office,
        "district": e.district,
        "candidate": e.candidate,
        "party": e.party,
        "endorsed_by": e.endorsed_by,
        "endorsed_on": e.endorsed_on.isoformat(),
        "notes": e.notes,
    }


async def _form_context(conn: Conn) -> dict[str, Any]:
    elections = sorted(await list_elections(conn), key=lambda e: e.election_date, reverse=True)
    return {
        "election_options": [("", "Choose an election"), *((e.slug, e.name) for e in elections)],
        "stage_options": [(k, k.capitalize()) for k in STAGE_KINDS],
        "bodies": [b.name for b in await list_bodies(conn)],
        "fields": ef.FIELDS,
    }


async def _form_page(
    conn: Conn,
    staff: StaffUser,
    *,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    endorsement: Endorsement | None = None,
    etag: str = "",
    conflict: Endorsement | None = None,
    status: int = 200,
) -> Template:
    page = staff_page(
        staff,
        "staff/endorsement_form.html",
        active="endorsements",
        values=values,
        errors=errors or {},
        endorsement=endorsement,
        etag=etag,
        conflict=conflict,
        today=dt.date.today().isoformat(),
        **await _form_context(conn),
    )
    page.status_code = status
    return page


class EndorsementPages(Controller):
    path = "/staff/endorsements"
    guards = [requires_staff("viewer")]
    include_in_schema = False

    @get("/")
    async def index(self, conn: Conn, staff: Staff, request: Request) -> Template:
        query = ListQuery.from_params(request.query_params)
        context = await list_context(conn, query)
        template = "staff/_endorsement_table.html" if _htmx(request) else "staff/endorsements.html"
        return staff_page(staff, template, active="endorsements", **context)

    @get("/new", guards=[requires_staff("editor")])
    async def new(
        self,
        conn: Conn,
        staff: Staff,
        election: Annotated[str, QueryParameter(max_length=100, pattern=TEXT_NO_NUL)] = "",
        stage: Annotated[str, QueryParameter(max_length=20, pattern=TEXT_NO_NUL)] = "general",
    ) -> Template:
        values = dict.fromkeys(ef.NAMES, "")
        values.update(election=election, stage=stage)
        return await _form_page(conn, staff, values=values)

    @post("/new", guards=[requires_staff("editor")], status_code=303)
    async def create(self, conn: Conn, staff: Staff, request: Request) -> Response:
        values = ef.typed(await request.form())
        try:
            created = await edits.create(conn, ef.to_create(values), actor=staff.actor)
        except ef.FormError as exc:
            return await _form_page(conn, staff, values=values, errors=exc.errors, status=400)
        except DomainError as exc:
            return await _form_page(
                conn, staff, values=values, errors=ef.field_errors(exc), status=status_of(exc)
            )
        await flash(conn, staff, f"Saved: {created.candidate} for {created.office}.")
        back = urlencode({"election": created.election, "stage": created.stage})
        return Redirect(f"/staff/endorsements?{back}", status_code=303)

    @get("/{endorsement_id:int}")
    async def edit(self, conn: Conn, staff: Staff, endorsement_id: RowId) -> Template:
        endorsement = await service.get(conn, endorsement_id)
        return await _form_page(
            conn,
            staff,
            values=_values_of(endorsement),
            endorsement=endorsement,
            etag=endorsement.etag,
        )

    @post("/{endorsement_id:int}", guards=[requires_staff("editor")], status_code=303)
    async def save(
        self, conn: Conn, staff: Staff, request: Request, endorsement_id: RowId
    ) -> Response:
        form = await request.form()
        values = ef.typed(form)
        etag = str(form.get("etag", ""))
        current = await service.get(conn, endorsement_id)
        try:
            saved = await edits.update(
                conn, endorsement_id, ef.to_update(values), if_match=etag, actor=staff.actor
            )
        except ef.FormError as exc:
            return await _form_page(
                conn,
                staff,
                values=values,
                errors=exc.errors,
                endorsement=current,
                etag=etag,
                status=400,
            )
        except PreconditionFailed:
            # someone saved first: show theirs beside what this person typed; saving again
            # (with the current version) is a deliberate overwrite
            latest = await service.get(conn, endorsement_id)
            return await _form_page(
                conn,
                staff,
                values=values,
                endorsement=latest,
                etag=latest.etag,
                conflict=latest,
                status=409,
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            return await _form_page(
                conn,
                staff,
                values=values,
                errors=ef.field_errors(exc),
                endorsement=current,
                etag=etag,
                status=status_of(exc),
            )
        await flash(conn, staff, f"Saved: {saved.candidate} for {saved.office}.")
        return Redirect(f"/staff/endorsements/{endorsement_id}", status_code=303)

    @post("/{endorsement_id:int}/rescind", guards=[requires_staff("editor")], status_code=303)
    async def rescind(
        self, conn: Conn, staff: Staff, request: Request, endorsement_id: RowId
    ) -> Response:
        form = await request.form()
        values = ef.typed(form, ("reason", "rescinded_on"))
        current = await service.get(conn, endorsement_id)
        try:
            await edits.update(
                conn,
                endorsement_id,
                ef.to_rescind(values),
                if_match=str(form.get("etag", "")),
                actor=staff.actor,
                action="endorsement.rescind",
            )
        except (ef.FormError, DomainError) as exc:
            if isinstance(exc, NotFound):
                raise
            errors = exc.errors if isinstance(exc, ef.FormError) else ef.field_errors(exc)
            if isinstance(exc, PreconditionFailed):
                errors = {
                    "reason": "someone changed this endorsement meanwhile: check it and "
                    "rescind again (your reason is kept)"
                }
            latest = await service.get(conn, endorsement_id)
            page = await _form_page(
                conn,
                staff,
                values=_values_of(latest),
                endorsement=latest,
                etag=latest.etag,
                status=400,
            )
            page.context.update(rescind_values=values, rescind_errors=errors)
            return page
        await flash(conn, staff, f"Rescinded: {current.candidate} for {current.office}.")
        return Redirect(f"/staff/endorsements/{endorsement_id}", status_code=303)

    @get("/{endorsement_id:int}/history")
    async def history(self, conn: Conn, staff: Staff, endorsement_id: RowId) -> Template:
        versions = await service.history(conn, endorsement_id)
        body_names = {b.id: b.name for b in await list_bodies(conn)}
        for v in versions:
            if "body_id" in v.data:
                v.data["body_id"] = body_names.get(v.data["body_id"], v.data["body_id"])
        rows = []
        before: dict[str, Any] = {}
        for v in versions:
            changes = [
                (k, before.get(k), v.data.get(k))
                for k in _SHOWN
                if before.get(k) != v.data.get(k) and (before or v.data.get(k) not in (None, ""))
            ]
            rows.append({"v": v, "changes": changes})
            before = v.data
        rows.reverse()  # newest first
        latest = versions[-1].data
        return staff_page(
            staff,
            "staff/endorsement_history.html",
            active="endorsements",
            endorsement_id=endorsement_id,
            title=f"{latest.get('candidate')} · {latest.get('office')}",
            rows=rows,
            labels=_LABELS,
        )

    @post("/visibility", guards=[requires_staff("editor")], status_code=303)
    async def visibility(self, conn: Conn, staff: Staff, request: Request) -> Response:
        from endorse.elections.visibility import set_visibility

        form = await request.form()
        slug, stage = str(form.get("election", "")), str(form.get("stage", ""))
        value = str(form.get("visibility", ""))
        try:
            changed = await set_visibility(conn, slug, stage, value, actor=staff.actor)
        except DomainError as exc:
            await flash(conn, staff, f"Not changed: {exc}")
        else:
            word = "public: anyone can now see" if value == "public" else "private: only staff see"
            if changed:
                await flash(conn, staff, f"The {stage} stage is {word} its endorsements.")
        back = str(form.get("back", "")) or "/staff/endorsements?" + urlencode(
            {"election": slug, "stage": stage}
        )
        return Redirect(
            back if back.startswith("/staff/") else "/staff/endorsements", status_code=303
        )


_LABELS = {
    "election": "Election",
    "stage": "Stage",
    "office": "Office",
    "district": "District",
    "candidate": "Candidate",
    "party": "Party",
    "stage_id": "Stage (id)",
    "body_id": "Endorsed by",
    "endorsed_on": "Endorsed on",
    "notes": "Notes",
    "late_ok": "Late, kept anyway",
    "rescinded_on": "Rescinded on",
    "rescind_reason": "Rescind reason",
    "candidacy_id": "Matched ballot candidacy",
    "match_method": "Match method",
    "deleted_at": "Deleted",
}
_SHOWN = tuple(_LABELS)

ROUTES = [EndorsementPages]
