"""Shell completion of case titles and tag names (click's completion calls these).

`eval "$(_TRACKER_COMPLETE=bash_source tracker)"` turns it on; then `tracker events Ac<TAB>`
offers the cases. Completion must never create a database or print an error into the
shell, so a missing file or any failure completes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
from click.shell_completion import CompletionItem

from tracker.paths import resolve_db_path

if TYPE_CHECKING:
    from tracker.store import Store

T = TypeVar("T")


def _db_path(ctx: click.Context) -> Path | None:
    chosen = ctx.params.get("db") or ctx.find_root().params.get("db")
    path = resolve_db_path(chosen)
    return path if path.is_file() else None


def _matching(names: list[str], incomplete: str) -> list[CompletionItem]:
    typed = incomplete.casefold()
    return [CompletionItem(name) for name in names if name.casefold().startswith(typed)]


def _read(ctx: click.Context, read: Callable[[Store], T]) -> T | None:
    """What `read` returns from the database the command line names; None when there
    is none yet or it cannot be read (completion never creates or breaks anything)."""
    path = _db_path(ctx)
    if path is None:
        return None
    try:
        from tracker.store import Store

        store = Store(path)
        try:
            return read(store)
        finally:
            store.close()
    except Exception:
        return None


def complete_case(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Case titles (and ids, when digits are typed) that start with what was typed."""
    cases = _read(ctx, lambda store: store.list_cases()) or []
    if incomplete.isdigit():
        return [CompletionItem(str(c.id), help=c.title) for c in cases if str(c.id).startswith(incomplete)]
    return _matching([c.title for c in cases], incomplete)


def complete_tag(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    return _matching(_read(ctx, lambda store: store.list_tags()) or [], incomplete)
