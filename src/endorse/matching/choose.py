"""Which ballot candidate an endorsement means: contest first, then the name. Pure functions.

Contest: the endorsement's office and district as endorse.vocab.contest_identity gives them,
the rule contests are stored under ("Board of Education - Darien" is Darien's board); in a
primary, the endorsement's party picks the party's contest when given (parties compared in
endorse.vocab.canonical_party form: "DEM", "Democratic Party" and "Democratic" are one
party), else every party's contest for that office is searched and the names decide.

Candidate: remembered decisions first (a confirmation matches, a rejection never proposes that
candidate again), then names.score(). At or above AUTO with no runner-up within AMBIGUOUS
points: matched automatically. At or above REVIEW: a person decides. Below: unmatched.
"""

from __future__ import annotations

from dataclasses import dataclass

from endorse.matching.names import Nicknames, fold, parse_name, person_key, score
from endorse.vocab import canonical_party, contest_identity

AUTO = 92  # "Bill Tong"/"William Tong" 98, "J. Fonfara"/"John W. Fonfara" 95
REVIEW = 75  # "John Smyth"/"John Smith" 88, a surname alone 88, two middle initials 90
AMBIGUOUS = 5  # "J. Smith" in a contest with John and Jane Smith goes to a person

Decisions = dict[tuple[str, str, str, str], str]  # (typed key, ballot key, office, district)


def contest_key(office: str, district: str | None) -> tuple[str, str]:
    """(canonical office, normalized district) as contests store them (endorse.vocab)."""
    canonical, _level, normalized = contest_identity(office, district)
    return canonical, normalized


def party_key(party: str) -> str:
    """'Democratic Party' / 'DEM' / 'democratic' -> 'democratic' (the canonical line, folded)."""
    return fold(canonical_party(party))


@dataclass(frozen=True)
class BallotEntry:
    candidacy_id: int
    ballot_name: str
    party: str  # the contest's primary party ('' outside primaries)


@dataclass(frozen=True)
class Choice:
    candidacy_id: int | None  # what the endorsement should point at (None: nothing yet)
    method: str | None  # 'auto' | 'confirmed' (a remembered confirmation) | None
    score: int
    ballot_name: str
    review: bool  # a person should confirm candidacy `review_id`
    review_id: int | None
    reason: str


def contest_pool(entries: list[BallotEntry], party: str, primary: bool) -> list[BallotEntry]:
    """The candidates of the contest(s) an endorsement can mean, by primary party."""
    if not primary or not party.strip():
        return entries
    wanted = party_key(party)
    return [e for e in entries if party_key(e.party) == wanted]


def choose(
    candidate: str,
    office: str,
    district: str,
    pool: list[BallotEntry],
    decisions: Decisions,
    nicknames: Nicknames,
) -> Choice:
    """The decision for one endorsement among the candidates of its contest."""
    typed, typed_key = parse_name(candidate), person_key(candidate)
    scored: list[tuple[int, BallotEntry]] = []
    for entry in pool:
        remembered = decisions.get((typed_key, person_key(entry.ballot_name), office, district))
        if remembered == "confirmed":
            return Choice(
                entry.candidacy_id,
                "confirmed",
                100,
                entry.ballot_name,
                False,
                None,
                "confirmed by a person before",
            )
        if remembered != "rejected":
            scored.append((score(typed, entry.ballot_name, nicknames), entry))
    scored.sort(key=lambda pair: (-pair[0], pair[1].candidacy_id))
    if not scored or scored[0][0] < REVIEW:
        best = f" (best {scored[0][1].ballot_name!r}, {scored[0][0]})" if scored else ""
        return Choice(
            None,
            None,
            scored[0][0] if scored else 0,
            "",
            False,
            None,
            f"no candidate on the ballot is close enough{best}",
        )
    top, entry = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0
    if top >= AUTO and top - runner_up > AMBIGUOUS:
        return Choice(
            entry.candidacy_id,
            "auto",
            top,
            entry.ballot_name,
            False,
            None,
            f"matched automatically (score {top})",
        )
    why = "two candidates score alike" if top >= AUTO else f"score {top} needs a person"
    return Choice(None, None, top, entry.ballot_name, True, entry.candidacy_id, why)
