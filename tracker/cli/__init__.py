"""The `tracker` command: with no subcommand it opens the app; subcommands script the store.

The group is defined here and names every command in one visible list (COMMANDS), with
the module that defines it; the command modules never import the group. A command's
module is imported when that command is looked up (run, or listed by --help), so
`tracker` alone, which opens the app, imports none of them; heavy imports (Textual,
dateparser) happen inside commands so `tracker --help` is instant. Every failure a user
can cause ends as one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path

import click

from tracker.cli.options import EXIT_ERROR, db_option, run_app, safe
from tracker.paths import resolve_db_path

# Each command's name and the function that defines it ("module:function"); --help
# lists them sorted by name, as click does.
COMMANDS: dict[str, str] = {
    "demo": "tracker.cli.importing:demo",
    "import": "tracker.cli.importing:import_cmd",
    "dates": "tracker.cli.importing:dates",
    "cases": "tracker.cli.timeline:cases",
    "events": "tracker.cli.timeline:events",
    "add": "tracker.cli.timeline:add",
    "tag": "tracker.cli.timeline:tag",
    "search": "tracker.cli.timeline:search",
    "export": "tracker.cli.timeline:export",
    "backup": "tracker.cli.admin:backup",
    "check": "tracker.cli.admin:check",
    "history": "tracker.cli.admin:history",
    "undo": "tracker.cli.admin:undo",
    "case": "tracker.cli.cases:case",
    "asof": "tracker.cli.cases:asof",
    "agenda": "tracker.cli.cases:agenda",
    "source": "tracker.cli.corrections:source",
    "event": "tracker.cli.corrections:event",
}


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's commands by name (click accepts any mapping there): a command's
    module is imported the first time the command is looked up, not when the group is."""

    def __init__(self, where: dict[str, str]) -> None:
        self._where = dict(where)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, attr = self._where[name].split(":")
            self._loaded[name] = getattr(importlib.import_module(module), attr)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._where.setdefault(name, "")
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._where[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


@click.group(invoke_without_command=True, commands=LazyCommands(COMMANDS),
             context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.version_option(package_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """Follow cases as timelines of dated, sourced events.

    With no command, opens the app on the database.
    """
    if ctx.invoked_subcommand is None:
        run_app(resolve_db_path(db))


def main() -> None:
    """Console entry point: turn store and OS errors into one line and exit 1."""
    from tracker.db import StoreError

    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (StoreError, sqlite3.Error, OSError, OverflowError) as exc:
        # OverflowError: a number too large for a date or for SQLite, from an input
        # no parameter type bounded: still one line, never a traceback.
        click.echo(f"error: {safe(str(exc))}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
