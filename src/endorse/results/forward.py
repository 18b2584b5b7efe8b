"""Time runs forward: a payload older than what its source last applied is not applied.

Feeds roll back: a CDN edge serves a cached Version.json, a county re-uploads yesterday's
export, a mirror lags the origin. Such a payload would replace newer totals with older ones,
so it is kept and quarantined (visible on the source, releasable by a person with a note),
never applied. "Older" is what the source itself says: a smaller version number (CT SOTS
Version.json, Clarity current_ver.txt) or an earlier as-of time (Clarity's Timestamp). Versions
that are not numbers cannot be ordered and are not compared; formats that state neither
(OpenElections CSV, most HTML pages) rely on the per-contest checks (endorse.results.held).
"""

from __future__ import annotations

import datetime as dt


def _older_version(version: str | None, applied: str | None) -> bool:
    if not version or not applied:
        return False
    if not (version.strip().isdigit() and applied.strip().isdigit()):
        return False
    return int(version) < int(applied)


def backwards(
    *,
    version: str | None,
    as_of: dt.datetime | None,
    applied_version: str | None,
    applied_as_of: dt.datetime | None,
) -> str | None:
    """Why this payload is older than the source's last applied one, or None when it is not."""
    if _older_version(version, applied_version):
        return (
            f"version went backwards: {version} after {applied_version} was applied; "
            "the newer totals stay (release with a note if the source really rolled back)"
        )
    if as_of is not None and applied_as_of is not None and as_of < applied_as_of:
        return (
            f"as-of time went backwards: {as_of.isoformat()} after "
            f"{applied_as_of.isoformat()} was applied; the newer totals stay "
            "(release with a note if the source really rolled back)"
        )
    return None
