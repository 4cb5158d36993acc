"""The write side of the web app: logging in, reviewing records, rating commitments, the audit log.

Every write is a POST checked by `WriteAuth.writer` (the token, by session + CSRF token or
by `Authorization: Bearer`), applied by the Store in one transaction with its audit entry,
and answered with a redirect to the record's page (a form) or the audit entry as JSON
(a program sending JSON). Refusals are pages (or JSON) with the reason, never a traceback.
"""
from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from ..pipeline.review import review as review_record
from ..store import ReviewError, Store
from .auth import SESSION_COOKIE, SESSION_SECONDS, WriteAuth, WriteRefused, local_path
from .params import MAX_INT, BadInput, check_value, strict_json
from .shared import audit_entry, commitment_href, meeting_href, statement_href

MAX_BODY = 64 * 1024  # bytes: a review is a few fields, never a document
AUDIT_PAGE = 100

# The form fields of a correction, by kind of record; absent fields are left as they are.
STATEMENT_FORM_FIELDS = ("speaker", "kind", "start", "end")
MEETING_FORM_FIELDS = ("participants", "others_present", "date", "place", "occasion", "status",
                       "format", "scheduled_minutes", "actual_minutes", "link")


class LoginPage(BaseModel):
    reviewer: str | None = None
    next: str
    failed: bool = False


class AuditPage(BaseModel):
    entries: list[Any]  # app.AuditEntry, newest first
    next_url: str | None


async def read_body(request: Request) -> tuple[dict[str, Any], bool]:
    """The request's fields and whether they came as JSON (else an HTML form).

    A body over MAX_BODY is a 413 (summitry.web.guard refuses it before it is read); JSON
    that is not a strict JSON object (summitry.web.params.strict_json) is a 400."""
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
        raise HTTPException(413, "The request is too large.")
    if request.headers.get("content-type", "").split(";")[0].strip() == "application/json":
        try:
            body = strict_json(await request.body())
        except BadInput as e:
            raise HTTPException(400, f"The body is not usable: {e}.") from None
        if not isinstance(body, dict):
            raise HTTPException(400, "The body must be a JSON object.")
        return body, True
    form: FormData = await request.form(max_files=0, max_fields=50)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        check_value(fields)
    except BadInput as e:
        raise HTTPException(400, f"The form is not usable: {e}.") from None
    return fields, False


def _changes(body: dict[str, Any], names: tuple[str, ...], as_json: bool) -> dict[str, Any]:
    """The fields of a correction: JSON's "changes" object, or the form's fields. A form sends
    every field; empty text fields mean "no value" only for those that may be empty."""
    if as_json:
        changes = body.get("changes") or {}
        if not isinstance(changes, dict):
            raise HTTPException(400, "\"changes\" must be an object.")
        return {k: v for k, v in changes.items() if k in names}
    return {k: body[k] for k in names if k in body}


def register(app: FastAPI, store: Store, render, auth: WriteAuth) -> None:
    """Add the login, review and audit routes to `app` (see `summitry.web.app.create_app`)."""

    # --- logging in and out -------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, next: Annotated[str | None, Query()] = None):  # noqa: A002
        data = LoginPage(reviewer=auth.reviewer(request, time.time()), next=local_path(next))
        return render(request, "login.html", data, title="Log in to review")

    @app.post("/login", include_in_schema=False)
    async def login(request: Request):
        body, _ = await read_body(request)
        if not auth.csrf_ok(request, body.get("csrf")):
            raise WriteRefused(403, "The form has expired; reload the page and try again.")
        name = " ".join(str(body.get("name") or "").split())[:80]
        target = local_path(body.get("next"))
        if not name or not auth.check_token(request, str(body.get("token") or ""), time.time()):
            await asyncio.sleep(0.5)  # guessing the token by many tries should be slow
            data = LoginPage(next=target, failed=True)
            response = render(request, "login.html", data, title="Log in to review")
            response.status_code = 403
            return response
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(SESSION_COOKIE, auth.session_value(name, time.time()), max_age=SESSION_SECONDS,
                            httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/")
        return response

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request):
        body, _ = await read_body(request)
        if not auth.csrf_ok(request, body.get("csrf")):
            raise WriteRefused(403, "The form has expired; reload the page and try again.")
        auth.end_session(request)  # the server forgets it: a kept copy of the cookie is refused too
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    # --- reviews ---------------------------------------------------------------------------

    async def review(request: Request, kind: str, record_id: str, fields: tuple[str, ...],
                     page: str) -> Response:
        body, as_json = await read_body(request)
        by = auth.writer(request, body.get("csrf"), body.get("by"), time.time())
        action = str(body.get("action") or "")
        changes = _changes(body, fields, as_json) if action == "correct" else {}
        # the database work runs in a worker thread: linking a large store takes seconds, and
        # the event loop must go on serving other requests meanwhile
        # (a meeting report's review links the reports again: its canonical meeting may change)
        entry = await run_in_threadpool(review_record, store, kind, record_id, action, by=by,
                                        why=str(body.get("why") or ""), changes=changes)
        if as_json:
            return JSONResponse(audit_entry(entry).model_dump(), status_code=201)
        return RedirectResponse(page + "#audit", status_code=303)

    @app.post("/statements/{statement_id:path}/review", tags=["review"], status_code=201,
              summary="Accept, correct or reject a statement (needs the write token)")
    async def review_statement(request: Request, statement_id: str):
        """Body (JSON): {"action": "accept|correct|reject", "why": "...", "changes": {"speaker":
        "...", "kind": "...", "start": 10, "end": 42}}, with `Authorization: Bearer <token>` and
        `X-Reviewer: <name>`. Answers the audit entry."""
        return await review(request, "statement", statement_id, STATEMENT_FORM_FIELDS,
                            statement_href(statement_id))

    @app.post("/meetings/report/{report_id:path}/review", tags=["review"], status_code=201,
              summary="Accept, correct or reject a meeting report (needs the write token)")
    async def review_meeting_report(request: Request, report_id: str):
        """As for statements; "changes" may hold participants and others_present (lists),
        date, place, occasion, status, format, scheduled_minutes, actual_minutes, and link:
        "apart" (not the same meeting as any other report), a linked meeting's id (the same
        meeting as that one), or "" (linked by the rules again)."""
        return await review(request, "meeting_report", report_id, MEETING_FORM_FIELDS,
                            meeting_href(report_id))

    @app.post("/commitments/{commitment_id:path}/status", tags=["review"], status_code=201,
              summary="Rate a commitment: append a status with evidence and rationale (needs the write token)")
    async def set_commitment_status(request: Request, commitment_id: str):
        """Body: {"status": "kept", "evidence": "...", "why": "...", "source": "..."}. The status
        history is the commitment's audit log: append-only, with who and when."""
        body, as_json = await read_body(request)
        by = auth.writer(request, body.get("csrf"), body.get("by"), time.time())
        try:
            change = await run_in_threadpool(
                store.add_status_change, commitment_id, str(body.get("status") or ""),
                str(body.get("evidence") or ""), str(body.get("why") or body.get("rationale") or ""),
                source=str(body.get("source") or "") or None, by=by)
        except ValueError as e:
            raise ReviewError(str(e)) from None
        if as_json:
            return JSONResponse(change, status_code=201)
        return RedirectResponse(commitment_href(commitment_id) + "#history", status_code=303)

    # --- the audit log -----------------------------------------------------------------------

    @app.get("/audit", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/audit.json", response_model=AuditPage, tags=["review"],
             summary="Every review, newest first")
    def audit(request: Request, before: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None):
        # audit ids are 32-bit on PostgreSQL: a larger `before` is before every entry there is
        entries = store.audit_log(limit=AUDIT_PAGE + 1, before_id=before if before and before < 2**31 else None)
        more = len(entries) > AUDIT_PAGE
        entries = entries[:AUDIT_PAGE]
        data = AuditPage(entries=[audit_entry(e) for e in entries],
                         next_url=f"/audit?before={entries[-1]['id']}" if more else None)
        return render(request, "audit.html", data, title="Audit log")
