"""The analyst's desk: the pages an analyst lives in beyond the record listings.

- `/flags`: fact flags (where an article gets the reference record wrong), findings by
  default; `?show=candidates|notices|dismissed|all` as `summitry flags --candidates/--notices/--all`;
- `/contradictions`: contradictions between accounts of one canonical meeting, findings by
  default; `?show=candidates|dismissed|all` as `summitry contradictions --candidates/--all`;
- `/search?q=`: one search over statements, meetings, people (actors) and articles.

Each page has its `.json` twin; `/flags.atom` and `/contradictions.atom` are Atom feeds
(`summitry.web.atom`). A logged-in reviewer confirms or dismisses a flag or contradiction
from these pages with the verdict machinery of the review queue
(`POST /candidates/{kind}/{id}`, `summitry.web.candidate_pages`), which brings them back here.

`register(app, store, render)` adds the routes; `create_app` calls it before the record pages
(whose `/meetings/{id}` would otherwise take `/meetings/linked.atom`).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy import and_, func, or_, select

from ..store import Store
from ..store.models import ActorRow, ArticleRow, MeetingRow
from . import atom, queries
from .queries import MeetingFilter, StatementFilter, _reading
from .record_pages import (
    HELPERS,
    Contradiction,
    FactFlag,
    LinkedMeeting,
    _contradiction,
    _flag,
    _linked,
    _linked_conditions,
    _linked_row,
    _reports_of,
)
from .shapes import Statement
from .shared import (
    article_href,
    linked_meeting_href,
    speaker_href,
    statement_shape,
    wanted_format,
    with_query,
)

# The `show` switch: which states a listing keeps (the CLI's --candidates, --notices, --all).
FLAG_SHOWS: dict[str, tuple[str, ...] | None] = {
    "findings": ("finding", "confirmed"), "candidates": ("candidate",), "notices": ("notice",),
    "dismissed": ("dismissed",), "all": None}
CONTRADICTION_SHOWS: dict[str, tuple[str, ...] | None] = {
    "findings": ("finding", "confirmed"), "candidates": ("candidate",), "dismissed": ("dismissed",),
    "all": None}
FlagShow = Literal["findings", "candidates", "notices", "dismissed", "all"]
ContradictionShow = Literal["findings", "candidates", "dismissed", "all"]

SEARCH_LIMIT = 10  # rows per group of /search; each group links to its whole listing


# --- JSON shapes -----------------------------------------------------------------------

class ShowCount(BaseModel):
    show: str
    count: int
    href: str
    selected: bool


class FlagsPage(BaseModel):
    filters: dict[str, Any]
    total: int
    shows: list[ShowCount]  # the `show` switch, with the number of flags of each
    rows: list[FactFlag]


class MeetingContradiction(Contradiction):
    meeting_id: str
    meeting_href: str
    meeting_date: str | None = None
    participants: list[str] = []


class ContradictionsPage(BaseModel):
    filters: dict[str, Any]
    total: int
    shows: list[ShowCount]
    rows: list[MeetingContradiction]


class Person(BaseModel):
    name: str
    kind: str  # person | organisation
    href: str  # the speaker page
    meetings_href: str  # their meeting reports


class ArticleHit(BaseModel):
    id: str
    href: str
    title: str | None = None
    published: str | None = None
    source: str | None = None


class SearchGroup(BaseModel):
    total: int
    more_href: str | None = None  # the whole listing, where there is one


class SearchPage(BaseModel):
    q: str
    statements: list[Statement]
    meetings: list[LinkedMeeting]
    people: list[Person]
    articles: list[ArticleHit]
    groups: dict[str, SearchGroup]  # statements, meetings, people, articles


# --- routes ----------------------------------------------------------------------------

def register(app: FastAPI, store: Store, render: Callable[..., Any]) -> None:
    def show_page(request: Request, template: str, data: BaseModel, *, title: str, **context: Any) -> Any:
        return render(request, template, data, title=title, **HELPERS, **context)

    @app.get("/flags", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/flags.atom", tags=["findings"], response_class=atom.AtomResponse,
             summary="Fact flags as an Atom feed", responses=atom.RESPONSES)
    @app.get("/flags.json", response_model=FlagsPage, tags=["findings"],
             summary="Fact flags: where an article gets the reference record wrong")
    def flags(
        request: Request,
        show: Annotated[FlagShow, Query(description="findings (and confirmed), candidates, notices, dismissed or all")] = "findings",
        article: Annotated[str | None, Query(description="Only this article's")] = None,
        kind: Annotated[str | None, Query(description="Only this kind of flag")] = None,
    ):
        every = store.fact_flags(article_id=article or None, kind=kind or None, states=None)
        kept = [f for f in every if FLAG_SHOWS[show] is None or f["state"] in FLAG_SHOWS[show]]
        rows = [_flag(f) for f in kept]
        title = "Fact flags" + ("" if show == "findings" else f": {show}")
        if wanted_format(request) == "atom":
            return atom.feed(request, title, [atom.flag_entry(request, f, raw["created_at"])
                                              for f, raw in zip(rows, kept)],
                             updated=[f["created_at"] for f in every])
        data = FlagsPage(filters={"show": show, "article": article, "kind": kind}, total=len(rows),
                         shows=_shows(request, "/flags", FLAG_SHOWS, show, [f["state"] for f in every]),
                         rows=rows)
        return show_page(request, "flags.html", data, title=title, atom_url=atom.alternate(request))

    @app.get("/contradictions", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/contradictions.atom", tags=["findings"], response_class=atom.AtomResponse,
             summary="Contradictions as an Atom feed", responses=atom.RESPONSES)
    @app.get("/contradictions.json", response_model=ContradictionsPage, tags=["findings"],
             summary="Contradictions between accounts of the same canonical meeting")
    def contradictions(
        request: Request,
        show: Annotated[ContradictionShow, Query(description="findings (and confirmed), candidates, dismissed or all")] = "findings",
        meeting: Annotated[str | None, Query(description="Only this canonical meeting's (m-...)")] = None,
    ):
        every = store.contradictions(meeting or None, states=None)
        kept = [c for c in every if CONTRADICTION_SHOWS[show] is None or c["state"] in CONTRADICTION_SHOWS[show]]
        meetings = _meetings(store, {c["meeting_id"] for c in kept})
        rows = [_meeting_contradiction(c, meetings.get(c["meeting_id"])) for c in kept]
        title = "Contradictions" + ("" if show == "findings" else f": {show}")
        if wanted_format(request) == "atom":
            return atom.feed(request, title, [atom.contradiction_entry(request, c, raw["created_at"])
                                              for c, raw in zip(rows, kept)],
                             updated=[c["created_at"] for c in every])
        data = ContradictionsPage(filters={"show": show, "meeting": meeting}, total=len(rows),
                                  shows=_shows(request, "/contradictions", CONTRADICTION_SHOWS, show,
                                               [c["state"] for c in every]),
                                  rows=rows)
        return show_page(request, "contradictions.html", data, title=title, atom_url=atom.alternate(request))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/search.json", response_model=SearchPage, tags=["pages"],
             summary="One search over statements, meetings, people and articles")
    def search(request: Request, q: Annotated[str, Query(max_length=200, description="Words or a name")] = ""):
        data = search_page(store, q.strip())
        return show_page(request, "search.html", data, search_q=data.q,
                         title=f"Search: “{data.q}”" if data.q else "Search")


def _shows(request: Request, path: str, shows: dict[str, tuple[str, ...] | None], current: str,
           states: list[str]) -> list[ShowCount]:
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("show", "_format")]
    return [ShowCount(show=name, count=sum(1 for s in states if wanted is None or s in wanted),
                      href=with_query(path, kept + ([] if name == "findings" else [("show", name)])),
                      selected=name == current)
            for name, wanted in shows.items()]


def _meetings(store: Store, ids: set[str]) -> dict[str, MeetingRow]:
    if not ids:
        return {}
    with _reading(store) as session:
        return {m.id: m for m in session.scalars(select(MeetingRow).where(MeetingRow.id.in_(sorted(ids))))}


def _meeting_contradiction(c: dict[str, Any], meeting: MeetingRow | None) -> MeetingContradiction:
    return MeetingContradiction(**_contradiction(c).model_dump(), meeting_id=c["meeting_id"],
                                meeting_href=linked_meeting_href(c["meeting_id"]),
                                meeting_date=meeting.date if meeting else None,
                                participants=list(meeting.participants or []) if meeting else [])


# --- search ----------------------------------------------------------------------------

def _like(text: str) -> str:
    """A LIKE pattern for `text` anywhere, its own % and _ taken literally (escape '\\')."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_page(store: Store, q: str) -> SearchPage:
    """Statements (full text), canonical meetings (of a person named, or at a place or an
    occasion containing `q`), people (actors named by `q`, or whose name contains it) and
    articles (title containing `q`, or the id), at most SEARCH_LIMIT of each, with totals."""
    if not q:
        empty = SearchGroup(total=0)
        return SearchPage(q="", statements=[], meetings=[], people=[], articles=[],
                          groups={g: empty for g in ("statements", "meetings", "people", "articles")})
    f = StatementFilter(q=q)
    statements = queries.statements_page(store, f, size=SEARCH_LIMIT).rows
    n_statements = queries.count_statements(store, f)
    pattern = _like(q)
    with _reading(store) as session:
        named = queries.actor_ids(session, q)
        actors = session.scalars(select(ActorRow).where(or_(ActorRow.id.in_(named), ActorRow.name.ilike(pattern, escape="\\")))
                                 .order_by(ActorRow.name)).all()
        article_query = (select(ArticleRow.id, ArticleRow.title, ArticleRow.published, ArticleRow.source)
                         .where(or_(ArticleRow.title.ilike(pattern, escape="\\"), ArticleRow.id == q))
                         .order_by(ArticleRow.published.is_(None), ArticleRow.published.desc(), ArticleRow.id))
        n_articles = session.scalar(select(func.count()).select_from(article_query.subquery()))
        articles = session.execute(article_query.limit(SEARCH_LIMIT)).all()
        names = [a.name for a in actors]
        # a meeting at a place or an occasion containing `q`, or of a person it names (as
        # /meetings/linked?leader= finds them: any of the matched names)
        matching = or_(MeetingRow.place.ilike(pattern, escape="\\"), MeetingRow.occasion.ilike(pattern, escape="\\"),
                       *[and_(*_linked_conditions(session, MeetingFilter(leaders=[name]))) for name in names[:5]])
        n_meetings = session.scalar(select(func.count()).select_from(MeetingRow).where(matching))
        found = session.scalars(select(MeetingRow).where(matching)
                                .order_by(MeetingRow.date.is_(None), MeetingRow.date.desc(), MeetingRow.id)
                                .limit(SEARCH_LIMIT)).all()
        reports = _reports_of(session, [m.id for m in found])
    meetings = [_linked(_linked_row(m, reports.get(m.id, []))) for m in found]
    people = [Person(name=a.name, kind=a.kind or "person", href=speaker_href(a.name),
                     meetings_href=with_query("/meetings", [("leader", a.name)])) for a in actors]
    return SearchPage(
        q=q, statements=[statement_shape(r) for r in statements], meetings=meetings,
        people=people[:SEARCH_LIMIT],
        articles=[ArticleHit(id=i, href=article_href(i), title=t, published=p.isoformat() if p else None, source=s)
                  for i, t, p, s in articles],
        groups={"statements": SearchGroup(total=n_statements, more_href=with_query("/statements", [("q", q)])),
                "meetings": SearchGroup(total=n_meetings, more_href=(
                    with_query("/meetings/linked", [("leader", names[0])]) if len(names) == 1 else None)),
                "people": SearchGroup(total=len(people)),
                "articles": SearchGroup(total=n_articles)})
