"""Commands that look after the database itself: backup, check, history, undo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.options import ROW_ID, emit_json, json_option, table, with_store, say

if TYPE_CHECKING:
    from tracker.store import Store


@click.command()
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@with_store(create=False)
def backup(dest: Path, store: Store) -> None:
    """Copy the database to DEST, consistently, even while others are using it."""
    seconds = store.backup(dest)
    say(f"backed up {store.path} to {dest} in {seconds:.1f} s")


@click.command()
@with_store(create=False)
@json_option
def check(store: Store, as_json: bool) -> None:
    """Check integrity, foreign keys, search indexes and orphan rows; exit 1 on problems."""
    problems = store.check()
    if as_json:
        emit_json({"ok": not problems, "problems": problems})
    elif problems:
        for problem in problems:
            say(f"problem: {problem}", err=True)
    else:
        say(f"{store.path}: ok")
    if problems:
        sys.exit(1)


@click.command()
@click.argument("event", type=ROW_ID)
@with_store
@json_option
def history(event: int, store: Store, as_json: bool) -> None:
    """Show every change to EVENT: who, when, what, before and after."""
    entries = store.history(event)
    if as_json:
        emit_json([{"id": e.id, "at": e.at, "user": e.user, "action": e.action, "undone": e.undone,
                    "before": e.before, "after": e.after} for e in entries])
        return
    table(["when", "who", "what", "change"],
          [[e.at, e.user, e.action + (" (undone)" if e.undone else ""), describe(e.before, e.after)] for e in entries])


@click.command()
@click.option("--anyone", is_flag=True, help="Undo the latest change of anyone, not only your own (OS user).")
@with_store
def undo(anyone: bool, store: Store) -> None:
    """Undo your latest change (unless --anyone) to an event (add, edit, confirm/reject,
    tags, delete, move, kind, a merge or split of events, a passage linked), a source
    corrected (with the re-reading of its events), a move of a source, a split or merge
    of cases, or a case's rename, close, reopen or deletion."""
    from tracker.store import describe_undo

    entry = store.undo_last(anyone=anyone)
    say(f"undid {describe_undo(entry)} ({entry.at}, {entry.user})"
        + (f": a change by {entry.user}" if anyone else ""))


def describe(before: dict | None, after: dict | None) -> str:
    """The fields a change touched, in words."""
    if before is None and after is not None:
        event = after["event"]
        return f"added {event.get('date') or 'undated'} {event.get('title')}"
    if after is None and before is not None:
        return f"deleted {before['event'].get('title')}"
    if before is None or after is None:
        return ""
    parts = []
    for key in ("date", "title", "status", "note"):
        old, new = before["event"].get(key), after["event"].get(key)
        if old != new:
            parts.append(f"{key}: {old!r} → {new!r}")
    if before["tags"] != after["tags"]:
        parts.append(f"tags: {', '.join(before['tags']) or '-'} → {', '.join(after['tags']) or '-'}")
    return "; ".join(parts)
