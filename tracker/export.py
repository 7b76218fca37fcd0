"""Exports, one function per format. `tracker.v1` JSON is a contract other tools read:
its names and shapes change only with a new format version."""

from __future__ import annotations

from typing import Any

from tracker.models import Case
from tracker.store import Store

FORMAT_V1 = "tracker.v1"


def to_v1(store: Store, cases: list[Case]) -> dict[str, Any]:
    """The `tracker.v1` document for `cases`: sources, events, tags and excerpts."""
    out_cases = []
    for case in cases:
        sources = [
            {
                "id": s.id,
                "title": s.title,
                "path": s.path,
                "sha256": s.sha256,
                "published": s.published,
                "published_basis": s.published_basis,
            }
            for s in store.case_sources(case.id)
        ]
        events = []
        for event in store.list_events(case.id):
            events.append(
                {
                    "id": event.id,
                    "date": event.date,
                    "granularity": event.granularity,
                    "date_text": event.date_text,
                    "title": event.title,
                    "status": event.status,
                    "origin": event.origin,
                    "tags": list(event.tags),
                    "excerpts": [
                        {"source_id": x.source_id, "start": x.start, "end": x.end, "text": x.text}
                        for x in store.event_excerpts(event.id)
                    ],
                }
            )
        out_cases.append({"id": case.id, "title": case.title, "sources": sources, "events": events})
    return {"format": FORMAT_V1, "cases": out_cases}
