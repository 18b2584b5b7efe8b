"""`endorse races list|call|exclude|certify|incumbent|withdraw`: the staff decisions on top of
the scraped results (endorse.figures.decisions), each audited; `--undo` withdraws the one in
force for the same race, candidate or stage."""

from __future__ import annotations

import argparse

import asyncpg
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from endorse.cli.helpers import UsageError, actor, print_json, run_with_conn
from endorse.elections.schemas import STAGE_KINDS
from endorse.figures import decisions
from endorse.figures.decisions import Decision, DecisionCreate
from endorse.settings import Settings


async def _contest(conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    if args.contest is not None:
        return args.contest
    if not args.office:
        raise UsageError("contest: give --contest ID or --office (and --district, --party)")
    return await decisions.find_contest(
        conn, args.election, args.stage, args.office, args.district, args.party
    )


async def _candidacy(conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    if args.candidacy is not None:
        return args.candidacy
    if not args.candidate:
        raise UsageError("candidate: give --candidate NAME (as on the ballot) or --candidacy ID")
    return await decisions.find_candidacy(conn, await _contest(conn, args), args.candidate)


def _line(d: Decision) -> str:
    race = " ".join(filter(None, (d.office, d.district, d.contest_party)))
    what = {
        "call": f"{race} called for {d.candidate}",
        "exclude": f"{race} excluded: {d.reason}",
        "certify": f"{d.stage} certified",
        "incumbent": f"{d.candidate} ({race}) {'is' if d.incumbent else 'is not'} the incumbent",
    }[d.kind]
    state = f" (withdrawn by {d.withdrawn_by})" if d.withdrawn_at else ""
    return f"decision {d.id}: {what}{state}"


def _decide(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        kind = args.races_command
        contest = candidacy = None
        if kind == "exclude":
            contest = await _contest(conn, args)
        elif kind in ("call", "incumbent"):
            candidacy = await _candidacy(conn, args)
        if args.undo:
            found = await decisions.in_force(
                conn, args.election, kind, args.stage, contest_id=contest, candidacy_id=candidacy
            )
            done = await decisions.withdraw(conn, args.election, found.id, actor=actor())
        else:
            data = DecisionCreate(
                kind=kind,
                stage=args.stage,
                contest_id=contest,
                candidacy_id=candidacy,
                incumbent=not getattr(args, "no", False),
                reason=args.reason or "",
            )
            done = await decisions.decide(conn, args.election, data, actor=actor())
        print_json(done) if args.json else print(_line(done))
        return 0

    return run_with_conn(settings, work)


def _withdraw(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        done = await decisions.withdraw(conn, args.election, args.id, actor=actor())
        print_json(done) if args.json else print(_line(done))
        return 0

    return run_with_conn(settings, work)


def _list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        found = await decisions.list_decisions(conn, args.election, args.stage, everything=args.all)
        if args.json:
            print_json(found)
            return 0
        table = Table("id", "decision", "by", "at", title=f"staff decisions, {args.election}")
        for d in found:
            table.add_row(str(d.id), escape(_line(d).split(": ", 1)[1]), d.decided_by,
                          d.decided_at.strftime("%Y-%m-%d %H:%M"))  # fmt: skip
        Console().print(table if found else "no staff decisions in force")
        return 0

    return run_with_conn(settings, work)


def _common(p: argparse.ArgumentParser, *, stage_default: str | None = "general") -> None:
    p.add_argument("--election", required=True, metavar="SLUG")
    p.add_argument("--stage", default=stage_default, choices=STAGE_KINDS)
    p.add_argument("--json", action="store_true")


def _race(p: argparse.ArgumentParser) -> None:
    p.add_argument("--contest", type=int, metavar="ID", help="the contest id (or --office ...)")
    p.add_argument("--office", help="the office as written (canonical forms apply)")
    p.add_argument("--district", default="")
    p.add_argument("--party", default="", help="a primary's party")


def _undoable(p: argparse.ArgumentParser, reason_help: str) -> None:
    p.add_argument("--reason", help=reason_help)
    p.add_argument("--undo", action="store_true", help="withdraw the decision in force instead")
    p.set_defaults(handler=_decide)


def register(sub: argparse._SubParsersAction) -> None:
    races = sub.add_parser(
        "races", help="staff decisions: list | call | exclude | certify | incumbent | withdraw"
    )
    verbs = races.add_subparsers(dest="races_command", required=True, metavar="ACTION")

    listing = verbs.add_parser("list", help="the decisions in force (--all: withdrawn too)")
    _common(listing, stage_default=None)
    listing.add_argument("--all", action="store_true")
    listing.set_defaults(handler=_list)

    call = verbs.add_parser("call", help="call a race for a candidate, whatever the margin")
    _common(call)
    _race(call)
    call.add_argument("--candidate", help="the winner's name as on the ballot")
    call.add_argument("--candidacy", type=int, metavar="ID")
    _undoable(call, "why (kept with the decision)")

    exclude = verbs.add_parser("exclude", help="take a race out of the figures, with a reason")
    _common(exclude)
    _race(exclude)
    _undoable(exclude, "shown beside the race (required)")

    certify = verbs.add_parser("certify", help="mark a stage's results certified (recanvass done)")
    _common(certify)
    _undoable(certify, "e.g. the canvass report it rests on")

    inc = verbs.add_parser("incumbent", help="mark a candidate incumbent (--no: not incumbent)")
    _common(inc)
    _race(inc)
    inc.add_argument("--candidate", help="the name as on the ballot")
    inc.add_argument("--candidacy", type=int, metavar="ID")
    inc.add_argument("--no", action="store_true", help="the candidate is not the incumbent")
    _undoable(inc, "why (kept with the decision)")

    wd = verbs.add_parser("withdraw", help="withdraw a decision by id (undo)")
    wd.add_argument("id", type=int)
    wd.add_argument("--election", required=True, metavar="SLUG")
    wd.add_argument("--json", action="store_true")
    wd.set_defaults(handler=_withdraw)
