"""Date expressions, resolved against the article's publication date.

"June 12, 2018" -> 2018-06-12; "in July 2017" -> 2017-07; "last July" (published
2018-04) -> 2017-07; "on Tuesday" (published Thursday 2018-06-14) -> 2018-06-12,
or the coming Tuesday when the sentence speaks of the future; "in 2001" -> 2001.
A value is only as precise as the text and the publication date make it; with
no publication date, relative expressions resolve to nothing.

Writes `doc._.dates`: a list of `DateMention` in text order.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc

from .doc_index import text_of

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
MONTH_RE = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

PATTERNS = [
    ("mdy", re.compile(rf"\b({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")),
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_RE})\s+(\d{{4}})\b")),
    ("my", re.compile(rf"\b({MONTH_RE})\s+(?:of\s+)?(\d{{4}})\b")),
    ("md", re.compile(rf"\b({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:,\s*)?\d{{4}})(?!\s*(?:minutes|hours|percent))")),
    ("dm", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_RE})\b(?!\s+\d{{4}})")),
    ("rel_month", re.compile(rf"\b((?i:last|this|next|in|early|late|mid-?))\s+({MONTH_RE})\b(?!\s+\d)")),
    ("weekday", re.compile(rf"\b(?:((?i:last|this|next|on|by|until|since))\s+)?({WEEKDAY_RE})\b(?!,?\s+(?:{MONTH_RE}|\d))")),
    ("relative", re.compile(r"\b(today|tonight|yesterday|tomorrow|last year|next year|this year|last month|next month|this month)\b", re.I)),
    # "since 1928", "by 2020": bounds of a period, not the date of an event
    ("year", re.compile(r"\b(?i:in|of|during|early|late|mid-?)\s+((?:19|20)\d{2})\b")),
    # "a 2011 meeting", "the 2007 inter-Korean summit": a year naming the encounter it qualifies
    ("year", re.compile(r"\b((?:19|20)\d{2})(?=\s+(?:[\w-]+\s+)?(?:meeting|summit|talks|visit|encounter|call|sit-down|session)s?\b)")),
]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY; a weekday or month without a year is taken as past
    future_value: str  # the same expression read as the future ("meets on Thursday")


if not Doc.has_extension("dates"):
    Doc.set_extension("dates", default=None)


def month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _iso(y: int, m: int, d: int | None = None) -> str | None:
    try:
        return date(y, m, d).isoformat() if d else f"{y:04d}-{m:02d}"
    except ValueError:
        return None


def _month_year(month: int, published: date, future: bool, which: str) -> int:
    """The year of a month named without one: the latest such month before publication,
    or the next one for the future ("next July", "will meet in July")."""
    if which == "next" or (future and which != "last"):
        return published.year if month >= published.month else published.year + 1
    if which == "last":
        return published.year if month < published.month else published.year - 1
    return published.year if month <= published.month else published.year - 1


def resolve(kind: str, m: re.Match, published: date | None, future: bool) -> str | None:
    g = m.groups()
    if kind == "mdy":
        return _iso(int(g[2]), month_number(g[0]), int(g[1]))
    if kind == "dmy":
        return _iso(int(g[2]), month_number(g[1]), int(g[0]))
    if kind == "my":
        return _iso(int(g[1]), month_number(g[0]))
    if kind == "year":
        return g[0]
    if published is None:
        return None
    if kind in ("md", "dm"):
        month, day = (month_number(g[0]), int(g[1])) if kind == "md" else (month_number(g[1]), int(g[0]))
        return _iso(_month_year(month, published, future, ""), month, day)
    if kind == "rel_month":
        which = g[0].lower()
        month = month_number(g[1])
        return _iso(_month_year(month, published, future, which if which in ("last", "next") else ""), month)
    if kind == "weekday":
        which = (g[0] or "").lower()
        target = WEEKDAYS[g[1].lower()]
        delta = (published.weekday() - target) % 7
        if which == "next" or (future and which != "last"):
            ahead = (target - published.weekday()) % 7 or 7
            return (published + timedelta(days=ahead)).isoformat()
        if which == "last" and delta == 0:
            delta = 7
        return (published - timedelta(days=delta)).isoformat()
    word = g[0].lower()
    if word in ("today", "tonight"):
        return published.isoformat()
    if word == "yesterday":
        return (published - timedelta(days=1)).isoformat()
    if word == "tomorrow":
        return (published + timedelta(days=1)).isoformat()
    if word.endswith("year"):
        return str(published.year + {"last": -1, "this": 0, "next": 1}[word.split()[0]])
    month = published.month + {"last": -1, "this": 0, "next": 1}[word.split()[0]]
    year = published.year + (month - 1) // 12
    return _iso(year, (month - 1) % 12 + 1)


def find_dates(text: str, published: date | None) -> list[DateMention]:
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            value = resolve(kind, m, published, False)
            if value is None:
                continue
            future_value = resolve(kind, m, published, True) or value
            if kind in ("md", "dm") and published is not None and value <= published.isoformat() \
                    and (published - date.fromisoformat(value)).days < 180:
                future_value = value  # "the March 20 call" in an April article is this year's
            if kind == "year":
                s = m.start(1)
            elif kind == "weekday" and not m.group(1):
                s = m.start(2)
            found.append(DateMention(s, e, text[s:e].strip(), value, future_value))
            taken.append((s, e))
    return sorted(found, key=lambda d: d.start)


@Language.factory("summitry_dates")
def make_date_finder(nlp: Language, name: str):
    def find(doc: Doc) -> Doc:
        doc._.dates = find_dates(text_of(doc), doc._.published)
        return doc

    return find
