"""The JSON shapes of the pages (Pydantic models): what `/openapi.json` documents and what
every page's `.json` twin returns."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

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


class YearCount(BaseModel):
    year: str
    status: str
    meetings: int


class Home(BaseModel):
    counts: Counts
    latest_articles: list[ArticleSummary]
    # canonical meetings per year and status (meeting reports while nothing is linked yet)
    meetings_per_year: list[YearCount] = []
    per_year_listing: str = "/meetings/linked"  # the listing each bar of the chart links to
    chart: dict[str, Any] | None = None  # the chart's Vega-Lite spec (the page shows it as SVG)


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
    url: str | None = None  # where the article was read from (a link only when http or https)
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
