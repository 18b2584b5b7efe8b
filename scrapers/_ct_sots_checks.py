"""CT SOTS parts that are not candidate votes: the official flag, ballot questions, and the
feed's own fusion sums (candidateGrouping) held against ours."""

from __future__ import annotations

from scrapers._common import to_int
from scrapers._ct_sots_shapes import Lookup, Question, Reports, Results
from scrapers.records import ContestNote, Measure

_TRUE = frozenset({"true", "t", "y", "yes", "1"})
_ANSWERS = frozenset({"yes", "no"})
STATEWIDE = "State Wide"  # the feed's own key for statewide questions

VotesBy = dict[tuple[str, str | None, str], int]  # (candidate, party line, unit) -> votes


def _flag(value: str | bool) -> bool:
    """The feed writes booleans as "True"/"False" strings."""
    return value if isinstance(value, bool) else value.strip().casefold() in _TRUE


def is_official(reports: Reports) -> bool:
    """reports.IO: the results are official (the towns' returns are in; not certification)."""
    return _flag(reports.IO)


def _count(value: str | int, where: str) -> int:
    # A question with nothing counted yet shows "-".
    if isinstance(value, str) and value.strip() in ("", "-"):
        return 0
    return to_int(value, where)


def _measure(place: str, question: Question) -> Measure:
    text = " ".join(question.QN.split())
    where = f"ct-sots ballotQuestion {place} {text[:40]!r}"
    return Measure(
        question=text,
        place=" ".join(place.split()),
        yes=_count(question.YES, f"{where} YES"),
        no=_count(question.NO, f"{where} NO"),
    )


def parse_measures(by_place: dict[str, list[Question]]) -> list[Measure]:
    """ballotQuestion: {"State Wide" | town: [{QN, YES, NO}]} -> one Measure per question."""
    return [_measure(place, q) for place, questions in by_place.items() for q in questions]


def question_rows(office: str, district: str | None, votes_by: VotesBy) -> list[Measure] | None:
    """An office whose only lines are "Yes" and "No" is a question: its Measure, else None."""
    answers: dict[str, int] = {}
    for (candidate, _party, _unit), votes in votes_by.items():
        answer = candidate.casefold()
        if answer not in _ANSWERS:
            return None
        answers[answer] = answers.get(answer, 0) + votes
    if not answers:
        return None
    place = district or STATEWIDE
    return [
        Measure(question=office, place=place, yes=answers.get("yes", 0), no=answers.get("no", 0))
    ]


def check_grouping(
    oid: str,
    office: str,
    district: str | None,
    votes_by: VotesBy,
    results: Results,
    lookup: Lookup,
) -> list[ContestNote]:
    """Our sum of a person's lines against the feed's candidateGrouping; a note per difference.

    candidateGrouping names the person by one of their line ids and gives all their lines
    summed. It covers only people with several lines, so it is a check, never a winner list.
    """
    notes = []
    for cell in results.candidateGrouping.get(oid, []):
        for cid, stated in cell.items():
            where = f"ct-sots candidateGrouping office {oid}[{cid}]"
            expected = to_int(stated.V, where)
            candidate = lookup.candidateIds.get(cid)
            name = " ".join(candidate.NM.split()) if candidate else None
            ours = sum(v for (who, _party, _unit), v in votes_by.items() if who == name)
            if name is None or ours != expected:
                detail = (
                    f"candidateGrouping gives {expected:,} for {name or 'id ' + cid}; "
                    f"the candidate's lines add to {ours:,}"
                )
                notes.append(ContestNote(office, district, "fusion_sum_mismatch", detail))
    return notes
