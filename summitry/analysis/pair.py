"""Analysis of a pair of leaders over the stored record: pure functions, no database writes.

- :func:`timeline`: the pair's encounters in date order, from the canonical meetings (held,
  planned, proposed, cancelled, denied) plus the reference record's encounters of the pair that
  no stored report covers (``source: "reference"``). A meeting covers the encounter its reports
  snap to, as the linker decides it. Every entry cites its sources.
- :func:`timeline_csv`, :func:`timeline_js`: the exports (CSV; TimelineJS JSON, its headlines and
  texts HTML-escaped because TimelineJS renders them as HTML).
- :func:`base_rates`: commitments recorded at the pair's meetings, counted by current status,
  per meeting and in total, and planned against actual length where both are known.
- :func:`cooperation_scores`: a PLOVER-style cooperation/conflict score per event and its trend.

Cooperation/conflict scale (PLOVER categories; positive is cooperation, negative conflict).
Contradictions and fact flags are findings about the accounts, not events, and are not scored.

=====================================  ==========  =======
event                                  PLOVER      score
=====================================  ==========  =======
meeting or call held                   CONSULT     +2.5
meeting planned or proposed            CONSULT     +1.0
commitment agreed jointly ("agreed")   AGREE       +3.0
commitment pledged/promised/announced  AGREE       +2.5
commitment offered                     AGREE       +1.5
meeting denied by a party              REJECT      -2.0
meeting cancelled                      REJECT      -3.0
=====================================  ==========  =======

The trend is the mean score per year and a rolling mean over the last ``window`` events.
"""
from __future__ import annotations

import bisect
import csv
import html
import io
import json
import os
import re
from collections import Counter
from datetime import date
from collections.abc import Iterable, Mapping
from typing import Any

from ..link.commitments import STATUSES
from ..link.linking import REMOTE_FORMATS, Report, meeting_snap
from ..link.reference import ReferenceRecord, same_people

__all__ = ["SCALE", "article_cite", "article_labels", "base_rates", "cited_articles", "citations",
           "cooperation_scores", "score_events", "timeline", "timeline_csv", "timeline_js", "trend"]

#: (PLOVER category, score) for a meeting by its status, and for a commitment by its kind
MEETING_SCALE: dict[str, tuple[str, float]] = {
    "held": ("CONSULT", 2.5), "planned": ("CONSULT", 1.0), "proposed": ("CONSULT", 1.0),
    "denied": ("REJECT", -2.0), "cancelled": ("REJECT", -3.0),
}
COMMITMENT_SCALE: dict[str, tuple[str, float]] = {
    "agreed": ("AGREE", 3.0), "pledged": ("AGREE", 2.5), "promised": ("AGREE", 2.5),
    "announced": ("AGREE", 2.5), "offered": ("AGREE", 1.5),
}
DEFAULT_COMMITMENT = ("AGREE", 2.5)
SCALE = {"meeting": MEETING_SCALE, "commitment": COMMITMENT_SCALE}

CSV_FIELDS = ("date", "end_date", "status", "format", "place", "occasion", "scheduled_minutes",
              "actual_minutes", "reports", "articles", "source", "id", "reference_id", "cite", "suspect")


# --- citations -----------------------------------------------------------------------

#: an article id of at most this many characters is cited whole (content ids have 16);
#: a longer one (an id given in JSONL, a URL) by its shortest unique prefix, of at least MIN_PREFIX
SHORT_ID = 20
MIN_PREFIX = 8
#: an item of a citation list that names an article: "article LABEL" or "article LABEL@START-END"
_ARTICLE_ITEM = re.compile(r"article ([^\s@;\[\]]+)(?:@\d+-\d+)?")


def article_cite(article_id: str, start: int | None, end: int | None,
                 labels: Mapping[str, str] | None = None) -> str:
    """`article 4b1b574a9c0e2d17@2650-2754` (offsets when known). The article is named by its
    label in `labels` (see :func:`article_labels`), else by its whole id."""
    label = labels.get(article_id, article_id) if labels else article_id
    short = f"article {label}"
    return f"{short}@{start}-{end}" if start is not None and end is not None else short


def article_labels(store, article_ids: Iterable[str]) -> dict[str, str]:
    """How citations name each of `article_ids`: the whole id when it has at most SHORT_ID
    characters, else its shortest prefix (at least MIN_PREFIX characters) that no other stored
    article id starts with. Either resolves with `Store.article(label)` and `summitry show`.

    Short ids are cited whole rather than by a fixed-length prefix, which two ids can share
    ("pipeline-1", "pipeline-2"), and whole ids stay unambiguous as articles are added. Only a
    long id needs the store's other ids, so they are read only when there is one."""
    ids = set(article_ids)
    labels = {aid: aid for aid in ids if len(aid) <= SHORT_ID}
    long_ids = ids - labels.keys()
    if long_ids:
        every = sorted(store.article_ids())
        labels.update({aid: unique_prefix(aid, every) for aid in long_ids})
    return labels


def unique_prefix(article_id: str, sorted_ids: list[str]) -> str:
    """The shortest prefix of `article_id`, of at least MIN_PREFIX characters, that no other id
    in `sorted_ids` starts with; the whole id when every shorter prefix is shared."""
    i = bisect.bisect_left(sorted_ids, article_id)
    # in sorted order, the ids sharing the longest prefix with it are its neighbours
    neighbours = [other for other in sorted_ids[max(0, i - 1):i + 2] if other != article_id]
    shared = max((len(os.path.commonprefix([article_id, other])) for other in neighbours), default=0)
    return article_id[:max(MIN_PREFIX, shared + 1)]


def cited_articles(text: str) -> list[str]:
    """The article labels cited in `text` (a briefing): the "article LABEL" items of its
    bracketed citation lists, each once, in order."""
    found = []
    for bracket in re.findall(r"\[([^\[\]]*)\]", text):
        for item in bracket.split("; "):
            if match := _ARTICLE_ITEM.fullmatch(item.strip()):
                found.append(match.group(1))
    return list(dict.fromkeys(found))


def ref_cite(ref_id: str) -> str:
    return f"ref: {ref_id}"


def citations(items: list[str]) -> str:
    """`[a; b; c]`, each source once, in order."""
    seen = list(dict.fromkeys(i for i in items if i))
    return "[" + "; ".join(seen) + "]"


# --- timeline -----------------------------------------------------------------------------

def _pair_meetings(store, a: str, b: str) -> list[dict]:
    """The pair's canonical meetings (these two and nobody else), each with its reports."""
    return [m for m in store.canonical_meetings(between=(a, b), with_reports=True)
            if same_people((a, b), m["participants"])]


def timeline(store, a: str, b: str, reference: ReferenceRecord | None = None) -> list[dict]:
    """The pair's encounters in date order (undated last): stored meetings and the reference
    record's encounters that no stored meeting covers. Each entry has `cite` (its sources).

    A stored meeting covers the known encounter its reports snap to (`linking.meeting_snap`,
    the linker's own rule): the entry then shows the encounter's date, place and occasion (the
    meeting's own, as its reports give them, are in `record_values`), and `snap` says why.
    A held meeting in person that snaps to nothing, of a pair whose every in-person encounter
    the reference record lists, gets `suspect`: a sentence saying it is probably a misreading.
    """
    reference = reference or ReferenceRecord.load()
    entries, covered = [], set()
    meetings = _pair_meetings(store, a, b)
    labels = article_labels(store, (r["article_id"] for m in meetings for r in m["report_rows"]))
    for m in meetings:
        snap = meeting_snap([_report(r) for r in m["report_rows"]], reference)
        ref = snap.encounter if snap else None
        non_event = None if ref else reference.non_event(m["participants"], m["date"], m["place"], m["occasion"])
        if ref:
            covered.add(ref.id)
        reports = [{"report_id": r["id"], "article_id": r["article_id"], "start": r.get("evidence_start"),
                    "end": r.get("evidence_end"), "published": r.get("published")} for r in m["report_rows"]]
        cite = [m["id"]] + [article_cite(r["article_id"], r["start"], r["end"], labels) for r in reports]
        cite += [ref_cite(ref.id)] if ref else [ref_cite(non_event.id)] if non_event else []
        shown = ({"date": ref.date, "end_date": ref.end_date, "place": ref.place, "occasion": ref.occasion}
                 if ref else {"date": m["date"], "end_date": None, "place": m["place"], "occasion": m["occasion"]})
        entries.append({
            **shown, "format": m["format"], "status": m["status"], "scheduled_minutes": m["scheduled_minutes"],
            "actual_minutes": m["actual_minutes"], "reports": m["reports"], "articles": m["articles"],
            "disputed": m.get("disputed", []), "source": "record", "id": m["id"],
            "reference_id": ref.id if ref else None,
            "record_values": {"date": m["date"], "place": m["place"], "occasion": m["occasion"]},
            "snap": {"confidence": snap.confidence, "reason": snap.reason} if snap else None,
            "suspect": None if ref or non_event else _suspect(m, a, b, reference),
            "non_event": ({"id": non_event.id, "explanation": non_event.explanation} if non_event else None),
            "report_sources": reports, "cite": cite,
        })
    for e in reference.for_pair(a, b):
        if e.id in covered:
            continue
        entries.append({
            "date": e.date, "end_date": e.end_date, "place": e.place, "occasion": e.occasion,
            "format": e.format, "status": e.status, "scheduled_minutes": e.scheduled_minutes,
            "actual_minutes": e.actual_minutes, "reports": 0, "articles": 0, "disputed": [],
            "source": "reference", "id": e.id, "reference_id": e.id, "record_values": None, "snap": None,
            "suspect": None, "non_event": None, "report_sources": [], "cite": [ref_cite(e.id)],
        })
    return sorted(entries, key=lambda x: (x["date"] is None, x["date"] or "", x["source"] != "record", x["id"]))


def _report(row: dict) -> Report:
    """A stored report (as `Store.canonical_meetings(with_reports=True)` gives it) as the linker sees it."""
    published = row.get("published")
    return Report(id=row["id"], article_id=row["article_id"], participants=tuple(row["participants"] or ()),
                  date=row.get("date"), place=row.get("place"), occasion=row.get("occasion"),
                  status=row.get("status") or "held", format=row.get("format"),
                  published=date.fromisoformat(published) if isinstance(published, str) else published,
                  story_id=row.get("story_id"))


def _suspect(meeting: dict, a: str, b: str, reference: ReferenceRecord) -> str | None:
    """Why a held in-person meeting that matches no known encounter is probably a misreading,
    when the reference record lists every in-person encounter of the pair; else None."""
    if meeting["status"] != "held" or meeting["format"] in REMOTE_FORMATS:
        return None
    if not reference.covers(a, b, _first_day(meeting["date"])):
        return None
    when = f" ({meeting['date']})" if meeting["date"] else ""
    return (f"The reference record lists every in-person encounter of {a} and {b}, and none fits this "
            f"one{when}: probably a misreading of the article rather than a meeting.")


def _first_day(value: str | None) -> str | None:
    """The first day a report's date allows, or None when it has none (or an unreadable one)."""
    if not value:
        return None
    try:
        return date.fromisoformat((value + "-01-01")[:10] if len(value) < 10 else value).isoformat()
    except ValueError:
        return None


def timeline_csv(entries: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for e in entries:
        writer.writerow({**e, "cite": "; ".join(e["cite"])})
    return out.getvalue()


def _start_date(value: str) -> dict[str, str]:
    parts = value.split("-")
    return dict(zip(("year", "month", "day"), parts))


def _js_text(headline: str, text: str) -> dict[str, str]:
    # TimelineJS renders headline and text as HTML, and they carry places, occasions and
    # names read from articles: escaped here, so that every export of the timeline is safe
    return {"headline": html.escape(headline), "text": html.escape(text)}


def timeline_js(entries: list[dict], a: str, b: str) -> dict:
    """TimelineJS JSON: a title slide and one event per dated entry, grouped by status. Every
    headline and text is HTML-escaped (TimelineJS shows them as HTML)."""
    events = []
    for e in entries:
        if not e["date"]:
            continue
        where = ", ".join(x for x in (e["place"], e["occasion"]) if x) or e["format"] or "encounter"
        lines = [f"Status: {e['status']}; format: {e['format'] or 'unknown'}."]
        if e["scheduled_minutes"] or e["actual_minutes"]:
            lines.append(f"Minutes planned/actual: {e['scheduled_minutes'] or '?'}/{e['actual_minutes'] or '?'}.")
        if e["source"] == "record":
            lines.append(f"{e['reports']} report(s) in {e['articles']} article(s).")
        if e.get("non_event"):
            lines.append(f"Reference record: {e['non_event']['explanation']}")
        lines.append("Sources: " + citations(e["cite"]))
        events.append({"start_date": _start_date(e["date"]),
                       "text": _js_text(f"{where} ({e['status']})", " ".join(lines)),
                       "group": e["status"], "unique_id": e["id"]})
    return {"title": {"text": _js_text(f"{a} and {b}",
                                       f"{len(events)} encounters from the stored record and the reference record.")},
            "events": events}


def timeline_json(entries: list[dict]) -> str:
    return json.dumps(entries, ensure_ascii=False, indent=2, default=str)


# --- commitments and base rates ----------------------------------------------------------

def _meeting_of(commitment: dict, by_article: dict[str, list[tuple[int, str]]]) -> str | None:
    """The pair's meeting a commitment was made at: the one its article reports (the nearest
    report before the commitment's offset when the article reports several)."""
    found = by_article.get(commitment["article_id"]) or []
    if not found:
        return None
    before = [(start, mid) for start, mid in found if start <= (commitment.get("start") or 0)]
    return max(before)[1] if before else min(found)[1]


def pair_commitments(store, a: str, b: str, entries: list[dict] | None = None) -> list[dict]:
    """Commitments recorded for the pair: made in an article that reports one of the pair's
    meetings, or made by the pair itself. Each gets `meeting_id` (None when unattached)."""
    entries = entries if entries is not None else timeline(store, a, b)
    by_article: dict[str, list[tuple[int, str]]] = {}
    for e in entries:
        for r in e["report_sources"]:
            by_article.setdefault(r["article_id"], []).append((r["start"] or 0, e["id"]))
    found = []
    for c in store.commitments():
        meeting_id = _meeting_of(c, by_article)
        if meeting_id or same_people((a, b), c["actors"]):
            found.append({**c, "meeting_id": meeting_id})
    return found


def _by_status(commitments: list[dict]) -> dict[str, int]:
    counted = Counter(c["status"] for c in commitments)
    return {s: counted.get(s, 0) for s in STATUSES}


def rate_sentence(total: int, by_status: dict[str, int], a: str, b: str) -> str:
    """"of 9 commitments recorded at Trump-Putin meetings, 1 kept, 5 broken, 3 stalled"."""
    pair = f"{a.split()[-1]}-{b.split()[-1]}"
    parts = [f"{n} {s.replace('_', ' ')}" for s, n in by_status.items() if n]
    noun = "commitment" if total == 1 else "commitments"
    return f"of {total} {noun} recorded at {pair} meetings" + (", " + ", ".join(parts) if parts else "")


def once_per_story(commitments: list[dict]) -> list[dict]:
    """The commitments with copies counted once: the same action, committed by the same actors,
    in copies of one wire story (`summitry.link.stories`) is one commitment (the first kept)."""
    seen, kept = set(), []
    for c in commitments:
        key = (c.get("story_id") or c["article_id"], " ".join((c.get("action") or "").casefold().split()),
               tuple(sorted(c.get("actors") or ())))
        if key not in seen:
            seen.add(key)
            kept.append(c)
    return kept


def base_rates(store, a: str, b: str, entries: list[dict] | None = None,
               commitments: list[dict] | None = None) -> dict[str, Any]:
    """Commitments at the pair's meetings by current status; copies of one story count once."""
    entries = entries if entries is not None else timeline(store, a, b)
    commitments = commitments if commitments is not None else pair_commitments(store, a, b, entries)
    commitments = once_per_story(commitments)
    total = _by_status(commitments)
    meetings = []
    for e in entries:
        mine = [c for c in commitments if c["meeting_id"] == e["id"]]
        if e["source"] == "record":
            meetings.append({"meeting_id": e["id"], "date": e["date"], "place": e["place"],
                             "commitments": [c["id"] for c in mine], "total": len(mine),
                             "by_status": _by_status(mine)})
    lengths = [{"meeting_id": e["id"], "date": e["date"], "place": e["place"],
                "scheduled_minutes": e["scheduled_minutes"], "actual_minutes": e["actual_minutes"],
                "ratio": round(e["actual_minutes"] / e["scheduled_minutes"], 2), "cite": e["cite"]}
               for e in entries if e["scheduled_minutes"] and e["actual_minutes"]]
    return {"pair": [a, b], "total": len(commitments), "by_status": total,
            "summary": rate_sentence(len(commitments), total, a, b), "meetings": meetings,
            "unattached": [c["id"] for c in commitments if c["meeting_id"] is None],
            "lengths": lengths}


# --- cooperation / conflict scores -----------------------------------------------------------

def score_events(entries: list[dict], commitments: list[dict] = (),
                 labels: Mapping[str, str] | None = None) -> list[dict]:
    """One scored event per timeline entry and per commitment, in date order. A commitment is
    dated by its meeting, else by its article's publication. `labels`: see :func:`article_cite`."""
    dates = {e["id"]: e["date"] for e in entries}
    events = []
    for e in entries:
        category, score = MEETING_SCALE.get(e["status"], (None, None))
        if category is None or e.get("non_event"):  # a meeting the reference record says never was
            continue
        events.append({"date": e["date"], "kind": "meeting", "id": e["id"], "status": e["status"],
                       "category": category, "score": score, "cite": list(e.get("cite") or [e["id"]])})
    for c in commitments:
        category, score = COMMITMENT_SCALE.get(c.get("kind") or "", DEFAULT_COMMITMENT)
        when = dates.get(c.get("meeting_id")) or c.get("published")
        events.append({"date": when, "kind": "commitment", "id": c["id"], "status": c.get("status"),
                       "category": category, "score": score,
                       "cite": [c["id"], article_cite(c["article_id"], c.get("start"), c.get("end"), labels)]})
    return sorted((e for e in events if e["date"]), key=lambda e: (str(e["date"]), e["kind"], e["id"]))


def trend(events: list[dict], window: int = 3) -> dict[str, Any]:
    """Mean score per year, and the rolling mean over the last `window` events at each event."""
    years: dict[str, list[float]] = {}
    for e in events:
        years.setdefault(str(e["date"])[:4], []).append(e["score"])
    by_year = [{"year": int(y), "events": len(s), "total": round(sum(s), 2), "mean": round(sum(s) / len(s), 2)}
               for y, s in sorted(years.items())]
    rolling = []
    for i, e in enumerate(events):
        last = [x["score"] for x in events[max(0, i - window + 1):i + 1]]
        rolling.append({"date": e["date"], "id": e["id"], "mean": round(sum(last) / len(last), 2)})
    return {"by_year": by_year, "rolling": rolling, "window": window}


def cooperation_scores(store, a: str, b: str, entries: list[dict] | None = None,
                       commitments: list[dict] | None = None, window: int = 3) -> dict[str, Any]:
    entries = entries if entries is not None else timeline(store, a, b)
    commitments = commitments if commitments is not None else pair_commitments(store, a, b, entries)
    labels = article_labels(store, (c["article_id"] for c in commitments))
    events = score_events(entries, commitments, labels)
    return {"events": events, **trend(events, window)}
