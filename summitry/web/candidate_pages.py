"""The review queue of derived findings: fact flags, contradictions and proposed ratings that
the rules are not sure enough of to show as findings (`/candidates`, also `.json`), and the
verdict a person gives each (`POST /candidates/{kind}/{id}`: confirm or dismiss, with why).

A confirmed flag or contradiction is shown as a finding; a dismissed one never again, even
after the record is recomputed (the verdict is kept by what the finding rests on). A confirmed
rating is appended to the commitment's history in the reviewer's name. Every verdict is in the
audit log. Writing needs the write token, as every review does (`summitry.web.auth`).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ..store import Store
from .auth import WriteAuth, local_path
from .review_pages import read_body
from .shared import article_href, audit_entry, commitment_href, linked_meeting_href

KINDS = ("fact_flag", "contradiction", "rating")
KIND_TITLES = {"fact_flag": "Fact flags", "contradiction": "Contradictions", "rating": "Proposed ratings"}


class Candidate(BaseModel):
    finding_kind: str  # fact_flag | contradiction | rating
    id: str
    confidence: float | None
    summary: str  # what the finding says, in a line
    reason: str  # why the rules think so
    sides: list[dict[str, Any]]  # the words it rests on: article, text, offsets, href
    href: str | None  # the record it is about


class CandidatesPage(BaseModel):
    kind: str | None
    counts: dict[str, int]
    rows: list[Candidate]


def register(app: FastAPI, store: Store, render: Callable[..., Any], auth: WriteAuth) -> None:
    @app.get("/candidates", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/candidates.json", response_model=CandidatesPage, tags=["review"],
             summary="The review queue: findings the rules are not sure of")
    def candidates(request: Request,
                   kind: Annotated[str | None, Query(description="fact_flag, contradiction or rating")] = None):
        every = store.candidates()
        counts = {k: sum(1 for c in every if c["finding_kind"] == k) for k in KINDS}
        rows = [candidate(c) for c in every if kind in (None, "", c["finding_kind"])]
        data = CandidatesPage(kind=kind or None, counts=counts, rows=rows)
        return render(request, "candidates.html", data, title="Review queue", kind_titles=KIND_TITLES)

    @app.post("/candidates/{kind}/{finding_id:path}", tags=["review"], status_code=201,
              summary="Confirm or dismiss a finding of the review queue (needs the write token)")
    async def decide(request: Request, kind: str, finding_id: str):
        """Body (JSON): {"action": "confirm|dismiss", "why": "..."}, with `Authorization: Bearer
        <token>` and `X-Reviewer: <name>`. Answers the audit entry."""
        body, as_json = await read_body(request)
        by = auth.writer(request, body.get("csrf"), body.get("by"), time.time())
        entry = await run_in_threadpool(store.decide, kind, finding_id, str(body.get("action") or ""),
                                        by=by, why=str(body.get("why") or ""))
        if as_json:
            return JSONResponse(audit_entry(entry).model_dump(), status_code=201)
        # a form on /flags or /contradictions sends the page it came from: back there
        return RedirectResponse(local_path(body.get("next"), "/candidates#audit"), status_code=303)


def candidate(c: dict[str, Any]) -> Candidate:
    """One finding of the queue as the page shows it: what it says, why, and its words."""
    kind = c["finding_kind"]
    if kind == "fact_flag":
        side = {"article_id": c["article_id"], "text": c["claim"], "start": c["start"], "end": c["end"],
                "href": article_href(c["article_id"])}
        return Candidate(finding_kind=kind, id=c["id"], confidence=c.get("confidence"),
                         summary=f"{c['kind'].replace('_', ' ')}: “{c['claim']}”", reason=c["explanation"],
                         sides=[side], href=article_href(c["article_id"]))
    if kind == "contradiction":
        sides = [{**s, "href": article_href(s["article_id"]) if s.get("article_id") else None} for s in c["sides"]]
        return Candidate(finding_kind=kind, id=c["id"], confidence=c.get("confidence"),
                         summary=f"{c['kind']} about {c['field_or_topic'] or 'the meeting'}",
                         reason=c["explanation"], sides=sides, href=linked_meeting_href(c["meeting_id"]))
    side = {"article_id": (c.get("source") or "").split(":")[0] or None, "text": c["evidence"],
            "source": c.get("source")}
    return Candidate(finding_kind=kind, id=c["id"], confidence=c.get("confidence"),
                     summary=f"{' and '.join(c['actors']) or 'someone'}: “{c['action']}” → {c['status'].replace('_', ' ')}",
                     reason=c["rationale"], sides=[side], href=commitment_href(c["commitment_id"]))
