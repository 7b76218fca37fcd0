"""One line above the timeline with the selected case's key facts.

The facts are proposals read from the sources unless the user typed them (`f` opens
the full list with the passage behind each); typed values win.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tracker.models import CaseFact, RowSource, StoreError
from tracker.widgets.safe_text import plain

ORDER = ("status", "judge", "court", "docket", "parties")


def summary(facts: list[CaseFact]) -> Text:
    """"decided · Judge James Donato · Ninth Circuit · 3:20-cv-05671-JD", typed facts first."""
    chosen: dict[str, CaseFact] = {}
    for fact in facts:  # the store lists typed facts first, then the newest sources'
        chosen.setdefault(fact.field, fact)
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    for field in ORDER:
        fact = chosen.get(field)
        if fact is None or field == "parties":
            continue
        if line:
            line.append(" · ", style="dim")
        line.append_text(plain(fact.value, "bold" if fact.origin == "manual" else ""))
    if not line:
        line.append("no case facts yet — f to add", style="dim")
    return line


class CaseHeader(Static):
    """The selected case's status, judge, court and docket."""

    def __init__(self, store: RowSource, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.store = store

    def show(self, case_id: int | None) -> None:
        if case_id is None:
            self.update("")
            return
        try:
            self.update(summary(self.store.case_facts(case_id)))
        except StoreError:
            self.update("")
