"""Reading files into documents: encodings, cleaning, titles, hashing.

Imported text is untrusted: control characters (ANSI escapes among them) are removed
here, once, so nothing stored can later drive the terminal. Offsets of excerpts refer to
the cleaned text, which is what the store keeps.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from typing import BinaryIO
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


# Front matter is read with limits: a few lines of YAML can expand to gigabytes
# ("billion laughs": aliases of aliases) or nest deeper than the parser's stack.
FRONT_MATTER_MAX = 64 * 1024
YAML_NODES_MAX = 10_000
YAML_DEPTH_MAX = 20
_NULLS = {"", "~", "null", "Null", "NULL"}


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML front matter between --- lines (title, date, url, case), and the body after it.

    Read with PyYAML's BaseLoader (every value a string: an impossible date is text, not
    an error), within limits: the block's size, its depth, and the number of values once
    aliases are expanded. A block beyond them fails the file with its reason (IngestError);
    a block that is not YAML or not a mapping is left in the text.
    """
    import yaml

    match = re.match(r"^---[ \t]*\n(.*?)\n---[ \t]*\n", text[:FRONT_MATTER_MAX + 16], flags=re.DOTALL)
    if not match:
        if text.startswith("---") and len(text) > FRONT_MATTER_MAX and "\n---" in text[FRONT_MATTER_MAX:FRONT_MATTER_MAX * 4]:
            raise IngestError(f"front matter larger than {FRONT_MATTER_MAX // 1024} KB")
        return {}, text
    try:
        node = yaml.compose(match.group(1), Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return {}, text
    except RecursionError:
        raise IngestError("front matter nested too deeply") from None
    if not isinstance(node, yaml.MappingNode):
        return {}, text
    _bound_yaml(node)
    meta: dict[str, str] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        flat = _flatten(value)
        if flat in _NULLS:
            continue
        meta[clean_text(key.value).strip().lower()] = clean_text(flat).strip()
    return meta, text[match.end():]


def _bound_yaml(root: object) -> None:
    """Count the values a YAML node tree stands for, aliases expanded, without expanding them."""
    import yaml

    sizes: dict[int, int] = {}

    def size(node: object, depth: int) -> int:
        if depth > YAML_DEPTH_MAX:
            raise IngestError(f"front matter nested deeper than {YAML_DEPTH_MAX} levels")
        known = sizes.get(id(node))
        if known is not None:
            return known
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        if total > YAML_NODES_MAX:
            raise IngestError(f"front matter stands for more than {YAML_NODES_MAX} values (aliases expanded)")
        sizes[id(node)] = total
        return total

    size(root, 0)


def _flatten(node: object) -> str:
    """A value as one string: a list's items joined by commas (within the bound above)."""
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return ", ".join(_flatten(child) for child in node.value)
    if isinstance(node, yaml.MappingNode):
        return ", ".join(f"{_flatten(k)}: {_flatten(v)}" for k, v in node.value)
    return ""


_META_LABEL = re.compile(r"^(?:tags?|categor(?:y|ies)|filed\s+under|source|topics?|section|keywords?)\s*:", re.IGNORECASE)
_DATELINE_PREFIX = re.compile(r"^[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z .]{1,20})?"
                              r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s*")
TITLE_FROM_LEAD = 100


def guess_title(text: str, fallback: str) -> str:
    """The headline: the first line that reads like one. Page furniture (bylines, date
    lines, update stamps, timestamps) is never the title; a text whose first line is
    already the story (a sentence ending in a full stop) is titled from its lead."""
    from tracker.furniture import classify_line

    lines = _first_lines(text, 12)
    for line in lines:
        if _BOILERPLATE.match(line) or _META_LABEL.match(line) or classify_line(line):
            continue
        if re.search(r"[.!?][\"”’)]?$", line) and len(line.split()) > 12:
            return title_from_lead(line)
        if len(line.split()) >= 3 and len(line) <= 200:
            return line
    return lines[0][:200] if lines else fallback


def _first_lines(text: str, count: int) -> list[str]:
    """The first `count` lines of `text` that hold something besides "#" and "---",
    stripped. Read from the text's start as far as they go: a line a cut in the middle
    leaves incomplete is never among them, as more lines follow it."""
    def kept(part: str) -> list[str]:
        lines = (ln.strip().lstrip("#").strip() for ln in part.splitlines())
        return [ln for ln in lines if ln and ln != "---"]

    head = kept(text[:_TITLE_WINDOW])
    return head[:count] if len(head) > count else kept(text)[:count]


_TITLE_WINDOW = 16 * 1024  # characters read for the first lines, most stories' whole text


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


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, read up to `limit` (a file that grows while read, or a
    link to /dev/zero, cannot make us read more); FIFOs, devices and sockets are refused
    without blocking. IngestError with a one-line reason otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except PermissionError:
        raise IngestError("permission denied") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise IngestError(reason[:1].lower() + reason[1:]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IngestError("not a regular file (a FIFO, device or socket is not read)")
        if info.st_size > limit:
            raise IngestError(f"too large ({info.st_size // (1024 * 1024)} MB; the limit is {limit // (1024 * 1024)} MB)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            # Asked for its size first: a read of the whole limit allocates it (20 MB,
            # four times the time of a news story's read); a file that grew meanwhile
            # is read on, to the limit.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(limit + 1 - len(data))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise IngestError(reason[:1].lower() + reason[1:]) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise IngestError(f"too large (the limit is {limit // (1024 * 1024)} MB)")
    return data


# What `may_name_case` reads of a file: more than the first thousand characters that
# tell an HTML page (`htmltext.looks_like_html`), in any encoding that is not UTF-16.
_PEEK_BYTES = 8192


def may_name_case(path: Path) -> bool:
    """Whether the document at `path` may carry its own metadata (YAML front matter, or
    an HTML page's), and so may name its case, from its first bytes alone: False only
    when it cannot (no "---" at its start, no "<" near it). Anything else is True: a
    file that cannot be peeked at, is not a regular file, is UTF-16 or binary, is read
    whole to know (`read_document`), and fails there with its reason if it must.

    Choosing a folder's filing order needs to know which documents name their case;
    most are plain stories, told here without reading, decoding and hashing them."""
    if path.suffix.lower() in {".html", ".htm"}:
        return True
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return True
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return True
        data = os.read(fd, _PEEK_BYTES)
    except OSError:
        return True
    finally:
        os.close(fd)
    # UTF-16, binary, or an escape sequence (which cleaning takes out whole, however
    # long): read whole.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data or b"\x1b" in data:
        return True
    start = _utf8_start(data)
    if start is None:
        return True  # not UTF-8: read as Latin-1, whose controls cleaning takes out
    # Cleaning only takes characters out, so what `document_from_text` looks for within
    # the first thousand characters of the text is within the cleaned start here.
    start = clean_text(start)
    return start.startswith("---") or "<" in start[:2000]


def _utf8_start(data: bytes) -> str | None:
    """`data` (a file's first bytes) as UTF-8, a character cut at its end left out; None
    when it is not UTF-8."""
    for cut in range(4):
        try:
            return data[:len(data) - cut].decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
    return None


def read_stream(stream: BinaryIO, limit: int = MAX_BYTES) -> bytes:
    """Standard input, read up to `limit`: more is refused rather than held in memory."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise IngestError(f"standard input is too large (the limit is {limit // (1024 * 1024)} MB)")
    return data


def read_document(path: Path) -> Document:
    """Read one file as a document, or raise IngestError with a one-line reason."""
    data = read_bytes(path)
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


def iter_files(paths: list[Path], follow_links: bool = False) -> Iterator[tuple[Path, str | None]]:
    """Files to import under `paths`, sorted; a path that is not usable yields its reason.

    Inside a folder only regular files are read, and a link that leads out of the folder
    (to /etc/shadow, to /dev/zero) is refused unless `follow_links`; a path named on the
    command line is read where it leads, as asked.
    """
    seen: set[str] = set()
    for root in paths:
        if str(root) == "-":
            yield root, None  # standard input
            continue
        if not root.exists():
            yield root, "no such file or directory"
            continue
        if not root.is_dir():
            yield root, None  # read_bytes refuses what is not a regular file
            continue
        inside = os.path.realpath(root)
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
                if not follow_links and os.path.commonpath([inside, real]) != inside:
                    yield candidate, "a link that leads out of the folder being imported (--follow-links reads it)"
                    continue
                yield candidate, None
