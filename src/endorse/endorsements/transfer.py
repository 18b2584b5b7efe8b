"""/api/v1/endorsements/import and /export: the spreadsheet way in and out.

POST /import takes the file as the raw body (text/csv, or XLSX: recognised by its zip
signature whatever the Content-Type says). Query options:
  dry_run=1   check and report, write nothing (200 with the per-row report)
  late_ok=1   accept rows dated on/after their stage's election day (they will not count)
  map=Their Header:column,Other:-   rename the file's headers to ours ("-" skips a column)
A real run with any row error answers 422 with the same report and writes nothing.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, QueryParameter

from endorse.auth.guards import requires
from endorse.deps import Authed, Conn, ElectionQuery
from endorse.endorsements import exporter
from endorse.endorsements.importer import import_file
from endorse.endorsements.schemas import NO_NUL, ImportReport


class EndorsementFileController(Controller):
    path = "/api/v1/endorsements"
    tags = ["endorsements"]

    @post(
        "/import",
        operation_id="importEndorsements",
        guards=[requires("editor")],
        status_code=200,
        description=__doc__,
    )
    async def import_endorsements(
        self,
        request: Request,
        conn: Conn,
        principal: Authed,
        dry_run: FromQuery[bool] = False,
        late_ok: FromQuery[bool] = False,
        mapping: Annotated[
            str | None,
            QueryParameter(
                name="map", description="Their Header:column,...", max_length=4000, pattern=NO_NUL
            ),
        ] = None,
    ) -> Response[ImportReport]:
        data = await request.body()
        report = await import_file(
            conn,
            data,
            actor=principal.name,
            content_type=request.headers.get("content-type"),
            mapping=mapping,
            dry_run=dry_run,
            late_ok=late_ok,
        )
        return Response(report, status_code=200 if report.ok or dry_run else 422)

    @get("/export", operation_id="exportEndorsements", guards=[requires("viewer")], cache=False)
    async def export_endorsements(
        self,
        conn: Conn,
        fmt: Annotated[exporter.Format, QueryParameter(name="format")] = "csv",
        election: ElectionQuery = None,
    ) -> Response[bytes]:
        body = await exporter.export_bytes(conn, fmt, election)
        name = exporter.filename(fmt, election)
        return Response(
            body,
            media_type=exporter.MEDIA_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
