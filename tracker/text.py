"""Cleaning untrusted text: one table of unsafe characters, one function per use.

Text comes from files, web pages, other tools' exports and people typing. What is
unsafe is the same everywhere: C0 and C1 control characters (escape sequences can
drive a terminal) and, on screen, the bidirectional marks that can reorder what a
reader sees. What differs is what each use keeps:

- `clean_document`: a document's text as stored; escape sequences and controls are
  removed (newlines and tabs stay), so offsets into the stored text are stable.
- `clean_line`: one line typed or imported (a title, a tag, a date phrase); controls
  become spaces and whitespace is folded.
- `clean_note`: a free-text note; like a line, but line breaks stay.
- `scrub`: anything shown on screen; every unsafe character becomes one space, so
  offsets into the shown string (a date phrase in an excerpt) stay valid.
"""

from __future__ import annotations

import re

# C0 controls but tab, newline and carriage return (documents keep their lines); DEL; C1.
_DOCUMENT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Terminal escape sequences (CSI, OSC, two-character escapes): removed whole from documents.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
# Every control but newline: what a line of stored text must not hold.
_LINE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Every control but newline (tab too): what a stored note must not hold.
_NOTE_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# The bidirectional embedding, override and isolate marks that reorder what is shown.
_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SHOWN_MULTILINE = re.compile(rf"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}]")
_SHOWN_LINE = re.compile(rf"[\x00-\x1f\x7f-\x9f{_BIDI}]")


def clean_document(raw: str) -> str:
    """A document's text: newlines normalised, escape sequences and controls removed."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI.sub("", text)
    text = _DOCUMENT_CONTROL.sub("", text)
    return text.replace("\ufeff", "")


def clean_line(text: str) -> str:
    """One line of user text: control characters removed, whitespace folded."""
    return " ".join(_LINE_CONTROL.sub(" ", text).split())


def clean_note(text: str) -> str:
    """A free-text note: control characters removed but line breaks kept, ends trimmed."""
    return _NOTE_CONTROL.sub(" ", text.replace("\r\n", "\n")).strip()


def scrub(value: str | None, *, multiline: bool = False) -> str:
    """`value` with every unsafe character replaced by a space (same length)."""
    pattern = _SHOWN_MULTILINE if multiline else _SHOWN_LINE
    return pattern.sub(" ", value or "")
