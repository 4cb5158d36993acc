"""The web app: server-rendered pages over the store, each one also JSON (read side).

In the manner of Datasette: the URL is the query (`/meetings?leader=Arla+Venn&year=2031`),
the same URL with `.json` (or `Accept: application/json`, or `?_format=json`) gives the
data, listings export as CSV (`.csv` or `?_format=csv`), facets are links, and every
meeting report, statement and article has a row page with a stable URL. Listings are paged
with keyset cursors (`?after=...`). The OpenAPI document is at `/openapi.json`.

Article text and titles are untrusted: templates autoescape everything, the highlighted
article text is built from escaped segments (`highlight`), links from articles are shown
as text, and no value from a URL is used as a file path or pasted into SQL.
"""
from __future__ import annotations

import csv
import io
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

import jinja2
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..commitments import STATUSES as COMMITMENT_STATUSES
from ..store import ReviewError, Store, StoreError
from ..store.review import MEETING_FORMATS, MEETING_STATUSES, STATEMENT_KINDS
from . import queries, review_pages
from .auth import CSRF_COOKIE, WriteAuth, WriteRefused, new_token
from .queries import CursorError, MeetingFilter, StatementFilter

HERE = Path(__file__).parent
log = logging.getLogger("summitry.web")

# the `review` filter of listings: queries.REVIEW_FILTERS
ReviewFilter = Literal["unreviewed", "accepted", "corrected", "rejected", "reviewed"]

# The choices of the review forms: the same lists the store checks a review against.
REVIEW_CHOICES = {"statement_kind": STATEMENT_KINDS, "meeting_status": MEETING_STATUSES,
                  "meeting_format": MEETING_FORMATS, "commitment_status": COMMITMENT_STATUSES}

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
TIMELINE_LIMIT = 1000  # meetings shown on a pair's timeline


# --- JSON shapes (they make /openapi.json useful) --------------------------------------

class MeetingValues(BaseModel):
    """What a meeting report (or a canonical meeting) says of an encounter."""
    participants: list[str]
    date: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    place: str | None = None
    occasion: str | None = None
    status: str  # held | planned | proposed | cancelled | denied
    format: str | None = None
    scheduled_minutes: int | None = None
    actual_minutes: int | None = None


class MeetingReport(MeetingValues):
    id: str
    href: str  # this report's page
    article_id: str
    article_title: str | None = None
    others_present: list[str] = []
    evidence: str | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None
    extractor_version: str
    review_status: str | None = None  # accepted | corrected | rejected by a person; None: unreviewed


class Statement(BaseModel):
    id: str
    href: str  # this statement's page
    article_id: str
    article_title: str | None = None
    article_source: str | None = None
    article_published: str | None = None
    speaker: str | None = None
    speaker_mention: str | None = None
    quote: str
    kind: str  # direct | indirect | mixed
    cue: str | None = None
    start: int
    end: int
    parts: list[list[int]] | None = None
    mention_start: int | None = None
    mention_end: int | None = None
    sentence: str | None = None
    extractor_version: str
    review_status: str | None = None  # as MeetingReport.review_status


class AuditEntry(BaseModel):
    id: int
    href: str  # the page of the record changed
    review_id: str | None = None
    kind: str  # statement | meeting_report | commitment
    record_id: str
    article_id: str | None = None
    action: str  # accept | correct | reject | reapply | set_status
    by: str
    at: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    why: str


class Audit(BaseModel):
    review_id: str | None = None
    verdict: str | None = None  # the standing verdict
    entries: list[AuditEntry]  # oldest first


class FacetValue(BaseModel):
    value: str
    count: int
    selected: bool
    toggle_url: str  # this listing with the value added to the query, or removed if selected


class Facet(BaseModel):
    name: str
    values: list[FacetValue]


class TimelineYear(BaseModel):
    year: str  # "undated" for reports without a date
    meetings: list[MeetingReport]


class MeetingsPage(BaseModel):
    filters: dict[str, Any]
    total: int  # rows matching the filters, on all pages
    rows: list[MeetingReport]
    facets: list[Facet]
    next: str | None  # cursor: pass as ?after= for the next page
    next_url: str | None
    timeline: list[TimelineYear] | None = None  # when the query names a pair: between=A&between=B


class StatementsPage(BaseModel):
    filters: dict[str, Any]
    total: int
    rows: list[Statement]
    facets: list[Facet]
    next: str | None
    next_url: str | None


class ArticleSummary(BaseModel):
    id: str
    href: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    statements: int
    meetings: int


class Counts(BaseModel):
    articles: int
    statements: int
    meeting_reports: int
    actors: int


class Home(BaseModel):
    counts: Counts
    latest_articles: list[ArticleSummary]


class Span(BaseModel):
    start: int
    end: int
    kind: Literal["quote", "speaker", "meeting"]
    ref: str  # "s3": the article's third statement; "m1": its first meeting report


class ArticlePage(BaseModel):
    id: str
    href: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None  # where the article was read from (shown as text, never linked)
    origin: str | None = None
    content_hash: str
    text: str
    ingested_at: str | None = None
    record_version: str | None = None
    statements: list[Statement]
    meetings: list[MeetingReport]
    spans: list[Span]  # the highlighted spans of the text (valid offsets only)


class MeetingReportPage(BaseModel):
    meeting: MeetingReport
    statements: list[Statement]  # the statements of the same article
    related: list[MeetingReport]  # other reports of meetings of the same leaders
    audit: Audit  # people's reviews of this report
    linked_meeting: str | None = None  # the canonical meeting it is evidence of (after `link`)
    linked_meeting_href: str | None = None
    pinned_link: str | None = None  # what a reviewer decided: "apart" or a meeting id


class StatementPage(BaseModel):
    statement: Statement
    same_article: list[Statement]
    audit: Audit  # people's reviews of this statement


class SpeakerPage(BaseModel):
    name: str
    actors: list[str]  # canonical names matching `name`
    rows: list[Statement]
    next: str | None
    next_url: str | None


class Error(BaseModel):
    status: int
    error: str


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


def record_href(kind: str, record_id: str) -> str:
    """The page of a statement, meeting report or commitment."""
    return {"statement": statement_href, "meeting_report": meeting_href,
            "commitment": commitment_href}.get(kind, statement_href)(record_id)


def audit_entry(entry: dict[str, Any]) -> AuditEntry:
    return AuditEntry(**entry, href=record_href(entry["kind"], entry["record_id"]))


def audit_of(found: dict[str, Any]) -> Audit:
    """The JSON shape of `Store.record_audit`."""
    review = found.get("review") or {}
    return Audit(review_id=review.get("id"), verdict=review.get("verdict"),
                 entries=[audit_entry(e) for e in found.get("entries", [])])


def with_query(path: str, pairs: Iterable[tuple[str, str]]) -> str:
    pairs = list(pairs)
    return path + ("?" + urlencode(pairs) if pairs else "")


def anchor(row_id: str, fallback: str = "") -> str:
    """The anchor of a statement or meeting report in its article's page: "s3", "m1"."""
    suffix = str(row_id).rsplit(":", 1)[-1]
    return suffix if re.fullmatch(r"[sm]\d+", suffix) else fallback


def _meeting(row: dict[str, Any]) -> MeetingReport:
    return MeetingReport(**row, href=meeting_href(row["id"]))


def _statement(row: dict[str, Any]) -> Statement:
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
        classes = _unique([s.kind for s in active] + [f"ref-{s.ref}" for s in active])
        titles = _unique([s.title for s in active if s.title])
        labels = _unique([s.label for s in active if s.label and s.end == b])
        title = Markup(' title="{}"').format("; ".join(titles)) if titles else ""
        label = Markup(' data-label="{}"').format(" · ".join(labels)) if labels else ""
        out.append(Markup('<mark class="{}"{}{}>{}</mark>').format(" ".join(classes), title, label, segment))
    return Markup("").join(out)


def _unique(items: list[str]) -> list[str]:
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

def _facet(name: str, counts: list[tuple[str, int]], pairs: list[tuple[str, str]], path: str,
           *, multi: bool = False) -> Facet:
    """Facet values with links that add (or, when selected, remove) the value in the query."""
    kept = [(k, v) for k, v in pairs if k not in ("after", "_format")]
    values = []
    for value, count in counts:
        if multi:
            selected = any(_names_match(value, v) for k, v in kept if k == name)
            toggled = ([(k, v) for k, v in kept if not (k == name and _names_match(value, v))]
                       if selected else kept + [(name, value)])
        else:
            selected = any(k == name and v == value for k, v in kept)
            toggled = [(k, v) for k, v in kept if k != name] + ([] if selected else [(name, value)])
        values.append(FacetValue(value=value, count=count, selected=selected,
                                 toggle_url=with_query(path, toggled)))
    return Facet(name=name, values=values)


def _names_match(name: str, query: str) -> bool:
    name, query = queries.fold(name), queries.fold(query)
    return bool(query) and (name == query or name.endswith(" " + query))


def _next_url(path: str, pairs: list[tuple[str, str]], cursor: str | None) -> str | None:
    if cursor is None:
        return None
    return with_query(path, [(k, v) for k, v in pairs if k != "after"] + [("after", cursor)])


# --- responses -------------------------------------------------------------------------

def _wanted_format(request: Request) -> str:
    """html, json or csv: from the route's suffix, then ?_format=, then the Accept header."""
    route_path = getattr(request.scope.get("route"), "path", "")
    for suffix in ("json", "csv"):
        if route_path.endswith("." + suffix):
            return suffix
    requested = request.query_params.get("_format")
    if requested in ("json", "csv", "html"):
        return requested
    return "json" if _accepts_json(request) else "html"


def _accepts_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _alternate(request: Request, suffix: str) -> str:
    """The URL of this page in another format: /meetings?x=1 -> /meetings.json?x=1."""
    path = request.url.path
    for old in (".json", ".csv"):
        if path.endswith(old):
            path = path[: -len(old)]
    path = "/.json" if path == "/" and suffix == ".json" else path + suffix
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "_format"]
    return with_query(path, pairs)


def _csv_cell(value: Any) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join("-".join(map(str, v)) if isinstance(v, list | tuple) else str(v) for v in value)
    text = str(value)
    return "'" + text if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_response(rows: Iterator[dict[str, Any]], columns: list[str], filename: str) -> StreamingResponse:
    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_cell(row.get(c)) for c in columns])
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


# --- the app ---------------------------------------------------------------------------

def create_app(db_url: str | None = None, token: str | None = None) -> FastAPI:
    """The web app over the store at `db_url` (default: `summitry.store.default_url()`).

    Writing (review) needs `token`; without one a random token is made, kept in
    `app.state.write_token` for the caller to show (see `summitry.web.serve`).
    """
    write_token = token or new_token()
    auth = WriteAuth(write_token)  # ValueError for a token too short to be a secret
    store = Store(db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        store.close()

    app = FastAPI(
        title="summitry", version=__version__, lifespan=lifespan,
        description="A sourced record of leader-level diplomacy: meeting reports and statements "
                    "extracted from news articles. Every page is also JSON (the same URL with "
                    "`.json`); listings export as CSV (`.csv`) and page with `?after=` cursors.",
        docs_url=None, redoc_url=None,  # their pages load scripts from a CDN
    )
    app.state.store = store
    app.state.write_token = write_token
    app.state.auth = auth
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.globals.update(article_href=article_href, anchor=anchor, meeting_href=meeting_href,
                       statement_href=statement_href, speaker_href=speaker_href,
                       commitment_href=commitment_href, record_href=record_href,
                       review_choices=REVIEW_CHOICES,
                       with_query=with_query, version=__version__)
    templates = Jinja2Templates(env=env)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def render(request: Request, template: str, data: BaseModel, *, title: str,
               listing: bool = False, **context: Any) -> Any:
        """The page as HTML, or its data as JSON (listings answer CSV before they get here)."""
        fmt = _wanted_format(request)
        if fmt == "csv":
            raise HTTPException(400, "CSV exports are for listings: /meetings.csv and /statements.csv")
        if fmt == "json":
            return JSONResponse(jsonable_encoder(data))
        return templates.TemplateResponse(request, template, {
            "data": data, "title": title, "json_url": _alternate(request, ".json"),
            "csv_url": _alternate(request, ".csv") if listing else None,
            **writer_context(request), **context})

    def writer_context(request: Request) -> dict[str, Any]:
        """What every page's forms need: the reviewer logged in (or None) and the CSRF token."""
        return {"reviewer": auth.reviewer(request, time.time()), "csrf": request.state.csrf,
                "here": request.url.path + (f"?{request.url.query}" if request.url.query else "")}

    @app.middleware("http")
    async def csrf_cookie(request: Request, call_next):
        """Give every browser a signed CSRF token (see summitry.web.auth) on its first visit."""
        existing = request.cookies.get(CSRF_COOKIE)
        request.state.csrf = existing if auth.csrf_ok(request, existing) else auth.new_csrf()
        response = await call_next(request)
        if request.state.csrf != existing:
            response.set_cookie(CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict",
                                secure=request.url.scheme == "https", path="/")
        return response

    # Routes are registered bottom-up (the decorator nearest the function first), so the
    # `.json` routes come before the HTML route whose `{id:path}` would swallow the suffix.

    # --- home --------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/index.json", response_model=Home, include_in_schema=False)
    @app.get("/.json", response_model=Home, tags=["pages"], summary="Counts and the latest articles")
    def home(request: Request):
        data = Home(counts=Counts(**store.counts()),
                    latest_articles=[ArticleSummary(**a, href=article_href(a["id"]))
                                     for a in queries.latest_articles(store)])
        return render(request, "home.html", data, title="summitry")

    # --- meetings ----------------------------------------------------------------------

    @app.get("/meetings", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/meetings.csv", tags=["meetings"], summary="Meeting reports as CSV (every matching row)",
             response_class=StreamingResponse,
             responses={200: {"content": {"text/csv": {}}, "description": "CSV"}})
    @app.get("/meetings.json", response_model=MeetingsPage, tags=["meetings"],
             summary="Meeting reports, filtered and faceted")
    def meetings(
        request: Request,
        leader: Annotated[list[str], Query(description="Participant (full name or surname); repeat for all of several")] = [],  # noqa: B006
        between: Annotated[list[str], Query(description="Two leaders: their meetings and a timeline")] = [],  # noqa: B006
        year: Annotated[int | None, Query(ge=1, le=9999)] = None,
        status: Annotated[str | None, Query(description="held, planned, proposed, cancelled, denied")] = None,
        format_: Annotated[str | None, Query(alias="format", description="summit, bilateral, phone, ...")] = None,
        review: Annotated[ReviewFilter | None, Query(description="People's verdicts; by default rejected reports are left out")] = None,
        after: Annotated[str | None, Query(description="Cursor from the previous page's `next`")] = None,
        size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
    ):
        leaders = [n for n in leader + between if n.strip()]
        f = MeetingFilter(leaders=leaders, year=year, status=status or None, format=format_ or None,
                          review=review)
        if _wanted_format(request) == "csv":  # every matching row, not this page
            return _csv_response(queries.all_meetings(store, f), MEETING_COLUMNS, "meetings.csv")
        page = _page(queries.meetings_page, store, f, after, size)
        pairs = request.query_params.multi_items()
        facets = queries.meeting_facets(store, f)
        timeline = None
        pair = [n for n in between if n.strip()]
        if len(pair) == 2:
            rows = [_meeting(r) for _, r in zip(range(TIMELINE_LIMIT), queries.all_meetings(store, f))]
            timeline = [TimelineYear(year=year_, meetings=list(group))
                        for year_, group in groupby(rows, key=lambda m: m.date[:4] if m.date else "undated")]
        data = MeetingsPage(
            filters={"leader": leader, "between": between, "year": year, "status": status,
                     "format": format_, "review": review, "size": size},
            total=queries.count_meetings(store, f),
            rows=[_meeting(r) for r in page.rows],
            facets=[_facet("leader", facets["leader"], pairs, "/meetings", multi=True)]
            + [_facet(name, facets[name], pairs, "/meetings") for name in ("year", "status", "format")],
            next=page.next, next_url=_next_url("/meetings", pairs, page.next), timeline=timeline)
        title = (f"Meetings of {pair[0]} and {pair[1]}" if len(pair) == 2 else
                 "Meetings" + (f" of {', '.join(leaders)}" if leaders else ""))
        return render(request, "meetings.html", data, title=title, listing=True,
                      pair=pair if len(pair) == 2 else None)

    @app.get("/meetings/report/{report_id:path}", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/meetings/report/{report_id:path}.json", response_model=MeetingReportPage,
             tags=["meetings"], summary="One meeting report, with its article's statements")
    def meeting_report(request: Request, report_id: str):
        row = queries.meeting_report(store, report_id)
        if row is None:
            raise HTTPException(404, f"no meeting report {report_id!r}")
        article = store.article(row["article_id"]) or {"statements": []}
        related = queries.meetings_page(store, MeetingFilter(leaders=row["participants"]), size=101).rows
        data = MeetingReportPage(
            meeting=_meeting(row),
            statements=[_statement(s) for s in article["statements"]],
            related=[_meeting(r) for r in related if r["id"] != row["id"]][:100],
            audit=audit_of(store.record_audit("meeting_report", row["id"])),
            **_report_link(store, row["id"]))
        return render(request, "meeting_report.html", data,
                      title="Meeting report: " + " – ".join(row["participants"]))

    # --- statements --------------------------------------------------------------------

    @app.get("/statements", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/statements.csv", tags=["statements"], summary="Statements as CSV (every matching row)",
             response_class=StreamingResponse,
             responses={200: {"content": {"text/csv": {}}, "description": "CSV"}})
    @app.get("/statements.json", response_model=StatementsPage, tags=["statements"],
             summary="Statements: full-text search, filters, facets")
    def statements(
        request: Request,
        q: Annotated[str | None, Query(description="Words that must all occur (quote, speaker, mention)")] = None,
        speaker: Annotated[str | None, Query(description="Speaker (full name or surname)")] = None,
        source: Annotated[str | None, Query(description="The article's source (outlet)")] = None,
        year: Annotated[int | None, Query(ge=1, le=9999, description="The article's year")] = None,
        review: Annotated[ReviewFilter | None, Query(description="People's verdicts; by default rejected statements are left out")] = None,
        after: Annotated[str | None, Query(description="Cursor from the previous page's `next`")] = None,
        size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
    ):
        f = StatementFilter(q=q or None, speaker=speaker or None, source=source or None, year=year,
                            review=review)
        if _wanted_format(request) == "csv":
            return _csv_response(queries.all_statements(store, f), STATEMENT_COLUMNS, "statements.csv")
        page = _page(queries.statements_page, store, f, after, size)
        pairs = request.query_params.multi_items()
        facets = queries.statement_facets(store, f)
        data = StatementsPage(
            filters={"q": q, "speaker": speaker, "source": source, "year": year, "review": review,
                     "size": size},
            total=queries.count_statements(store, f),
            rows=[_statement(r) for r in page.rows],
            facets=[_facet(name, facets[name], pairs, "/statements") for name in ("speaker", "source", "year")],
            next=page.next, next_url=_next_url("/statements", pairs, page.next))
        title = f"Statements matching “{q}”" if q else "Statements"
        return render(request, "statements.html", data, title=title, listing=True)

    @app.get("/statements/{statement_id:path}", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/statements/{statement_id:path}.json", response_model=StatementPage,
             tags=["statements"], summary="One statement")
    def statement(request: Request, statement_id: str):
        row = queries.statement(store, statement_id)
        if row is None:
            raise HTTPException(404, f"no statement {statement_id!r}")
        article = store.article(row["article_id"]) or {"statements": []}
        data = StatementPage(statement=_statement(row),
                             same_article=[_statement(s) for s in article["statements"]
                                           if s["id"] != row["id"]],
                             audit=audit_of(store.record_audit("statement", row["id"])))
        who = row["speaker"] or row["speaker_mention"] or "an unnamed source"
        return render(request, "statement.html", data, title=f"Statement by {who}")

    @app.get("/speakers/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/speakers/{name:path}.json", response_model=SpeakerPage, tags=["statements"],
             summary="A speaker's statements")
    def speaker(
        request: Request, name: str,
        after: Annotated[str | None, Query()] = None,
        size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
    ):
        actors = queries.actor_names(store, name)
        if not actors:
            raise HTTPException(404, f"no speaker named {name!r}")
        page = _page(queries.statements_page, store, StatementFilter(speaker=name), after, size)
        path = speaker_href(name)
        data = SpeakerPage(name=name, actors=actors, rows=[_statement(r) for r in page.rows],
                           next=page.next,
                           next_url=_next_url(path, request.query_params.multi_items(), page.next))
        return render(request, "speaker.html", data, title=name)

    # --- articles ----------------------------------------------------------------------

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/articles/{article_id:path}.json", response_model=ArticlePage, tags=["articles"],
             summary="An article with its statements, meetings and highlighted spans")
    def article(request: Request, article_id: str):
        try:
            found = store.article(article_id)
        except StoreError as e:  # an id prefix that matches several articles
            raise HTTPException(404, str(e)) from None
        if found is None:
            raise HTTPException(404, f"no article {article_id!r}")
        spans = article_spans(found)
        n = len(found["text"])
        data = ArticlePage(
            **{k: v for k, v in found.items() if k not in ("statements", "meetings")},
            href=article_href(found["id"]),
            statements=[_statement(s) for s in found["statements"]],
            meetings=[_meeting(m) for m in found["meetings"]],
            spans=[Span(start=s.start, end=s.end, kind=s.kind, ref=s.ref) for s in spans
                   if type(s.start) is int and type(s.end) is int and 0 <= s.start < s.end <= n])
        return render(request, "article.html", data, title=found["title"] or found["id"],
                      marked=highlight(found["text"], spans))

    review_pages.register(app, store, render, auth)

    from . import record_pages  # here, not at the top: it builds on this module's models
    record_pages.register(app, store, render)

    # --- errors: a page (or JSON), never a traceback -----------------------------------

    def error(request: Request, status: int, message: str) -> Response:
        body = Error(status=status, error=message)
        path = request.url.path
        sent_json = request.headers.get("content-type", "").startswith("application/json")
        if path.endswith((".json", ".csv")) or request.query_params.get("_format") in ("json", "csv") \
                or _accepts_json(request) or sent_json:
            return JSONResponse(body.model_dump(), status_code=status)
        return templates.TemplateResponse(request, "error.html", {
            "data": body, "title": f"Error {status}", "json_url": None, "csv_url": None,
            **writer_context(request)}, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = "There is no page at this address."
        return error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}"
                             for e in exc.errors())
        return error(request, 400, f"bad query: {problems}")

    @app.exception_handler(WriteRefused)
    async def write_refused(request: Request, exc: WriteRefused):
        return error(request, exc.status, str(exc))

    @app.exception_handler(ReviewError)
    async def review_refused(request: Request, exc: ReviewError):
        return error(request, 400, f"The change was not made: {exc}")

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        log.error("database error on %s: %s", request.url.path, exc)
        return error(request, 503, "The database cannot answer right now.")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        log.exception("error on %s", request.url.path)
        return error(request, 500, "Something went wrong on our side.")

    return app


def _report_link(store: Store, report_id: str) -> dict[str, str | None]:
    meeting_id, pinned = queries.report_link(store, report_id)
    return {"linked_meeting": meeting_id, "pinned_link": pinned,
            "linked_meeting_href": linked_meeting_href(meeting_id) if meeting_id else None}


def _page(fetch: Callable, store: Store, f: Any, after: str | None, size: int) -> queries.Page:
    try:
        return fetch(store, f, after=after, size=size)
    except CursorError as e:
        raise HTTPException(400, f"bad cursor: {e}") from None
