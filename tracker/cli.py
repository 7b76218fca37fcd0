"""The `tracker` command: with no subcommand it opens the app; subcommands script the store.

Heavy imports (Textual, dateparser) happen inside commands so `tracker --help` is instant.
Every failure a user can cause ends as one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tracker.completion import complete_case, complete_tag
from tracker.paths import resolve_db_path, seeds_dir

if TYPE_CHECKING:
    from tracker.store import Store

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_ERROR, EXIT_PARTIAL = 0, 1, 2


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
    func = click.option("--to", "end", help="Only events whose period starts on or before this day (YYYY-MM-DD).")(func)
    func = click.option("--from", "start", help="Only events whose period starts on or after this day (YYYY-MM-DD).")(func)
    func = click.option("--tag", help="Only events with this tag.", shell_complete=complete_tag)(func)
    return click.option("--status", type=click.Choice(["suggested", "confirmed", "rejected"]),
                        help="Only events with this status.")(func)


def make_filters(status: str | None, tag: str | None, start: str | None, end: str | None) -> Any:
    from tracker.dates import parse_iso_day
    from tracker.export import Filters

    try:
        first = parse_iso_day(start).isoformat() if start else None
        last = parse_iso_day(end).isoformat() if end else None
    except ValueError as exc:
        fail(str(exc))
        raise
    return Filters(status=status, tag=tag, start=first, end=last)


def open_store(db: Path | None) -> Store:
    from tracker.store import Store

    ctx = click.get_current_context()
    chosen = db or (ctx.find_root().params.get("db") if ctx.find_root() else None)
    return Store(resolve_db_path(chosen))


def fail(message: str) -> None:
    raise click.ClickException(message)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _table(columns: list[str], rows: list[list[str]]) -> None:
    """A plain table; cells are Text so stored text is never read as markup."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(*columns, box=None, pad_edge=False, header_style="bold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    Console(soft_wrap=False).print(table)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.version_option(package_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """Follow cases as timelines of dated, sourced events.

    With no command, opens the app on the database.
    """
    if ctx.invoked_subcommand is None:
        _run_app(resolve_db_path(db))


def _run_app(path: Path) -> None:
    from tracker.app import make_app
    from tracker.db import StoreError

    try:
        app = make_app(path)
    except StoreError as exc:
        fail(str(exc))
        return
    app.run()


@cli.command()
@db_option
def demo(db: Path | None) -> None:
    """Import the shipped seeds/ if the database has no sources yet, then open the app."""
    store = open_store(db)
    if store.source_count() == 0:
        from tracker.importer import import_paths

        report = import_paths(store, [seeds_dir()])
        click.echo(f"imported {len(report.imported)} demo sources, {report.events} events", err=True)
    path = store.path
    store.close()
    _run_app(path)


@cli.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--case", "case_title", help="File every source into this case (created if missing).",
              shell_complete=complete_case)
@click.option("--published", help="Publication date for these sources (YYYY-MM-DD), overriding inference.")
@db_option
@json_option
def import_cmd(paths: tuple[Path, ...], case_title: str | None, published: str | None, db: Path | None, as_json: bool) -> None:
    """Import stories (.txt, .md with front matter, .html; folders too; - for stdin), tracker.v1
    .json exports and .csv event sheets (date,title,tags,case). Repeats are skipped."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from tracker.dates import parse_iso_day
    from tracker.importer import import_paths

    published_value = None
    if published:
        try:
            published_value = parse_iso_day(published).isoformat()
        except ValueError as exc:
            fail(str(exc))
    store = open_store(db)
    console = Console(stderr=True)
    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  console=console, transient=True, disable=as_json) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total, description=Path(path).name[:40])

        stdin = sys.stdin.buffer.read() if any(str(p) == "-" for p in paths) else None
        report = import_paths(store, list(paths), case_title=case_title, published=published_value,
                              progress=progress, stdin=stdin)
    if as_json:
        emit_json({"imported": report.imported, "skipped": report.skipped,
                   "failed": [{"path": p, "error": e} for p, e in report.failed],
                   "events": report.events, "cases": sorted(report.cases)})
    else:
        for path, error in report.failed:
            click.echo(f"error: {path}: {error}", err=True)
        click.echo(f"imported {len(report.imported)}, skipped {len(report.skipped)} already imported, "
                   f"failed {len(report.failed)}; {report.events} events proposed"
                   + (f" in {', '.join(sorted(report.cases))}" if report.cases else ""))
    if report.failed:
        sys.exit(EXIT_PARTIAL)


@cli.command()
@db_option
@json_option
def cases(db: Path | None, as_json: bool) -> None:
    """List cases with their event counts and latest event date."""
    found = open_store(db).list_cases()
    if as_json:
        emit_json([{"id": c.id, "title": c.title, "events": c.event_count, "sources": c.source_count,
                    "latest": c.latest_date} for c in found])
        return
    _table(["id", "title", "events", "sources", "latest"],
           [[str(c.id), c.title, str(c.event_count), str(c.source_count), c.latest_date or "-"] for c in found])


@cli.command()
@click.argument("case", shell_complete=complete_case)
@filter_options
@db_option
@json_option
def events(case: str, status: str | None, tag: str | None, start: str | None, end: str | None, db: Path | None,
           as_json: bool) -> None:
    """List the events of CASE (an id or a title) in time order, optionally filtered."""
    filters = make_filters(status, tag, start, end)
    store = open_store(db)
    found = [e for e in store.list_events(store.find_case(case).id) if filters.keep(e)]
    if as_json:
        emit_json([_event_json(e) for e in found])
        return
    _table(["id", "date", "status", "src", "title", "tags"],
           [[str(e.id), e.date or "undated", e.status, str(e.source_count), e.title, ", ".join(e.tags)] for e in found])


def _event_json(e: Any) -> dict[str, Any]:
    return {"id": e.id, "case_id": e.case_id, "date": e.date, "granularity": e.granularity, "date_text": e.date_text,
            "title": e.title, "status": e.status, "origin": e.origin, "kind": e.kind, "tags": list(e.tags),
            "sources": e.source_count, "conflict": e.conflict}


@cli.command()
@click.argument("case", shell_complete=complete_case)
@click.option("--date", "date_text", required=True, help='When: "2021-03-12", "March 2021", "last Friday", "Q1 2021".')
@click.option("--title", required=True, help="What happened (- reads it from standard input).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).", shell_complete=complete_tag)
@click.option("--base", help="Resolve relative dates against this day (default: today).")
@db_option
@json_option
def add(case: str, date_text: str, title: str, tags: tuple[str, ...], base: str | None, db: Path | None, as_json: bool) -> None:
    """Add a confirmed event to CASE by hand."""
    from tracker.dates import parse_iso_day, parse_user_date

    if title == "-":
        title = sys.stdin.read().strip()  # `echo "Judge rules" | tracker add CASE --date ... --title -`
    try:
        base_day = parse_iso_day(base) if base else date.today()
        value = parse_user_date(date_text, base_day)
    except ValueError as exc:
        fail(str(exc))
        return
    store = open_store(db)
    event = store.add_event(store.find_case(case).id, value.value, value.granularity, date_text, title, tags=tags)
    if as_json:
        emit_json(_event_json(event))
    else:
        click.echo(f"added event {event.id}: {event.date or 'undated'} {event.title}")


@cli.command()
@click.argument("event", type=int)
@click.argument("tags", nargs=-1, required=True, shell_complete=complete_tag)
@click.option("--remove", is_flag=True, help="Remove these tags instead of adding them.")
@db_option
@json_option
def tag(event: int, tags: tuple[str, ...], remove: bool, db: Path | None, as_json: bool) -> None:
    """Add (or with --remove, remove) TAGS on EVENT (an event id)."""
    store = open_store(db)
    updated = store.remove_tags(event, tags) if remove else store.add_tags(event, tags)
    if as_json:
        emit_json(_event_json(updated))
        return
    click.echo(f"event {updated.id} tags: {', '.join(updated.tags) or '(none)'}")


@cli.command()
@click.argument("query")
@db_option
@json_option
def search(query: str, db: Path | None, as_json: bool) -> None:
    """Search events, excerpts and sources across all cases."""
    hits = open_store(db).search(query)
    if as_json:
        emit_json([{"kind": h.kind, "case_id": h.case_id, "case": h.case_title, "event_id": h.event_id,
                    "source_id": h.source_id, "label": h.label, "snippet": _plain(h.snippet)} for h in hits])
        return
    _table(["case", "kind", "event", "match"],
           [[h.case_title, h.kind, str(h.event_id or ""), _plain(h.snippet)] for h in hits])


def _plain(snippet: str) -> str:
    return snippet.replace("\x02", "").replace("\x03", "")


@cli.command()
@click.argument("file", type=click.File("r", encoding="utf-8", errors="replace"))
@click.option("--published", help="The document's date (YYYY-MM-DD); default: inferred from the text.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of expressions.")
def dates(file: Any, published: str | None, as_json: bool) -> None:
    """Show the temporal expressions in FILE (or - for stdin) and how each was resolved."""
    from datetime import date as _date

    from tracker.dates import parse_iso_day
    from tracker.ingest import clean_text
    from tracker.published import guess_from_value, infer_published
    from tracker.sentences import sentence_spans
    from tracker.timex import find_timexes

    text = clean_text(file.read())
    try:
        guess = guess_from_value(parse_iso_day(published).isoformat(), "user") if published else infer_published(text, _date.today())
    except ValueError as exc:
        fail(str(exc))
        return
    found = find_timexes(text, guess.anchor, sentence_spans(text))

    def basis(t: Any) -> str:
        if t.loose:
            return "reference to the telling, not an event date"
        if not t.relative:
            return "absolute"
        return f"relative to published ({guess.basis})" if t.value else "unresolved: no publication date"

    if as_json:
        emit_json([{"start": t.start, "end": t.end, "text": t.text, "value": t.value, "granularity": t.granularity,
                    "basis": basis(t), "confidence": t.confidence, "timex3": t.timex3, "type": t.kind} for t in found])
        return
    click.echo(f"published: {guess.value or 'unknown'} ({guess.basis})")
    _table(["start", "end", "text", "value", "granularity", "basis"],
           [[str(t.start), str(t.end), t.text, t.value or t.timex3 or "?", t.granularity, basis(t)] for t in found])


@cli.command()
@click.option("--case", "case", help="Only this case (an id or a title); default all.", shell_complete=complete_case)
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "markdown", "ics", "timelinejs"]),
              default="json", show_default=True,
              help="json is the tracker.v1 contract; jsonl one event a line; csv one event a row; markdown a "
                   "chronology; ics a calendar; timelinejs for Knight Lab TimelineJS.")
@filter_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@db_option
def export(case: str | None, fmt: str, status: str | None, tag: str | None, start: str | None, end: str | None,
           output: Path | None, db: Path | None) -> None:
    """Export one case or all, in one of six formats, optionally filtered."""
    from tracker.export import render

    filters = make_filters(status, tag, start, end)
    store = open_store(db)
    chosen = [store.find_case(case)] if case else store.list_cases()
    text = render(store, chosen, fmt, filters)
    if output:
        try:
            output.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


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
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except (sqlite3.Error, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)


# Commands defined elsewhere register themselves on `cli` when imported.
import tracker.cli_admin  # noqa: E402,F401
import tracker.cli_cases  # noqa: E402,F401
