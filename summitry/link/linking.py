"""The link stage: the meeting reports of all articles -> canonical meetings.

Each article reports an encounter in its own words (one `meeting_reports` row per article and
encounter). This stage decides which reports are about the same encounter, keeps one canonical
meeting for each (table `meetings`) and links every report to it as evidence
(`meeting_report_links`). Where the reports disagree (two dates, two lengths, planned against
held), the canonical meeting keeps one value and `disagreements` lists every value with the
reports that give it.

When reports are the same encounter
  - the same set of leaders, and the same mode: a phone or video call is never linked with
    an encounter in person;
  - compatible dates: two days at most one day apart, or one date less precise than the other
    and containing it ("2031-03" and "2031-03-11"); a report joins a meeting only if its date
    fits the date of every report already in it;
  - the same place when both give one, and the same occasion when both give one (case,
    spacing and a leading "the" ignored).
  A report dated to the day joins the fitting meeting nearest in date. A report dated to the
  month or year joins the only meeting that fits, preferring meetings that name the same place
  or occasion; when several fit equally, the one with clearly the most reports. An undated
  report joins only the one meeting that names its place or occasion (or, for a cancellation
  or denial, the one meeting with a report of that outcome); else it stays a meeting of its
  own: without a date, "the leaders met" could be any of their meetings.

What the reference record knows comes first
  A report that snaps to a known encounter of the reference record (`ReferenceRecord.snap`:
  its date, place or occasion fit that encounter and point to no other, with a confidence of
  at least 0.7) is grouped with every other report that snaps to it, whatever the rules above
  would say: "talks in Hanoi" on the 25th, a plan for the 27th and the summit of the 28th
  are one encounter, and a planned and a held mention of it join. Reports that snap to
  different encounters are never grouped. The other reports are grouped by the rules above
  afterwards, and join a known encounter's meeting only if their date fits the encounter's,
  their place (if any) is its place, and their occasion is no other encounter's.

Why the outcome does not depend on the order articles arrive in
  The grouping is a function of the set of reports: every run groups all reports afresh, in
  a canonical order (precision of the date, date, publication of the article, report id), so
  that ingesting articles one at a time gives the same meetings as ingesting them at once.
  The ids do not come from the grouping: a group that holds reports already linked keeps
  their meeting's id, so a meeting keeps its id (and URL) for good. A new meeting's id is
  `m-` and a short hash of its first report's id. When a new report bridges two meetings,
  they merge into the older one and the other id becomes a redirect (`meeting_redirects`).
  A run that finds nothing new writes nothing.

Everything here is a pure function of plain `Report`s: `plan` turns the stored state (the
reports, their current links, redirects and pins, and when each stored meeting was created)
into the meetings that should exist, and `summitry.store` writes exactly that
(`Store.link_reports`); `summitry.pipeline.link` runs the two together.
"""
from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cached_property
from typing import Any

from .reference import Encounter, ReferenceRecord, Snap

REMOTE_FORMATS = frozenset({"phone", "video"})
# Fields of a canonical meeting that reports may disagree on, in the order they are shown.
DISPUTABLE = ("date", "place", "occasion", "status", "format", "scheduled_minutes",
              "actual_minutes", "others_present")
# Fields stored on the `meetings` row (others_present is shown, not stored).
STORED = ("participants", "date", "place", "occasion", "status", "format",
          "scheduled_minutes", "actual_minutes")
# Held, cancelled and denied say what became of an encounter; planned and proposed only
# what was expected of it, so a later outcome outranks them.
STATUS_STAGE = {"proposed": 0, "planned": 1, "held": 2, "cancelled": 2, "denied": 2}
DAY, MONTH, YEAR, UNDATED = 0, 1, 2, 3


@dataclass(frozen=True)
class Report:
    """One article's report of an encounter, as the linker sees it."""

    id: str
    article_id: str
    participants: tuple[str, ...]
    date: str | None
    place: str | None = None
    occasion: str | None = None
    status: str = "held"
    format: str | None = None
    scheduled_minutes: int | None = None
    actual_minutes: int | None = None
    others_present: tuple[str, ...] = ()
    published: date | None = None
    article_title: str | None = None
    evidence: str | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None
    # the story its article is a copy of (`summitry.link.stories`); None: its article's own
    story_id: str | None = None

    @property
    def story(self) -> str:
        """What counts once: the article's story (copies of one wire story are one voice)."""
        return self.story_id or self.article_id

    @property
    def block(self) -> tuple[tuple[str, ...], bool]:
        """Reports are compared only within a block: the same leaders, the same mode."""
        return tuple(sorted({_fold(n) for n in self.participants})), self.format in REMOTE_FORMATS

    @property
    def precision(self) -> int:
        return date_precision(self.date)

    @cached_property
    def place_key(self) -> str | None:
        return normal_text(self.place)

    @cached_property
    def occasion_key(self) -> str | None:
        return normal_text(self.occasion)

    def sort_key(self) -> tuple:
        """The canonical order: most precise dates first, then by date, publication, id."""
        return (self.precision, self.date or "", self.published is None,
                self.published or date.min, self.id)

    def source(self) -> dict[str, Any]:
        """Where this report's words are: shown beside every value it gives."""
        return {"report_id": self.id, "article_id": self.article_id, "story_id": self.story,
                "article_title": self.article_title,
                "published": self.published.isoformat() if self.published else None,
                "evidence": self.evidence, "evidence_start": self.evidence_start,
                "evidence_end": self.evidence_end}


# --- dates ----------------------------------------------------------------------------

def date_precision(value: str | None) -> int:
    if not value:
        return UNDATED
    return {3: DAY, 2: MONTH}.get(len(value.split("-")), YEAR)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def dates_fit(a: str | None, b: str | None) -> bool:
    """Two dates can be the same encounter: days at most a day apart, or one contains the other."""
    if not a or not b:
        return True
    if date_precision(a) == DAY and date_precision(b) == DAY:
        day_a, day_b = _day(a), _day(b)
        if day_a is not None and day_b is not None:
            return abs((day_a - day_b).days) <= 1
    return contains(a, b) or contains(b, a)


def contains(coarse: str, fine: str) -> bool:
    """'2031-03' contains '2031-03-11' (and itself); compared part by part, not as text."""
    coarse_parts, fine_parts = coarse.split("-"), fine.split("-")
    return len(coarse_parts) <= len(fine_parts) and fine_parts[:len(coarse_parts)] == coarse_parts


def canonical_date(reports: Sequence[Report]) -> str | None:
    """The most precise date given; among equally precise ones, the one the most reports are
    consistent with (then the earliest). "2031-03" and "2031-03-11" give "2031-03-11"."""
    values = sorted({r.date for r in reports if r.date})
    if not values:
        return None

    def support(value: str) -> int:  # stories, not copies
        return len({r.story for r in reports if r.date and (contains(r.date, value) or contains(value, r.date))})

    return min(values, key=lambda v: (date_precision(v), -support(v), v))


# --- places, occasions and other values -----------------------------------------------

def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def normal_text(value: str | None) -> str | None:
    """The form places and occasions are compared in: "the  Port Calder\\n" -> "port calder"."""
    if not value or not value.strip():
        return None
    folded = _fold(value)
    return re.sub(r"^the ", "", folded) or None


def shown_text(value: str | None) -> str | None:
    """A place or occasion as shown: the text with its spacing collapsed."""
    return " ".join(value.split()) if value and value.strip() else None


def _comparable(report: Report, name: str) -> Any:
    """The value of a field in the form two reports are compared in; None when not given."""
    value = getattr(report, name)
    if name in ("place", "occasion"):
        return report.place_key if name == "place" else report.occasion_key
    if name == "others_present":
        return tuple(sorted({_fold(v) for v in value if v and v.strip()})) or None
    return value


def _shown(report: Report, name: str) -> Any:
    value = getattr(report, name)
    if name in ("place", "occasion"):
        return shown_text(value)
    if name == "others_present":
        return list(value)
    return value


# --- grouping -------------------------------------------------------------------------

@dataclass(eq=False)  # groups are told apart by identity, never by content
class _Group:
    """Reports being gathered into one meeting during `partition`, with the distinct dates,
    places and occasions they give (few per meeting, so checking a report costs little)."""

    reports: list[Report] = field(default_factory=list)
    dates: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    occasions: set[str] = field(default_factory=set)
    encounter: Encounter | None = None  # the known encounter its reports snapped to

    def add(self, report: Report) -> None:
        self.reports.append(report)
        for values, given in ((self.dates, report.date), (self.places, report.place_key),
                              (self.occasions, report.occasion_key)):
            if given:
                values.add(given)

    def fits(self, report: Report) -> bool:
        if self.encounter is not None:
            # a known encounter's group: what counts is the encounter's date, place and
            # occasion (`_Block.admits`), not those its reports give (some misread)
            return True
        place, occasion = report.place_key, report.occasion_key
        return ((place is None or self.places <= {place})
                and (occasion is None or self.occasions <= {occasion})
                and all(dates_fit(d, report.date) for d in self.dates))

    def agrees(self, report: Report) -> bool:
        """Names the same place or occasion as the report (not merely no other one)."""
        return report.place_key in self.places or report.occasion_key in self.occasions

    def day_distance(self, report: Report) -> int:
        day = _day(report.date or "")
        days = [_day(d) for d in self.dates if date_precision(d) == DAY]
        distances = [abs((day - d).days) for d in days if d is not None and day is not None]
        return min(distances, default=2)  # a group without a day (one snapped to an encounter) comes last


def partition(reports: Iterable[Report], reference: ReferenceRecord | None = None) -> list[list[Report]]:
    """Group reports into encounters (the module docstring gives the rules). With a
    `reference` record, reports that snap to one of its encounters form that encounter's
    group first (`snap_reports`).

    A function of the set of reports, whatever order they come in: groups are listed by
    block, then by their first report in the canonical order, and each group's reports
    in that order.
    """
    reports = list(reports)
    anchors = snap_reports(reports, reference) if reference is not None else {}
    blocks: dict[tuple, list[Report]] = defaultdict(list)
    for report in reports:
        blocks[report.block].append(report)
    groups: list[list[Report]] = []
    for key in sorted(blocks):
        groups += _partition_block(sorted(blocks[key], key=Report.sort_key), anchors, reference)
    return groups


def snap_report(report: Report, reference: ReferenceRecord) -> Snap | None:
    """The known encounter of `reference` this report is about, with the evidence
    (`ReferenceRecord.snap`), or None."""
    return reference.snap(report.participants, report.date, report.place, report.occasion,
                          report.status, report.format, report.published)


def snap_reports(reports: Iterable[Report], reference: ReferenceRecord) -> dict[str, Snap]:
    """{report id: its snap} for the reports that snap confidently to a known encounter.
    A function of each report alone, so the grouping stays independent of arrival order."""
    found = {}
    for report in reports:
        if len(set(report.block[0])) < 2:
            continue
        snap = snap_report(report, reference)
        if snap is not None and snap.confident:
            found[report.id] = snap
    return found


def meeting_snap(reports: Sequence[Report], reference: ReferenceRecord) -> Snap | None:
    """The known encounter a canonical meeting is about: the one most of its reports' stories
    snap to (ties: the earliest encounter), with the most confident of those snaps; None if
    none does."""
    snapped = snap_reports(reports, reference)
    snaps = list(snapped.values())
    if not snaps:
        return None
    story = {r.id: r.story for r in reports}
    counts = Counter(encounter for _, encounter in {(story[rid], s.encounter.id) for rid, s in snapped.items()})
    top = max(counts.values())
    chosen = min((s for s in snaps if counts[s.encounter.id] == top),
                 key=lambda s: (s.encounter.span[0], s.encounter.id, -s.confidence))
    return max((s for s in snaps if s.encounter.id == chosen.encounter.id), key=lambda s: s.confidence)


def pinned_partition(reports: Iterable[Report], pins: dict[str, str], links: dict[str, str],
                     redirects: dict[str, str], reference: ReferenceRecord | None = None) -> list[list[Report]]:
    """`partition`, then what people decided (summitry.store.review.LINK): a report pinned
    "apart" is a meeting of its own, and one pinned to a meeting joins the group of that
    meeting's other reports (as last linked; a merged meeting's id leads to the one it
    was merged into), or stays alone if it has none left. Pinned reports take no part in
    the grouping of the others, so a wrong report cannot pull two encounters together."""
    reports = list(reports)
    groups = partition([r for r in reports if r.id not in pins], reference)
    for report in sorted((r for r in reports if r.id in pins), key=Report.sort_key):
        target = pins[report.id]
        target = redirects.get(target, target)
        home = None if target == "apart" else next(
            (g for g in groups if any(links.get(r.id) == target for r in g)
             and all(pins.get(r.id) != "apart" for r in g)), None)
        if home is None:
            groups.append([report])
        else:
            home.append(report)
            home.sort(key=Report.sort_key)
    groups.sort(key=lambda g: (g[0].block, g[0].sort_key()))
    return groups


def _partition_block(ordered: list[Report], anchors: dict[str, Snap],
                     reference: ReferenceRecord | None) -> list[list[Report]]:
    block = _Block(reference)
    for report in ordered:  # first the reports that snapped: one group per known encounter
        snap = anchors.get(report.id)
        if snap is not None:
            block.add(block.group_of(snap.encounter), report)
    for report in ordered:  # then the others, by the rules of the module docstring
        if report.id in anchors:
            continue
        chosen = _choose_group(block, report)
        if chosen is None:
            chosen = block.new_group()
        block.add(chosen, report)
    groups = [sorted(g.reports, key=Report.sort_key) for g in block.groups]
    return sorted(groups, key=lambda g: g[0].sort_key())


class _Block:
    """The groups of one block, indexed by the months and years of their dates, so that a
    report is checked against the groups it could fit, not against every group of a pair
    that has met a hundred times."""

    def __init__(self, reference: ReferenceRecord | None = None) -> None:
        self.reference = reference
        self.snapped: dict[str, _Group] = {}  # encounter id -> its group
        self.groups: list[_Group] = []
        self.order: dict[int, int] = {}  # id(group) -> its position, for a stable order
        self.by_month: dict[str, list[_Group]] = defaultdict(list)
        self.by_year: dict[str, list[_Group]] = defaultdict(list)  # any date in that year
        self.year_only: dict[str, list[_Group]] = defaultdict(list)  # a date that is just the year
        self.undated: list[_Group] = []  # groups without a date (yet)
        self.by_name: dict[tuple[str, str], list[_Group]] = defaultdict(list)  # place/occasion

    def group_of(self, encounter: Encounter) -> _Group:
        """The group of a known encounter (made when its first report snaps to it)."""
        if encounter.id not in self.snapped:
            group = self.snapped[encounter.id] = self.new_group(encounter)
            # found by the encounter's own months, whatever dates its reports give
            self.undated.remove(group)
            first, last = encounter.span
            month = first.isoformat()[:7]
            while month <= last.isoformat()[:7]:
                self._index(self.by_month[month], group)
                self._index(self.by_year[month[:4]], group)
                month = _shift_month(month, 1)
        return self.snapped[encounter.id]

    def admits(self, group: _Group, report: Report) -> bool:
        """A report that did not snap may still join the group of a known encounter, but
        only if nothing in it rules that encounter out (`ReferenceRecord.admits`) and the
        place it gives, if any, is the encounter's."""
        if group.encounter is None or self.reference is None:
            return True
        return ((report.place_key is None or group.encounter.at(report.place))
                and self.reference.admits(group.encounter, report.participants, report.date, report.place,
                                          report.occasion, report.published))

    def new_group(self, encounter: Encounter | None = None) -> _Group:
        group = _Group(encounter=encounter)
        self.order[id(group)] = len(self.groups)
        self.groups.append(group)
        self.undated.append(group)
        return group

    def add(self, group: _Group, report: Report) -> None:
        """Add the report to the group, and the group to the indexes of what is new in it."""
        if report.date and report.date not in group.dates:
            if not group.dates and group in self.undated:
                self.undated.remove(group)
            year = report.date[:4]
            self._index(self.by_year[year], group)
            self._index(self.year_only[year] if report.precision == YEAR else self.by_month[report.date[:7]], group)
        if report.place_key and report.place_key not in group.places:
            self._index(self.by_name[("place", report.place_key)], group)
        if report.occasion_key and report.occasion_key not in group.occasions:
            self._index(self.by_name[("occasion", report.occasion_key)], group)
        group.add(report)

    @staticmethod
    def _index(index: list[_Group], group: _Group) -> None:
        if group not in index:  # identity: a group is in an index once
            index.append(group)

    def named(self, report: Report) -> list[_Group]:
        """The groups that name the report's place or occasion, in the order they were made."""
        pool = self.by_name.get(("place", report.place_key), []) + self.by_name.get(
            ("occasion", report.occasion_key), [])
        unique = {id(g): g for g in pool}
        return sorted(unique.values(), key=lambda g: self.order[id(g)])

    def candidates(self, report: Report) -> list[_Group]:
        """The groups a dated report could fit, in the order they were made."""
        year = report.date[:4]
        if report.precision == YEAR:
            pool = self.by_year[year] + self.undated
        else:
            months = [report.date[:7]]
            if report.precision == DAY:  # a day apart may cross into the next or last month
                months += [_shift_month(report.date[:7], -1), _shift_month(report.date[:7], 1)]
            pool = [g for m in months for g in self.by_month.get(m, [])] + self.year_only.get(year, []) + self.undated
        unique = {id(g): g for g in pool}
        return sorted(unique.values(), key=lambda g: self.order[id(g)])


def _shift_month(month: str, step: int) -> str:
    try:
        year, number = int(month[:4]), int(month[5:7])
    except ValueError:
        return month
    number += step
    year, number = (year - 1, 12) if number == 0 else (year + 1, 1) if number == 13 else (year, number)
    return f"{year:04d}-{number:02d}"


def _choose_group(block: _Block, report: Report) -> _Group | None:
    if report.date is None:
        return _choose_for_undated(block, report)
    fitting = [g for g in block.candidates(report) if g.fits(report) and block.admits(g, report)]
    if not fitting:
        return None
    if report.precision == DAY:
        # day reports come first in the canonical order, so every group has days to compare with
        return min(fitting, key=lambda g: (g.day_distance(report), not g.agrees(report)))
    candidates = [g for g in fitting if g.agrees(report)] or fitting
    if len(candidates) == 1:
        return candidates[0]
    sizes = sorted((len(g.reports) for g in candidates), reverse=True)
    if sizes[0] > sizes[1]:
        return max(candidates, key=lambda g: len(g.reports))
    return None


def _choose_for_undated(block: _Block, report: Report) -> _Group | None:
    """The one group that names the undated report's place or occasion and fits it, or None:
    without a date, only a place or occasion in common is evidence enough to join. Failing
    those, a cancellation or denial joins the one group with a report of the same outcome, or
    of a known encounter that was cancelled (a pair seldom has two called off). Otherwise it
    stays a meeting of its own. Stops at the second fit."""
    agreeing = _first_two(g for g in block.named(report) if g.fits(report) and block.admits(g, report))
    if agreeing:
        return agreeing[0] if len(agreeing) == 1 else None
    if report.status in ("cancelled", "denied"):
        same = _first_two(g for g in block.groups if g.fits(report) and block.admits(g, report)
                          and (any(r.status == report.status for r in g.reports)
                               or g.encounter is not None and g.encounter.status == "cancelled"))
        return same[0] if len(same) == 1 else None
    return None


def _first_two(groups: Iterable[_Group]) -> list[_Group]:
    return list(itertools.islice(groups, 2))


# --- canonical values and disagreements -----------------------------------------------

def canonical_values(reports: Sequence[Report]) -> dict[str, Any]:
    """The values a canonical meeting shows, a function of its reports (not of their order)."""
    ordered = sorted(reports, key=Report.sort_key)
    values = {name: _consensus(ordered, name) for name in DISPUTABLE}
    values["date"] = canonical_date(ordered)
    values["status"] = canonical_status(ordered)
    values["participants"] = list(ordered[0].participants)
    values["others_present"] = values["others_present"] or []
    return values


def _consensus(ordered: list[Report], name: str) -> Any:
    """The value most stories give (ties: the first in the canonical order); None if none does.
    A story's copies count once for each value they give."""
    counts = Counter(v for _, v in {(r.story, _comparable(r, name)) for r in ordered} if v is not None)
    if not counts:
        return None
    top = max(counts.values())
    winner = next(r for r in ordered if counts.get(_comparable(r, name)) == top)
    return _shown(winner, name)


def canonical_status(ordered: list[Report]) -> str:
    """What became of the encounter: an outcome (held, cancelled, denied) outranks an
    expectation (planned, proposed); between outcomes the most recently published wins,
    as later news corrects earlier; then the most reports."""
    stage = max(STATUS_STAGE.get(r.status, 0) for r in ordered)
    latest = [r for r in ordered if STATUS_STAGE.get(r.status, 0) == stage]
    if stage == STATUS_STAGE["held"]:
        newest = max((r.published or date.min) for r in latest)
        latest = [r for r in latest if (r.published or date.min) == newest]
    counts = Counter(status for _, status in {(r.story, r.status) for r in latest})  # a story once
    top = max(counts.values())
    return next(r.status for r in latest if counts[r.status] == top)


def disagreements(reports: Sequence[Report]) -> dict[str, list[dict[str, Any]]]:
    """For each field the reports disagree on, every value with the reports that give it
    (most reports first). Dates disagree only when one does not contain the other."""
    ordered = sorted(reports, key=Report.sort_key)
    found = {}
    for name in DISPUTABLE:
        groups = _value_groups(ordered, name)
        if len(groups) < 2:
            continue
        if name == "date" and all(contains(a["value"], b["value"]) or contains(b["value"], a["value"])
                                  for a in groups for b in groups):
            continue  # "2031-03" and "2031-03-11": one is only less precise than the other
        found[name] = groups
    return found


def agreed_values(reports: Sequence[Report]) -> dict[str, Any]:
    """The fields every report that gives a value agrees on (with that value)."""
    ordered = sorted(reports, key=Report.sort_key)
    disputed = disagreements(ordered)
    agreed = {}
    for name in DISPUTABLE:
        groups = _value_groups(ordered, name)
        if groups and name not in disputed:
            agreed[name] = canonical_date(ordered) if name == "date" else groups[0]["value"]
    return {"participants": list(ordered[0].participants), **agreed} if ordered else {}


def _value_groups(ordered: list[Report], name: str) -> list[dict[str, Any]]:
    groups: dict[Any, dict[str, Any]] = {}
    for report in ordered:
        key = _comparable(report, name)
        if key is None:
            continue
        group = groups.setdefault(key, {"value": _shown(report, name), "reports": []})
        group["reports"].append(report.source())
    for group in groups.values():
        group["stories"] = len({r["story_id"] for r in group["reports"]})
    # most stories first (copies of one story count once); stable: ties keep order
    return sorted(groups.values(), key=lambda g: -g["stories"])


# --- planning a link run ------------------------------------------------------------------

@dataclass(frozen=True)
class LinkState:
    """What a link run starts from, as stored."""

    reports: list[Report]  # every report no person rejected
    links: dict[str, str]  # report id -> the meeting it is linked to now
    redirects: dict[str, str]  # merged meeting id -> the meeting it was merged into
    pins: dict[str, str]  # report id -> a meeting id a person pinned it to, or "apart"
    created: dict[str, datetime]  # stored meeting id -> when it was created


@dataclass
class PlannedMeeting:
    """One canonical meeting as the run wants it: its id, its reports, the stored meetings
    merged into it, and the values stored on its row."""

    id: str
    reports: list[Report]
    merged: list[str]
    values: dict[str, Any]


def plan(state: LinkState, reference: ReferenceRecord | None = None) -> list[PlannedMeeting]:
    """Group all reports afresh, then give each group its meeting id (see the module's
    docstring: ids are kept, merged meetings redirect, new groups get new ids). Reports snap
    to the known encounters of `reference` (default: the packaged reference record)."""
    reference = reference if reference is not None else ReferenceRecord.load()
    groups = pinned_partition(state.reports, state.pins, state.links, state.redirects, reference)
    named = frozenset(state.redirects.get(p, p) for p in state.pins.values())
    ids = plan_ids(groups, state.links, state.created, set(state.redirects), named)
    return [PlannedMeeting(meeting_id, group, merged_ids, stored_values(group))
            for group, (meeting_id, merged_ids) in zip(groups, ids, strict=True)]


def stored_values(group: Sequence[Report]) -> dict[str, Any]:
    return {name: value for name, value in canonical_values(group).items() if name in STORED}


@dataclass
class LinkSummary:
    new_meetings: int = 0
    reports_linked: int = 0  # reports linked for the first time (or again, after re-extraction)
    merged: int = 0  # meetings merged into an older one (their ids now redirect)
    moved: int = 0  # reports moved to another meeting because new reports changed the grouping
    updated: int = 0  # meetings whose shown values changed
    removed: int = 0  # meetings left without reports (their articles were re-extracted)
    meetings: int = 0
    linked_reports: int = 0
    changed: list[str] = field(default_factory=list)  # ids of new and changed meetings
    # For the stages that follow linking (contradictions), not shown: the meetings whose
    # reports or values changed in this run (new, updated, merged into, gained or lost a
    # report), and the ids that no longer name a meeting (merged away, removed).
    touched: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("touched", "gone")}


def plan_ids(groups: list[list[Report]], links: dict[str, str], created: dict[str, datetime],
             redirected: set[str], named: frozenset[str] = frozenset()) -> list[tuple[str, list[str]]]:
    """For each group: (its meeting id, the ids merged into it).

    A stored meeting stays with the group that holds most of its reports (ties: the first
    group); a group holding several stored meetings keeps one a person pinned a report to
    (`named`), else the oldest, and merges the others; a group holding none gets a new id.
    """
    holdings: dict[str, Counter] = defaultdict(Counter)
    for index, group in enumerate(groups):
        for report in group:
            if report.id in links:
                holdings[links[report.id]][index] += 1
    home = {meeting_id: min(counts, key=lambda i: (-counts[i], i))
            for meeting_id, counts in holdings.items() if meeting_id in created}
    taken = set(home) | redirected
    planned = []
    for index, group in enumerate(groups):
        held = sorted((m for m, i in home.items() if i == index),
                      key=lambda m: (m not in named, _aware(created[m]), m))
        if held:
            planned.append((held[0], held[1:]))
            continue
        meeting_id = new_meeting_id(group[0].id, taken)
        taken.add(meeting_id)
        planned.append((meeting_id, []))
    return planned


def new_meeting_id(first_report_id: str, taken: set[str]) -> str:
    """`m-` and a short hash of the first report's id; another hash if that id is taken
    (ids are never reused: a merged meeting's id keeps redirecting)."""
    salt = 0
    while True:
        seed = first_report_id if salt == 0 else f"{first_report_id}#{salt}"
        candidate = "m-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:10]
        if candidate not in taken:
            return candidate
        salt += 1


def _aware(moment: datetime) -> datetime:
    """SQLite gives timestamps back without their zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
