"""What anyone may read about a source's trouble: its state in our own words, never the error.

An error can quote what was fetched (a parse error shows the bad bytes; a fetch an editor or a
redirect pointed inward could return anything), so the public reads (the election's sources,
the contest page, the night page) say only that something is wrong and that the last good
numbers are shown. The details stay for signed-in readers: /api/v1/sources and staff pages.
A source URL is shown without what may be a secret: credentials before the host, the query
string (feeds behind an API key take it there) and the fragment.
"""

from __future__ import annotations

import msgspec

from endorse.results.schemas import Health, Source

# Read after "source 3 …" (the night page adds "Figures show the last good data").
PROBLEM = "had a problem at its last poll"
HELD = "has a payload held back for review"
REASONS: dict[Health, str] = {
    "degraded": "needs a look; the last good numbers are shown",
    "failing": "is not updating: its polls keep failing; the last good numbers are shown",
}


def public_url(url: str) -> str:
    """`https://user:key@host/path?key=…#x` -> `https://host/path`. Plain string cuts, never
    a URL parser: a stored URL a parser refuses ("https://[x") must not make a read fail
    (`make fuzz` registered one), and the SQL twin in sql/functions/rates.sql cuts the same."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    authority, slash, path = rest.partition("/")
    return f"{scheme}://{authority.rpartition('@')[2]}{slash}{path}"


def public(source: Source, *, full_url: bool = False) -> Source:
    """`source` with every error text replaced by a fixed phrase (health kept as it is), and
    its URL stripped to what cannot be a secret unless `full_url` (staff and scripts)."""
    return msgspec.structs.replace(
        source,
        url=source.url if full_url else public_url(source.url),
        last_error=PROBLEM if source.last_error else None,
        warning=HELD if source.warning else None,
        # healthy and paused reasons are fixed phrases of source_state already
        health_reason=REASONS.get(source.health, source.health_reason),
    )
