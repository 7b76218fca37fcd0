"""Turning untrusted strings (titles, excerpts, tags, source names) into inert `Text`.

Everything shown in the app that came from a document or a user goes through here.
Strings handed to Textual widgets are parsed as markup, so a title such as
"[link=file:///etc]x[/link]" would become a live link; `rich.text.Text` is never
parsed. Control characters (escape sequences, C1 codes) and bidirectional overrides
are replaced one-for-one by spaces so they cannot drive the terminal or disguise text,
and so that character offsets (the date phrase inside an excerpt) stay valid.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from rich.text import Text

from tracker.models import StoreError
from tracker.text import scrub

T = TypeVar("T")

# What is unsafe to show (controls, bidi marks) is decided in tracker.text, for every
# untrusted text; `scrub` replaces each such character by one space.


def plain(value: str | None, style: str = "", *, multiline: bool = False) -> Text:
    """An inert Text for an untrusted string; never interpreted as markup."""
    return Text(scrub(value, multiline=multiline), style=style, no_wrap=not multiline, end="")


def marked(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """A search snippet whose matches are wrapped in \\x02 ... \\x03: its text, scrubbed,
    and where the matches are in it.

    The markers are read before scrubbing (they are control characters themselves), so
    only the store's highlighting survives; anything else in the snippet is literal.
    """
    parts: list[str] = []
    matches: list[tuple[int, int]] = []
    at = 0
    inside = False
    for part in re.split(r"([\x02\x03])", snippet):
        if part == "\x02":
            inside = True
        elif part == "\x03":
            inside = False
        elif part:
            part = scrub(part)
            if inside:
                matches.append((at, at + len(part)))
            parts.append(part)
            at += len(part)
    return "".join(parts), matches


class _Notifier(Protocol):
    def notify(self, message: str, *, severity: Any = ..., markup: bool = ...) -> None: ...


def show_error(node: _Notifier, err: Exception) -> None:
    """Notify a StoreError (or similar) as a literal one-line message, never as markup."""
    node.notify(scrub(str(err)), severity="error", markup=False)


def read_or_say(node: _Notifier, read: Callable[[], T]) -> T | None:
    """The error path for a read a screen makes before acting: a StoreError (the row
    gone meanwhile, the database unreadable) is said in one line; None then."""
    try:
        return read()
    except StoreError as err:
        show_error(node, err)
        return None


def say(node: _Notifier, message: str, severity: str = "information") -> None:
    """Notify a message that may quote untrusted text (a title), never as markup."""
    node.notify(scrub(message), severity=severity, markup=False)
