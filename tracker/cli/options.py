"""What every command shares: the --db, --json and filter options, the parameter types
(`IsoDay`, `CaseRef`), a decorator that opens and closes the store, and output helpers.

Command modules import from here, never the group: the group (tracker/cli/__init__.py)
imports them and adds their commands in one list.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tracker.completion import complete_tag
from tracker.paths import resolve_db_path

if TYPE_CHECKING:
    from tracker.export import Filters
    from tracker.models import Event
    from tracker.store import Store

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_ERROR, EXIT_PARTIAL = 0, 1, 2


def safe(text: str) -> str:
    """Text for the terminal: control characters (escape sequences) and bidirectional
    overrides become spaces, so no file name or title can drive or reorder the screen."""
    from tracker.text import scrub

    return scrub(text)


def say(message: str, err: bool = False) -> None:
    """One line for a person (not JSON): made safe first."""
    click.echo(safe(message), err=err)


def fail(message: str) -> None:
    """Stop the command with one line on stderr and exit 1."""
    raise click.ClickException(safe(message))


# -- parameter types ---------------------------------------------------------------


class IsoDay(click.ParamType):
    """A day, as YYYY-MM-DD or any full date dateparser reads; a bad one fails the
    command with the parser's one-line reason (exit 1, as every user error)."""

    name = "text"  # shown as TEXT in --help, as a plain string option always was

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from tracker.gate import user_day  # dateparser is slow to import: only when used

        try:
            return user_day(str(value))
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None


class WholeNumber(click.ParamType):
    """A whole number within bounds (an id, a number of days); anything else fails the
    command with one line and exit 1, never an overflow deeper down."""

    name = "integer"

    def __init__(self, low: int, high: int, what: str) -> None:
        self.low, self.high, self.what = low, high, what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                raise click.ClickException(f"{safe(str(value))[:40]!r} is not a whole number ({self.what})") from None
        if not self.low <= number <= self.high:
            raise click.ClickException(f"{self.what} must be from {self.low} to {self.high}, not {str(number)[:40]}")
        return number


class CaseRef(click.ParamType):
    """A case named by id, by title, or by the start of one title; `with_store` hands
    the command the `Case` itself."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value if isinstance(value, _CaseName) else _CaseName(str(value))


class _CaseName(str):
    """What was typed for a case, resolved once the store is open."""


ISO_DAY = IsoDay()
ROW_ID = WholeNumber(1, 2**63 - 1, "an id")
DAYS = WholeNumber(0, 36_500, "a number of days")
CASE_REF = CaseRef()


# -- options -----------------------------------------------------------------------


def db_option(func: F) -> F:
    """--db on every command; the subcommand's value wins over the group's."""
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Database file (default: $TRACKER_DB, else data/tracker.db).",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(func)


def filter_options(func: F) -> F:
    """--status, --tag, --from, --to: the same event filters on listings and exports."""
    func = click.option("--to", "end", type=ISO_DAY,
                        help="Only events whose period starts on or before this day (YYYY-MM-DD).")(func)
    func = click.option("--from", "start", type=ISO_DAY,
                        help="Only events whose period starts on or after this day (YYYY-MM-DD).")(func)
    func = click.option("--tag", help="Only events with this tag.", shell_complete=complete_tag)(func)
    return click.option("--status", type=click.Choice(["suggested", "confirmed", "rejected", "all"]),
                        help="Only events with this status (all: every status; a Markdown brief "
                             "lists the confirmed ones by default).")(func)


def make_filters(status: str | None, tag: str | None, start: date | None, end: date | None) -> Filters:
    from tracker.export import Filters

    return Filters(status=status, tag=tag, start=start.isoformat() if start else None,
                   end=end.isoformat() if end else None)


# -- the store ---------------------------------------------------------------------


def open_store(db: Path | None, *, create: bool = True) -> Store:
    """The store at --db (the subcommand's, else the group's), $TRACKER_DB or the default."""
    from tracker.store import Store

    ctx = click.get_current_context()
    chosen = db or (ctx.find_root().params.get("db") if ctx.find_root() else None)
    return Store(resolve_db_path(chosen), create=create)


def with_store(func: F | None = None, *, create: bool = True) -> Any:
    """Add --db; call the command with `store` open (closed when the command ends) and
    every CaseRef argument resolved to its `Case`. `create=False`: a missing database
    file is refused (commands that only read or copy it), not created."""
    if func is None:
        return functools.partial(with_store, create=create)

    @functools.wraps(func)
    def command(*args: Any, db: Path | None, **kwargs: Any) -> Any:
        store = open_store(db, create=create)
        click.get_current_context().call_on_close(store.close)
        for name, value in kwargs.items():
            if isinstance(value, _CaseName):
                kwargs[name] = store.resolve_case(value)
        return func(*args, store=store, **kwargs)

    return db_option(command)  # type: ignore[return-value]


# -- output ------------------------------------------------------------------------


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def table(columns: list[str], rows: list[list[str]]) -> None:
    """A plain table; cells are Text so stored text is never read as markup."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    grid = Table(*columns, box=None, pad_edge=False, header_style="bold")
    for row in rows:
        grid.add_row(*(Text(safe(cell)) for cell in row))
    Console(soft_wrap=False).print(grid)


def event_json(e: Event) -> dict[str, Any]:
    return {"id": e.id, "case_id": e.case_id, "date": e.date, "granularity": e.granularity, "date_text": e.date_text,
            "title": e.title, "status": e.status, "origin": e.origin, "kind": e.kind, "tags": list(e.tags),
            "sources": e.source_count, "conflict": e.conflict}


def run_app(path: Path) -> None:
    """Open the app on the database at `path` (`launch.open_app`); a file the store
    refuses fails the command in one line."""
    from tracker.launch import open_app

    refused = open_app(path)
    if refused is not None:
        fail(refused)


__all__ = ["CASE_REF", "DAYS", "ROW_ID", "WholeNumber", "EXIT_ERROR", "EXIT_OK", "EXIT_PARTIAL", "ISO_DAY", "CaseRef", "IsoDay", "db_option",
           "emit_json", "event_json", "fail", "filter_options", "json_option", "make_filters", "open_store",
           "run_app", "safe", "say", "table", "with_store"]
