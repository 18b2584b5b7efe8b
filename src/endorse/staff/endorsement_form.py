"""The endorsement form: what staff typed -> the API's wire types, and errors -> the field.

Whatever was typed is kept as typed (strings), so a refused or conflicting save can show the
form again with nothing lost. Errors from any layer name their field first ("endorsed_on: ...",
the convention of every service), which is how they are put beside the right input here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import msgspec

from endorse.elections.schemas import STAGE_KINDS
from endorse.endorsements.schemas import EndorsementCreate, EndorsementUpdate, Rescind

# (form field, label) in the import file's column order; the labels are the page's contract
FIELDS: tuple[tuple[str, str], ...] = (
    ("election", "Election"),
    ("stage", "Stage"),
    ("office", "Office"),
    ("district", "District"),
    ("candidate", "Candidate"),
    ("party", "Party"),
    ("endorsed_by", "Endorsed by"),
    ("endorsed_on", "Endorsed on"),
    ("notes", "Notes"),
)
NAMES = tuple(name for name, _ in FIELDS)
REQUIRED = ("election", "stage", "office", "candidate", "endorsed_by", "endorsed_on")
_AT = re.compile(r"at `\$\.(\w+)`")
_LEADING = re.compile(r"^(\w+): (.*)$", re.DOTALL)


class FormError(Exception):
    """Some fields are wrong: {field: message}."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def typed(form: Any, names: tuple[str, ...] = NAMES) -> dict[str, str]:
    """The submitted values as typed (missing -> "")."""
    out = {}
    for name in names:
        value = form.get(name, "")
        out[name] = value if isinstance(value, str) else ""
    return out


def _date(value: str, field: str, errors: dict[str, str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        errors[field] = "enter a date as YYYY-MM-DD, e.g. 2026-09-20"
        return None


def _convert(values: dict[str, Any], kind: type) -> Any:
    try:
        return msgspec.convert(values, kind, strict=False)
    except msgspec.ValidationError as exc:
        text = str(exc)
        found = _AT.search(text)
        field = found.group(1) if found else "form"
        reason = text.split(" - at ")[0]
        if "length >= 1" in reason:
            reason = "must not be empty"
        elif "length <=" in reason:
            reason = (
                "is too long ("
                + reason.split("length <= ")[-1].rstrip("`")
                + " characters at most)"
            )
        elif "match pattern" in reason:
            reason = "contains a character that is not allowed"
        raise FormError({field: reason}) from None


def _checked(values: dict[str, str]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for name in REQUIRED:
        if not values.get(name, "").strip():
            errors[name] = "is required"
    if values.get("stage") and values["stage"] not in STAGE_KINDS:
        errors["stage"] = f"must be one of {', '.join(STAGE_KINDS)}"
    out: dict[str, Any] = {k: v.strip() if k != "notes" else v for k, v in values.items()}
    if values.get("endorsed_on", "").strip() and "endorsed_on" not in errors:
        out["endorsed_on"] = _date(values["endorsed_on"], "endorsed_on", errors)
    if errors:
        raise FormError(errors)
    return out


def to_create(values: dict[str, str]) -> EndorsementCreate:
    return _convert(_checked(values), EndorsementCreate)


def to_update(values: dict[str, str]) -> EndorsementUpdate:
    return _convert(_checked(values), EndorsementUpdate)


def to_rescind(values: dict[str, str]) -> Rescind:
    errors: dict[str, str] = {}
    if not values.get("reason", "").strip():
        errors["reason"] = "say why the endorsement is rescinded"
    day = _date(values.get("rescinded_on", ""), "rescinded_on", errors)
    if errors:
        raise FormError(errors)
    return _convert({"rescinded_on": day, "reason": values["reason"].strip()}, Rescind)


def field_errors(exc: Exception, known: tuple[str, ...] = NAMES) -> dict[str, str]:
    """A service's error ("field: message") as {field: message}; "form" when no field fits."""
    detail = str(exc)
    found = _LEADING.match(detail)
    if found and found.group(1) in (*known, "reason", "rescinded_on"):
        return {found.group(1): found.group(2)}
    if found and found.group(1) == "body":
        return {"endorsed_by": found.group(2)}
    return {"form": detail}
