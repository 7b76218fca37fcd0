"""The footer of the main screen: the keys that fit, most important first.

Textual's Footer scrolls sideways when its keys do not fit, which at 80 or 60 columns
cuts off `? Help` and `q Quit` at the right, the keys a new user needs most. This one
is compact and, when the terminal is narrow, leaves out the less needed keys (those
listed in DROP_ORDER, first ones first) until the rest fits. Nothing becomes
unreachable: `?` lists every key and ctrl+p runs any action by name.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

DROP_ORDER = ("reload", "command_palette", "delete", "reject", "tags", "edit", "confirm", "add")
"""Actions whose footer key goes first when room is short; help, quit, search stay.
The palette hint goes first: at 80 columns every event key fits without it, and `?`
names ctrl+p."""
PALETTE_CELLS = 3
"""What the palette key costs beyond its text: the divider and its padding."""


def key_cells(key: FooterKey) -> int:
    """Cells one compact footer key takes: "a Add" and the space after it."""
    width = len(key.key_display) + 1 + len(key.description) + 1
    return width + (PALETTE_CELLS if key.has_class("-command-palette") else 0)


class KeyFooter(Footer):
    """A compact Footer that drops low-priority keys rather than cutting off the end."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._room: int | None = None
        """The width the keys shown were chosen for (None: none chosen yet)."""
        self._recompose_due = False

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        room = self.app.size.width
        if keys:
            self._room = room
        total = sum(key_cells(k) if isinstance(k, FooterKey) else len(str(k.render())) + 1 for k in keys)
        for action in DROP_ORDER:
            if total <= room:
                break
            for key in [k for k in keys if isinstance(k, FooterKey) and k.action.removeprefix("app.") == action]:
                keys.remove(key)
                total -= key_cells(key)
        yield from keys

    def bindings_changed(self, screen: Screen) -> None:
        """Footer's, but one recompose for the changes that come before it runs: the
        bindings change three times during start-up, and each recompose mounts and
        styles every key again (with the resize below, start-up built the keys four
        times; now twice, 7% of the instructions to a settled first screen)."""
        self._bindings_ready = True
        if not screen.app.app_focus or self._recompose_due:
            return
        if self.is_attached and screen is self.screen:
            self._recompose_due = True
            self.call_after_refresh(self._recompose_now)

    async def _recompose_now(self) -> None:
        self._recompose_due = False  # a change from here on asks for another
        await self.recompose()

    def on_resize(self) -> None:
        # Only a new width changes which keys fit: a resize to the same width (the one
        # every widget gets when first laid out) would mount every key again.
        if self._room is not None and self._room != self.app.size.width:
            self.call_after_refresh(self.recompose)
