"""The messages that carry a change between the app's parts (dataclass-like, one file).

A write returns a `Change` (tracker.models); the screen that made it posts one
`StoreChanged`, and each pane applies what concerns it: a row replaced or dropped, one
case row re-read, the strip redrawn. No pane re-reads its neighbours.
"""

from __future__ import annotations

from textual.message import Message

from tracker.models import Change


class StoreChanged(Message, bubble=False):
    """The store changed as `change` says."""

    def __init__(self, change: Change) -> None:
        super().__init__()
        self.change = change
