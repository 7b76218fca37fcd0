"""Every export of hostile and awkward text, read back by an independent parser.

Imported documents are untrusted: a title may be a spreadsheet formula, an excerpt may
hold HTML or Markdown, and iCalendar needs its commas, semicolons and long lines
escaped and folded. Each format must carry the text literally and nothing more.
"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
from markdown_it import MarkdownIt

from tests.helpers import run_cli
from tracker.extract import ProposedEvent
from tracker.store import Store

FORMULA = '=HYPERLINK("http://evil.example","click")'
TEXT = ('Borealis, Inc.; said: "<script>alert(1)</script>" & **won** [here](javascript:alert(2)) '
        'on 2021-03-12 \\ 日本語の裁判所 ~~struck~~ `code` ' + "long " * 30 + "end.")


def _build(path: Path) -> None:
    store = Store(path)
    try:
        case = store.ensure_case("Acme <b>v.</b> Borealis, Inc.")
        phrase = TEXT.index("2021-03-12")
        proposal = ProposedEvent(start=0, end=len(TEXT), phrase_start=phrase, phrase_end=phrase + 10,
                                 date_text="2021-03-12", value="2021-03-12", granularity="day", title=FORMULA)
        store.add_source_with_events(case_id=case, path="/docs/b.txt", title="Wire <i>report</i>, part 1",
                                     sha256="1" * 64, text=TEXT, published="2021-03-13", published_basis="metadata",
                                     proposals=[proposal])
        store.add_tags(1, ["court", "<img src=x onerror=alert(3)>"])
        store.add_event(case, "2021-W10", "week", "week 10", "-2 points: the week of talks")
        store.add_event(case, "2021-Q2", "quarter", "Q2", "@channel quarterly filing", tags=["filing"])
        store.add_event(case, "2022", "year", "2022", "+ trial year")
        store.add_event(case, None, "day", "", "Someday")
    finally:
        store.close()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("safe") / "s.db"
    _build(path)
    return path


def _export(db: Path, fmt: str, *args: str) -> str:
    result = run_cli(db, "export", "--format", fmt, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_json_and_jsonl_keep_text_exactly(db: Path) -> None:
    data = json.loads(_export(db, "json"))
    event = next(e for e in data["cases"][0]["events"] if e["excerpts"])
    assert event["title"] == FORMULA and event["excerpts"][0]["text"] == TEXT
    lines = [json.loads(line) for line in _export(db, "jsonl").splitlines()]
    assert [r["title"] for r in lines] == [e["title"] for e in data["cases"][0]["events"]]


def test_csv_cells_are_never_formulas_and_read_back(db: Path, tmp_path: Path) -> None:
    text = _export(db, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    titles = [r["title"] for r in rows]
    assert "'" + FORMULA in titles
    assert "'-2 points: the week of talks" in titles and "'@channel quarterly filing" in titles
    assert "'+ trial year" in titles
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values() if cell)
    sourced = next(r for r in rows if r["excerpt"])
    assert sourced["excerpt"] == TEXT and sourced["sources"] == "Wire <i>report</i>, part 1"
    assert sourced["tags"] == "<img src=x onerror=alert(3)>; court"
    sheet = tmp_path / "back.csv"
    sheet.write_text(text, encoding="utf-8")
    copy = tmp_path / "copy.db"
    result = run_cli(copy, "import", str(sheet))
    assert result.returncode == 0, result.stderr
    back = json.loads(run_cli(copy, "events", "Acme <b>v.</b> Borealis, Inc.", "--json").stdout)
    assert [(e["date"], e["title"]) for e in back] == [(r["date"] or None, r["title"].removeprefix("'")) for r in rows]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)


def _tags(fragment: str) -> set[str]:
    parser = _Tags()
    parser.feed(fragment)
    return parser.tags


def test_timelinejs_text_is_escaped_html(db: Path) -> None:
    data = json.loads(_export(db, "timelinejs"))
    first = next(e for e in data["events"] if e["unique_id"] == "event-1")
    assert _tags(first["text"]["headline"]) == set()
    assert _tags(first["text"]["text"]) <= {"p", "em"}
    assert "&lt;script&gt;" in first["text"]["text"]
    assert _tags(first["group"]) == set() and _tags(data["title"]["text"]["headline"]) == set()
    starts = {e["unique_id"]: e["start_date"] for e in data["events"]}
    assert starts["event-2"] == {"year": "2021", "month": "3", "day": "8", "display_date": "week 10 of 2021"}
    assert starts["event-3"] == {"year": "2021", "month": "4", "display_date": "Q2 2021"}
    assert starts["event-4"] == {"year": "2022"}
    assert "event-5" not in starts  # undated


def test_markdown_renders_text_not_markup(db: Path) -> None:
    text = _export(db, "markdown", "--status", "all")
    html = MarkdownIt("commonmark").enable("strikethrough").render(text)
    assert _tags(html) <= {"h1", "h2", "ul", "li", "strong", "em", "blockquote", "p", "ol"}
    assert "<strong>March 12, 2021</strong>" in html and "<strong>won</strong>" not in html
    assert 'href="javascript' not in html and "<del>" not in html and "<script" not in html


def test_ics_escapes_folds_and_spans_each_period(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.ics"
    _export(db, "ics", "-o", str(out))
    raw = out.read_bytes()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert str(events[FORMULA]["DESCRIPTION"]) == TEXT
    spans = {title: (e["DTSTART"].dt.isoformat(), e["DTEND"].dt.isoformat()) for title, e in events.items()}
    assert spans[FORMULA] == ("2021-03-12", "2021-03-13")
    assert spans["-2 points: the week of talks"] == ("2021-03-08", "2021-03-15")
    assert spans["@channel quarterly filing"] == ("2021-04-01", "2021-07-01")
    assert spans["+ trial year"] == ("2022-01-01", "2023-01-01")
    assert "Someday" not in spans
    assert len({str(e["UID"]) for e in events.values()}) == len(events)


def test_rejected_events_stay_out_of_what_people_read(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    _build(db)
    store = Store(db)
    try:
        store.set_status(4, "rejected")  # "+ trial year"
    finally:
        store.close()
    assert "trial year" not in _export(db, "markdown")
    assert "trial year" not in _export(db, "ics")
    assert "trial year" not in _export(db, "timelinejs")
    assert "trial year" in _export(db, "markdown", "--status", "rejected")
    assert "trial year" in _export(db, "json") and "trial year" in _export(db, "csv")
    assert "HYPERLINK" not in _export(db, "markdown")  # a brief lists confirmed events by default
    suggested = next(line for line in _export(db, "markdown", "--status", "all").splitlines() if "HYPERLINK" in line)
    assert suggested.endswith("*(unconfirmed)* [1]")
