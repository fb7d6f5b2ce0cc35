"""`db roles init`, `db users add|list|set-role|disable|enable`: who may do what in a shared
PostgreSQL registry (``incubator.roles``)."""

from __future__ import annotations

import argparse
import getpass
import sys

from incubator.cli.common import add_command, open_db, table
from incubator.errors import ValidationError
from incubator.i18n import T, tr

ROLE_HELP = T("viewer (reads), staff (reads and writes the registry) or admin (schema and users)")


def register(db_sub) -> None:
    roles = add_command(db_sub, "roles", tr("the registry's group roles (PostgreSQL)"))
    roles_sub = roles.add_subparsers(dest="roles_command", metavar="ACTION", required=True)
    add_command(
        roles_sub,
        "init",
        tr(
            "create the groups viewer, staff and admin of this registry and give each its "
            "rights (run by the server's administrator; run again, it puts the rights right)"
        ),
        run_roles_init,
    )
    users = add_command(db_sub, "users", tr("the registry's users (PostgreSQL logins)"))
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = add_command(
        users_sub,
        "add",
        tr(
            "add the user NAME with a role; asks for the password (read from standard input "
            "when it is not a terminal)"
        ),
        run_users_add,
    )
    add.add_argument("name", metavar="NAME")
    add.add_argument(
        "--role", required=True, choices=("viewer", "staff", "admin"), help=tr(ROLE_HELP)
    )
    add.add_argument(
        "--no-password",
        action="store_true",
        help=tr(
            "no password: the server authenticates this user otherwise (e.g. peer, certificate)"
        ),
    )
    add_command(
        users_sub,
        "list",
        tr("list the users, their roles and whether they may log in"),
        run_users_list,
    )
    set_role = add_command(
        users_sub, "set-role", tr("give the user NAME another role"), run_set_role
    )
    set_role.add_argument("name", metavar="NAME")
    set_role.add_argument(
        "--role", required=True, choices=("viewer", "staff", "admin"), help=tr(ROLE_HELP)
    )
    password = add_command(
        users_sub,
        "password",
        tr(
            "give the user NAME a new password, asked for (read from standard input when it is "
            "not a terminal)"
        ),
        run_password,
    )
    password.add_argument("name", metavar="NAME")
    password.add_argument(
        "--no-password",
        action="store_true",
        help=tr(
            "no password: the server authenticates this user otherwise (e.g. peer, certificate)"
        ),
    )
    for action, help_text, handler in (
        (
            "disable",
            tr(
                "the user NAME may no longer log in, and their open sessions end where the "
                "server allows it (what they did stays)"
            ),
            run_disable,
        ),
        ("enable", tr("the user NAME may log in again"), run_enable),
    ):
        parser = add_command(users_sub, action, help_text, handler)
        parser.add_argument("name", metavar="NAME")


def run_roles_init(args: argparse.Namespace) -> int:
    from incubator import roles

    db = open_db(args, migrate=False)
    made = roles.init(db)
    groups = roles.groups(db)
    for group in made:
        print(tr("Created the group role {name}", name=group))
    print(
        tr(
            "{db}: {viewer} reads, {staff} reads and writes, {admin} owns the schema",
            db=db.describe(),
            viewer=groups.viewer,
            staff=groups.staff,
            admin=groups.admin,
        )
    )
    return 0


def _new_password(name: str) -> str:
    if not sys.stdin.isatty():  # a script: the first line of its input
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(tr("Password for {name}: ", name=name))
    if getpass.getpass(tr("The same password again: ")) != first:
        raise ValidationError.single("password", "the two passwords differ; nothing was changed")
    return first


def run_users_add(args: argparse.Namespace) -> int:
    from incubator import roles

    db = open_db(args, migrate=False)
    roles.groups(db)  # said before a password is asked for: a SQLite file has no users
    password = None if args.no_password else _new_password(args.name)
    roles.add_user(db, args.name, args.role, password)
    print(tr("{name} added as {role}", name=args.name, role=tr(roles.LABELS[args.role])))
    return 0


def run_users_list(args: argparse.Namespace) -> int:
    from incubator import roles

    db = open_db(args, migrate=False)
    rows = [
        (user.name, tr(roles.LABELS[user.role]), tr("yes") if user.enabled else tr("no (disabled)"))
        for user in roles.users(db)
    ]
    print(table(("User", "Role", "May log in"), rows))
    return 0


def run_set_role(args: argparse.Namespace) -> int:
    from incubator import roles

    db = open_db(args, migrate=False)
    roles.set_role(db, args.name, args.role)
    print(tr("{name} is now {role}", name=args.name, role=tr(roles.LABELS[args.role])))
    return 0


def _set_enabled(args: argparse.Namespace, enabled: bool) -> int:
    from incubator import roles

    db = open_db(args, migrate=False)
    sessions = roles.set_enabled(db, args.name, enabled)
    said = T("{name} may log in again") if enabled else T("{name} may no longer log in")
    print(tr(said, name=args.name))
    if sessions.ended:
        print(tr("{count} open session(s) of theirs ended", count=sessions.ended))
    if sessions.still_open:
        print(
            tr(
                "{count} session(s) of theirs still open go on until closed: a superuser of the "
                "server, or a member of pg_signal_backend, can end them",
                count=sessions.still_open,
            )
        )
    return 0


def run_disable(args: argparse.Namespace) -> int:
    return _set_enabled(args, False)


def run_enable(args: argparse.Namespace) -> int:
    return _set_enabled(args, True)


def run_password(args: argparse.Namespace) -> int:
    from incubator import roles

    db = open_db(args, migrate=False)
    roles.groups(db)  # said before a password is asked for: a SQLite file has no users
    roles.set_password(db, args.name, None if args.no_password else _new_password(args.name))
    print(tr("{name}'s password is changed", name=args.name))
    return 0
