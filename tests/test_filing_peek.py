"""Choosing a folder's filing order peeks at each file's first bytes: a file that may
carry metadata (front matter, an HTML page), or shares its name with another file, is
read for its heading; the others are plain stories that name no case. The order is the
one a whole reading of every file gives."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from tracker import analysis, importer
from tracker.ingest import IngestError, iter_files, may_name_case, read_document
from tracker.analysis import Ranked
from tracker.readers import Heading, Read, Readers, Reading

TODAY = date(2026, 11, 30)

STORY = "Harbor Freight sued the city of Calder on March 3, 2022 over dock fees.\n"
FRONT = "---\ntitle: Dock fees\ncase: Harbor Freight v. Calder\n---\n" + STORY


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "data", "may"), [
    ("plain.txt", "Dock fees\n\n" + STORY, False),
    ("dashes-later.txt", "Dock fees\n\n---\n" + STORY, False),
    ("front.md", FRONT, True),
    ("front-crlf.md", FRONT.replace("\n", "\r\n"), True),
    ("front-bom.md", b"\xef\xbb\xbf" + FRONT.encode(), True),
    ("front-after-controls.md", b"\x07\x08" + FRONT.encode(), True),
    ("front-after-escape.md", b"\x1b[0m" + FRONT.encode(), True),
    ("front-after-long-escape.md", b"\x1b]" + b"x" * 9000 + b"\x07" + FRONT.encode(), True),
    ("page.html", "Dock fees\n\n" + STORY, True),  # by its suffix
    ("page.txt", "<!DOCTYPE html><html><head><title>Dock fees</title></head><body><p>" + STORY, True),
    ("head-late.txt", " " * 900 + "<head><meta name='case'></head><body>" + STORY, True),
    ("utf16.txt", b"\xff\xfe" + FRONT.encode("utf-16-le"), True),
    ("binary.txt", b"\x00\x01binary", True),
    ("latin1.txt", b"\x85" + FRONT.encode(), True),  # cleaning takes a Latin-1 control out
    ("empty.txt", "", False),
])
def test_a_file_is_read_for_its_heading_only_when_it_may_name_its_case(tmp_path: Path, name: str,
                                                                      data: str | bytes, may: bool) -> None:
    path = write(tmp_path, name, data)
    assert may_name_case(path) is may
    try:
        names_case = bool(read_document(path).meta.get("case"))
    except IngestError:
        names_case = False
    assert not names_case or may  # never told "no" of a file that names its case


def test_a_character_cut_by_the_peek_is_no_reason_to_read_whole(tmp_path: Path) -> None:
    for shift in range(4):  # the peek's last byte falls inside "é" or "€" one way or another
        path = write(tmp_path, f"long-{shift}.txt", "x" * shift + "Dock fees é€ " * 2000)
        assert not may_name_case(path)


def test_what_cannot_be_peeked_at_is_read_whole(tmp_path: Path) -> None:
    assert may_name_case(tmp_path / "missing.txt")
    fifo = tmp_path / "pipe.txt"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
        assert may_name_case(fifo)  # at once: a FIFO is not opened for a blocking read


class _Counted(Reading):
    """Notes each path read for its heading (shared by its copies: one process here)."""

    headed: list[str] = []
    root = ""

    def __call__(self, item: Path | Ranked) -> Read | Ranked | Heading:
        result = super().__call__(item)
        if self.heading_only and isinstance(result, Heading):
            self.headed.append(os.path.relpath(result.path, self.root))
        return result


def test_the_filing_order_is_a_whole_reading_s_with_few_files_read_twice(tmp_path: Path) -> None:
    """Same-named files in two folders are ordered by their hashes, the files naming
    their case come first, unreadable files last: as when every file is read whole
    first. Only the files that may name their case, or share a name, are read for their
    heading."""
    folder = tmp_path / "folder"
    write(folder, "a/index.txt", "Calder appeals\n\nPublished: May 17, 2022\n\nThe city of Calder appealed.\n")
    write(folder, "b/index.txt", "Dock fees rise\n\nPublished: June 1, 2022\n\nHarbor Freight v. Calder goes on.\n")
    write(folder, "c/index.txt", "Dock fees rise\n\nPublished: June 1, 2022\n\nHarbor Freight v. Calder goes on.\n")
    write(folder, "named.md", FRONT)
    write(folder, "zz-named.md", FRONT.replace("Dock fees", "Fees again"))
    write(folder, "plain.txt", "Dock fees\n\n" + STORY)
    write(folder, "other.txt", "Harbor Freight v. Calder: the suit\n\nPublished: March 4, 2022\n\n" + STORY)
    write(folder, "broken.txt", b"\x00\x01binary")
    write(folder, "empty.txt", "")
    files = list(iter_files([folder]))
    keyed, failed = [], []
    for path, _ in files:
        try:
            doc = read_document(path)
        except IngestError:
            failed.append(path)
            continue
        keyed.append((analysis.first_reading(doc, with_rank=True).rank, path.name, doc.sha256, path))
    expected = [path for *_, path in sorted(keyed)] + [p for p, _ in files if p in failed]

    _Counted.headed, _Counted.root = [], str(folder)
    with Readers(1) as pool:
        order = [item if isinstance(item, Path) else Path(getattr(item, "doc", item).path)
                 for item in importer._filing_order(files, pool, _Counted(TODAY, with_rank=True), lambda note: None)]
    assert [str(p) for p in order] == [str(p) for p in expected]
    assert sorted(_Counted.headed) == ["a/index.txt", "b/index.txt", "c/index.txt", "named.md", "zz-named.md"]
