"""`endorse match`, `endorse review list|confirm|reject`, `endorse stats`, `endorse figures
reproduce` -- thin over the services."""

from __future__ import annotations

import argparse
from typing import Any, get_args

import asyncpg
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from endorse.cli.helpers import actor, print_json, run_with_conn
from endorse.elections.schemas import STAGE_KINDS
from endorse.figures import published, stats
from endorse.figures.schemas import StageParam
from endorse.matching import review
from endorse.matching import run as matching
from endorse.matching.schemas import MatchReport
from endorse.settings import Settings

STAGES = get_args(StageParam)
console = Console()


def _match(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        with console.status(f"matching endorsements of {args.election} ...", spinner="dots"):
            reports = await matching.match_election(
                conn, args.election, stage=args.stage, actor=actor()
            )
        if args.json:
            print_json(reports)
        else:
            for report in reports:
                _print_report(report)
        return 0

    return run_with_conn(settings, work)


def _print_report(report: MatchReport) -> None:
    console.print(
        f"[bold]{report.election} {report.stage}[/]: {report.endorsements} endorsements, "
        f"{report.matched} matched, {len(report.changed)} changed by this run, "
        f"{len(report.review)} waiting for review, {len(report.unmatched)} unmatched"
    )
    if report.review:
        table = Table(
            "endorsement", "typed", "ballot", "office", "score", title="waiting for review"
        )
        for item in report.review:
            where = f"{item.office} {item.district}".strip()
            table.add_row(
                str(item.endorsement_id),
                item.candidate,
                item.ballot_name,
                where,
                str(item.score),
            )
        console.print(table)
    if report.unmatched:
        table = Table("endorsement", "typed", "office", "why", title="unmatched (not counted)")
        for u in report.unmatched:
            table.add_row(
                str(u.endorsement_id),
                u.candidate,
                f"{u.office} {u.district}".strip(),
                u.reason,
            )
        console.print(table)


def _review(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        result: Any
        if args.review_command == "list":
            status = None if args.status == "any" else args.status
            result = await review.list_reviews(conn, status=status, election=args.election)
        else:
            result = await review.decide(
                conn, args.id, confirm=args.review_command == "confirm", actor=actor()
            )
        if args.json:
            print_json(result)
            return 0
        items = result if isinstance(result, list) else [result]
        table = Table("id", "status", "election", "typed", "ballot", "office", "score")
        for i in items:
            table.add_row(
                str(i.id),
                i.status,
                f"{i.election} {i.stage}",
                i.candidate,
                i.ballot_name,
                f"{i.office} {i.district}".strip(),
                str(i.score),
            )
        console.print(table if items else "nothing waits for review")
        return 0

    return run_with_conn(settings, work)


def _stats(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        result = await stats.get_stats(conn, args.election, args.stage)
        if args.json:
            print_json(result)
            return 0
        console.print(result.sentence)
        table = Table("figure", "won", "lost", "rate", "pending", "range")
        v = result.variants
        rows = [
            ("headline", result.headline),
            ("contested", v.contested),
            ("non-incumbents, contested", v.non_incumbents_contested),
            ("incumbents", v.incumbents),
            ("non-incumbents", v.non_incumbents),
            ("close races", v.close),
        ]
        rows += [(f"level: {r.key}", r) for r in v.by_level]
        rows += [(f"body: {r.key}", r) for r in v.by_body]
        for name, r in rows:
            pct = "-" if r.percent is None else f"{r.percent}%"
            span = "" if not r.pending else f"{r.low}%-{r.high}%"
            table.add_row(name, str(r.won), str(r.lost), f"{r.text} ({pct})", str(r.pending), span)
        console.print(table)
        ex = result.excluded
        console.print(
            f"not counted: {ex.unmatched} unmatched, {ex.withdrew} withdrew, "
            f"{ex.rescinded} rescinded, {ex.late} late; as of {result.as_of or 'no results yet'}; "
            f"rules {result.rule_version}"
        )
        return 0

    return run_with_conn(settings, work)


def _reproduce(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 when the figure reproduces from its stored snapshots, 1 when it does not."""

    async def work(conn: asyncpg.Connection) -> int:
        with console.status(f"reproducing figure {args.id} ...", spinner="dots"):
            result = await published.reproduce(conn, args.id)
        if args.json:
            print_json(result)
        elif result.matches:
            console.print(
                f"figure {args.id} reproduces from snapshots {result.snapshot_ids or 'none'}"
            )
        else:
            table = Table("what", "published", "reproduced", title=f"figure {args.id} differs")
            for d in result.differences:
                table.add_row(*(escape(str(v)) for v in (d.what, d.published, d.reproduced)))
            console.print(table)
        return 0 if result.matches else 1

    return run_with_conn(settings, work)


def register(sub: argparse._SubParsersAction) -> None:
    match = sub.add_parser("match", help="match endorsements to ballot candidates")
    match.add_argument("--election", required=True, metavar="SLUG")
    match.add_argument("--stage", choices=STAGE_KINDS, help="one stage only (default: all)")
    match.add_argument("--json", action="store_true")
    match.set_defaults(handler=_match)

    rev = sub.add_parser("review", help="the match review queue: list | confirm ID | reject ID")
    actions = rev.add_subparsers(dest="review_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="review items (default: open ones)")
    listing.add_argument(
        "--status", default="open", choices=["open", "confirmed", "rejected", "stale", "any"]
    )
    listing.add_argument("--election", metavar="SLUG")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_review)
    for name, text in (("confirm", "this is the same person"), ("reject", "not the same person")):
        decide = actions.add_parser(name, help=text)
        decide.add_argument("id", type=int)
        decide.add_argument("--json", action="store_true")
        decide.set_defaults(handler=_review)

    st = sub.add_parser("stats", help="win rates for an election stage")
    st.add_argument("--election", required=True, metavar="SLUG")
    st.add_argument(
        "--stage",
        default="general",
        choices=STAGES,
        help="default general; 'all' pools the stages, and says so",
    )
    st.add_argument("--json", action="store_true")
    st.set_defaults(handler=_stats)

    figures = sub.add_parser("figures", help="published figures: reproduce ID")
    verbs = figures.add_subparsers(dest="figures_command", required=True, metavar="ACTION")
    rep = verbs.add_parser("reproduce", help="re-compute a figure from its stored snapshots")
    rep.add_argument("id", type=int)
    rep.add_argument("--json", action="store_true")
    rep.set_defaults(handler=_reproduce)
