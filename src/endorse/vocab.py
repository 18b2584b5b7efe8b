"""One election vocabulary: canonical office names, levels and district forms.

Sources and staff spell the same office many ways ("State Senator", "State Senate",
"Connecticut State Senate"); every table stores the canonical form so a contest created by an
import and one created by an ingest are the same row.
"""

from __future__ import annotations

import re

LEVELS = (
    "federal",
    "statewide",
    "state_senate",
    "state_house",
    "county",
    "municipal",
    "school_board",
    "other",
)

# alias (lower-case, punctuation stripped) -> (canonical office, level)
_OFFICES: dict[str, tuple[str, str]] = {}


def _alias(office: str, level: str, *aliases: str) -> None:
    for name in (office, *aliases):
        _OFFICES[_key(name)] = (office, level)


def _key(text: str) -> str:
    text = re.sub(r"[.,]", "", text.lower())
    text = re.sub(r"\b(connecticut|ct)\b", "", text)
    return re.sub(r"\s+", " ", text).strip()


_alias(
    "President",
    "federal",
    "President of the United States",
    "Presidential Electors",
    "Presidential Electors for",
    "US President",
)
_alias(
    "U.S. Senate",
    "federal",
    "United States Senator",
    "US Senator",
    "US Senate",
    "United States Senate",
    "Senator in Congress",
)
_alias(
    "U.S. House",
    "federal",
    "Representative in Congress",
    "US House",
    "US Representative",
    "United States Representative",
    "Congress",
    "US Congress",
)
_alias("Governor", "statewide", "Governor and Lieutenant Governor", "Gov")
_alias("Lieutenant Governor", "statewide", "Lt Governor")
_alias("Attorney General", "statewide")
_alias("Secretary of the State", "statewide", "Secretary of State")
_alias("State Treasurer", "statewide", "Treasurer")
_alias("State Comptroller", "statewide", "Comptroller")
_alias("State Senate", "state_senate", "State Senator", "Senate", "State Senator District")
_alias(
    "State House",
    "state_house",
    "State Representative",
    "State Rep",
    "House of Representatives",
    "Representative in General Assembly",
    "General Assembly",
)
_alias("Judge of Probate", "county", "Probate Judge")
_alias("Registrar of Voters", "municipal")
_alias("Mayor", "municipal", "First Selectman", "First Selectperson")
_alias("Board of Selectmen", "municipal", "Selectman", "Board of Selectpersons")
_alias("Town Council", "municipal", "City Council", "Common Council", "Council")
_alias("Board of Finance", "municipal")
_alias(
    "Board of Education",
    "school_board",
    "School Board",
    "Board of Ed",
    "BOE",
    "Regional Board of Education",
)


def canonical_office(name: str) -> tuple[str, str]:
    """(canonical office, level) for an office as typed or published; unknown names pass through."""
    key = _key(name)
    if key in _OFFICES:
        return _OFFICES[key]
    # "State Senator 1st District", "Board of Education - Hartford": try the leading words
    for alias in sorted(_OFFICES, key=len, reverse=True):
        if key.startswith(alias + " "):
            return _OFFICES[alias]
    return (re.sub(r"\s+", " ", name).strip(), "other")


_DISTRICT = re.compile(r"(?i)^(?:district|dist\.?|d)\s*|(?:st|nd|rd|th)?\s*district$")


def normalize_district(text: str | None) -> str:
    """'001', 'District 1', '1st District' -> '1'; non-numeric districts keep their words."""
    if text is None:
        return ""
    value = _DISTRICT.sub("", text.strip()).strip()
    ordinal = re.fullmatch(r"(?i)(\d+)(?:st|nd|rd|th)?", value)
    if ordinal:
        return str(int(ordinal.group(1)))
    return re.sub(r"\s+", " ", value)
