"""Atom 1.0 feeds of the listings: the same URL with `.atom` (`/meetings.atom?leader=Xi`,
`/statements.atom?q=sanctions`, `/flags.atom`, `/contradictions.atom`, ...) is a feed of
the rows that URL lists, in the spirit of Datasette's `.json`: a saved query a feed reader
(or an alerting tool) polls.

Each entry's id is the absolute URL of the record's page (a flag or contradiction, which
has no page of its own: its anchor on /flags or /contradictions), stable across runs;
`updated` is when the record was stored or last changed (the article's ingestion for
statements and meeting reports, the linker's last change for a canonical meeting, the
finding's creation for flags and contradictions). The XML is built by ElementTree, so every
text from an article is escaped; characters XML cannot carry are dropped.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import select

from .. import __version__
from ..store import Store
from ..store.models import ArticleRow
from ..store.rows import utc_iso
from .queries import _reading
from .shared import alternate as alternate_url

NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
RESPONSES: dict[int | str, dict[str, Any]] = {200: {"content": {MEDIA_TYPE: {}}, "description": "An Atom 1.0 feed"}}
EPOCH = "1970-01-01T00:00:00+00:00"  # for a record with no time at all (Atom needs one)

# XML 1.0 cannot carry most control characters, even escaped: they are dropped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class AtomResponse(Response):
    media_type = MEDIA_TYPE


@dataclass
class Entry:
    href: str  # the record's page on this site (a path)
    title: str
    updated: str | None  # ISO 8601 with zone
    summary: str = ""
    anchor: str | None = None  # for a record without a page: its anchor on the listing (id and link)


def alternate(request: Request) -> str:
    """This listing's feed: /meetings?x=1 -> /meetings.atom?x=1 (without any paging cursor:
    a feed is the newest rows, not a page of them)."""
    url = alternate_url(request, ".atom")
    path, _, query = url.partition("?")
    kept = [p for p in query.split("&") if p and not p.startswith(("after=", "_format="))]
    return path + ("?" + "&".join(kept) if kept else "")


def _clean(text: Any) -> str:
    return _NOT_XML.sub("", "" if text is None else str(text))


def _rfc3339(moment: str | None) -> str:
    """An ISO time as RFC 3339 (a date alone is midnight UTC); EPOCH for none."""
    if not moment:
        return EPOCH
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return EPOCH
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def feed(request: Request, title: str, entries: Iterable[Entry], *, updated: Iterable[str | None] = ()) -> AtomResponse:
    """The feed of a listing: `title`, its entries, updated at the newest of the entries' and
    `updated` times (those of rows that left the listing too: a dismissed flag changes the feed)."""
    base = str(request.base_url).rstrip("/")
    entries = list(entries)
    times = [_rfc3339(e.updated) for e in entries] + [_rfc3339(u) for u in updated if u]
    root = ET.Element("feed", xmlns=NS)
    self_url = base + alternate(request)
    path, _, query = alternate(request).partition("?")
    html_url = base + path.removesuffix(".atom") + (f"?{query}" if query else "")
    ET.SubElement(root, "id").text = self_url
    ET.SubElement(root, "title").text = _clean(title) + " · summitry"
    ET.SubElement(root, "updated").text = max(times, default=EPOCH)
    ET.SubElement(root, "link", rel="self", type=MEDIA_TYPE, href=self_url)
    ET.SubElement(root, "link", rel="alternate", type="text/html", href=html_url)
    author = ET.SubElement(root, "author")
    ET.SubElement(author, "name").text = "summitry"
    ET.SubElement(root, "generator", version=__version__).text = "summitry"
    for e in entries:
        url = base + e.href + (f"#{quote(e.anchor, safe=':')}" if e.anchor else "")
        entry = ET.SubElement(root, "entry")
        ET.SubElement(entry, "id").text = url
        ET.SubElement(entry, "title").text = _clean(e.title) or "(untitled)"
        ET.SubElement(entry, "updated").text = _rfc3339(e.updated)
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=url)
        if e.summary:
            ET.SubElement(entry, "summary", type="text").text = _clean(e.summary)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return AtomResponse(body, media_type=MEDIA_TYPE + "; charset=utf-8")


# --- entries of each kind of row ----------------------------------------------------------

def ingested_at(store: Store, article_ids: Iterable[str]) -> dict[str, str | None]:
    """When each article was stored (its records' `updated`)."""
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    with _reading(store) as session:
        return {i: utc_iso(t) for i, t in session.execute(
            select(ArticleRow.id, ArticleRow.ingested_at).where(ArticleRow.id.in_(ids)))}


def meeting_report_entries(found: list[dict[str, Any]], rows: list[Any]) -> list[Entry]:
    """`found`: the rows with their `ingested_at` (`queries.recent_meetings`); `rows` their shapes."""
    return [Entry(href=m.href, updated=raw["ingested_at"],
                  title=f"{' – '.join(m.participants)}, {m.date or 'undated'}: {m.status}"
                        + (f" in {m.place}" if m.place else ""),
                  summary=f"{m.format or 'meeting'}" + (f" ({m.occasion})" if m.occasion else "")
                          + f", reported by {m.article_title or m.article_id}: {m.evidence or ''}")
            for raw, m in zip(found, rows)]


def statement_entries(found: list[dict[str, Any]], rows: list[Any]) -> list[Entry]:
    return [Entry(href=s.href, updated=raw["ingested_at"],
                  title=f"{s.speaker or s.speaker_mention or 'unnamed'}: “{s.quote[:120]}”",
                  summary=f"{s.quote} ({s.kind}, in {s.article_title or s.article_id})")
            for raw, s in zip(found, rows)]


def linked_meeting_entries(rows: list[Any], updated: dict[str, str | None]) -> list[Entry]:
    return [Entry(href=m.href, updated=updated.get(m.id),
                  title=f"{' – '.join(m.participants)}, {m.date or 'undated'}: {m.status}"
                        + (f" in {m.place}" if m.place else ""),
                  summary=f"{m.reports} report(s) in {m.articles} article(s)"
                          + (f"; disputed: {', '.join(m.disputed)}" if m.disputed else ""))
            for m in rows]


def commitment_entries(store: Store, rows: list[Any]) -> list[Entry]:
    """Commitments, updated when last rated (else when their article was stored), newest first."""
    times = ingested_at(store, (c.article_id for c in rows))
    rows = sorted(rows, key=lambda c: _rfc3339(c.status_at or times.get(c.article_id)), reverse=True)
    return [Entry(href=c.href, updated=c.status_at or times.get(c.article_id),
                  title=f"{', '.join(c.actors) or 'unnamed'}: {c.action} ({c.status.replace('_', ' ')})",
                  summary=c.sentence or c.action)
            for c in rows]


def flag_entry(request: Request, f: Any, created_at: str | None) -> Entry:
    return Entry(href="/flags", anchor=f.id, updated=created_at,
                 title=f"{f.kind.replace('_', ' ')}: “{f.claim}” ({f.article_title or f.article_id})",
                 summary=f.explanation)


def contradiction_entry(request: Request, c: Any, created_at: str | None) -> Entry:
    who = " – ".join(c.participants) or c.meeting_id
    return Entry(href="/contradictions", anchor=c.id, updated=created_at,
                 title=f"{who}, {c.meeting_date or 'undated'}: {c.kind} about {(c.field_or_topic or 'the meeting').replace('_', ' ')}",
                 summary=c.reason or c.explanation or "")
