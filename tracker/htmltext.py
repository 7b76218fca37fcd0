"""An HTML page to article text, title and publication date, with BeautifulSoup.

Scripts, styles, navigation, headers, footers, asides and forms are dropped; the text is
taken from <article>, else <main>, else <body>, one paragraph a line, so the importer
reads it like a plain-text story. Metadata comes from the page's own tags (Open Graph,
schema.org, <time>), which publishers set more reliably than anything in the prose.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button",
         "template")
_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "figcaption", "dd", "dt")
_DATE_KEYS = ("article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publish-date",
              "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date")


def looks_like_html(text: str) -> bool:
    head = text[:1000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<head" in head and "<body" in text[:20000].lower())


def html_to_article(html: str) -> tuple[str, str, dict[str, str]]:
    """(title, text, meta) of a page; meta may hold "date" (YYYY-MM-DD...) and "url"."""
    soup = BeautifulSoup(html, "html.parser")
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = (tag.get("content") or "").strip()
        if not key or not content:
            continue
        if key in _DATE_KEYS and "date" not in meta and re.match(r"\d{4}-\d{2}-\d{2}", content):
            meta["date"] = content[:10]
        elif key in ("og:url",) and "url" not in meta:
            meta["url"] = content
        elif key in ("og:title", "twitter:title") and "title" not in meta:
            meta["title"] = content
    if "date" not in meta:
        stamp = soup.find("time", attrs={"datetime": re.compile(r"^\d{4}-\d{2}-\d{2}")})
        if stamp:
            meta["date"] = str(stamp["datetime"])[:10]
    canonical = soup.find("link", rel="canonical")
    if canonical and canonical.get("href") and "url" not in meta:
        meta["url"] = str(canonical["href"])
    title = meta.get("title") or (soup.title.get_text(" ", strip=True) if soup.title else "")
    for name in _DROP:
        for node in soup.find_all(name):
            node.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    paragraphs = []
    for node in root.find_all(_BLOCKS):
        if node.find(_BLOCKS):
            continue  # the inner blocks carry the text
        text = " ".join(node.get_text(" ", strip=True).split())
        if text:
            paragraphs.append(text)
    if not paragraphs:
        paragraphs = [" ".join(root.get_text(" ", strip=True).split())]
    h1 = root.find("h1")
    if not title and h1:
        title = " ".join(h1.get_text(" ", strip=True).split())
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    return title, "\n\n".join(paragraphs) + "\n", meta
