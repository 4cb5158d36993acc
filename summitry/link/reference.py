"""The curated reference record: known encounters of leaders, and claims known to be false.

The data ships as ``summitry/data/encounters.json`` (format: ``docs/reference.md``).
:class:`ReferenceRecord` loads and validates it and answers the questions the fact
checker asks of an article's meeting report:

- ``match(participants, date, place)``: which known encounter is this report about?
- ``snap(participants, date, place, occasion, status, format, published)``: the same question
  asked by the linker, weighing every piece of evidence (a `Snap` with its confidence and
  reason, or None when the evidence is missing or points two ways);
- ``non_event(participants, date, place, occasion)``: is it a claim known to be false?
- ``covers(a, b)``: does the record list *every* in-person encounter of this pair, so that a
  missing encounter means something?
- ``in_person_count(a, b, before=...)``: how many times had they met by then?

Names are matched by canonical name, alias or bare surname, ignoring case and diacritics
(the normalisation of :mod:`summitry.actors`). Standard library only; no spaCy.
"""
from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from itertools import permutations
from pathlib import Path
from typing import Any, Iterable

from ..actors import Registry, normalise

__all__ = [
    "FORMATS",
    "IN_PERSON_FORMATS",
    "STATUSES",
    "CompletePair",
    "Encounter",
    "NonEvent",
    "ReferenceRecord",
    "Snap",
    "Source",
]

FORMATS = frozenset({"summit", "bilateral", "sideline", "informal", "phone", "video", "multilateral"})
REMOTE_FORMATS = frozenset({"phone", "video"})
IN_PERSON_FORMATS = FORMATS - REMOTE_FORMATS
STATUSES = frozenset({"held", "cancelled"})

#: how far apart a report's day and the record's day may be and still be the same encounter
#: (time zones, overnight talks, "on Friday" read against a Monday publication)
DAY_TOLERANCE = 3
#: a report dated only by its article's publication is taken to be about an encounter of the
#: pair that ended at most this many days before the article (or begins as soon after it)
RECENT_DAYS = 7
#: the confidence from which a report is taken to be about the encounter it snaps to; below it,
#: the snap is only a candidate (a month and a misread place, say)
SNAP_CONFIDENCE = 0.7
#: a report dated only by its article's publication (the day or month it was published) may be
#: about an encounter that began up to this many days later ("will meet at the G20 next week")
AHEAD_DAYS = 45
#: occasion words that say nothing about which encounter it was
_GENERIC_OCCASIONS = frozenset({"", "bilateral", "talks", "bilateral talks", "visit", "state visit",
                                "official visit", "working visit", "phone call", "call", "video call",
                                "virtual", "conference", "summit talks", "face to face", "first",
                                "second", "third", "historic"})

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


# ---------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str | None
    url: str | None


@dataclass(frozen=True)
class Encounter:
    id: str
    participants: tuple[str, ...]
    date: str  # YYYY-MM-DD, or YYYY-MM where only the month is sure
    end_date: str | None
    place: str | None
    country: str | None
    occasion: str | None
    format: str
    status: str  # held | cancelled
    scheduled_minutes: int | None
    actual_minutes: int | None
    notes: str | None
    sources: tuple[Source, ...]
    place_aliases: tuple[str, ...] = ()

    @property
    def in_person(self) -> bool:
        return self.format in IN_PERSON_FORMATS

    @property
    def span(self) -> tuple[date, date]:
        """First and last day the encounter may have taken place on."""
        start, end = _interval(self.date)
        if self.end_date:
            end = _interval(self.end_date)[1]
        return start, end

    def at(self, place: str | None) -> bool:
        """Whether a place named in an article is this encounter's place (city, alias or country)."""
        return _place_agrees(place, (self.place, *self.place_aliases, self.country))

    def describe(self) -> str:
        """"Helsinki, 16 July 2018" / "a phone call, 12 February 2025"."""
        where = self.place or ("a phone call" if self.format == "phone" else "a video call" if self.format == "video" else None)
        when = _human_span(self.date, self.end_date)
        return f"{where}, {when}" if where else when


@dataclass(frozen=True)
class NonEvent:
    id: str
    participants: tuple[str, ...]
    date: str  # month precision is fine
    place: str | None
    occasion: str | None
    explanation: str
    sources: tuple[Source, ...]
    place_aliases: tuple[str, ...] = ()

    def at(self, place: str | None) -> bool:
        return _place_agrees(place, (self.place, *self.place_aliases))


@dataclass(frozen=True)
class CompletePair:
    """A pair whose in-person encounters the record lists in full between `start` and `until`
    (None: open-ended on that side)."""
    participants: tuple[str, str]
    start: date | None
    until: date | None
    note: str | None = None

    def holds_on(self, on: date | None) -> bool:
        if on is None:
            return True
        return (self.start is None or on >= self.start) and (self.until is None or on <= self.until)


@dataclass(frozen=True)
class Snap:
    """A report taken to be about a known encounter: the evidence that says so."""
    encounter: Encounter
    confidence: float  # in [0, 1], from the strength of the evidence (see ReferenceRecord.snap)
    reason: str  # one plain sentence: what of the report fits the encounter
    agrees: tuple[str, ...]  # what agrees with the encounter: date, place, occasion, or "published"
    # (the report's date is the article's own, days from the encounter)
    differs: tuple[str, ...] = ()  # fields the report gives otherwise without naming another encounter

    @property
    def confident(self) -> bool:
        return self.confidence >= SNAP_CONFIDENCE


# ---------------------------------------------------------------------------
# Dates


def _interval(value: str) -> tuple[date, date]:
    """"2018-07-16" -> that day twice; "2018-07" -> first and last day of July; "2018" -> the year."""
    m = _ISO.fullmatch(value.strip())
    if not m:
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    y = int(m[1])
    if m[3]:
        d = date(y, int(m[2]), int(m[3]))
        return d, d
    if m[2]:
        mo = int(m[2])
        return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
    return date(y, 1, 1), date(y, 12, 31)


def _as_date(value: date | datetime | str | None) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return _interval(value)[0]


def _gap(a: tuple[date, date], b: tuple[date, date]) -> int:
    """Days between two intervals; 0 when they overlap."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def _report_interval(value: str) -> tuple[date, date]:
    """The days a report's date allows: a day gets DAY_TOLERANCE either side; a month or year
    is taken as given (the same month is a match)."""
    start, end = _interval(value)
    if start == end:
        return start - timedelta(days=DAY_TOLERANCE), end + timedelta(days=DAY_TOLERANCE)
    return start, end


def _human_span(start: str, end: str | None) -> str:
    def one(v: str) -> str:
        s, e = _interval(v)
        if s == e:
            return f"{s.day} {calendar.month_name[s.month]} {s.year}"
        if s.month == e.month:
            return f"{calendar.month_name[s.month]} {s.year}"
        return str(s.year)

    if not end:
        return one(start)
    s, e = _interval(start)[0], _interval(end)[1]
    if s.year == e.year and s.month == e.month:
        return f"{s.day}–{e.day} {calendar.month_name[s.month]} {s.year}"
    if s.year == e.year:
        return f"{s.day} {calendar.month_name[s.month]} – {e.day} {calendar.month_name[e.month]} {s.year}"
    return f"{one(start)} – {one(end)}"


# ---------------------------------------------------------------------------
# Names and places


@lru_cache(maxsize=4096)
def _name_keys(canonical: str) -> frozenset[str]:
    """Every normalised form that names this person: canonical name, aliases, surname.
    People outside the actor registry (a user's own records) get their name and last word."""
    person = Registry.load().person(canonical)
    if person is not None and normalise(person.name) == normalise(canonical):
        forms = (person.name, *person.aliases, person.surname)
    else:
        forms = (canonical, canonical.split()[-1])
    return frozenset(normalise(f) for f in forms if f)


def name_matches(query: str, canonical: str) -> bool:
    """"Putin", "vladimir putin", "Kim Jong-un" name the record's "Vladimir Putin" / "Kim Jong Un"."""
    return normalise(query) in _name_keys(canonical)


def same_people(query: Iterable[str], participants: Iterable[str]) -> bool:
    """The same set of people, each query name matching a different participant."""
    q, p = list(query), list(participants)
    if len(q) != len(p) or not q:
        return False
    if len(q) > 6:  # a permutation search is fine for summits, not for a crowd
        return all(any(name_matches(a, b) for b in p) for a in q)
    return any(all(name_matches(a, b) for a, b in zip(q, perm)) for perm in permutations(p))


def _place_agrees(place: str | None, known: Iterable[str | None]) -> bool:
    if not place:
        return False
    key = normalise(place)
    for k in known:
        if not k:
            continue
        kk = normalise(k)
        # "Helsinki, Finland" names Helsinki; "the Korean Demilitarized Zone" names the
        # "Demilitarized Zone": one name holds the other as whole words. A wrong agreement
        # only keeps a flag from being raised, which is the side to err on.
        if f" {kk} " in f" {key} " or f" {key} " in f" {kk} ":
            return True
    return False


def _occasion_key(occasion: str | None) -> str:
    """"G7 summit" / "G-7" / "Group of Seven summit" -> "g7"."""
    key = normalise(occasion or "")
    key = re.sub(r"\b(summit|meeting|leaders|forum)\b", " ", key)
    key = re.sub(r"\bgroup of (seven|7)\b", "g7", key)
    key = re.sub(r"\bgroup of (twenty|20)\b", "g20", key)
    key = re.sub(r"\bgroup of (eight|8)\b", "g8", key)
    key = re.sub(r"\bg (\d+)\b", r"g\1", key)
    key = re.sub(r"^the\b", " ", key.strip())
    return " ".join(key.split())


# ---------------------------------------------------------------------------
# Loading and validation


class _Checker:
    """Reads one entry, raising ValueError that names the file and the entry."""

    def __init__(self, source: str, kind: str, index: int, raw: Any):
        self.source, self.kind, self.raw = source, kind, raw
        self.label = f"{kind} #{index + 1}"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            self.label = f"{kind} {raw['id']!r}"
        if not isinstance(raw, dict):
            self.fail("must be a JSON object")

    def fail(self, problem: str):
        raise ValueError(f"{self.source}: {self.label}: {problem}")

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.raw.get(key)
        if value is None or value == "":
            if required:
                self.fail(f"'{key}' is required")
            return None
        if not isinstance(value, str):
            self.fail(f"'{key}' must be a string")
        return value

    def id(self) -> str:
        value = self.text("id")
        if not _ID.fullmatch(value):
            self.fail("'id' must be a slug of lower-case letters, digits and hyphens")
        return value

    def iso(self, key: str, required: bool = True) -> str | None:
        value = self.text(key, required)
        if value is not None:
            try:
                _interval(value)
            except ValueError as e:
                self.fail(f"'{key}': {e}")
        return value

    def choice(self, key: str, allowed: frozenset[str]) -> str:
        value = self.text(key)
        if value not in allowed:
            self.fail(f"'{key}' must be one of {', '.join(sorted(allowed))}, not {value!r}")
        return value

    def minutes(self, key: str) -> int | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.fail(f"'{key}' must be a positive whole number of minutes or null")
        return value

    def names(self, key: str = "participants") -> tuple[str, ...]:
        value = self.raw.get(key)
        if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(f"'{key}' must list at least two names")
        if len({normalise(v) for v in value}) != len(value):
            self.fail(f"'{key}' names someone twice")
        return tuple(value)

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(f"'{key}' must be a list of strings")
        return tuple(value)

    def sources(self) -> tuple[Source, ...]:
        value = self.raw.get("sources")
        if not isinstance(value, list) or not value:
            self.fail("'sources' must list at least one source")
        out = []
        for k, s in enumerate(value, 1):
            if not isinstance(s, dict) or not isinstance(s.get("title"), str) or not s["title"].strip():
                self.fail(f"source {k} needs a 'title'")
            for opt in ("publisher", "url"):
                if s.get(opt) is not None and not isinstance(s[opt], str):
                    self.fail(f"source {k}: '{opt}' must be a string or null")
            out.append(Source(title=s["title"], publisher=s.get("publisher"), url=s.get("url")))
        return tuple(out)


def _encounter(c: _Checker) -> Encounter:
    enc = Encounter(
        id=c.id(), participants=c.names(), date=c.iso("date"), end_date=c.iso("end_date", required=False),
        place=c.text("place", required=False), country=c.text("country", required=False),
        occasion=c.text("occasion", required=False), format=c.choice("format", FORMATS),
        status=c.choice("status", STATUSES), scheduled_minutes=c.minutes("scheduled_minutes"),
        actual_minutes=c.minutes("actual_minutes"), notes=c.text("notes", required=False),
        sources=c.sources(), place_aliases=c.strings("place_aliases"),
    )
    if enc.end_date and _interval(enc.end_date)[1] < _interval(enc.date)[0]:
        c.fail("'end_date' is before 'date'")
    if enc.status == "cancelled" and enc.actual_minutes is not None:
        c.fail("a cancelled encounter has no 'actual_minutes'")
    return enc


def _non_event(c: _Checker) -> NonEvent:
    ne = NonEvent(
        id=c.id(), participants=c.names(), date=c.iso("date"), place=c.text("place", required=False),
        occasion=c.text("occasion", required=False), explanation=c.text("explanation"),
        sources=c.sources(), place_aliases=c.strings("place_aliases"),
    )
    if not (ne.place or ne.occasion):
        c.fail("a non-event needs a 'place' or an 'occasion' to be recognised by")
    return ne


def _complete_pair(c: _Checker) -> CompletePair:
    names = c.names()
    if len(names) != 2:
        c.fail("'participants' of a complete pair must be exactly two names")
    start, until = c.iso("from", required=False), c.iso("until", required=False)
    return CompletePair(participants=(names[0], names[1]), start=_as_date(start),
                        until=_interval(until)[1] if until else None, note=c.text("note", required=False))


# ---------------------------------------------------------------------------
# The record


class ReferenceRecord:
    """Known encounters and non-events, with the queries the fact checker needs."""

    def __init__(self, encounters: Iterable[Encounter], non_events: Iterable[NonEvent] = (),
                 complete_pairs: Iterable[CompletePair] = ()):
        self.encounters: list[Encounter] = sorted(encounters, key=lambda e: (e.span[0], e.id))
        self.non_events: list[NonEvent] = list(non_events)
        self.complete_pairs: list[CompletePair] = list(complete_pairs)
        self._by_id = {e.id: e for e in self.encounters} | {n.id: n for n in self.non_events}
        self._pools: dict[tuple[str, ...], list[Encounter]] = {}

    # -- loading -----------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> "ReferenceRecord":
        """The packaged record (through importlib.resources, so it works from a wheel), or a
        user's file of the same format. Cached per path: repeated calls cost nothing."""
        return _load_cached(None if path is None else str(Path(path).resolve()))

    @classmethod
    def from_dict(cls, data: Any, source: str = "<reference data>") -> "ReferenceRecord":
        """Validate and build; a bad entry raises ValueError naming the file and the entry."""
        if not isinstance(data, dict):
            raise ValueError(f"{source}: the reference data must be a JSON object")
        lists = {}
        for key in ("encounters", "non_events", "complete_pairs"):
            lists[key] = data.get(key) or []
            if not isinstance(lists[key], list):
                raise ValueError(f"{source}: '{key}' must be a list")
        encounters = [_encounter(_Checker(source, "encounter", i, r)) for i, r in enumerate(lists["encounters"])]
        non_events = [_non_event(_Checker(source, "non-event", i, r)) for i, r in enumerate(lists["non_events"])]
        pairs = [_complete_pair(_Checker(source, "complete pair", i, r)) for i, r in enumerate(lists["complete_pairs"])]
        seen: set[str] = set()
        for item in (*encounters, *non_events):
            if item.id in seen:
                raise ValueError(f"{source}: id {item.id!r} is used twice")
            seen.add(item.id)
        return cls(encounters, non_events, pairs)

    def get(self, id: str) -> Encounter | NonEvent | None:
        return self._by_id.get(id)

    def unknown_participants(self, registry: Registry | None = None) -> list[str]:
        """Participant names that are not a canonical name of the actor registry (a data check)."""
        reg = registry or Registry.load()
        names = {n for item in (*self.encounters, *self.non_events, *self.complete_pairs) for n in item.participants}
        return sorted(n for n in names if (p := reg.person(n)) is None or p.name != n)

    # -- queries -----------------------------------------------------------------------------

    def for_pair(self, a: str, b: str) -> list[Encounter]:
        """Every encounter of these two (and only these two), by date."""
        return [e for e in self.encounters if same_people((a, b), e.participants)]

    def covers(self, a: str, b: str, on: date | str | None = None) -> bool:
        """Whether the record lists every in-person encounter of this pair (on that date, if
        given): only then does a missing encounter mean the claimed one did not happen."""
        day = _as_date(on)
        return any(same_people((a, b), p.participants) and p.holds_on(day) for p in self.complete_pairs)

    def coverage(self, a: str, b: str) -> CompletePair | None:
        return next((p for p in self.complete_pairs if same_people((a, b), p.participants)), None)

    def match(self, participants: Iterable[str], date: str | None, place: str | None = None,
              format: str | None = None, status: str | None = None) -> Encounter | None:
        """The encounter a report is about: the same people, a date within DAY_TOLERANCE days
        (the same month when the report gives only the month), the place agreeing when both
        name one, and in person or remote alike. Among several, the one with the report's
        status (held/cancelled) and the closest date wins. Without a date a place must agree."""
        people = list(participants)
        found = [e for e in self.encounters if same_people(people, e.participants)]
        if format in FORMATS:
            found = [e for e in found if (e.format in REMOTE_FORMATS) == (format in REMOTE_FORMATS)]
        if place:
            found = [e for e in found if e.at(place) or not e.place]
        if date:
            wanted = _report_interval(date)
            found = [e for e in found if _gap(wanted, e.span) == 0]
        elif not place:
            return None
        else:
            found = [e for e in found if e.place]
        if not found:
            return None
        key_day = _interval(date) if date else None
        return min(found, key=lambda e: (status is not None and e.status != status,
                                         _gap(key_day, e.span) if key_day else 0, e.span[0]))

    def snap(self, participants: Iterable[str], date: str | None = None, place: str | None = None,
             occasion: str | None = None, status: str | None = None, format: str | None = None,
             published: date | str | None = None) -> Snap | None:
        """The known encounter a report is about, as the linker decides it: None unless the
        evidence is there and points one way.

        Candidates are the encounters of the same people, in person or remote alike. Each of
        the report's date, place and occasion either fits a candidate, rules it out, or says
        nothing about it:
          - a date fits when it falls within DAY_TOLERANCE days (a month or year: overlaps);
            one that does not rules the candidate out, unless it may be a misreading: it is
            only the article's publication day, month or year and the encounter came before
            it or up to AHEAD_DAYS after ("the Helsinki summit", "will meet at the G20 next
            week"), or it is the encounter's day and month with the year one off; the
            article's own date fits, like a month, an encounter at most RECENT_DAYS away
            from the article ("his summit", two days after it);
          - a place fits when it is the encounter's city or an alias (or, more weakly, its
            country); a place that is another encounter's rules the candidate out; one that is
            no encounter's of the pair is taken as misread (noted in `differs`);
          - an occasion fits when it is the encounter's ("G-20" and "G20 summit" alike) or names
            its place ("Helsinki summit"); one that is another encounter's rules it out; generic
            words (bilateral, talks) say nothing.
        A report dated to the day or month may snap on its date alone; an undated one, or one
        dated only to the year or by a date that may be a misreading, needs its place (a city)
        or occasion to fit. The candidate with the strongest evidence wins (the confidence
        grows with it: 0.71 for a month alone, 0.79 for a day or a city alone, up to 0.97); a
        tie goes to the encounter nearest the report's date (by more than a month), then to
        the one with the report's status (held to held; cancelled or denied to cancelled; planned or proposed to
        cancelled only when a held and a cancelled entry are the same occasion, as at the G20
        in Buenos Aires); any remaining tie is no snap. A snap below SNAP_CONFIDENCE (a month
        and a misread place, say) is returned but not `confident`: the linker ignores it.
        """
        remote = format in REMOTE_FORMATS
        pool = [e for e in self._pool(tuple(participants)) if (e.format in REMOTE_FORMATS) == remote]
        if not pool or not (date or place or occasion):
            return None
        day = _as_date(published) if published else None
        scored = []
        for e in pool:
            found = _evidence(e, pool, date, place, occasion, day)
            if found is not None:
                scored.append(found)
        if not scored:
            return None
        best = max(score for score, *_ in scored)
        top = [item for item in scored if item[0] == best]
        tied = len(top) > 1
        if tied and date:
            # equally fitting (a date that may be a misreading, and the place): the nearest,
            # unless they are about as near (a month apart at most: then the status decides)
            wanted = _report_interval(date)
            nearest = min(_gap(wanted, item[1].span) for item in top)
            top = [item for item in top if _gap(wanted, item[1].span) <= nearest + 31]
        if len(top) > 1:
            top = _by_status(top, status)
        if len(top) != 1:
            return None
        score, e, agrees, differs = top[0]
        confidence = max(0.5, min(0.97, 0.55 + 0.08 * score - (0.05 if tied else 0.0)))
        return Snap(e, round(confidence, 2), _snap_reason(e, agrees, differs, date, place, occasion),
                    tuple(agrees), tuple(differs))

    def admits(self, encounter: Encounter, participants: Iterable[str], date: str | None = None,
               place: str | None = None, occasion: str | None = None,
               published: date | str | None = None) -> bool:
        """Whether nothing in a report rules out that it is about `encounter`: its date, when
        it gives one, fits the encounter's (a date that may only be a misreading does not
        count here), and its place and occasion are no other encounter's (as in `snap`).
        The linker lets a report that did not snap join a known encounter's meeting only then."""
        pool = self._pool(tuple(participants))
        if encounter not in pool:
            return False
        day = _as_date(published) if published else None
        if _date_evidence(encounter, date, day) in (False, "weak"):
            return False
        if place and place.strip() and not encounter.at(place) and any(o is not encounter and o.at(place) for o in pool):
            return False
        key = _occasion_key(occasion)
        return not (key and key not in _GENERIC_OCCASIONS and not _names_occasion(encounter, key)
                    and any(o is not encounter and _names_occasion(o, key) for o in pool))

    def _pool(self, people: tuple[str, ...]) -> list[Encounter]:
        """The encounters of exactly these people (cached: the linker asks for every report)."""
        key = tuple(sorted(normalise(p) for p in people))
        if key not in self._pools:
            self._pools[key] = [e for e in self.encounters if same_people(people, e.participants)]
        return self._pools[key]

    def non_event(self, participants: Iterable[str], date: str | None, place: str | None = None,
                  occasion: str | None = None) -> NonEvent | None:
        """A claim known to be false: the same people, the date agreeing (when given), and the
        place agreeing, or the occasion agreeing when the date does."""
        people = list(participants)
        for ne in self.non_events:
            if not same_people(people, ne.participants):
                continue
            if date and _gap(_report_interval(date), _interval(ne.date)) > 0:
                continue
            by_place = ne.at(place)
            by_occasion = bool(date) and bool(occasion) and _occasion_key(occasion) == _occasion_key(ne.occasion)
            if by_place or by_occasion:
                return ne
        return None

    def in_person_encounters(self, a: str, b: str, before: date | str | None = None) -> list[Encounter]:
        """Held in-person encounters of the pair that began before `before` (a day, exclusive)."""
        bound = _as_date(before)
        return [e for e in self.for_pair(a, b)
                if e.status == "held" and e.in_person and (bound is None or e.span[0] < bound)]

    def in_person_count(self, a: str, b: str, before: date | str | None = None) -> int:
        return len(self.in_person_encounters(a, b, before))

    def nearest(self, participants: Iterable[str], date: str, in_person: bool = True) -> Encounter | None:
        """The held encounter of these people closest in time to `date`."""
        people = list(participants)
        wanted = _interval(date)
        found = [e for e in self.encounters if e.status == "held" and same_people(people, e.participants)
                 and e.in_person == in_person]
        return min(found, key=lambda e: (_gap(wanted, e.span), e.span[0]), default=None)


# ---------------------------------------------------------------------------
# Snapping a report to an encounter (ReferenceRecord.snap)

_DATE_WEIGHT = {"day": 3.0, "month": 2.0, "recent": 2.0, "year": 0.5, "weak": 0.0, None: 0.0}
_PLACE_WEIGHT = {"city": 3.0, "country": 1.0, "other": -0.5, None: 0.0}
_OCCASION_WEIGHT = {"yes": 2.0, "other": -0.5, None: 0.0}


def _date_evidence(e: Encounter, value: str | None, published: date | None) -> str | None | bool:
    """How a report's date bears on `e`: "day", "month" or "year" when it fits; "recent" when
    it is only the article's own date and `e` was at most RECENT_DAYS from the article; "weak"
    when it does not fit but may be a misreading (see `ReferenceRecord.snap`); None when
    undated; False when it rules `e` out."""
    if not value:
        return None
    try:
        wanted = _report_interval(value)
    except ValueError:
        return None
    if _gap(wanted, e.span) == 0:
        return {3: "day", 2: "month"}.get(len(value.split("-")), "year")
    if published is not None and published.isoformat().startswith(value):
        # the article's own day, month or year: the extractor may have dated by it an
        # encounter it mentions ("the summit in Helsinki"), past or expected soon; one that
        # ended days before the article is as good as its month ("his summit" on 2 March)
        if _gap((published, published), e.span) <= RECENT_DAYS:
            return "recent"
        if (e.span[0] - published).days <= AHEAD_DAYS:
            return "weak"
    if wanted[1] - wanted[0] == timedelta(days=2 * DAY_TOLERANCE):
        # a day whose year was resolved wrongly: the right day and month, a year off
        day = wanted[0] + timedelta(days=DAY_TOLERANCE)
        for shift in (-1, 1):
            try:
                moved = day.replace(year=day.year + shift)
            except ValueError:  # 29 February
                continue
            near = (moved - timedelta(days=DAY_TOLERANCE), moved + timedelta(days=DAY_TOLERANCE))
            if _gap(near, e.span) == 0:
                return "weak"
    return False


def _names_occasion(e: Encounter, key: str) -> bool:
    return key == _occasion_key(e.occasion) or e.at(key)


def _evidence(e: Encounter, pool: list[Encounter], date_value: str | None, place: str | None,
              occasion: str | None, published: date | None):
    """(score, e, fields that agree, fields given otherwise) or None when `e` is ruled out
    or the evidence is too weak to snap on."""
    when = _date_evidence(e, date_value, published)
    if when is False:
        return None
    where = None
    if place and place.strip():
        if _place_agrees(place, (e.place, *e.place_aliases)):
            where = "city"
        elif _place_agrees(place, (e.country,)):
            where = "country"
        elif any(o is not e and o.at(place) for o in pool):
            return None  # another encounter's place
        else:
            where = "other"
    what = None
    key = _occasion_key(occasion)
    if key and key not in _GENERIC_OCCASIONS:
        if _names_occasion(e, key):
            what = "yes"
        elif any(o is not e and _names_occasion(o, key) for o in pool):
            return None  # another encounter's occasion
        else:
            what = "other"
    if when not in ("day", "month", "recent") and where != "city" and what != "yes":
        return None  # undated, a year or the publication only: needs its place or occasion
    score = _DATE_WEIGHT[when] + _PLACE_WEIGHT[where] + _OCCASION_WEIGHT[what]
    agrees = [name for name, ok in (("date", when in ("day", "month", "year")), ("published", when == "recent"),
                                    ("place", where in ("city", "country")), ("occasion", what == "yes")) if ok]
    differs = [name for name, other in (("place", where == "other"), ("occasion", what == "other")) if other]
    if len(differs) == 2:
        return None  # neither where nor what it was: a date alone does not make it this encounter
    return score, e, agrees, differs


def _by_status(top: list[tuple], status: str | None) -> list[tuple]:
    """Break a tie between equally fitting encounters by the report's status."""
    if status == "held":
        wanted = "held"
    elif status in ("cancelled", "denied"):
        wanted = "cancelled"
    elif status in ("planned", "proposed") and {t[1].status for t in top} == {"held", "cancelled"} \
            and all(_gap(a[1].span, b[1].span) == 0 for a in top for b in top):
        wanted = "cancelled"  # what was planned and fell through, beside what happened instead
    else:
        return top
    return [t for t in top if t[1].status == wanted]


def _snap_reason(e: Encounter, agrees: list[str], differs: list[str], date_value: str | None,
                 place: str | None, occasion: str | None) -> str:
    """"Its date (2019-02-25) and its place (Hanoi) fit the reference record's Hanoi summit
    (Hanoi, 27–28 February 2019)." and what it gives otherwise."""
    given = {"date": f"its date ({date_value})", "place": f"its place ({place})",
             "occasion": f"its occasion ({occasion})",
             "published": f"its date ({date_value}), the article's own, days from it"}
    what = _join([given[name] for name in agrees])
    label = e.occasion or ("call" if e.format in REMOTE_FORMATS else "encounter")
    sentence = f"{what[0].upper()}{what[1:]} {'fits' if len(agrees) < 2 else 'fit'} the reference record's {label} ({e.describe()})"
    if differs:
        sentence += "; the " + _join([f"{name} it gives ({place if name == 'place' else occasion})"
                                      for name in differs])
        sentence += (" are" if len(differs) > 1 else " is") + " no encounter's of the two, probably a misreading"
    return sentence + "."


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def gap_days(report_date: str, encounter: Encounter) -> int:
    """Days between a report's date (as given) and an encounter."""
    return _gap(_interval(report_date), encounter.span)


@lru_cache(maxsize=8)
def _load_cached(path: str | None) -> ReferenceRecord:
    if path is None:
        text = resources.files("summitry").joinpath("data", "encounters.json").read_text(encoding="utf-8")
        source = "summitry/data/encounters.json"
    else:
        text, source = Path(path).read_text(encoding="utf-8"), path
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"{source}: not valid JSON: {e}") from None
    return ReferenceRecord.from_dict(data, source)
