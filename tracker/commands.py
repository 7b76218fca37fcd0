"""The command palette (ctrl+p): jump to a case, to a recently changed event, or run
any action of the app by name, with its key shown so the palette also teaches the keys.

The actions are generated from the BINDINGS of the app and of the screen the palette
was opened from, so a key another module adds to those lists shows up here without a
second list to keep in step. Cases and events come from bounded Store queries
(`palette_cases`, `recent_events`): the palette asks on every keystroke and a newsroom
database holds a million events.

Every prompt is a `rich.text.Text` built with `safe_text.plain`: the palette parses a
plain `str` prompt (and any help string) as markup, and titles are untrusted. Textual's
`Matcher.highlight` parses its candidate as markup too, so matches are highlighted here
from the fuzzy offsets instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.fuzzy import FuzzySearch

from tracker import dates
from tracker.models import Case, Event
from tracker.screens.help import KEYS
from tracker.store import StoreError
from tracker.widgets.safe_text import plain, scrub

MATCH_STYLE = "bold underline"
CASE_LIMIT = 12
EVENT_LIMIT = 12
KEY_WIDTH = 8
NAME_WIDTH = 12
PALETTE_MARGIN = 8
"""Columns the palette's border, padding and scrollbar take around a prompt."""
SKIPPED_ACTIONS = frozenset({"command_palette", "app.command_palette"})


@dataclass(frozen=True)
class Action:
    """One action offered by the palette: what to call it, its keys, where it runs."""

    name: str
    action: str
    keys: str
    namespace: Any
    help: str | None = None


def _help_lines() -> dict[str, str]:
    """The help screen's explanation of each key, to show under a palette action."""
    lines: dict[str, str] = {}
    for _, rows in KEYS:
        for keys, what in rows:
            lines.setdefault(keys, what)
    return lines


def binding_actions(owners: list[tuple[list[Any], Any]], key_display: Callable[[Binding], str]) -> list[Action]:
    """The actions of `owners` ((BINDINGS, namespace) pairs), one per action, in order.

    Keys bound to the same action are shown together ("escape/q"); bindings without a
    description are still offered under their action name so nothing is unreachable.
    """
    explained = _help_lines()
    found: dict[str, Action] = {}
    for bindings, namespace in owners:
        for binding in Binding.make_bindings(bindings):
            if binding.action in SKIPPED_ACTIONS or not binding.action:
                continue
            shown = key_display(binding)
            known = found.get(binding.action)
            if known is not None:
                if shown not in known.keys.split("/"):
                    found[binding.action] = Action(
                        known.name, known.action, f"{known.keys}/{shown}", known.namespace, known.help
                    )
                continue
            name = binding.description or binding.action.replace("_", " ").capitalize()
            found[binding.action] = Action(name, binding.action, shown, namespace, explained.get(shown))
    return list(found.values())


def highlighted(candidate: str, query: str, style: str = "") -> tuple[float, Text]:
    """The fuzzy score of `candidate` for `query` and the candidate as inert Text with
    the matched characters styled (never parsed as markup)."""
    text = plain(candidate, style)
    if not query:
        return 1.0, text
    score, offsets = FuzzySearch().match(query, text.plain)
    for offset in offsets:
        text.stylize(MATCH_STYLE, offset, offset + 1)
    return score, text


class TrackerCommands(Provider):
    """Cases, recent events and every action of the app, for Textual's command palette."""

    # -- what to offer ------------------------------------------------------------------

    def _actions(self) -> list[Action]:
        """The keys of the screen the palette was opened from, then the app's keys."""
        owners: list[tuple[list[Any], Any]] = [
            (list(type(self.screen).BINDINGS), self.screen),
            (list(type(self.app).BINDINGS), self.app),
        ]
        return binding_actions(owners, self.app.get_key_display)

    def _main(self) -> Any:
        """The main screen when the palette was opened from it (jumps need it on top)."""
        from tracker.screens.main import MainScreen

        return self.screen if isinstance(self.screen, MainScreen) else None

    def _store(self) -> Any:
        return getattr(self.app, "store", None)

    def _cases(self, query: str) -> list[Case]:
        store = self._store()
        if store is None or self._main() is None:
            return []
        try:
            return store.palette_cases(query, CASE_LIMIT)
        except StoreError as err:
            self.app.notify(scrub(str(err)), severity="error", markup=False)
            return []

    def _recent(self) -> list[tuple[Event, str]]:
        store = self._store()
        if store is None or self._main() is None:
            return []
        try:
            return store.recent_events(EVENT_LIMIT)
        except StoreError as err:
            self.app.notify(scrub(str(err)), severity="error", markup=False)
            return []

    # -- prompts ------------------------------------------------------------------------

    def _action_prompt(self, action: Action, name: Text) -> Text:
        """One line: the key, the action, and the help screen's explanation (dim), cut
        to the terminal's width (the palette wraps long prompts onto a second line)."""
        prompt = Text.assemble((f"{action.keys:<{KEY_WIDTH}}", "bold"), name, no_wrap=True, overflow="ellipsis", end="")
        if action.help and action.help.lower() != action.name.lower():
            prompt.pad_right(max(0, KEY_WIDTH + NAME_WIDTH - prompt.cell_len))
            room = self.app.size.width - prompt.cell_len - PALETTE_MARGIN
            if room > 8:
                explanation = Text(f"  {action.help}", style="dim", end="")
                explanation.truncate(room, overflow="ellipsis")
                prompt.append_text(explanation)
        return prompt

    @staticmethod
    def _case_prompt(case: Case, title: Text) -> Text:
        latest = dates.display(case.latest_date) if case.latest_date else "no dated events"
        return Text.assemble(
            (f"{'case':<{KEY_WIDTH}}", "magenta"), title, (f"  {case.event_count:,} events · {latest}", "dim"), end=""
        )

    @staticmethod
    def _event_prompt(event: Event, case_title: str, title: Text) -> Text:
        when = dates.display(event.date, event.granularity) if event.date else "undated"
        return Text.assemble(
            (f"{'event':<{KEY_WIDTH}}", "green"), (f"{when}  ", "bold"), title, ("  · ", "dim"),
            plain(case_title, "dim"), end="",
        )

    # -- what the palette calls -----------------------------------------------------------

    def _run(self, action: Action) -> Callable[[], Any]:
        return partial(self.app.run_action, action.action, action.namespace)

    def _jump(self, case_id: int, event_id: int | None) -> Callable[[], None]:
        main = self._main()

        def jump() -> None:
            if main is not None:
                main.jump_to(case_id, event_id)

        return jump

    def _each(self, query: str) -> Iterator[tuple[float, Text, Callable[[], Any], str, str | None]]:
        """(score, prompt, callback, plain text, help) for every candidate of `query`."""
        seen: set[str] = set()
        for action in self._actions():
            seen.add(action.name.lower())
            score, name = highlighted(action.name, query)
            if query and score <= 0:
                score = highlighted(f"{action.action.replace('_', ' ')} {action.help or ''}", query)[0] * 0.5
            yield score, self._action_prompt(action, name), self._run(action), f"{action.keys} {action.name}", None
        for command in self.app.get_system_commands(self.screen):
            # Textual's own (theme, keys panel, maximize, screenshot); quit is a key above.
            if command.title.lower() in seen:
                continue
            score, name = highlighted(command.title, query)
            prompt = self._action_prompt(Action(command.title, "", "", None, command.help), name)
            yield score, prompt, command.callback, command.title, None
        for case in self._cases(query):
            score, title = highlighted(case.title, query)
            # The store matched it as a prefix or substring even if the fuzzy scorer is picky.
            yield max(score, 0.3), self._case_prompt(case, title), self._jump(case.id, None), case.title, None
        for event, case_title in self._recent():
            score, title = highlighted(event.title, query)
            if query and score <= 0:
                score = highlighted(case_title, query)[0] * 0.5
            prompt = self._event_prompt(event, case_title, title)
            yield score, prompt, self._jump(event.case_id, event.id), event.title, None

    async def discover(self) -> Hits:
        for _, prompt, callback, text, help_text in self._each(""):
            yield DiscoveryHit(prompt, callback, text=scrub(text), help=help_text)

    async def search(self, query: str) -> Hits:
        for score, prompt, callback, text, help_text in self._each(query):
            if score > 0:
                yield Hit(score, prompt, callback, text=scrub(text), help=help_text)
