"""Reading files into documents: encodings, cleaning, titles, hashing.

Imported text is untrusted: control characters (ANSI escapes among them) are removed
here, once, so nothing stored can later drive the terminal. Offsets of excerpts refer to
the cleaned text, which is what the store keeps.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tracker.text import clean_document

SUFFIXES = {".txt", ".md", ".markdown", ".text", ".html", ".htm"}
MAX_BYTES = 20 * 1024 * 1024

_BOILERPLATE = re.compile(r"^(?:related posts?|advertisement|share( this)?|menu|skip to content|home|"
                          r"subscribe|sign in|log in|popular articles?)$", re.IGNORECASE)


class IngestError(Exception):
    """A file that cannot be read as a document; the message names the reason."""


@dataclass(frozen=True)
class Document:
    """A file's cleaned text with what the importer needs to file it."""

    path: str
    title: str
    text: str
    sha256: str
    meta: dict[str, str] = field(default_factory=dict)


def clean_text(raw: str) -> str:
    """Normalise newlines and strip escape sequences and other control characters
    (the policy is tracker.text's, for every untrusted text)."""
    return clean_document(raw)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; else Latin-1 when it is text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise IngestError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML front matter between --- lines (title, date, url, case), and the body after it.

    Read with PyYAML's safe loader: front matter is YAML, and a hand-written reader gets
    quoting, dates and lists wrong. A block that is not a mapping is left in the text.
    """
    import yaml

    match = re.match(r"^---[ \t]*\n(.*?)\n---[ \t]*\n", text, flags=re.DOTALL)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    meta = {str(k).strip().lower(): clean_text(str(v)).strip() for k, v in data.items() if v is not None}
    return meta, text[match.end():]


_META_LABEL = re.compile(r"^(?:tags?|categor(?:y|ies)|filed\s+under|source|topics?|section|keywords?)\s*:", re.IGNORECASE)
_DATELINE_PREFIX = re.compile(r"^[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z .]{1,20})?"
                              r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s*")
TITLE_FROM_LEAD = 100


def guess_title(text: str, fallback: str) -> str:
    """The headline: the first line that reads like one. Page furniture (bylines, date
    lines, update stamps, timestamps) is never the title; a text whose first line is
    already the story (a sentence ending in a full stop) is titled from its lead."""
    from tracker.furniture import classify_line

    lines = [ln.strip().lstrip("#").strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and ln != "---"]
    for line in lines[:12]:
        if _BOILERPLATE.match(line) or _META_LABEL.match(line) or classify_line(line):
            continue
        if re.search(r"[.!?][\"”’)]?$", line) and len(line.split()) > 12:
            return title_from_lead(line)
        if len(line.split()) >= 3 and len(line) <= 200:
            return line
    return lines[0][:200] if lines else fallback


def title_from_lead(paragraph: str) -> str:
    """A title from a story's first paragraph: its first sentence without the dateline,
    cut at a clause or word boundary when long."""
    from tracker.sentences import sentence_spans

    body = _DATELINE_PREFIX.sub("", paragraph, count=1) or paragraph
    spans = sentence_spans(body)
    sentence = body[spans[0][0]:spans[0][1]] if spans else body
    sentence = sentence.rstrip(".").strip()
    if len(sentence) <= TITLE_FROM_LEAD:
        return sentence
    comma = sentence.rfind(",", 0, TITLE_FROM_LEAD)
    if comma > 40:
        return sentence[:comma]
    cut = sentence.rfind(" ", 0, TITLE_FROM_LEAD - 1)
    return sentence[: cut if cut > 40 else TITLE_FROM_LEAD - 1].rstrip(" ,;:") + "…"


def read_document(path: Path) -> Document:
    """Read one file as a document, or raise IngestError with a one-line reason."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IngestError(f"too large ({size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except PermissionError:
        raise IngestError("permission denied") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise IngestError(reason[:1].lower() + reason[1:]) from None
    return document_from_text(decode(data), str(path), path.stem, html=path.suffix.lower() in {".html", ".htm"})


def read_stdin(data: bytes) -> Document:
    """A document piped in (`tracker import -`)."""
    return document_from_text(decode(data), "<stdin>", "stdin")


def document_from_text(raw: str, path: str, fallback_title: str, html: bool = False) -> Document:
    """Clean text, front matter or HTML metadata, a title and the hash that detects repeats."""
    from tracker.htmltext import HtmlError, html_to_article, looks_like_html

    meta: dict[str, str] = {}
    if html or looks_like_html(raw):
        try:
            _, raw, meta = html_to_article(raw)
        except HtmlError as exc:
            raise IngestError(str(exc)) from None
    text = clean_text(raw)
    front, text = split_front_matter(text)
    meta = {**meta, **front}
    if not text.strip():
        raise IngestError("empty file")
    title = clean_text(meta.get("title", "")) or guess_title(text, fallback_title)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(path, " ".join(title.split()), text, digest, meta)


def iter_files(paths: list[Path]) -> Iterator[tuple[Path, str | None]]:
    """Files to import under `paths`, sorted; a path that is not usable yields its reason."""
    seen: set[str] = set()
    for root in paths:
        if str(root) == "-":
            yield root, None  # standard input
            continue
        if not root.exists():
            yield root, "no such file or directory"
            continue
        if root.is_file():
            yield root, None
            continue
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames.sort()
            for name in sorted(filenames):
                candidate = Path(dirpath) / name
                if candidate.suffix.lower() not in SUFFIXES or name.startswith("."):
                    continue
                real = os.path.realpath(candidate)
                if real in seen:
                    continue
                seen.add(real)
                yield candidate, None
