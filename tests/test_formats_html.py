"""HTML import on a page shaped like a real news site: only the article's own dates
become events, and the title, date and URL come from the page's markup."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_cli
from tracker.htmltext import HtmlError, html_to_article
from tracker.ingest import IngestError, document_from_text

PAGE = (ROOT / "tests" / "fixtures" / "news_page.html").read_text(encoding="utf-8")


def test_article_text_without_furniture() -> None:
    title, text, meta = html_to_article(PAGE)
    assert title == "Judge blocks Borealis sale in Acme suit"  # the site name is not part of it
    assert meta == {"title": title, "date": "2024-05-17", "url": "https://news.example.com/2024/05/17/acme-borealis"}
    assert text.startswith(title + "\n\n")
    assert "Acme sued Borealis on Jan. 5, 2024." in text
    for furniture in ("cookies", "Home", "Related", "June 2, 2021", "newsletter", "disgrace", "Most read",
                      "All rights reserved", "ADVERTISEMENT", "dataLayer", "Share on Facebook"):
        assert furniture not in text


def test_date_only_from_markup_never_from_prose() -> None:
    page = "<html><body><article><p>Acme sued Borealis on March 2, 2020, it said on Tuesday.</p></article></body></html>"
    assert "date" not in html_to_article(page)[2]
    with_time = page.replace("<article>", '<article><time datetime="2020-03-05T09:00">March 5</time>')
    assert html_to_article(with_time)[2]["date"] == "2020-03-05"


def test_unsafe_url_is_not_kept() -> None:
    page = PAGE.replace("https://news.example.com/2024/05/17/acme-borealis", "javascript:alert(1)")
    assert "url" not in html_to_article(page)[2]


@pytest.mark.parametrize("page", [
    "<html><head><title>Only a title</title></head><body></body></html>",
    "<html><body><script>document.write('March 3, 2021')</script></body></html>",
])
def test_a_page_without_text_is_refused_with_a_reason(page: str) -> None:
    with pytest.raises(HtmlError):
        html_to_article(page)
    with pytest.raises(IngestError, match="no article text"):
        document_from_text(page, "p.html", "p", html=True)


def test_import_dates_the_story_by_its_metadata(tmp_path: Path) -> None:
    page = tmp_path / "page.htm"
    page.write_text(PAGE, encoding="utf-8")
    db = tmp_path / "h.db"
    result = run_cli(db, "import", str(page), "--case", "Acme v. Borealis")
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT published, published_basis FROM sources").fetchone() == ("2024-05-17", "metadata")
    dates = {e["date"] for e in json.loads(run_cli(db, "events", "Acme v. Borealis", "--json").stdout)}
    assert {"2024-05-16", "2024-01-05", "2024-08-02"} <= dates  # "on Thursday", "Jan. 5, 2024", "set for Aug. 2"
    assert not dates & {"2021-06-02", "2023-03-01", "2020-04-01", "2019-10-07", "2022-03-03", "2023-02-01"}


def test_html_from_stdin_is_sniffed(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    result = run_cli(db, "import", "-", "--case", "Acme v. Borealis", "--json", stdin=PAGE)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT title FROM sources").fetchone() == ("Judge blocks Borealis sale in Acme suit",)
