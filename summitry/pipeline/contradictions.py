"""Contradictions over the store: gather each canonical meeting's accounts, run the rules of
`summitry.link.contradictions`, and store what they find.

A meeting's contradictions depend only on its own reports and on the statements of the
articles that report it, so recomputing some meetings gives, for those, exactly what the
whole store gives: `update_contradictions` (run after every link) recomputes only the
meetings that changed, and stores the same rows a full `refresh_contradictions` would.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..link.contradictions import (
    Contradiction,
    fact_contradictions,
    meetings_of_statement,
    statement_contradictions,
)
from ..records import FINDING_THRESHOLD


def accounts_by_meeting(store, meeting_ids: Iterable[str] | None = None) -> dict[str, list[tuple[dict, dict]]]:
    """(article, statement) pairs for each canonical meeting they are about (every meeting, or
    only those of `meeting_ids`).

    An article's statements are about its one canonical meeting; where the article's reports
    are linked to several, a statement is about those whose leaders its sentence names.
    Articles are read in the store's order (`article_ids`), so a meeting's pairs come in the
    same order whether it is computed alone or with all the others.
    """
    if meeting_ids is None:
        meetings = {m["id"]: m for m in store.canonical_meetings()}
        article_ids = store.article_ids()
    else:
        meetings, reporting = {}, set()
        for meeting_id in meeting_ids:
            found = store.canonical_meeting(meeting_id)
            if found is None or found["id"] != meeting_id:
                continue  # merged into another or gone: that one is computed in its own right
            meetings[meeting_id] = found
            reporting.update(r["article_id"] for r in found["reports"])
        article_ids = [a for a in store.article_ids() if a in reporting]
    report_meeting = store.report_meeting_ids()
    grouped: dict[str, list[tuple[dict, dict]]] = {}
    # copies of one wire story are one account: a meeting takes the statements of the first
    # copy that reports it (in the store's order) and none of the others
    heard: dict[str, dict[str, str]] = {}  # meeting id -> {story id: the article it heard}
    for article_id in article_ids:
        article = store.article(article_id)
        story = article.get("story_id") or article["id"]
        ids = sorted({report_meeting[m["id"]] for m in article["meetings"] if m["id"] in report_meeting})
        for s in article["statements"]:
            if s.get("review_status") == "rejected":  # a person judged it wrong: no account at all
                continue
            for meeting_id in meetings_of_statement(s, ids, meetings):
                if meeting_id in meetings:
                    if heard.setdefault(meeting_id, {}).setdefault(story, article["id"]) != article["id"]:
                        continue
                    grouped.setdefault(meeting_id, []).append((article, s))
    return grouped


def find_contradictions(store, meeting_id: str | None = None, *,
                        meeting_ids: Iterable[str] | None = None) -> list[Contradiction]:
    """Every contradiction in the store, facts then statements; or those about one canonical
    meeting (`meeting_id`, a merged meeting's old id leading to its new one), or about several
    (`meeting_ids`, as they are now: ids that no longer name a meeting are skipped)."""
    if meeting_ids is not None:
        ids = list(dict.fromkeys(meeting_ids))
    else:
        ids = [meeting_id] if meeting_id else [m["id"] for m in store.canonical_meetings()]
    found: list[Contradiction] = []
    resolved = []
    outlets: dict[str, dict] = {}
    for mid in ids:
        meeting = store.canonical_meeting(mid)
        if meeting is None or (meeting_ids is not None and meeting["id"] != mid):
            continue
        resolved.append(meeting["id"])
        if meeting.get("disagreements"):
            for report in meeting["reports"]:
                if report["article_id"] not in outlets:
                    article = store.article(report["article_id"]) or {}
                    outlets[report["article_id"]] = {"source": article.get("source"),
                                                     "published": article.get("published")}
        found.extend(fact_contradictions(meeting, outlets))
    whole = meeting_id is None and meeting_ids is None
    found.extend(statement_contradictions(accounts_by_meeting(store, None if whole else resolved)))
    return found


def refresh_contradictions(store) -> int:
    """Recompute every contradiction between accounts and store them in place of the stored
    ones. Ids come from each one's kind, meeting, topic and sides, and unchanged rows are left
    alone: running it again writes nothing. Returns the number stored. (`summitry
    contradictions --refresh`; `link` recomputes only what changed, with `update_contradictions`.)"""
    return store.save_contradictions([stored(c) for c in find_contradictions(store)], None)


def update_contradictions(store, meeting_ids: Iterable[str], gone: Iterable[str] = (), *,
                          articles: Iterable[str] = ()) -> int:
    """Recompute the contradictions of some canonical meetings only, and store the result
    exactly as `refresh_contradictions` would (the same ids, values and positions).

    `meeting_ids` are the meetings whose reports or values changed (the `touched` of a link
    run); `gone` the ids that no longer name a meeting, whose contradictions are removed;
    `articles` articles whose statements changed in place (a review): their meetings are
    recomputed. To these are added the meetings whose stored contradictions cite an article
    that no longer reports the meeting, or a statement whose words, offsets or speaker
    changed. Returns the number stored in all."""
    # with the meetings an earlier link run changed and could not finish (killed before this step)
    stale = store.stale_contradiction_meetings() | store.pending_contradiction_meetings()
    articles = list(articles)
    if articles:
        stale |= store.meetings_reported_by(articles)
    recompute = sorted(set(meeting_ids) | stale)
    found = [stored(c) for c in find_contradictions(store, meeting_ids=recompute)] if recompute else []
    return store.save_contradictions(found, set(recompute) | set(gone))


def stored(c: Contradiction) -> dict:
    """A contradiction as the store keeps it: shown as a finding when the rules are sure of it
    (confidence at least FINDING_THRESHOLD), else a candidate for a person."""
    values = c.to_dict()
    confidence = values.get("confidence")
    values["state"] = "finding" if confidence is None or confidence >= FINDING_THRESHOLD else "candidate"
    return values
