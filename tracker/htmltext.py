"""An HTML page to article text, title, publication date and URL.

Finding the article in a news page is a solved problem we should not re-solve: menus,
share bars, "related" lists, comment threads, newsletter boxes and footers sit in plain
<div>s on most sites, and every one of them carries dates that would become false
events. trafilatura (text and title) and htmldate (the date) are maintained for exactly
this and measured on real pages. The date is read from the page's markup only (meta
tags, JSON-LD, <time>, the canonical URL), never guessed from the prose: the importer's
own dateline reading does that better and says that it did.
"""

from __future__ import annotations

import logging
import re

# Their warnings ("discarding data", parser hiccups) are about the page, not errors of
# ours; the import reports what matters (an empty page) itself.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)

FAST_ABOVE = 2_000_000
"""Pages longer than this (characters of HTML) are read by trafilatura's main extractor
alone. On a news page it also runs two other extractors (readability, jusText) and keeps
the better text, which helps odd layouts; on a page of megabytes, which is an archive
or a dump rather than one story, the comparison costs more than half the reading (13.5
MB: about 7 s with it, 3 s without)."""


class HtmlError(ValueError):
    """A page from which no text could be read."""


def looks_like_html(text: str) -> bool:
    """Stdin and oddly named files: sniff rather than trust a suffix."""
    head = text[:1000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<head" in head and "<body" in text[:20000].lower())


def html_to_article(html: str) -> tuple[str, str, dict[str, str]]:
    """(title, text, meta) of a page; meta may hold "title", "date" (YYYY-MM-DD) and "url".

    The text starts with the title as a headline line, then one paragraph a block, so the
    importer reads it like a plain-text story.
    """
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, fast=len(html) > FAST_ABOVE, with_metadata=True, include_comments=False, include_images=False,
            include_links=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # a third-party parser on untrusted input: report, never crash the import
        raise HtmlError(f"cannot read this HTML ({type(exc).__name__})") from None
    meta: dict[str, str] = {}
    body = ""
    if doc is not None:
        body = doc.text or ""
        if doc.title:
            meta["title"] = " ".join(doc.title.split())
        if doc.date and re.match(r"\d{4}-\d{2}-\d{2}$", doc.date):
            meta["date"] = doc.date
        if doc.url and _URL.match(doc.url):
            meta["url"] = doc.url
    if not body.strip():
        body = _fallback_text(html)
    paragraphs = [" ".join(line.split()) for line in body.splitlines()]
    paragraphs = [p for p in paragraphs if p]
    title = meta.get("title", "")
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    if not paragraphs:
        raise HtmlError("no article text in this page")
    return title, "\n\n".join(paragraphs) + "\n", meta


def _fallback_text(html: str) -> str:
    """For pages too small or odd for the article extractor: the body's text, still
    without scripts and styles (trafilatura's baseline)."""
    import trafilatura

    try:
        return trafilatura.baseline(html)[1]
    except Exception:
        return ""
