"""The web app: server-rendered pages over the store, each one also JSON (read side).

In the manner of Datasette: the URL is the query (`/meetings?leader=Arla+Venn&year=2031`),
the same URL with `.json` (or `Accept: application/json`, or `?_format=json`) gives the
data, listings export as CSV and have Atom feeds (`.atom`), (`.csv` or `?_format=csv`), facets are links, and every
meeting report, statement and article has a row page with a stable URL. Listings are paged
with keyset cursors (`?after=...`). The OpenAPI document is at `/openapi.json`.

Article text and titles are untrusted: templates autoescape everything, the highlighted
article text is built from escaped segments (`highlight`), an article's source URL is a
link only when it is http or https (`web_href`; anything else is text), and no value from a URL is used as a file path or pasted into SQL.
"""
from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..store import ReviewError, Store, StoreError
from . import article_pages, atom, candidate_pages, charts, desk_pages, record_pages, review_pages
from .auth import CSRF_COOKIE, WriteAuth, WriteRefused, new_token
from .guard import HeadAsGet, RequestGuard, SecurityHeaders, security_headers
from .params import BadInput
from .shapes import Error
from .shared import (
    REVIEW_CHOICES,
    accepts_json,
    alternate,
    anchor,
    article_href,
    commitment_href,
    meeting_href,
    record_href,
    speaker_href,
    statement_href,
    wanted_format,
    web_href,
    with_query,
)

HERE = Path(__file__).parent
log = logging.getLogger("summitry.web")


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
        charts.warm_up()  # the charts' renderer starts in the background, not on the first visit
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
                       with_query=with_query, web_href=web_href, version=__version__)
    templates = Jinja2Templates(env=env)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def render(request: Request, template: str, data: BaseModel, *, title: str,
               listing: bool = False, **context: Any) -> Any:
        """The page as HTML, or its data as JSON (listings answer CSV before they get here)."""
        fmt = wanted_format(request)
        if fmt in ("csv", "atom"):
            raise HTTPException(400, f"{fmt.upper()} exports are for listings: /meetings.{fmt} and /statements.{fmt}")
        if fmt == "json":
            return JSONResponse(jsonable_encoder(data))
        return templates.TemplateResponse(request, template, {
            "data": data, "title": title, "json_url": alternate(request, ".json"),
            "csv_url": alternate(request, ".csv") if listing else None,
            "atom_url": context.pop("atom_url", None) or (atom.alternate(request) if listing else None),
            **writer_context(request), **context})

    def writer_context(request: Request) -> dict[str, Any]:
        """What every page's forms need: the reviewer logged in (or None) and the CSRF token."""
        return {"reviewer": auth.reviewer(request, time.time()), "csrf": request.state.csrf,
                "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
                # a <script> must carry this nonce to run (summitry.web.guard's policy)
                "csp_nonce": getattr(request.state, "csp_nonce", "")}

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

    # Outermost last: SecurityHeaders sees every response; RequestGuard refuses large, slow
    # and malformed requests before the CSRF middleware, the pages or the token check run;
    # HeadAsGet inside them, so a HEAD is guarded and gets the headers of its GET.
    app.add_middleware(HeadAsGet)
    app.add_middleware(RequestGuard)
    app.add_middleware(SecurityHeaders)

    # Routes are registered bottom-up (the decorator nearest the function first), so the

    desk_pages.register(app, store, render)
    article_pages.register(app, store, render)
    review_pages.register(app, store, render, auth)
    candidate_pages.register(app, store, render, auth)
    record_pages.register(app, store, render)

    # --- errors: a page (or JSON), never a traceback -----------------------------------

    def error(request: Request, status: int, message: str) -> Response:
        body = Error(status=status, error=message)
        path = request.url.path
        sent_json = request.headers.get("content-type", "").startswith("application/json")
        if path.endswith((".json", ".csv", ".atom")) or request.query_params.get("_format") in ("json", "csv", "atom") \
                or accepts_json(request) or sent_json:
            return JSONResponse(body.model_dump(), status_code=status)
        return templates.TemplateResponse(request, "error.html", {
            "data": body, "title": f"Error {status}", "json_url": None, "csv_url": None, "atom_url": None,
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
        response = error(request, exc.status, str(exc))
        if exc.retry_after:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(BadInput)
    async def bad_input(request: Request, exc: BadInput):
        return error(request, 400, f"bad request: {exc}")

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
        response = error(request, 500, "Something went wrong on our side.")
        # this handler runs outside the middleware (Starlette's ServerErrorMiddleware), so
        # it adds the security headers itself
        nonce = getattr(request.state, "csp_nonce", "")
        for name, value in security_headers(nonce).items():
            response.headers.setdefault(name, value)
        return response

    return app
