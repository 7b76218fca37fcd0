"""Proposing dated events from the sentences of a document. Pure functions, no I/O."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProposedEvent:
    """An event read from one sentence; offsets are into the source text."""

    start: int
    end: int
    phrase_start: int
    phrase_end: int
    date_text: str
    value: str | None
    granularity: str
    title: str
    kind: str = "occurred"
    confidence: float = 0.5
