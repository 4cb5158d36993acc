"""The pages of the article-level record: home, meeting reports, statements, speakers and
articles (listings with facets and keyset paging, row pages, CSV exports).

In the manner of Datasette: the URL is the query (`/meetings?leader=Arla+Venn&year=2031`),
the same URL with `.json` gives the data, listings export as CSV. `register(app, store,
render)` adds the routes; `create_app` calls it first.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import groupby
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from ..store import Store, StoreError
from . import atom, charts, queries
from .queries import MeetingFilter, StatementFilter
from .shapes import (
    ArticlePage,
    ArticleSummary,
    Counts,
    Home,
    MeetingReportPage,
    MeetingsPage,
    Span,
    SpeakerPage,
    StatementPage,
    StatementsPage,
    TimelineYear,
    YearCount,
)
from .shared import (
    MAX_PAGE_SIZE,
    MEETING_COLUMNS,
    PAGE_SIZE,
    STATEMENT_COLUMNS,
    TIMELINE_LIMIT,
    ReviewFilter,
    article_href,
    article_spans,
    audit_of,
    csv_response,
    date_range,
    facet,
    kept_params,
    highlight,
    keyset_page,
    meeting_shape,
    next_url,
    report_link,
    sort_links,
    speaker_href,
    statement_shape,
    wanted_format,
)


def register(app: FastAPI, store: Store, render: Callable[..., Any]) -> None:
    # Routes are registered bottom-up (the decorator nearest the function first), so the
    # `.json` routes come before the HTML route whose `{id:path}` would swallow the suffix.

    # --- home --------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/index.json", response_model=Home, include_in_schema=False)
    @app.get("/.json", response_model=Home, tags=["pages"], summary="Counts and the latest articles")
    def home(request: Request):
        per_year, listing = queries.meetings_per_year(store)
        spec = charts.per_year_spec(per_year, str(request.base_url).rstrip("/"), listing)
        data = Home(counts=Counts(**queries.counts(store)),
                    latest_articles=[ArticleSummary(**a, href=article_href(a["id"]))
                                     for a in queries.latest_articles(store)],
                    meetings_per_year=[YearCount(year=y, status=s, meetings=n) for y, s, n in per_year],
                    per_year_listing=listing, chart=spec)
        chart = charts.svg(spec) if wanted_format(request) == "html" else None
        return render(request, "home.html", data, title="summitry", chart=chart)

    # --- meetings ----------------------------------------------------------------------

    @app.get("/meetings", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/meetings.atom", tags=["meetings"], response_class=atom.AtomResponse,
             summary="Meeting reports as an Atom feed (a saved query: the URL's filters)", responses=atom.RESPONSES)
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
        date_from: Annotated[str | None, Query(alias="from", description="From this day (YYYY, YYYY-MM or YYYY-MM-DD)")] = None,
        date_to: Annotated[str | None, Query(alias="to", description="Up to this day (YYYY, YYYY-MM or YYYY-MM-DD)")] = None,
        sort: Annotated[Literal["newest", "oldest"], Query(description="By date: newest first (default) or oldest first")] = "newest",
        after: Annotated[str | None, Query(description="Cursor from the previous page's `next`")] = None,
        size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
    ):
        leaders = [n for n in leader + between if n.strip()]
        f = MeetingFilter(leaders=leaders, year=year, status=status or None, format=format_ or None,
                          review=review, sort=sort, **date_range(date_from, date_to))
        fmt = wanted_format(request)
        if fmt == "csv":  # every matching row, not this page
            return csv_response(queries.all_meetings(store, f), MEETING_COLUMNS, "meetings.csv")
        if fmt == "atom":  # a feed: the matching reports stored last, whatever the sort
            found = queries.recent_meetings(store, f, size)
            return atom.feed(request, "Meetings" + (f" of {', '.join(leaders)}" if leaders else ""),
                             atom.meeting_report_entries(found, [meeting_shape(r) for r in found]))
        page = keyset_page(queries.meetings_page, store, f, after, size)
        pairs = request.query_params.multi_items()
        facets = queries.meeting_facets(store, f)
        timeline = None
        pair = [n for n in between if n.strip()]
        if len(pair) == 2:
            # a timeline reads in time order, whatever the listing's sort
            chronological = replace(f, sort="oldest")
            rows = [meeting_shape(r) for _, r in zip(range(TIMELINE_LIMIT), queries.all_meetings(store, chronological))]
            timeline = [TimelineYear(year=year_, meetings=list(group))
                        for year_, group in groupby(rows, key=lambda m: m.date[:4] if m.date else "undated")]
        data = MeetingsPage(
            filters={"leader": leader, "between": between, "year": year, "status": status,
                     "format": format_, "review": review, "from": date_from, "to": date_to, "sort": sort,
                     "size": size},
            total=queries.count_meetings(store, f),
            rows=[meeting_shape(r) for r in page.rows],
            facets=[facet("leader", facets["leader"], pairs, "/meetings", multi=True)]
            + [facet(name, facets[name], pairs, "/meetings") for name in ("year", "status", "format")],
            next=page.next, next_url=next_url("/meetings", pairs, page.next), timeline=timeline)
        title = (f"Meetings of {pair[0]} and {pair[1]}" if len(pair) == 2 else
                 "Meetings" + (f" of {', '.join(leaders)}" if leaders else ""))
        chart = None
        if timeline is not None and fmt == "html":  # the timeline as a picture, each mark its report
            chart = charts.svg(charts.pair_timeline_spec(
                [{**m.model_dump(), "source": "record", "reports": 1} for y in timeline for m in y.meetings],
                str(request.base_url).rstrip("/")))
        return render(request, "meetings.html", data, title=title, listing=True,
                      pair=pair if len(pair) == 2 else None, timeline_chart=chart,
                      sorts=sort_links(request, "/meetings", ("newest", "oldest"), sort),
                      range_keep=kept_params(request, "from", "to"))

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
            meeting=meeting_shape(row),
            statements=[statement_shape(s) for s in article["statements"]],
            related=[meeting_shape(r) for r in related if r["id"] != row["id"]][:100],
            audit=audit_of(store.record_audit("meeting_report", row["id"])),
            **report_link(store, row["id"]))
        return render(request, "meeting_report.html", data,
                      title="Meeting report: " + " – ".join(row["participants"]))

    # --- statements --------------------------------------------------------------------

    @app.get("/statements", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/statements.atom", tags=["statements"], response_class=atom.AtomResponse,
             summary="Statements as an Atom feed (a saved query: the URL's filters)", responses=atom.RESPONSES)
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
        if wanted_format(request) == "csv":
            return csv_response(queries.all_statements(store, f), STATEMENT_COLUMNS, "statements.csv")
        if wanted_format(request) == "atom":
            found = queries.recent_statements(store, f, size)  # stored last: what is new
            return atom.feed(request, f"Statements matching “{q}”" if q else "Statements",
                             atom.statement_entries(found, [statement_shape(r) for r in found]))
        page = keyset_page(queries.statements_page, store, f, after, size)
        pairs = request.query_params.multi_items()
        facets = queries.statement_facets(store, f)
        data = StatementsPage(
            filters={"q": q, "speaker": speaker, "source": source, "year": year, "review": review,
                     "size": size},
            total=queries.count_statements(store, f),
            rows=[statement_shape(r) for r in page.rows],
            facets=[facet(name, facets[name], pairs, "/statements") for name in ("speaker", "source", "year")],
            next=page.next, next_url=next_url("/statements", pairs, page.next))
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
        data = StatementPage(statement=statement_shape(row),
                             same_article=[statement_shape(s) for s in article["statements"]
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
        page = keyset_page(queries.statements_page, store, StatementFilter(speaker=name), after, size)
        path = speaker_href(name)
        data = SpeakerPage(name=name, actors=actors, rows=[statement_shape(r) for r in page.rows],
                           next=page.next,
                           next_url=next_url(path, request.query_params.multi_items(), page.next))
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
            statements=[statement_shape(s) for s in found["statements"]],
            meetings=[meeting_shape(m) for m in found["meetings"]],
            spans=[Span(start=s.start, end=s.end, kind=s.kind, ref=s.ref) for s in spans
                   if type(s.start) is int and type(s.end) is int and 0 <= s.start < s.end <= n])
        return render(request, "article.html", data, title=found["title"] or found["id"],
                      marked=highlight(found["text"], spans))

