"""Read-side pages over the linked record: canonical meetings, commitments and pairs.

- `/meetings/linked`: canonical meetings (one encounter, however many articles report it),
  filtered and faceted like `/meetings`, paged by keyset, also `.json` and `.csv`;
- `/meetings/{id}`: one canonical meeting: the values its reports agree on, every value of
  a disputed field with its sources, the reports, the statements and commitments of their
  articles, contradictions and fact flags. A merged meeting's old id redirects (308);
- `/commitments` (by status and actor) and `/commitments/{id}` with the status history;
- `/pairs`, `/pairs/{a}/{b}`: the pairs with most meetings; one pair's timeline, base rates,
  cooperation trend, commitments and briefing; `/pairs/{a}/{b}/timelinejs.json` and
  `/pairs/{a}/{b}/timeline.csv` export the timeline.

`register(app, store, render)` adds the routes; `create_app` calls it. Everything from an
article is untrusted: templates autoescape, the briefing's Markdown is rendered with raw HTML
off and only web or same-site links, and the TimelineJS export (whose text TimelineJS shows
as HTML) is escaped by `analysis.timeline_js` itself.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    StreamingResponse,
)
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from pydantic import BaseModel
from sqlalchemy import distinct, exists, func, select
from sqlalchemy.orm import Session

from .. import analysis
from ..analysis import brief
from ..link.linking import DISPUTABLE, Report, disagreements
from ..link.reference import ReferenceRecord
from ..records import COMMITMENT_STATUSES as STATUSES
from ..store import Store
from ..store.meetings import counted_reports, report_of
from ..store.models import (
    ActorRow,
    ArticleRow,
    CommitmentRow,
    MeetingParticipantRow,
    MeetingReportLinkRow,
    MeetingReportRow,
    MeetingRow,
)
from . import atom, charts, queries
from .queries import (
    CursorError,
    MeetingFilter,
    Page,
    _after,
    _reading,
    decode_cursor,
    encode_cursor,
)
from .shapes import Facet, MeetingReport, MeetingValues, Statement
from .shared import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    anchor,
    article_href,
    commitment_href,
    csv_response,
    facet,
    linked_meeting_href,
    meeting_href,
    next_url,
    date_range,
    kept_params,
    part,
    sort_links,
    statement_href,
    wanted_format,
    web_href,
    with_query,
)

PAIRS_SHOWN = 100  # pairs on /pairs, most meetings first
_UNPUBLISHED = "9999-12-31"


# --- links -----------------------------------------------------------------------------

def pair_href(a: str, b: str, suffix: str = "") -> str:
    return f"/pairs/{part(a)}/{part(b)}{suffix}"


def _source_href(source: str | None) -> str | None:
    """A status change's source as a link only when it is a web address (else shown as text)."""
    return web_href(source)


# Added to every page of this module: the templates and macros use them.
HELPERS = {"linked_meeting_href": linked_meeting_href, "commitment_href": commitment_href,
           "pair_href": pair_href, "source_href": _source_href}


# --- JSON shapes -----------------------------------------------------------------------

class LinkedMeeting(MeetingValues):
    """A canonical meeting: the values its reports agree on, or the canonical choice."""
    id: str
    href: str
    reports: int  # meeting reports linked to it
    articles: int  # articles those reports come from
    disputed: list[str]  # fields the reports disagree on


class LinkedMeetingsPage(BaseModel):
    filters: dict[str, Any]
    total: int
    rows: list[LinkedMeeting]
    facets: list[Facet]
    next: str | None
    next_url: str | None


class ValueSource(BaseModel):
    """Where a report gives a value: its report page and its article, with offsets."""
    report_id: str
    report_href: str
    article_id: str
    article_title: str | None = None
    article_href: str  # the article page at the report's anchor
    published: str | None = None
    evidence: str | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None


class DisputedValue(BaseModel):
    value: Any
    sources: list[ValueSource]


class DisputedField(BaseModel):
    field: str
    values: list[DisputedValue]  # most reports first


class StatusChange(BaseModel):
    id: int
    status: str
    at: str | None = None
    by: str
    evidence: str
    rationale: str
    source: str | None = None


class Commitment(BaseModel):
    id: str
    href: str
    article_id: str
    article_title: str | None = None
    article_href: str
    published: str | None = None
    actors: list[str]
    action: str
    polarity: str
    kind: str
    due: str | None = None
    cue: str | None = None
    start: int
    end: int
    sentence: str | None = None
    meeting_hint: str | None = None
    actor_mention: str | None = None
    extractor_version: str
    retracted_by_version: str | None = None
    status: str  # current: the last change's, not_yet_rated without one
    status_at: str | None = None
    changes: int
    meeting_id: str | None = None  # on a pair page: the pair's meeting it was made at
    history: list[StatusChange] | None = None  # oldest first; on row pages and meeting pages


class ContradictionSide(BaseModel):
    article_id: str
    article_title: str | None = None
    article_href: str
    record_href: str | None = None  # the statement's or report's page
    report_id: str | None = None
    statement_id: str | None = None
    speaker: str | None = None
    value: Any = None
    text: str | None = None
    start: int | None = None
    end: int | None = None


class Contradiction(BaseModel):
    id: str
    kind: str  # facts | statements
    field_or_topic: str | None = None
    rule: str | None = None
    explanation: str | None = None
    reason: str | None = None  # one plain sentence: who says what, against whom
    confidence: float | None = None
    state: str = "finding"
    sides: list[ContradictionSide]


class FactFlag(BaseModel):
    id: str
    article_id: str
    article_title: str | None = None
    article_href: str
    kind: str
    claim: str
    start: int
    end: int
    reference_id: str | None = None
    reference_ids: list[str] = []  # every entry the flag rests on (reference_id is the first)
    explanation: str
    confidence: float | None = None
    state: str = "finding"  # finding | candidate | notice | confirmed | dismissed


class LinkedMeetingPage(BaseModel):
    meeting: LinkedMeeting
    merged_ids: list[str]  # ids of meetings merged into this one (they redirect here)
    agreed: dict[str, Any]  # the fields every report that gives a value agrees on
    disputed: list[DisputedField]
    reports: list[MeetingReport]
    statements: list[Statement]  # of the articles whose reports are linked to it
    commitments: list[Commitment]  # of those articles, with their status history
    contradictions: list[Contradiction]
    contradiction_candidates: list[Contradiction] = []  # the rules are not sure of these: the review queue's
    fact_flags: list[FactFlag]  # of those articles: where they get the reference record wrong
    notices: list[FactFlag] = []  # claims of those articles the reference record cannot check
    pair_href: str | None = None  # for a meeting of two


class CommitmentsPage(BaseModel):
    filters: dict[str, Any]
    total: int
    by_status: dict[str, int]  # commitments matching the other filters, per current status
    rows: list[Commitment]
    facets: list[Facet]
    next: str | None
    next_url: str | None


class MeetingRef(BaseModel):
    id: str
    href: str
    date: str | None = None
    participants: list[str]
    status: str


class CommitmentPage(BaseModel):
    commitment: Commitment
    meetings: list[MeetingRef]  # canonical meetings its article reports


class TimelineSource(BaseModel):
    report_id: str
    report_href: str
    article_id: str
    article_href: str
    start: int | None = None
    end: int | None = None
    published: str | None = None


class Encounter(BaseModel):
    """An entry of `summitry.analysis.timeline`: a stored meeting or a reference encounter."""
    id: str
    href: str | None = None  # the canonical meeting's page (stored meetings only)
    source: str  # record | reference
    date: str | None = None
    end_date: str | None = None
    place: str | None = None
    occasion: str | None = None
    format: str | None = None
    status: str
    scheduled_minutes: int | None = None
    actual_minutes: int | None = None
    reports: int
    articles: int
    disputed: list[str]
    reference_id: str | None = None
    non_event: dict[str, Any] | None = None  # the reference record says it did not happen
    suspect: str | None = None  # why it is probably a misreading (no encounter of a fully listed pair)
    report_sources: list[TimelineSource]
    cite: list[str]


class PairPage(BaseModel):
    a: str
    b: str
    href: str
    timeline: list[Encounter]
    base_rates: dict[str, Any]  # summitry.analysis.base_rates
    cooperation: dict[str, Any]  # summitry.analysis.cooperation_scores
    commitments: list[Commitment]
    briefing: str  # Markdown (summitry.briefing.brief); every sentence cites its records
    timelinejs_url: str
    timeline_csv_url: str
    timeline_chart: dict[str, Any] | None = None  # the timeline's Vega-Lite spec (shown as SVG)


class PairSummary(BaseModel):
    a: str
    b: str
    href: str
    meetings: int  # canonical meetings of these two (and nobody else)
    held: int
    first: str | None = None
    last: str | None = None


class PairsPage(BaseModel):
    rows: list[PairSummary]


# --- routes ----------------------------------------------------------------------------

def register(app: FastAPI, store: Store, render: Callable[..., Any]) -> None:
    """Add the pages of this module to `app` (after `/meetings/report/...`, before errors)."""

    def show(request: Request, template: str, data: BaseModel, *, title: str, **context: Any) -> Any:
        return render(request, template, data, title=title, **HELPERS, **context)

    # The listing first: `/meetings/{meeting_id}` would otherwise take "linked" for an id.
    _linked_meeting_routes(app, store, show)
    _commitment_routes(app, store, show)
    _pair_routes(app, store, show)


def _linked_meeting_routes(app: FastAPI, store: Store, show: Callable[..., Any]) -> None:
    @app.get("/meetings/linked", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/meetings/linked.atom", tags=["meetings"], response_class=atom.AtomResponse,
             summary="Canonical meetings as an Atom feed", responses=atom.RESPONSES)
    @app.get("/meetings/linked.csv", tags=["meetings"], response_class=StreamingResponse,
             summary="Canonical meetings as CSV (every matching row)",
             responses={200: {"content": {"text/csv": {}}, "description": "CSV"}})
    @app.get("/meetings/linked.json", response_model=LinkedMeetingsPage, tags=["meetings"],
             summary="Canonical meetings (reports linked across articles), filtered and faceted")
    def linked_meetings(
        request: Request,
        leader: Annotated[list[str], Query(description="Participant (full name or surname); repeat for all of several")] = [],  # noqa: B006
        year: Annotated[int | None, Query(ge=1, le=9999)] = None,
        status: Annotated[str | None, Query(description="held, planned, proposed, cancelled, denied")] = None,
        format_: Annotated[str | None, Query(alias="format", description="summit, bilateral, phone, ...")] = None,
        date_from: Annotated[str | None, Query(alias="from", description="From this day (YYYY, YYYY-MM or YYYY-MM-DD)")] = None,
        date_to: Annotated[str | None, Query(alias="to", description="Up to this day (YYYY, YYYY-MM or YYYY-MM-DD)")] = None,
        sort: Annotated[Literal["newest", "oldest", "reports"], Query(description="newest first (default), oldest first, or most reports first")] = "newest",
        after: Annotated[str | None, Query(description="Cursor from the previous page's `next`")] = None,
        size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
    ):
        f = LinkedFilter(leaders=[n for n in leader if n.strip()], year=year, status=status or None,
                         format=format_ or None, sort=sort, **date_range(date_from, date_to))
        fmt = wanted_format(request)
        if fmt == "csv":
            return csv_response(queries.all_rows(linked_page, store, f), LINKED_COLUMNS, "meetings-linked.csv")
        if fmt == "atom":  # a feed: the matching meetings the linker changed last
            rows = [_linked(r) for r in linked_page(store, replace(f, sort="changed"), size=size).rows]
            return atom.feed(request, "Linked meetings" + (f" of {', '.join(f.leaders)}" if f.leaders else ""),
                             atom.linked_meeting_entries(rows, meetings_updated(store, [m.id for m in rows])))
        try:
            page = linked_page(store, f, after=after, size=size)
        except CursorError as e:
            raise HTTPException(400, f"bad cursor: {e}") from None
        pairs = request.query_params.multi_items()
        # facets and total over every canonical meeting: cached until the next write
        counts = store.cached(queries.cache_key("linked_facets", f), lambda: linked_facets(store, f),
                              stale_ok=True)
        path = "/meetings/linked"
        data = LinkedMeetingsPage(
            filters={"leader": leader, "year": year, "status": status, "format": format_, "from": date_from,
                     "to": date_to, "sort": sort, "size": size},
            total=store.cached(queries.cache_key("count_linked", f), lambda: count_linked(store, f),
                               stale_ok=True),
            rows=[_linked(r) for r in page.rows],
            facets=[facet(name, counts[name], pairs, path, multi=name == "leader")
                    for name in ("leader", "year", "status", "format")],
            next=page.next, next_url=next_url(path, pairs, page.next))
        title = "Linked meetings" + (f" of {', '.join(f.leaders)}" if f.leaders else "")
        return show(request, "linked_meetings.html", data, title=title, listing=True,
                    sorts=sort_links(request, "/meetings/linked", ("newest", "oldest", "reports"), sort),
                    range_keep=kept_params(request, "from", "to"))

    @app.get("/meetings/{meeting_id}", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/meetings/{meeting_id}.json", response_model=LinkedMeetingPage, tags=["meetings"],
             summary="One canonical meeting: agreed and disputed values with sources, reports, "
                     "statements, commitments, contradictions, fact flags",
             responses={308: {"description": "A merged meeting's old id: the meeting it was merged into"}})
    def linked_meeting(request: Request, meeting_id: str):
        # the meeting and its page's data, cached until the next write (a link run, a review)
        found = store.cached(("canonical_meeting", meeting_id), lambda: store.canonical_meeting(meeting_id))
        if found is None:
            raise HTTPException(404, f"no meeting {meeting_id!r}")
        if found["redirected_from"]:
            json_route = request.scope["route"].path.endswith(".json")
            target = linked_meeting_href(found["id"], ".json" if json_route else "")
            return RedirectResponse(with_query(target, request.query_params.multi_items()), status_code=308)
        data = store.cached(("linked_meeting_page", found["id"]), lambda: linked_meeting_page(store, found))
        return show(request, "linked_meeting.html", data,
                    title="Meeting: " + " – ".join(found["participants"]) + f", {found['date'] or 'undated'}")


def _commitment_routes(app: FastAPI, store: Store, show: Callable[..., Any]) -> None:
    @app.get("/commitments", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/commitments.atom", tags=["commitments"], response_class=atom.AtomResponse,
             summary="Commitments as an Atom feed", responses=atom.RESPONSES)
    @app.get("/commitments.csv", tags=["commitments"], response_class=StreamingResponse,
             summary="Commitments as CSV (every matching row)",
             responses={200: {"content": {"text/csv": {}}, "description": "CSV"}})
    @app.get("/commitments.json", response_model=CommitmentsPage, tags=["commitments"],
             summary="Commitments with their current status, by status and actor")
    def commitments(
        request: Request,
        status: Annotated[str | None, Query(description="Current status: " + ", ".join(STATUSES))] = None,
        actor: Annotated[str | None, Query(description="A committing actor (full name or surname)")] = None,
        after: Annotated[str | None, Query(description="Cursor from the previous page's `next`")] = None,
        size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
    ):
        if status and status not in STATUSES:
            raise HTTPException(400, f"bad query: status must be one of {', '.join(STATUSES)}")
        f = CommitmentFilter(status=status or None, actor=actor or None)
        if wanted_format(request) == "csv":
            rows = iter(store.commitments(status=f.status, actor=f.actor))
            return csv_response(rows, COMMITMENT_COLUMNS, "commitments.csv")
        if wanted_format(request) == "atom":  # every match, the last changed first (see atom)
            rows = [_commitment(c) for c in store.commitments(status=f.status, actor=f.actor)]
            return atom.feed(request, "Commitments" + (f" of {actor}" if actor else ""),
                             atom.commitment_entries(store, rows)[:size])
        try:
            page = commitments_page(store, f, after=after, size=size)
        except CursorError as e:
            raise HTTPException(400, f"bad cursor: {e}") from None
        pairs = request.query_params.multi_items()
        by_status, by_actor = commitment_facets(store, f)
        data = CommitmentsPage(
            filters={"status": status, "actor": actor, "size": size}, total=page.total,
            by_status=by_status, rows=[_commitment(c) for c in page.rows],
            facets=[facet("status", list(by_status.items()), pairs, "/commitments"),
                    facet("actor", by_actor, pairs, "/commitments")],
            next=page.next, next_url=next_url("/commitments", pairs, page.next))
        title = "Commitments" + (f" of {actor}" if actor else "") + (
            f", {status.replace('_', ' ')}" if status else "")
        return show(request, "commitments.html", data, title=title, listing=True)

    @app.get("/commitments/{commitment_id:path}", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/commitments/{commitment_id:path}.json", response_model=CommitmentPage, tags=["commitments"],
             summary="One commitment with its source and its whole status history")
    def commitment(request: Request, commitment_id: str):
        found = store.commitment(commitment_id)
        if found is None:
            raise HTTPException(404, f"no commitment {commitment_id!r}")
        article = store.article(found["article_id"]) or {"statements": [], "meetings": []}
        data = CommitmentPage(commitment=_commitment(found, article),
                              meetings=meetings_of_reports(store, [m["id"] for m in article["meetings"]]))
        who = ", ".join(found["actors"]) or "an unnamed party"
        return show(request, "commitment.html", data, title=f"Commitment by {who}")


def _pair_routes(app: FastAPI, store: Store, show: Callable[..., Any]) -> None:
    @app.get("/pairs", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/pairs.json", response_model=PairsPage, tags=["pairs"],
             summary="The pairs of leaders with the most canonical meetings")
    def pairs(request: Request, a: Annotated[str | None, Query(description="With b: go to this pair's page")] = None,
              b: Annotated[str | None, Query()] = None):
        if a and b and a.strip() and b.strip():  # the form on this page: the URL is the pair's
            return RedirectResponse(pair_href(*pair_names(store, a.strip(), b.strip())), status_code=303)
        data = PairsPage(rows=pairs_by_meetings(store, PAIRS_SHOWN))
        return show(request, "pairs.html", data, title="Pairs of leaders")

    @app.get("/pairs/{a}/{b}/timelinejs.json", tags=["pairs"],
             summary="The pair's timeline as TimelineJS JSON (text HTML-escaped)")
    def pair_timelinejs(a: str, b: str):
        names = pair_names(store, a, b)
        if names != [a, b]:
            return RedirectResponse(pair_href(*names, "/timelinejs.json"), status_code=308)
        return JSONResponse(analysis.timeline_js(analysis.timeline(store, a, b), a, b))  # escaped there

    @app.get("/pairs/{a}/{b}/timeline.csv", tags=["pairs"], response_class=PlainTextResponse,
             summary="The pair's timeline as CSV, each entry with its sources",
             responses={200: {"content": {"text/csv": {}}, "description": "CSV"}})
    def pair_timeline_csv(a: str, b: str):
        names = pair_names(store, a, b)
        if names != [a, b]:
            return RedirectResponse(pair_href(*names, "/timeline.csv"), status_code=308)
        filename = re.sub(r"[^\w-]+", "-", "-".join(n.split()[-1] for n in names)).lower()
        return PlainTextResponse(
            analysis.timeline_csv(analysis.timeline(store, a, b)), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}-timeline.csv"'})

    @app.get("/pairs/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/pairs/{a}/{b}.json", response_model=PairPage, tags=["pairs"],
             summary="A pair of leaders: timeline, base rates, cooperation trend, commitments, briefing",
             responses={308: {"description": "A surname or spelling: the page under the full names"}})
    def pair(request: Request, a: str, b: str):
        names = store.cached(("pair_names", a, b), lambda: pair_names(store, a, b))
        if names != [a, b]:
            suffix = ".json" if request.scope["route"].path.endswith(".json") else ""
            return RedirectResponse(pair_href(*names, suffix), status_code=308)
        # the timeline, scores and briefing read the whole record of the pair: cached until
        # the next write (a link run, an ingest, a review), as is the briefing's HTML
        data = store.cached(("pair_page", a, b), lambda: pair_page(store, a, b))
        data.timeline_chart = charts.pair_timeline_spec([e.model_dump() for e in data.timeline if not e.suspect],
                                                        str(request.base_url).rstrip("/"))
        chart = charts.svg(data.timeline_chart) if wanted_format(request) == "html" else None
        briefing = store.cached(("pair_briefing_html", a, b),
                                lambda: briefing_html(data.briefing, _citation_hrefs(data)))
        return show(request, "pair.html", data, title=f"{a} and {b}", timeline_chart=chart,
                    briefing_html=briefing,
                    meeting_labels={e.id: f"{e.date or 'undated'} {e.place or ''}".strip() for e in data.timeline})


def pair_names(store: Store, a: str, b: str) -> list[str]:
    """The pair's full names, so that each pair has one URL ("Venn" -> "Arla Venn"). A name
    no stored actor has is kept as given if the reference record knows the pair; else 404,
    as for a name that fits several actors."""
    found = [queries.actor_names(store, a), queries.actor_names(store, b)]
    if any(len(actors) > 1 for actors in found):
        # "Trump" and "Kim" each fit several actors: the pair that met, or that clearly met most
        met = queries.pair_names_met(store, a, b)
        if met and (len(met) == 1 or met[0][2] >= 2 * met[1][2]):
            return [met[0][0], met[0][1]]
    for name, actors in zip((a, b), found):
        if len(actors) > 1:
            raise HTTPException(404, f"{name!r} names several leaders ({', '.join(actors)}): use a full name")
    names = [actors[0] if actors else name for name, actors in zip((a, b), found)]
    if queries.fold(names[0]) == queries.fold(names[1]):
        raise HTTPException(404, "a pair needs two different leaders")
    if [] in found and not ReferenceRecord.load().for_pair(*names):
        unknown = next(name for name, actors in zip(names, found) if not actors)
        raise HTTPException(404, f"no leader named {unknown!r} is recorded")
    return names


# --- page data -------------------------------------------------------------------------

def linked_meeting_page(store: Store, found: dict[str, Any]) -> LinkedMeetingPage:
    """The data of a canonical meeting's page (`found` is `Store.canonical_meeting`'s).

    Statements, commitments and fact flags are those of the articles whose reports are
    linked to the meeting: an article is taken to be about each meeting it reports, so an
    article that reports several meetings shows all its statements on each of their pages.
    (The finer rule of `summitry.contradictions.statements_by_meeting`, which matches a
    statement's sentence to the leaders' names, is used only to find contradictions.)
    """
    article_ids = list(dict.fromkeys(r["article_id"] for r in found["reports"]))
    articles = [a for a in (store.article(aid) for aid in article_ids) if a is not None]
    commitments = [store.commitment(cid) for cid in commitment_ids_of(store, article_ids)]
    by_article = {a["id"]: a for a in articles}
    disagreements = found["disagreements"]
    meeting = {**found, "reports": len(found["reports"]), "articles": len(article_ids),
               "disputed": [name for name in DISPUTABLE if name in disagreements]}
    participants = found["participants"]
    return LinkedMeetingPage(
        meeting=_linked(meeting), merged_ids=found["merged_ids"], agreed=found["agreed"],
        disputed=[DisputedField(field=name, values=[
            DisputedValue(value=g["value"], sources=[_value_source(s) for s in g["reports"]])
            for g in disagreements[name]]) for name in meeting["disputed"]],
        reports=[MeetingReport(**r, href=meeting_href(r["id"])) for r in found["reports"]],
        statements=[Statement(**s, href=statement_href(s["id"])) for a in articles for s in a["statements"]
                    if s.get("review_status") != "rejected"],  # a person judged those wrong
        commitments=[_commitment(c, by_article.get(c["article_id"])) for c in commitments if c],
        contradictions=[_contradiction(c) for c in store.contradictions(found["id"])],
        contradiction_candidates=[_contradiction(c) for c in store.contradictions(found["id"], states=("candidate",))],
        fact_flags=[_flag(f) for aid in article_ids for f in store.fact_flags(article_id=aid)],
        notices=[_flag(f) for aid in article_ids for f in store.fact_flags(article_id=aid, states=("notice",))],
        pair_href=pair_href(*participants) if len(participants) == 2 else None)


def pair_page(store: Store, a: str, b: str) -> PairPage:
    entries = analysis.timeline(store, a, b)
    commitments = analysis.pair_commitments(store, a, b, entries)
    rates = analysis.base_rates(store, a, b, entries, commitments)
    scores = analysis.cooperation_scores(store, a, b, entries, commitments)
    return PairPage(
        a=a, b=b, href=pair_href(a, b), timeline=[_encounter(e) for e in entries],
        base_rates=rates, cooperation=scores, commitments=[_commitment(c) for c in commitments],
        # the timeline and commitments computed above: the briefing would otherwise compute them again
        briefing=brief(store, a, b, flags=store.fact_flags(), entries=entries, commitments=commitments),
        timelinejs_url=pair_href(a, b, "/timelinejs.json"), timeline_csv_url=pair_href(a, b, "/timeline.csv"))


def _linked(row: dict[str, Any]) -> LinkedMeeting:
    return LinkedMeeting(**row, href=linked_meeting_href(row["id"]))


def _value_source(source: dict[str, Any]) -> ValueSource:
    return ValueSource(**source, report_href=meeting_href(source["report_id"]),
                       article_href=article_href(source["article_id"], anchor(source["report_id"]) or None))


def _commitment(c: dict[str, Any], article: dict[str, Any] | None = None) -> Commitment:
    history = c.get("history")
    return Commitment(**{k: v for k, v in c.items() if k != "history"}, href=commitment_href(c["id"]),
                      article_href=article_href(c["article_id"], _commitment_anchor(c, article)),
                      history=[StatusChange(**h) for h in history] if history is not None else None)


def _commitment_anchor(c: dict[str, Any], article: dict[str, Any] | None) -> str | None:
    """The anchor on the article page nearest the commitment: the statement whose quote holds
    it, else the meeting report whose evidence does (the article page marks those, not
    commitments); None when neither does or the article is not at hand."""
    if article is None:
        return None
    for s in article["statements"]:
        if s["start"] <= c["start"] and c["end"] <= s["end"]:
            return anchor(s["id"]) or None
    for m in article["meetings"]:
        start, end = m.get("evidence_start"), m.get("evidence_end")
        if start is not None and end is not None and start <= c["start"] and c["end"] <= end:
            return anchor(m["id"]) or None
    return None


def _contradiction(c: dict[str, Any]) -> Contradiction:
    sides = []
    for s in c["sides"]:
        record = s.get("statement_id") or s.get("report_id")
        record_href = statement_href if s.get("statement_id") else meeting_href
        sides.append(ContradictionSide(
            **{k: s.get(k) for k in ("article_id", "article_title", "report_id", "statement_id", "speaker",
                                     "value", "text", "start", "end")},
            article_href=article_href(s["article_id"], anchor(record) if record else None),
            record_href=record_href(record) if record else None))
    return Contradiction(**{k: c.get(k) for k in ("id", "kind", "field_or_topic", "rule", "explanation",
                                                 "confidence")},
                         reason=c.get("reason") or c.get("explanation"), state=c.get("state") or "finding",
                         sides=sides)


def _flag(f: dict[str, Any]) -> FactFlag:
    return FactFlag(**{k: v for k, v in f.items() if k in FactFlag.model_fields and k != "article_href"},
                    article_href=article_href(f["article_id"]))


def _encounter(e: dict[str, Any]) -> Encounter:
    sources = [TimelineSource(**s, report_href=meeting_href(s["report_id"]),
                              article_href=article_href(s["article_id"], anchor(s["report_id"]) or None))
               for s in e["report_sources"]]
    return Encounter(**{k: v for k, v in e.items() if k != "report_sources"}, report_sources=sources,
                     href=linked_meeting_href(e["id"]) if e["source"] == "record" else None)


# --- the briefing: Markdown to safe HTML -----------------------------------------------

_SAFE_SCHEMES = ("http:", "https:", "mailto:")


def _safe_link(url: str) -> bool:
    """Links of the briefing: web, mail and same-site addresses only.

    markdown-it already refuses javascript:, vbscript:, file: and most data: URLs; this
    allowlist also refuses the schemes it does not know. A scheme is what precedes the first
    ':' when only letters, digits, '+', '-' and '.' do (RFC 3986), as a browser reads it.
    """
    scheme = re.match(r"[a-z][a-z0-9+.\-]*:", url.strip().lower())
    return scheme is None or scheme.group(0) in _SAFE_SCHEMES


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})  # raw HTML in article text shows as text
    md.validateLink = _safe_link
    return md


def briefing_html(markdown: str, hrefs: dict[str, str]) -> Markup:
    """The briefing as HTML: raw HTML escaped, links vetted, and the citations of meetings and
    commitments (`[m-7bd357299c; pipeline-1:c1; ...]`) linked to their pages."""
    md = _markdown()
    tokens = md.parse(markdown)
    _demote_headings(tokens)
    if hrefs:
        _link_citations(tokens, hrefs)
    return Markup(md.renderer.render(tokens, md.options, {}))


def _demote_headings(tokens: list[Token], by: int = 2) -> None:
    """The briefing's "# Briefing" sits under the page's own <h1> and "Briefing" <h2>."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1:]) + by)}"


def _link_citations(tokens: list[Token], hrefs: dict[str, str]) -> None:
    """Wrap every known record id in plain text (not inside a link) in a link to its page."""
    names = sorted(hrefs, key=len, reverse=True)  # the longest id first: "a:c1-2" before "a:c1"
    pattern = re.compile(r"(?<![\w:.-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        children, depth = [], 0
        for token in block.children:
            depth += token.type == "link_open"
            depth -= token.type == "link_close"
            if token.type != "text" or depth:
                children.append(token)
                continue
            children += _split_text(token.content, pattern, hrefs)
        block.children = children


def _split_text(text: str, pattern: re.Pattern, hrefs: dict[str, str]) -> list[Token]:
    out, pos = [], 0
    for match in pattern.finditer(text):
        if match.start() > pos:
            out.append(_text_token(text[pos:match.start()]))
        opening = Token("link_open", "a", 1)
        opening.attrSet("href", hrefs[match.group(1)])
        out += [opening, _text_token(match.group(1)), Token("link_close", "a", -1)]
        pos = match.end()
    if pos < len(text):
        out.append(_text_token(text[pos:]))
    return out


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _citation_hrefs(data: PairPage) -> dict[str, str]:
    """The citations of the briefing that have a page here: its meetings, commitments and
    articles ("article LABEL", linked whatever offsets follow)."""
    hrefs = {e.id: e.href for e in data.timeline if e.href}
    hrefs.update({c.id: c.href for c in data.commitments})
    known = {s.article_id for e in data.timeline for s in e.report_sources} | {c.article_id for c in data.commitments}
    for label in analysis.cited_articles(data.briefing):
        hrefs[f"article {label}"] = article_href(_article_of(label, known))
    return hrefs


def _article_of(label: str, known: set[str]) -> str:
    """The article id a citation label names, among the ids the page knows. A label is the whole
    id or a prefix unique among the stored ids (`analysis.article_labels`), so a known id it
    starts is the one; an article the page does not otherwise show (one cited only for a fact
    flag) keeps its label, which the article page resolves like the id."""
    if label in known:
        return label
    return next((aid for aid in known if aid.startswith(label)), label)


# --- CSV -------------------------------------------------------------------------------

LINKED_COLUMNS = ["id", "date", "participants", "place", "occasion", "status", "format",
                  "scheduled_minutes", "actual_minutes", "reports", "articles", "disputed"]
COMMITMENT_COLUMNS = ["id", "published", "actors", "action", "polarity", "kind", "due", "status",
                      "status_at", "changes", "cue", "sentence", "article_id", "article_title",
                      "start", "end", "extractor_version"]


# --- queries: canonical meetings -------------------------------------------------------

# Canonical meetings are filtered like meeting reports (MeetingFilter; `review` does not
# apply: a canonical meeting is the linker's, not a person's, record).
LinkedFilter = MeetingFilter


_linked_date_key = func.coalesce(MeetingRow.date, queries._UNDATED_SQL)  # as indexed (0013)
_LINKED_ORDER = [_linked_date_key, MeetingRow.id]
# the number of reports linked to a meeting (the ix_meeting_report_links_meeting_id index)
_report_count = (select(func.count()).where(MeetingReportLinkRow.meeting_id == MeetingRow.id)
                 .correlate(MeetingRow).scalar_subquery())


def _linked_order(sort: str) -> tuple[str, list, tuple[bool, ...]]:
    """(cursor kind, sort columns, which descend) of the canonical meetings in this order:
    newest first (undated last), oldest first, or most reports first (then newest)."""
    if sort == "oldest":
        return "l", _LINKED_ORDER, (False, False)
    newest = func.coalesce(MeetingRow.date, "")
    if sort == "reports":
        return "lr", [_report_count, newest, MeetingRow.id], (True, True, False)
    if sort == "changed":  # for feeds: what the linker changed last
        return "lc", [MeetingRow.updated_at, MeetingRow.id], (True, False)
    return "ln", [newest, MeetingRow.id], (True, False)


def _linked_conditions(session: Session, f: LinkedFilter) -> list:
    """WHERE conditions on `meetings`; a participant is found through the linked reports'
    participants (as `Store.canonical_meetings` does), so surnames and accents match."""
    conditions = []
    for name in f.leaders:
        conditions.append(exists().where(
            MeetingReportLinkRow.meeting_id == MeetingRow.id,
            MeetingParticipantRow.meeting_report_id == MeetingReportLinkRow.meeting_report_id,
            MeetingParticipantRow.actor_id.in_(queries.actor_ids(session, name))))
    if f.year is not None:
        conditions.append(queries.year_condition(MeetingRow.date, _linked_date_key, f.year))
    if f.status:
        conditions.append(MeetingRow.status == f.status)
    if f.format:
        conditions.append(MeetingRow.format == f.format)
    conditions += queries.date_range_conditions(MeetingRow.date, f.date_from, f.date_to)
    return conditions


def linked_page(store: Store, f: LinkedFilter, *, after: str | None = None, size: int = 50) -> Page:
    """Canonical meetings matching `f` in the order `f.sort` (undated last), `size` at a time;
    the reports of only this page are read to count them and find the disputed fields."""
    kind, order, descending = _linked_order(f.sort)
    query = select(MeetingRow, *order).order_by(*queries.ordered(order, descending)).limit(size + 1)
    with _reading(store) as session:
        query = query.where(*_linked_conditions(session, f))
        if after:
            key = decode_cursor(kind, after, "iss" if kind == "lr" else "ss")
            query = query.where(_after(order, key, descending))
        result = session.execute(query).all()
        meetings = [row for row, *_ in result[:size]]
        linked = _reports_of(session, [m.id for m in meetings])
    rows = [_linked_row(m, linked.get(m.id, [])) for m in meetings]
    more = len(result) > size
    return Page(rows, encode_cursor(kind, tuple(result[size - 1][1:])) if more else None)


def _reports_of(session: Session, meeting_ids: list[str]) -> dict[str, list[Report]]:
    """The linker's view of each meeting's reports (for counts and disagreements)."""
    query = (select(MeetingReportLinkRow.meeting_id, MeetingReportRow, ArticleRow.published, ArticleRow.title,
                    ArticleRow.story_id)
             .join(MeetingReportRow, MeetingReportRow.id == MeetingReportLinkRow.meeting_report_id)
             .join(ArticleRow, ArticleRow.id == MeetingReportRow.article_id)
             .where(MeetingReportLinkRow.meeting_id.in_(meeting_ids)))
    found: dict[str, list[Report]] = {}
    for meeting_id, row, published, title, story_id in session.execute(query):
        found.setdefault(meeting_id, []).append(report_of(row, published, title, story_id))
    return found


def _linked_row(m: MeetingRow, reports: list[Report]) -> dict[str, Any]:
    disputed = disagreements(reports) if reports else {}
    return {"id": m.id, "participants": list(m.participants or []), "date": m.date, "place": m.place,
            "occasion": m.occasion, "status": m.status, "format": m.format,
            "scheduled_minutes": m.scheduled_minutes, "actual_minutes": m.actual_minutes,
            # copies of one wire story count once, as on the meeting's own page
            "reports": counted_reports(reports), "copies": len(reports),
            "articles": len({r.article_id for r in reports}),
            "disputed": [name for name in DISPUTABLE if name in disputed]}


def count_linked(store: Store, f: LinkedFilter) -> int:
    with _reading(store) as session:
        return session.scalar(select(func.count()).select_from(MeetingRow).where(*_linked_conditions(session, f)))


def linked_facets(store: Store, f: LinkedFilter) -> dict[str, list[tuple[str, int]]]:
    """(value, count) of leader, year, status and format over the meetings matching `f`."""
    with _reading(store) as session:
        matching = select(MeetingRow.id).where(*_linked_conditions(session, f))
        meetings = func.count(distinct(MeetingReportLinkRow.meeting_id))
        leader = (select(ActorRow.name, meetings)
                  .join(MeetingParticipantRow, MeetingParticipantRow.actor_id == ActorRow.id)
                  .join(MeetingReportLinkRow,
                        MeetingReportLinkRow.meeting_report_id == MeetingParticipantRow.meeting_report_id)
                  .where(MeetingReportLinkRow.meeting_id.in_(matching)).group_by(ActorRow.name))
        facets = {"leader": _top(session, leader, meetings)}
        for name, column in (("year", func.substr(MeetingRow.date, 1, 4)), ("status", MeetingRow.status),
                             ("format", MeetingRow.format)):
            counted = func.count()
            query = (select(column, counted).where(MeetingRow.id.in_(matching), column.is_not(None))
                     .group_by(column))
            facets[name] = _top(session, query, counted)
    return facets


def _top(session: Session, query, counted) -> list[tuple[str, int]]:
    rows = session.execute(query.order_by(counted.desc(), query.selected_columns[0])
                           .limit(queries.FACET_LIMIT)).all()
    return [(str(value), count) for value, count in rows]


def meetings_updated(store: Store, meeting_ids: list[str]) -> dict[str, str | None]:
    """When the linker last changed each canonical meeting (its Atom entry's `updated`)."""
    from ..store.rows import utc_iso

    if not meeting_ids:
        return {}
    with _reading(store) as session:
        return {i: utc_iso(t) for i, t in session.execute(
            select(MeetingRow.id, MeetingRow.updated_at).where(MeetingRow.id.in_(meeting_ids)))}


def meetings_of_reports(store: Store, report_ids: list[str]) -> list[MeetingRef]:
    """The canonical meetings these reports are linked to, by date."""
    if not report_ids:
        return []
    with _reading(store) as session:
        rows = session.scalars(
            select(MeetingRow).where(MeetingRow.id.in_(
                select(MeetingReportLinkRow.meeting_id)
                .where(MeetingReportLinkRow.meeting_report_id.in_(report_ids))))
            .order_by(*_LINKED_ORDER)).all()
    return [MeetingRef(id=m.id, href=linked_meeting_href(m.id), date=m.date,
                       participants=list(m.participants or []), status=m.status) for m in rows]


def pairs_by_meetings(store: Store, limit: int) -> list[PairSummary]:
    """Pairs of leaders by their number of canonical meetings of the two alone."""
    with _reading(store) as session:
        rows = session.execute(select(MeetingRow.participants, MeetingRow.status, MeetingRow.date)).all()
    found: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
    for participants, status, date in rows:
        names = sorted(participants or [])
        if len(names) == 2:
            found.setdefault((names[0], names[1]), []).append((status, date))
    ranked = sorted(found.items(), key=lambda item: (-len(item[1]), item[0]))[:limit]
    summaries = []
    for (a, b), meetings in ranked:
        dates = sorted(d for _, d in meetings if d)
        summaries.append(PairSummary(a=a, b=b, href=pair_href(a, b), meetings=len(meetings),
                                     held=sum(s == "held" for s, _ in meetings),
                                     first=dates[0] if dates else None, last=dates[-1] if dates else None))
    return summaries


# --- queries: commitments --------------------------------------------------------------

@dataclass
class CommitmentFilter:
    status: str | None = None
    actor: str | None = None


@dataclass
class CommitmentPageRows(Page):
    total: int = 0


def commitment_ids_of(store: Store, article_ids: list[str]) -> list[str]:
    """The current (not retracted) commitments of these articles, in article order."""
    if not article_ids:
        return []
    with _reading(store) as session:
        return list(session.scalars(
            select(CommitmentRow.id)
            .where(CommitmentRow.article_id.in_(article_ids), CommitmentRow.retracted_by_version.is_(None))
            .order_by(CommitmentRow.article_id, CommitmentRow.position, CommitmentRow.id)))


def commitments_page(store: Store, f: CommitmentFilter, *, after: str | None = None,
                     size: int = 50) -> CommitmentPageRows:
    """Commitments matching `f` in the Store's order (publication, article, position), `size`
    at a time. The Store filters by current status and actor (a status is the last change's,
    and actors are matched by name in Python), so the page is cut here, by keyset: the cursor
    is the last row's sort key, which stays valid while commitments are added or rated."""
    rows = store.commitments(status=f.status, actor=f.actor)
    positions = _positions(store)
    keyed = [(_commitment_key(c, positions), c) for c in rows]
    if after:
        start = decode_cursor("c", after, "ssis")
        keyed = [(k, c) for k, c in keyed if k > start]
    page = keyed[:size]
    more = len(keyed) > size
    return CommitmentPageRows([c for _, c in page], encode_cursor("c", tuple(page[-1][0])) if more else None,
                              total=len(rows))


def _commitment_key(c: dict[str, Any], positions: dict[str, int]) -> list:
    # the Store's order: publication (undated last), article, position, id
    return [c["published"] or _UNPUBLISHED, c["article_id"], positions.get(c["id"], 0), c["id"]]


def _positions(store: Store) -> dict[str, int]:
    with _reading(store) as session:
        return dict(session.execute(select(CommitmentRow.id, CommitmentRow.position)).all())


def commitment_facets(store: Store, f: CommitmentFilter) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Counts per current status (every status, zeros too) over the commitments of `f.actor`,
    and per actor over those of `f.status`."""
    statuses = Counter(c["status"] for c in store.commitments(actor=f.actor))
    actors = Counter(name for c in store.commitments(status=f.status) for name in c["actors"])
    top = sorted(actors.items(), key=lambda item: (-item[1], item[0]))[:queries.FACET_LIMIT]
    return {s: statuses.get(s, 0) for s in STATUSES}, top
