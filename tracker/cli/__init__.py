"""The `tracker` command: with no subcommand it opens the app; subcommands script the store.

The group is defined here and adds every command in one visible list (COMMANDS); the
command modules never import it. Heavy imports (Textual, dateparser) happen inside
commands so `tracker --help` is instant. Every failure a user can cause ends as one
line on stderr and a non-zero exit.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from tracker.cli import admin, cases, corrections, importing, timeline
from tracker.cli.options import EXIT_ERROR, db_option, run_app, safe
from tracker.paths import resolve_db_path


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.version_option(package_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """Follow cases as timelines of dated, sourced events.

    With no command, opens the app on the database.
    """
    if ctx.invoked_subcommand is None:
        run_app(resolve_db_path(db))


COMMANDS: list[click.Command] = [
    importing.demo,
    importing.import_cmd,
    importing.dates,
    timeline.cases,
    timeline.events,
    timeline.add,
    timeline.tag,
    timeline.search,
    timeline.export,
    admin.backup,
    admin.check,
    admin.history,
    admin.undo,
    cases.case,
    cases.asof,
    cases.agenda,
    corrections.source,
    corrections.event,
]
for command in COMMANDS:
    cli.add_command(command)


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
