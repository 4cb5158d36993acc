"""What the page modules share: limits, links, the conversion of store rows to shapes,
highlighting of article text, facets, and the choice of response format (HTML, JSON, CSV).

Article text and titles are untrusted: the highlighted article text is built from escaped
segments (`highlight`), and no value from a URL is used as a file path or pasted into SQL.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, urlencode, urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import StreamingResponse
from markupsafe import Markup, escape

from ..records import (
    COMMITMENT_STATUSES,
    MEETING_FORMATS,
    MEETING_STATUSES,
    STATEMENT_KINDS,
)
from ..store import Store
from . import queries
from .queries import CursorError
from .shapes import Audit, AuditEntry, Facet, FacetValue, MeetingReport, Statement

# the `review` filter of listings: queries.REVIEW_FILTERS
ReviewFilter = Literal["unreviewed", "accepted", "corrected", "rejected", "reviewed"]

# The choices of the review forms: the same lists the store checks a review against.
REVIEW_CHOICES = {"statement_kind": STATEMENT_KINDS, "meeting_status": MEETING_STATUSES,
                  "meeting_format": MEETING_FORMATS, "commitment_status": COMMITMENT_STATUSES}

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
TIMELINE_LIMIT = 1000  # meetings shown on a pair's timeline


# --- links -----------------------------------------------------------------------------

def part(value: str) -> str:
    """A path segment: everything but ':' and '@' percent-encoded ('/' too)."""
    return quote(str(value), safe=":@")


def article_href(article_id: str, anchor: str | None = None) -> str:
    return f"/articles/{part(article_id)}" + (f"#{anchor}" if anchor else "")


def meeting_href(report_id: str) -> str:
    return f"/meetings/report/{part(report_id)}"


def statement_href(statement_id: str) -> str:
    return f"/statements/{part(statement_id)}"


def speaker_href(name: str) -> str:
    return f"/speakers/{part(name)}"


def linked_meeting_href(meeting_id: str, suffix: str = "") -> str:
    """The page of a canonical meeting (see summitry.web.record_pages)."""
    return f"/meetings/{part(meeting_id)}{suffix}"


def commitment_href(commitment_id: str, suffix: str = "") -> str:
    return f"/commitments/{part(commitment_id)}{suffix}"


def candidate_href(kind: str, finding_id: str) -> str:
    """A derived finding in the review queue (its anchor on /candidates)."""
    return f"/candidates#{kind}-{part(finding_id)}"


def record_href(kind: str, record_id: str) -> str:
    """The page of a statement, meeting report, commitment, or a finding of the review queue."""
    if kind in ("fact_flag", "contradiction", "rating"):
        return candidate_href(kind, record_id)
    return {"statement": statement_href, "meeting_report": meeting_href,
            "commitment": commitment_href}.get(kind, statement_href)(record_id)


def audit_entry(entry: dict[str, Any]) -> AuditEntry:
    return AuditEntry(**entry, href=record_href(entry["kind"], entry["record_id"]))


def audit_of(found: dict[str, Any]) -> Audit:
    """The JSON shape of `Store.record_audit`."""
    review = found.get("review") or {}
    return Audit(review_id=review.get("id"), verdict=review.get("verdict"),
                 entries=[audit_entry(e) for e in found.get("entries", [])])


def web_href(url: str | None) -> str | None:
    """`url` when it is a web address (http or https, with a host and no spaces or control
    characters), to be shown as a link; None for anything else (javascript:, data:, file:,
    relative paths ...), which is shown as text."""
    if not url or not re.fullmatch(r"(?i)https?://[^\s\x00-\x1f\x7f]+", url.strip()):
        return None
    url = url.strip()
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return url if host else None


def with_query(path: str, pairs: Iterable[tuple[str, str]]) -> str:
    pairs = list(pairs)
    return path + ("?" + urlencode(pairs) if pairs else "")


def anchor(row_id: str, fallback: str = "") -> str:
    """The anchor of a statement or meeting report in its article's page: "s3", "m1"."""
    suffix = str(row_id).rsplit(":", 1)[-1]
    return suffix if re.fullmatch(r"[sm]\d+", suffix) else fallback


def meeting_shape(row: dict[str, Any]) -> MeetingReport:
    return MeetingReport(**row, href=meeting_href(row["id"]))


def statement_shape(row: dict[str, Any]) -> Statement:
    return Statement(**row, href=statement_href(row["id"]))


# --- highlighting (displaCy's manual mode, for overlapping spans) ------------------------

@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    kind: str  # quote | speaker | meeting: the CSS class
    ref: str  # s3, m1: the anchor id and a class ref-s3
    title: str = ""  # tooltip
    label: str | None = None  # shown after the span's last character (CSS ::after)


def highlight(text: str, spans: Iterable[Highlight]) -> Markup:
    """`text` as HTML with every span wrapped in <mark>s, all of it escaped.

    The text is cut at every span boundary; a segment inside several spans becomes one
    <mark> with all their classes, so overlapping and nested spans both show and no
    character is lost or repeated. Spans with offsets outside the text are ignored. An empty
    anchor (`<span id="s3">`) marks where each span of a ref first begins.
    """
    n = len(text)
    good = [s for s in spans if type(s.start) is int and type(s.end) is int and 0 <= s.start < s.end <= n]
    anchors: dict[int, list[str]] = {}
    for s in sorted(good, key=lambda s: s.start):
        if all(s.ref not in refs for refs in anchors.values()):
            anchors.setdefault(s.start, []).append(s.ref)
    bounds = sorted({0, n} | {s.start for s in good} | {s.end for s in good})
    out: list[str] = []
    for a, b in zip(bounds, bounds[1:]):
        for ref in anchors.get(a, []):
            out.append(Markup('<span class="anchor" id="{}"></span>').format(ref))
        segment = escape(text[a:b])
        active = [s for s in good if s.start <= a and b <= s.end]
        if not active:
            out.append(segment)
            continue
        classes = unique([s.kind for s in active] + [f"ref-{s.ref}" for s in active])
        titles = unique([s.title for s in active if s.title])
        labels = unique([s.label for s in active if s.label and s.end == b])
        title = Markup(' title="{}"').format("; ".join(titles)) if titles else ""
        label = Markup(' data-label="{}"').format(" · ".join(labels)) if labels else ""
        out.append(Markup('<mark class="{}"{}{}>{}</mark>').format(" ".join(classes), title, label, segment))
    return Markup("").join(out)


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def article_spans(article: dict[str, Any]) -> list[Highlight]:
    """The spans of an article's statements (quote parts, speaker mention) and meeting evidence."""
    spans = []
    for n, s in enumerate(article["statements"], start=1):
        if s.get("review_status") == "rejected":  # a person judged it wrong: listed, not marked
            continue
        ref = anchor(s["id"], f"s{n}")
        who = s.get("speaker") or f"unnamed: {s.get('speaker_mention') or '?'}"
        parts = s.get("parts") or [[s.get("start"), s.get("end")]]
        parts = [p for p in parts if isinstance(p, list | tuple) and len(p) == 2]
        for i, (start, end) in enumerate(parts):
            spans.append(Highlight(start, end, "quote", ref, f"statement {n}: {who} ({s.get('kind')})",
                                   label=who if i == len(parts) - 1 else None))
        if s.get("mention_start") is not None:
            spans.append(Highlight(s["mention_start"], s.get("mention_end"), "speaker", ref,
                                   f"statement {n}: speaker {who}"))
    for n, m in enumerate(article["meetings"], start=1):
        if m.get("evidence_start") is not None and m.get("review_status") != "rejected":
            what = " – ".join(m.get("participants") or [])
            spans.append(Highlight(m["evidence_start"], m.get("evidence_end"), "meeting", anchor(m["id"], f"m{n}"),
                                   f"meeting {n}: {what} ({m.get('status')}, {m.get('date') or 'undated'})"))
    return spans


# --- facets ----------------------------------------------------------------------------

def facet(name: str, counts: list[tuple[str, int]], pairs: list[tuple[str, str]], path: str,
           *, multi: bool = False) -> Facet:
    """Facet values with links that add (or, when selected, remove) the value in the query."""
    kept = [(k, v) for k, v in pairs if k not in ("after", "_format")]
    values = []
    for value, count in counts:
        if multi:
            selected = any(names_match(value, v) for k, v in kept if k == name)
            toggled = ([(k, v) for k, v in kept if not (k == name and names_match(value, v))]
                       if selected else kept + [(name, value)])
        else:
            selected = any(k == name and v == value for k, v in kept)
            toggled = [(k, v) for k, v in kept if k != name] + ([] if selected else [(name, value)])
        values.append(FacetValue(value=value, count=count, selected=selected,
                                 toggle_url=with_query(path, toggled)))
    return Facet(name=name, values=values)


def names_match(name: str, query: str) -> bool:
    name, query = queries.fold(name), queries.fold(query)
    return bool(query) and (name == query or name.endswith(" " + query))


def date_range(date_from: str | None, date_to: str | None) -> dict[str, str | None]:
    """The `from` and `to` of a meeting listing as full days (MeetingFilter.date_from/to); a
    400 for a value that is not a date."""
    try:
        bounds = {"date_from": queries.date_bound(date_from, end=False),
                  "date_to": queries.date_bound(date_to, end=True)}
    except ValueError as e:
        raise HTTPException(400, f"bad query: {e}") from None
    if bounds["date_from"] and bounds["date_to"] and bounds["date_from"] > bounds["date_to"]:
        raise HTTPException(400, "bad query: `from` is after `to`")
    return bounds


@dataclass(frozen=True)
class SortLink:
    sort: str
    href: str
    selected: bool


SORT_LABELS = {"newest": "newest first", "oldest": "oldest first", "reports": "most reports"}


def sort_links(request: Request, path: str, sorts: tuple[str, ...], current: str) -> list[SortLink]:
    """Links that keep the query but change its order (and start again from the first page)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("sort", "after", "_format")]
    return [SortLink(SORT_LABELS.get(s, s), with_query(path, kept + ([] if s == "newest" else [("sort", s)])),
                     s == current) for s in sorts]


def kept_params(request: Request, *dropped: str) -> list[tuple[str, str]]:
    """The query's parameters but `dropped` (and the paging cursor): a form's hidden fields."""
    return [(k, v) for k, v in request.query_params.multi_items() if k not in (*dropped, "after", "_format")]


def next_url(path: str, pairs: list[tuple[str, str]], cursor: str | None) -> str | None:
    if cursor is None:
        return None
    return with_query(path, [(k, v) for k, v in pairs if k != "after"] + [("after", cursor)])


# --- responses -------------------------------------------------------------------------

def wanted_format(request: Request) -> str:
    """html, json, csv or atom: from the route's suffix, then ?_format=, then the Accept header."""
    route_path = getattr(request.scope.get("route"), "path", "")
    for suffix in ("json", "csv", "atom"):
        if route_path.endswith("." + suffix):
            return suffix
    requested = request.query_params.get("_format")
    if requested in ("json", "csv", "atom", "html"):
        return requested
    return "json" if accepts_json(request) else "html"


def accepts_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def alternate(request: Request, suffix: str) -> str:
    """The URL of this page in another format: /meetings?x=1 -> /meetings.json?x=1."""
    path = request.url.path
    for old in (".json", ".csv", ".atom"):
        if path.endswith(old):
            path = path[: -len(old)]
    path = "/.json" if path == "/" and suffix == ".json" else path + suffix
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "_format"]
    return with_query(path, pairs)


def csv_cell(value: Any) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join("-".join(map(str, v)) if isinstance(v, list | tuple) else str(v) for v in value)
    text = str(value)
    return "'" + text if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(rows: Iterator[dict[str, Any]], columns: list[str], filename: str) -> StreamingResponse:
    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_cell(row.get(c)) for c in columns])
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


MEETING_COLUMNS = ["id", "date", "participants", "place", "occasion", "status", "format",
                   "scheduled_minutes", "actual_minutes", "others_present", "evidence",
                   "article_id", "article_title", "extractor_version"]
STATEMENT_COLUMNS = ["id", "speaker", "speaker_mention", "quote", "kind", "cue", "sentence",
                     "article_id", "article_title", "article_source", "article_published",
                     "start", "end", "extractor_version"]


def report_link(store: Store, report_id: str) -> dict[str, str | None]:
    meeting_id, pinned = queries.report_link(store, report_id)
    return {"linked_meeting": meeting_id, "pinned_link": pinned,
            "linked_meeting_href": linked_meeting_href(meeting_id) if meeting_id else None}


def keyset_page(fetch: Callable, store: Store, f: Any, after: str | None, size: int) -> queries.Page:
    try:
        return fetch(store, f, after=after, size=size)
    except CursorError as e:
        raise HTTPException(400, f"bad cursor: {e}") from None
