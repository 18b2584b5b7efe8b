"""/staff/sources: every official-results source with its health; add, pause, resume, re-time,
release a quarantined payload with a note.

    GET  /staff/sources[?election=SLUG]
    POST /staff/sources                       add a source
    POST /staff/sources/{id}/pause | /resume
    POST /staff/sources/{id}/interval         form field `seconds`
    POST /staff/sources/{id}/release          form field `note`
    POST /staff/sources/held/{id}/accept      form field `note` (a held correction)

The same services as the API (endorse.results.sources, .source_edits, .release); audited under
the person's name.
"""

from __future__ import annotations

import json
from typing import Any, get_args

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from endorse.deps import Conn, ElectionQuery
from endorse.elections.schemas import STAGE_KINDS
from endorse.elections.service import UnknownElection, list_elections
from endorse.errors import Conflict, NotFound
from endorse.results import source_edits
from endorse.results.accept import NotAcceptable, accept, list_held
from endorse.results.release import NotReleasable, release
from endorse.results.renames import list_renames
from endorse.results.schemas import (
    CandidateRename,
    Format,
    HeldCorrection,
    SourceCreate,
    SourceEdit,
)
from endorse.results.sources import DuplicateSource, add_source, get_source, list_sources
from endorse.staff.respond import PAGE_ERRORS, is_htmx, respond
from endorse.staff.session import Staff, StaffUser, flash, requires_staff

PAGE, FRAGMENT = "staff/sources.html", "staff/_sources_area.html"
FORMATS = get_args(Format)


async def _page(
    request: Request, conn: Conn, staff: StaffUser, election: str | None, *, status: int = 200,
    **extra: Any,
) -> Template:  # fmt: skip
    elections = sorted(await list_elections(conn), key=lambda e: e.election_date, reverse=True)
    known = {e.slug for e in elections}
    shown = election if election in known else None
    sources = await list_sources(conn, shown)
    held: dict[int, list[HeldCorrection]] = {}
    for x in await list_held(conn, election=shown):
        held.setdefault(x.source_id, []).append(x)
    renames: dict[int, list[CandidateRename]] = {}
    for r in await list_renames(conn, election=shown):
        renames.setdefault(r.source_id, []).append(r)
    context = {"active": "sources", "elections": elections, "election": shown, "sources": sources,
               "held": held, "renames": renames, "formats": FORMATS, "stages": STAGE_KINDS, "errors": {}, "add": {},
               "default_seconds": request.app.state.settings.poll_seconds} | extra  # fmt: skip
    return respond(request, staff, PAGE, FRAGMENT, status=status, **context)


async def _done(
    request: Request, conn: Conn, staff: StaffUser, election: str | None, message: str
) -> Response:
    if is_htmx(request):
        return await _page(request, conn, staff, election, ok_message=message)
    await flash(conn, staff, message)
    url = f"/staff/sources?election={election}" if election else "/staff/sources"
    return Redirect(url, status_code=303)


def _field_of(error: msgspec.ValidationError) -> str:
    text = str(error)
    for name in ("format", "url", "stage", "schedule_seconds", "mapping"):
        if f"$.{name}" in text:
            return name
    return "url"


class SourcePages(Controller):
    path = "/staff/sources"
    guards = [requires_staff("viewer")]
    include_in_schema = False
    exception_handlers = PAGE_ERRORS

    @get("/")
    async def index(
        self, request: Request, conn: Conn, staff: Staff, election: ElectionQuery = None
    ) -> Template:
        return await _page(request, conn, staff, election)

    @post("/", guards=[requires_staff("editor")])
    async def add(self, request: Request, conn: Conn, staff: Staff, state: State) -> Response:
        form = await request.form()
        add = {k: str(form.get(k) or "").strip() for k in
               ("election", "stage", "format", "url", "seconds", "mapping", "shown")}  # fmt: skip
        errors: dict[str, str] = {}
        value: dict[str, Any] = {"format": add["format"], "url": add["url"], "stage": add["stage"]}
        if add["seconds"]:
            if add["seconds"].isdigit():
                value["schedule_seconds"] = int(add["seconds"])
            else:
                errors["seconds"] = "A whole number of seconds (5 to 86400), or empty."
        if add["mapping"]:
            try:
                value["mapping"] = json.loads(add["mapping"])
            except ValueError:
                errors["mapping"] = 'Not JSON: write an object like {"duplicates": "sum"}.'
        data = None
        if not errors:
            try:
                data = msgspec.convert(value, SourceCreate)
            except msgspec.ValidationError as exc:
                field = _field_of(exc)
                errors["seconds" if field == "schedule_seconds" else field] = str(exc)
        if data is not None:
            try:
                source = await add_source(
                    conn, add["election"], data, default_seconds=state.settings.poll_seconds,
                    actor=staff.actor,
                )  # fmt: skip
            except UnknownElection as exc:
                errors["stage" if str(exc).startswith("stage") else "election"] = str(exc)
            except DuplicateSource as exc:
                errors["url"] = str(exc).removeprefix("url: ")
            except ValueError as exc:
                errors["mapping" if str(exc).startswith("mapping") else "format"] = str(exc)
        if errors:
            return await _page(
                request, conn, staff, add["shown"] or None, status=400, errors=errors, add=add
            )
        return await _done(
            request, conn, staff, add["shown"] or None,
            f"Source {source.id} added: {source.format} every {source.schedule_seconds} s.",
        )  # fmt: skip

    @post("/{source_id:int}/pause", guards=[requires_staff("editor")])
    async def pause(
        self, request: Request, conn: Conn, staff: Staff, source_id: FromPath[int]
    ) -> Response:
        return await _edit(request, conn, staff, source_id, SourceEdit(enabled=False), "paused")

    @post("/{source_id:int}/resume", guards=[requires_staff("editor")])
    async def resume(
        self, request: Request, conn: Conn, staff: Staff, source_id: FromPath[int]
    ) -> Response:
        return await _edit(request, conn, staff, source_id, SourceEdit(enabled=True), "resumed")

    @post("/{source_id:int}/interval", guards=[requires_staff("editor")])
    async def interval(
        self, request: Request, conn: Conn, staff: Staff, source_id: FromPath[int]
    ) -> Response:
        form = await request.form()
        raw = str(form.get("seconds") or "").strip()
        if not raw.isdigit() or not 5 <= int(raw) <= 86400:
            return await _page(
                request, conn, staff, str(form.get("shown") or "") or None, status=400,
                errors={f"seconds-{source_id}": "A whole number of seconds from 5 to 86400."},
                values={f"seconds-{source_id}": raw},
            )  # fmt: skip
        edit = SourceEdit(schedule_seconds=int(raw))
        return await _edit(request, conn, staff, source_id, edit, f"now polled every {raw} s")

    @post("/{source_id:int}/release", guards=[requires_staff("editor")])
    async def release(
        self, request: Request, conn: Conn, staff: Staff, source_id: FromPath[int]
    ) -> Response:
        form = await request.form()
        shown = str(form.get("shown") or "") or None
        note = " ".join(str(form.get("note") or "").split())
        if len(note) < 3:
            return await _page(
                request, conn, staff, shown, status=400,
                errors={f"note-{source_id}": "Say why this payload is right (a recanvass, a "
                        "corrected feed): 3 characters or more."},
                values={f"note-{source_id}": note},
            )  # fmt: skip
        problem = None
        try:
            await get_source(conn, source_id)
            result = await release(conn, source_id, note=note[:2000], actor=staff.actor)
        except NotFound as exc:
            raise NotFoundException(str(exc)) from None
        except NotReleasable as exc:
            problem = f"Nothing applied: {exc}."
        else:
            if result.outcome == "busy":
                problem = "Nothing applied: a poll holds this source right now; try again."
        if problem:
            return await _page(
                request, conn, staff, shown, status=409, problem=problem,
                values={f"note-{source_id}": note},
            )  # fmt: skip
        return await _done(
            request, conn, staff, shown, f"Source {source_id}: quarantined payload applied."
        )

    @post("/held/{held_id:int}/accept", guards=[requires_staff("editor")])
    async def accept_held(
        self, request: Request, conn: Conn, staff: Staff, held_id: FromPath[int]
    ) -> Response:
        form = await request.form()
        shown = str(form.get("shown") or "") or None
        note = " ".join(str(form.get("note") or "").split())
        key = f"held-note-{held_id}"
        if len(note) < 3:
            return await _page(
                request, conn, staff, shown, status=400,
                errors={key: "Say why the lower count is right (a recanvass, a corrected "
                        "upload): 3 characters or more."},
                values={key: note},
            )  # fmt: skip
        try:
            done = await accept(conn, held_id, note=note[:2000], actor=staff.actor)
        except NotFound as exc:
            raise NotFoundException(str(exc)) from None
        except (NotAcceptable, Conflict) as exc:
            return await _page(
                request, conn, staff, shown, status=409, problem=f"Nothing applied: {exc}.",
                values={key: note},
            )  # fmt: skip
        return await _done(
            request, conn, staff, shown,
            f"Held correction {held_id} accepted: {done.label} applied.",
        )  # fmt: skip


async def _edit(
    request: Request, conn: Conn, staff: StaffUser, source_id: int, edit: SourceEdit, what: str
) -> Response:
    form = await request.form()
    try:
        await source_edits.edit_source(conn, source_id, edit, actor=staff.actor)
    except NotFound as exc:
        raise NotFoundException(str(exc)) from None
    return await _done(
        request, conn, staff, str(form.get("shown") or "") or None, f"Source {source_id} {what}."
    )


ROUTES = [SourcePages]
