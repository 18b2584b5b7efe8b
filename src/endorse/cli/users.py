"""`endorse users create|list|disable|enable|role`: named staff accounts for the /staff pages.

The password is read from standard input when it is not a terminal (scripts: `echo pw | endorse
users create ...`), prompted twice otherwise; it is never an argument, so it stays out of shell
history and `ps`.
"""

from __future__ import annotations

import argparse
import getpass
import sys

import asyncpg

from endorse.auth.tokens import ROLES
from endorse.cli.helpers import Handler, UsageError, actor, answer, print_json, run_with_conn
from endorse.settings import Settings
from endorse.users import service


def _password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise UsageError("password: the two entries differ")
    return first


def _create(args: argparse.Namespace, settings: Settings) -> int:
    password = _password()

    async def work(conn: asyncpg.Connection) -> int:
        user_id = await service.create_user(
            conn, name=args.name, role=args.role, password=password, actor=actor()
        )
        return answer(
            {"id": user_id, "name": args.name, "role": args.role},
            args.json,
            f"created account {args.name!r} ({args.role})",
        )

    return run_with_conn(settings, work)


def _list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        users = await service.list_users(conn)
        if args.json:
            print_json(users)
            return 0
        for u in users:
            state = "disabled" if u.disabled_at else "active"
            last = u.last_sign_in_at.strftime("%Y-%m-%d %H:%M") if u.last_sign_in_at else "never"
            print(f"{u.name:<30} {u.role:<7} {state:<9} last sign-in {last}")
        if not users:
            print("no accounts yet: endorse users create --name NAME --role editor")
        return 0

    return run_with_conn(settings, work)


def _switch(disabled: bool) -> Handler:
    def handler(args: argparse.Namespace, settings: Settings) -> int:
        async def work(conn: asyncpg.Connection) -> int:
            changed = await service.set_disabled(conn, args.name, disabled=disabled, actor=actor())
            word = "disabled" if disabled else "enabled"
            print(f"{args.name}: {word}" + ("" if changed else " already"))
            return 0

        return run_with_conn(settings, work)

    return handler


def _role(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        changed = await service.set_role(conn, args.name, args.role, actor=actor())
        print(f"{args.name}: {args.role}" + ("" if changed else " already"))
        return 0

    return run_with_conn(settings, work)


def register(sub: argparse._SubParsersAction) -> list[str]:
    users = sub.add_parser("users", help="staff accounts for the web pages (password on stdin)")
    actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create an account (password from stdin/prompt)")
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--json", action="store_true")
    create.set_defaults(handler=_create)
    listing = actions.add_parser("list", help="every account with its role and state")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
    for name, disabled in (("disable", True), ("enable", False)):
        p = actions.add_parser(name, help=f"{name} an account (disable signs it out everywhere)")
        p.add_argument("name")
        p.set_defaults(handler=_switch(disabled))
    role = actions.add_parser("role", help="change an account's role")
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(handler=_role)
    return ["users"]
