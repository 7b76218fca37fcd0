"""Commands that bring text in: import, the demo, and reading the dates of a file."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.options import (
    fail, safe, say,
    EXIT_PARTIAL, ISO_DAY, db_option, emit_json, json_option, open_store, run_app, table, with_store,
)
from tracker.completion import complete_case
from tracker.paths import seeds_dir

if TYPE_CHECKING:
    from tracker.store import Store

REFRESH_EVERY = 0.1  # seconds: Rich's own refresh rate


@click.command()
@db_option
def demo(db: Path | None) -> None:
    """Import the shipped seeds/ if the database has no sources yet, then open the app."""
    store = open_store(db)
    if store.source_count() == 0:
        from tracker.importer import import_paths

        report = import_paths(store, [seeds_dir()])
        say(f"imported {len(report.imported)} demo sources, {report.events} events", err=True)
    path = store.path
    store.close()
    run_app(path)


@click.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--case", "case_title", help="File every source into this case (created if missing).",
              shell_complete=complete_case)
@click.option("--published", type=ISO_DAY,
              help="Publication date for these sources (YYYY-MM-DD), overriding inference.")
@click.option("--follow-links", is_flag=True,
              help="Read links inside a folder that lead out of it (by default they are refused).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes that read the documents (default: one per core; 1 reads them in this process).")
@with_store
@json_option
def import_cmd(paths: tuple[Path, ...], case_title: str | None, published: date | None, follow_links: bool,
               jobs: int | None, store: Store, as_json: bool) -> None:
    """Import stories (.txt, .md with front matter, .html; folders too; - for stdin), tracker.v1
    .json exports and .csv event sheets (date,title,tags,case). Repeats are skipped."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from tracker.importer import import_paths

    console = Console(stderr=True)
    from tracker.ingest import IngestError, read_stream

    if case_title is not None:
        from tracker import gate

        try:
            case_title = gate.title(case_title, "case title")
        except ValueError as exc:
            fail(str(exc))
    stdin = None
    if any(str(p) == "-" for p in paths):
        try:
            stdin = read_stream(sys.stdin.buffer)
        except IngestError as exc:
            fail(str(exc))
    # File names are shown as plain text: never read as Rich markup, never raw control characters.
    # The bar is redrawn by the progress callback (at most REFRESH_EVERY), not by a thread
    # of Rich's: with one thread the document readers start by fork (tracker/readers.py).
    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}", markup=False),
                  console=console, transient=True, disable=as_json, auto_refresh=False) as bar:
        task = bar.add_task("", total=None)
        drawn = [0.0]

        def progress(done: int, total: int, path: str) -> None:
            now = time.monotonic()
            redraw = now - drawn[0] >= REFRESH_EVERY or done == total
            if redraw:
                drawn[0] = now
            bar.update(task, completed=done, total=total, description=safe(Path(path).name[:40]), refresh=redraw)

        report = import_paths(store, list(paths), case_title=case_title,
                              published=published.isoformat() if published else None, progress=progress, stdin=stdin,
                              follow_links=follow_links, jobs=jobs)
    if as_json:
        emit_json({"imported": report.imported, "skipped": report.skipped,
                   "failed": [{"path": p, "error": e} for p, e in report.failed],
                   "events": report.events, "cases": sorted(report.cases)})
    else:
        for path, error in report.failed:
            say(f"error: {path}: {error}", err=True)
        for path, note in report.notes:
            say(f"note: {path}: {note}", err=True)
        say(f"imported {len(report.imported)}, skipped {len(report.skipped)} already imported, "
                   f"failed {len(report.failed)}; {report.events} events proposed"
                   + (f" in {', '.join(sorted(report.cases))}" if report.cases else ""))
    if report.failed:
        sys.exit(EXIT_PARTIAL)


@click.command()
@click.argument("file", type=click.File("r", encoding="utf-8", errors="replace"))
@click.option("--published", type=ISO_DAY, help="The document's date (YYYY-MM-DD); default: inferred from the text.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of expressions.")
def dates(file: Any, published: date | None, as_json: bool) -> None:
    """Show the temporal expressions in FILE (or - for stdin) and how each was resolved."""
    from tracker.published import guess_from_value, infer_published
    from tracker.text import clean_document
    from tracker.timex import Scan, find_timexes

    text = clean_document(file.read())
    scan = Scan(text)
    guess = guess_from_value(published.isoformat(), "user") if published else infer_published(text, date.today(), scan)
    found = find_timexes(text, guess.anchor, scan.sentences, scan)

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
    say(f"published: {guess.value or 'unknown'} ({guess.basis})")
    table(["start", "end", "text", "value", "granularity", "basis"],
          [[str(t.start), str(t.end), t.text, t.value or t.timex3 or "?", t.granularity, basis(t)] for t in found])
