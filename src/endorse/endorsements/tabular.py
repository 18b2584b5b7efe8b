"""CSV/XLSX bytes -> rows of text cells under the canonical import header; formula escaping.

Row numbers are the spreadsheet's: the header is row 1, so "row 7" is what staff see in Excel.
Cells are text; a cell that would run as a formula in a spreadsheet is written with a leading
single quote, and reading strips that quote again, so export -> import is exact.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import msgspec

from endorse.errors import Invalid

CANONICAL = (
    "election",
    "stage",
    "office",
    "district",
    "candidate",
    "party",
    "endorsed_by",
    "endorsed_on",
    "notes",
)
# Exports write these; imports may. `version` is the endorsement's version when exported: an
# import row whose version is older than the stored one would undo a newer edit (a conflict).
# incumbent (sql/0080): the candidate is the incumbent; feeds the incumbent variants.
OPTIONAL = ("late_ok", "rescinded_on", "rescind_reason", "incumbent", "version")
EXPORT_HEADER = CANONICAL + OPTIONAL
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IGNORE = "-"  # map a column to "-" to skip it

_ZIP_MAGIC = b"PK\x03\x04"
_MAX_UNZIPPED = 200 * 1024 * 1024  # a small upload must not inflate into gigabytes (zip bomb)
# OWASP "CSV injection": a spreadsheet runs cells starting with these as formulas.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


class FileError(Invalid):
    """The file as a whole cannot be read (header, format); the message names what to fix."""


class Row(msgspec.Struct):
    number: int  # the spreadsheet's row number
    values: dict[str, str]  # column -> cell text (formula escapes undone)
    extra_cells: int = 0  # non-empty cells beyond the header's columns


class Table(msgspec.Struct):
    columns: list[str]  # canonical names present, in file order
    rows: list[Row]
    kind: str  # "csv" | "xlsx"


def escape_cell(value: str) -> str:
    """Quote-prefix a cell a spreadsheet would run as a formula (also one already quoted)."""
    return "'" + value if _FORMULA.match(value) else value


def unescape_cell(value: str) -> str:
    """Undo escape_cell: "'=x" -> "=x", "''=x" -> "'=x"; other cells are left alone."""
    return value[1:] if value.startswith("'") and _FORMULA.match(value) else value


def parse_mapping(spec: str | None) -> dict[str, str]:
    """`Candidate Name:candidate,Date:endorsed_on,Internal ID:-` -> {file header: column}."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        source, sep, target = part.rpartition(":")
        target = target.strip().lower()
        if not sep or not source.strip():
            raise FileError(f"map: {part.strip()!r} is not 'File Header:column'")
        if target not in EXPORT_HEADER and target != IGNORE:
            raise FileError(
                f"map: {target!r} is not a column; use one of {', '.join(EXPORT_HEADER)} or '-'"
            )
        mapping[_fold(source)] = target
    return mapping


def read_table(data: bytes, content_type: str | None, mapping: dict[str, str]) -> Table:
    if not data.strip():
        raise FileError("body: the file is empty; send CSV or XLSX with the header row")
    if data.startswith(_ZIP_MAGIC):
        grid, kind = _xlsx_grid(data), "xlsx"
    elif content_type and XLSX_TYPE in content_type:
        raise FileError("body: sent as XLSX but it is not a spreadsheet (no zip signature)")
    else:
        grid, kind = _csv_grid(data), "csv"
    if not grid:
        raise FileError("body: the file has no header row")
    columns = _header(grid[0][1], mapping)
    rows = []
    for number, cells in grid[1:]:
        if not any(c.strip() for c in cells):
            continue  # blank lines and the empty rows spreadsheets leave at the end
        values = {
            name: unescape_cell(cell)
            for name, cell in zip(columns, cells, strict=False)
            if name != IGNORE
        }
        extra = sum(1 for c in cells[len(columns) :] if c.strip())
        rows.append(Row(number, values, extra))
    return Table(columns=[c for c in columns if c != IGNORE], rows=rows, kind=kind)


def header_cells(data: bytes) -> list[str]:
    """The file's own header row as typed (for offering a column mapping); [] if unreadable."""
    try:
        grid = _xlsx_grid(data) if data.startswith(_ZIP_MAGIC) else _csv_grid(data)
    except FileError:
        return []
    cells = grid[0][1] if grid else []
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def _fold(text: str) -> str:
    return " ".join(text.split()).lower()


def _header(cells: list[str], mapping: dict[str, str]) -> list[str]:
    columns = [mapping.get(_fold(c), _fold(c).replace(" ", "_")) for c in cells]
    while columns and columns[-1] == "":
        columns.pop()  # trailing empty header cells (a spreadsheet's formatted columns)
    if any(undecodable(c) for c in cells):
        raise FileError("header: not UTF-8 text; save the file as 'CSV UTF-8'")
    unknown = [cells[i] for i, c in enumerate(columns) if c not in EXPORT_HEADER and c != IGNORE]
    missing = [c for c in CANONICAL if c not in columns]
    repeated = sorted({c for c in columns if c != IGNORE and columns.count(c) > 1})
    problems = []
    if missing:
        problems.append("missing column(s) " + ", ".join(missing))
    if unknown:
        problems.append("unknown column(s) " + ", ".join(repr(u) for u in unknown))
    if repeated:
        problems.append("repeated column(s) " + ", ".join(repeated))
    if problems:
        raise FileError(
            "header: " + "; ".join(problems) + f". Expected {','.join(CANONICAL)}"
            f" (optional {','.join(OPTIONAL)}); map other headers with"
            " map=Their Header:column, or map=Their Header:- to skip a column"
        )
    return columns


def undecodable(text: str) -> bool:
    """True when the cell held bytes that are not UTF-8 (kept as surrogate escapes)."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _csv_grid(data: bytes) -> list[tuple[int, list[str]]]:
    # surrogateescape keeps bad bytes in place, so the report can name their row and column
    text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise FileError(f"row {reader.line_num}: not readable as CSV ({exc})") from None


def _xlsx_grid(data: bytes) -> list[tuple[int, list[str]]]:
    import openpyxl  # imported here: only uploads that are spreadsheets pay for it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > _MAX_UNZIPPED:
                raise FileError("body: the spreadsheet unpacks to more than 200 MB")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except FileError:
        raise
    except Exception:
        raise FileError("body: not a readable XLSX spreadsheet") from None
    try:
        sheet = book.worksheets[0]
        return [
            (number, [_cell_text(v) for v in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # district 1 typed as a number comes back as 1.0
    return str(value)
