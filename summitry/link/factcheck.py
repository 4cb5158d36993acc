"""Fact flags: where an article's claims contradict the curated reference record.

Pure functions over an article's text, its meeting reports and a
:class:`~summitry.reference.ReferenceRecord`; no database, no spaCy. Three kinds of claims
are checked (rules in ``docs/reference.md``):

- **meeting claims** (:func:`check_meetings`): each *held* meeting report is looked up in the
  record. A report that matches a known non-event is ``no_such_meeting``. For a pair whose
  in-person encounters the record lists in full, a report with no matching encounter is
  ``no_such_meeting`` (nothing within a month) or ``wrong_date`` / ``wrong_place`` (naming the
  nearest encounter). For any other pair the flag is ``not_in_reference``: the record has
  nothing to check the claim against, and says so rather than guess.
- **count claims** (:func:`check_counts`): "their past six meetings", "have met five times",
  "their seventh encounter" about a pair the record covers are compared with the number of
  held in-person encounters before the publication date; ``wrong_count`` when no reasonable
  reading of the claim fits the record.
- **counts against the article's own list** (:func:`check_count_lists`): when the article also
  lists the meetings it counts (its reports of the pair near the claim), the list is compared
  with the record; ``count_list_mismatch`` when it includes a meeting that did not take place or
  leaves out encounters the record has, even if the number is right.

Every flag carries the words of the claim with their offsets in the text, the id of the
reference entry it was checked against and a plain-language explanation.

What a flag means, and how sure it is
  A flag says "the article is wrong": it needs a claim the text makes firmly and a reference
  entry it contradicts. Most disagreements with the record on real news are the extractor's
  errors, not the article's (an invitation read as a meeting held, a year resolved wrongly,
  the place of another event in the sentence), so every flag carries a ``confidence`` and a
  ``state``: ``finding`` when the claim is firm (`claim_strength`: the report's own confidence,
  and the date, place and leaders written in the words of the claim itself), ``candidate``
  below FINDING_THRESHOLD (a person decides), and ``notice`` for ``not_in_reference``: the
  record cannot check the claim, which is not a finding about the article at all.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..actors import LEADER_OFFICES, Registry
from ..records import FINDING_THRESHOLD, MeetingReport
from .reference import REMOTE_FORMATS, Encounter, ReferenceRecord, gap_days, same_people
from .reference import _human_span, _interval  # shared date wording; private to the two modules

__all__ = ["FLAG_KINDS", "FactFlag", "check_article", "check_count_lists", "check_counts", "check_meetings"]

FLAG_KINDS = ("no_such_meeting", "wrong_place", "wrong_date", "wrong_count", "count_list_mismatch",
              "not_in_reference")

#: a report this many days or more from every known encounter of a fully covered pair is
#: about an encounter that did not happen, not a misdated one
NEAR_DAYS = 31
#: "their previous six meetings" written just after a meeting may not count that meeting
RECENT_DAYS = 14
#: how firm a count claim is: its number is written in the text, about a pair named around it
COUNT_STRENGTH = 0.9
#: how firm "the article's list leaves out encounters" is: the extractor may have missed them
OMISSION_STRENGTH = 0.6


@dataclass(frozen=True)
class FactFlag:
    article_id: str
    kind: str  # one of FLAG_KINDS
    claim: str  # the words of the article that make the claim
    start: int  # offsets of `claim` in the article text
    end: int
    reference_id: str | None  # the Encounter or NonEvent it was checked against
    explanation: str
    # every entry the flag rests on, when there are several (count_list_mismatch: the wrong and
    # the missing entries of the list; the first is `reference_id`); the explanation names them too
    reference_ids: tuple[str, ...] = ()
    confidence: float = 1.0  # how firmly the text makes the claim (see the module docstring)
    state: str = "finding"  # finding | candidate | notice

    @property
    def key(self) -> str:
        """What the flag is, independent of its row: a person's verdict on it is kept by this."""
        return f"{self.article_id}|{self.kind}|{self.start}|{self.end}"

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------
# Meeting claims


def check_meetings(article_id: str, text: str, reports: list[MeetingReport], reference: ReferenceRecord,
                   published: date | None) -> list[FactFlag]:
    """One flag per held meeting report that the reference record contradicts or cannot check."""
    flags = []
    for report in reports:
        if report.status != "held" or len(report.participants) < 2:
            continue  # only a claim that an encounter took place can be checked against the record
        found = _check_report(report, reference)
        if found is not None:
            kind, ref_id, why = found
            start, end = claim_span(text, report)
            confidence = claim_strength(text, report, start, end)
            flags.append(FactFlag(article_id, kind, text[start:end], start, end, ref_id, why,
                                  confidence=confidence, state=state_of(kind, confidence)))
    return flags


def state_of(kind: str, confidence: float) -> str:
    """What is shown of a flag by default: see the module docstring."""
    if kind == "not_in_reference":
        return "notice"
    return "finding" if confidence >= FINDING_THRESHOLD else "candidate"


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
#: a report without the extractor's confidence (older records) is taken as this firm
UNMEASURED = 0.75


def claim_strength(text: str, report: MeetingReport, start: int, end: int) -> float:
    """How firmly the article itself makes the meeting claim, in [0, 1].

    The report's own confidence caps it (an invitation read as a meeting held is the
    extractor's error, not the article's). Then the claim must stand in the words: the year of
    the report's date written in the claim's sentence (a date resolved from the publication
    day or from "last year" may be the extractor's arithmetic), the place written there when
    the report has one, and every leader named in it (not reached through "he" or "the two").
    Each missing part lowers the strength below the threshold of a finding.
    """
    sentence = _sentence_text(text, report, start, end)
    strength = report.confidence if report.confidence is not None else UNMEASURED
    # the year must be written with the claim itself: in a list of encounters ("in Singapore in
    # June 2018; in Hanoi in February; ..."), the year of one item is not the date of the next
    dated = _item_of_list(text, sentence, report, start, end)
    if report.date and not any(m.group(1) == report.date[:4] for m in _YEAR.finditer(dated)):
        strength = min(strength, 0.5)
    if report.place and report.place.lower() not in sentence.lower():
        strength = min(strength, 0.5)
    if not all(_surname(p).lower() in sentence.lower() for p in report.participants):
        strength = min(strength, 0.6)
    return round(strength, 2)


def _item_of_list(text: str, sentence: str, report: MeetingReport, start: int, end: int) -> str:
    """The part of the claim's sentence between the semicolons around the claim (items of a
    list of encounters are set apart by them); the whole sentence when it has none."""
    if ";" not in sentence or report.evidence_start is None or not (
            report.evidence_start <= start < end <= (report.evidence_end or 0)):
        return sentence
    at, until = start - report.evidence_start, end - report.evidence_start
    begin = sentence.rfind(";", 0, at) + 1
    stop = sentence.find(";", until)
    return sentence[begin:stop if stop >= 0 else len(sentence)]


def _sentence_text(text: str, report: MeetingReport, start: int, end: int) -> str:
    """The evidence of the report, or the sentence around the claim when it has none."""
    if report.evidence_start is not None and report.evidence_end is not None:
        return text[report.evidence_start:report.evidence_end]
    if report.evidence:
        return report.evidence
    s, e = _sentence_bounds(text, start)
    return text[s:max(e, end)]


def _check_report(r: MeetingReport, ref: ReferenceRecord) -> tuple[str, str | None, str] | None:
    """(kind, reference id, explanation), or None when the record agrees."""
    who = _pair_name(r.participants)
    ne = ref.non_event(r.participants, r.date, r.place, r.occasion)
    if ne is not None:
        return "no_such_meeting", ne.id, ne.explanation
    hit = ref.match(r.participants, r.date, r.place, r.format, status="held")
    if hit is not None and hit.status == "held":
        return None
    pair = len(r.participants) == 2
    covered = pair and r.date is not None and ref.covers(*r.participants, on=_start(r.date))
    if hit is not None:  # the record knows this encounter only as cancelled
        why = f"The reference record has the {who} meeting of {hit.describe()} as cancelled, not held"
        if covered:
            return "no_such_meeting", hit.id, why + "."
        return "not_in_reference", hit.id, why + ", but it does not list every encounter of the two, so it cannot rule out that they met."
    if r.format in REMOTE_FORMATS:
        return "not_in_reference", None, (f"The reference record lists {who} calls only selectively and has "
                                          f"none that matches this one, so it cannot check it.")
    if not covered:
        return "not_in_reference", None, _uncovered(r, ref, who)
    return _covered_mismatch(r, ref, who)


def _uncovered(r: MeetingReport, ref: ReferenceRecord, who: str) -> str:
    if len(r.participants) == 2 and r.date and (span := ref.coverage(*r.participants)):
        return (f"The reference record lists {who} encounters in full only "
                f"{_coverage_words(span)}, so it cannot check an encounter of {_when(r.date)}.")
    if not r.date and len(r.participants) == 2 and ref.coverage(*r.participants):
        return f"The report gives no date, so the reference record cannot check this {who} encounter."
    return (f"The reference record does not list every encounter of {_pair_and(r.participants)} and has none that matches "
            f"this one, so it has nothing to check it against.")


def _covered_mismatch(r: MeetingReport, ref: ReferenceRecord, who: str) -> tuple[str, str | None, str]:
    """A pair the record lists in full, and no encounter matches: which is wrong, date or place?"""
    people = r.participants
    total = ref.in_person_count(*people)
    span = ref.coverage(*people)
    as_of = f" as of {_day(span.until)}" if span and span.until else ""
    listed = f"The reference record lists every in-person encounter of {_pair_and(people)} ({total}{as_of})"
    same_place = [e for e in ref.for_pair(*people) if e.status == "held" and e.in_person and e.at(r.place)]
    if same_place:
        e = min(same_place, key=lambda x: gap_days(r.date, x))
        return "wrong_date", e.id, (f"{listed}; their encounter in {e.place} was on {_span_words(e)}, "
                                    f"not {_when(r.date)}.")
    near = ref.nearest(people, r.date)
    if near is None or gap_days(r.date, near) >= NEAR_DAYS:
        place = f" in {r.place}" if r.place else ""
        closest = f" The nearest is {near.describe()}." if near else ""
        return "no_such_meeting", near.id if near else None, (
            f"{listed}; none was{place} in or near {_when(r.date)}.{closest}")
    if r.place:
        return "wrong_place", near.id, (f"{listed}; around {_when(r.date)} they met in {near.place} "
                                        f"({_span_words(near)}), not in {r.place}.")
    return "wrong_date", near.id, f"{listed}; the nearest one was {near.describe()}, not {_when(r.date)}."


# ---------------------------------------------------------------------------
# Where a meeting claim is in the text

_MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
           r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
# ", Japan, in June 2019" / " in July 2017" / " on July 16, 2018" right after the place
_DATE_AFTER = re.compile(
    rf"(?:,\s*[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*,?)?\s+(?:in|on)\s+(?:(?:early|late|mid-?)\s*)?"
    rf"(?:{_MONTHS}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?\d{{4}}|\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}|\d{{4}})")


def claim_span(text: str, report: MeetingReport) -> tuple[int, int]:
    """Offsets of the words that make a meeting claim: the report's evidence, narrowed to
    "the G7 in Quebec in June 2018" when the place can be found in it (one sentence often
    names several encounters)."""
    start, end = report.evidence_start, report.evidence_end
    if start is None or end is None:
        i = text.find(report.evidence) if report.evidence else -1
        if i < 0:
            return 0, 0
        start, end = i, i + len(report.evidence)
    if not report.place:
        return start, end
    i = text.find(report.place, start, end)
    if i < 0:
        return start, end
    s, e = i, i + len(report.place)
    occ = _occasion_before(text, start, s, report.occasion)
    if occ is not None:
        s = occ
    m = _DATE_AFTER.match(text, e, end)
    if m:
        e = m.end()
    return s, e


def _occasion_before(text: str, floor: int, at: int, occasion: str | None) -> int | None:
    """Where the occasion ("G7", "APEC Summit") is named just before the place, if it is."""
    if not occasion:
        return None
    head = occasion.split()[0]
    pattern = re.escape(head)
    if re.fullmatch(r"G\d+", head):
        pattern = rf"G-?{head[1:]}"
    window_start = max(floor, at - 40)
    hits = list(re.finditer(rf"\b{pattern}\b", text[window_start:at], re.I))
    return window_start + hits[-1].start() if hits else None


# ---------------------------------------------------------------------------
# Count claims

_CARDINALS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_ORDINALS = {w: n for n, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_CARD = r"(?:" + "|".join(sorted(_CARDINALS, key=len, reverse=True)) + r"|\d{1,2})"
_ORD = r"(?:" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r"|\d{1,2}(?:st|nd|rd|th))"
_MOD = (r"(?:known|formal|official|in-person|in\s+person|face-to-face|face\s+to\s+face|bilateral|one-on-one|"
        r"summit|such|separate|direct|personal|high-profile|previous|prior|past|earlier)")
_NOUNS = r"(?P<noun>meetings?|encounters?|summits?|sit-downs?|talks|face-to-faces?)"

# "their past six meetings", "his previous six meetings with Putin"
_PAST = re.compile(rf"\b(?P<pre>past|previous|prior|earlier)\s+(?P<num>{_CARD})\s+(?:{_MOD}\s+){{0,3}}{_NOUNS}\b", re.I)
# "their six meetings", "the six meetings between"
_DET = re.compile(rf"\b(?P<det>their|the)\s+(?P<num>{_CARD})\s+(?:{_MOD}\s+){{0,3}}{_NOUNS}\b", re.I)
# "have met five times", "has met Putin on four occasions"
_TIMES = re.compile(rf"\b(?:have|has)\s+(?:now\s+|already\s+|only\s+|previously\s+)?met\s+(?:[A-Z][\w.-]*\s+){{0,3}}"
                    rf"(?:in\s+person\s+|face[- ]to[- ]face\s+)?(?:on\s+)?(?P<num>{_CARD})\s+(?P<noun>times|occasions)\b")
# "the sixth meeting between", "their seventh encounter"
_ORDINAL = re.compile(rf"\b(?P<det>their|the|a|this|his|her)\s+(?P<num>{_ORD})\s+(?:{_MOD}\s+){{0,3}}{_NOUNS}\b", re.I)

_FUTURE = re.compile(r"\b(will|would|'ll|shall|upcoming|forthcoming|ahead\s+of|set\s+to|planned|expected|"
                     r"scheduled|next|is\s+to|are\s+to|due\s+to|prepar\w+|anticipated)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


@dataclass(frozen=True)
class _Count:
    start: int
    end: int
    number: int
    kind: str  # past | total | ordinal
    noun: str


def check_counts(article_id: str, text: str, reference: ReferenceRecord, published: date | None,
                 registry: Registry | None = None) -> list[FactFlag]:
    """Flags for counts of a pair's meetings that the reference record contradicts (or cannot
    check). Without a publication date a count has no point in time and is not checked."""
    if published is None:
        return []
    flags = []
    for claim, sent, pair in _pair_counts(text, published, registry):
        found = _check_count(claim, text, sent, pair, reference, published)
        if found is not None:
            kind, ref_id, why = found
            # the number is written in the text and the pair named around it: a firm claim
            flags.append(FactFlag(article_id, kind, text[claim.start:claim.end], claim.start, claim.end, ref_id, why,
                                  confidence=COUNT_STRENGTH, state=state_of(kind, COUNT_STRENGTH)))
    return flags


def _pair_counts(text: str, published: date, registry: Registry | None) -> list[tuple[_Count, tuple[int, int], tuple[str, str]]]:
    """(claim, its sentence's bounds, the pair it counts) for each count claim whose pair is known."""
    finder = _LeaderFinder.for_registry(registry or Registry.load())
    mentions = finder.find(text, published)
    main = _main_pair(mentions)
    found = []
    for claim in _count_claims(text):
        sent = _sentence_bounds(text, claim.start)
        pair = _claim_pair(mentions, sent, main)
        if pair is not None:
            found.append((claim, sent, pair))
    return found


def _count_claims(text: str) -> list[_Count]:
    found: list[_Count] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in ((_PAST, "past"), (_TIMES, "total"), (_DET, "total"), (_ORDINAL, "ordinal")):
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            word = m["num"].lower()
            if kind == "ordinal":
                number = _ORDINALS.get(word) or int(re.sub(r"\D", "", word) or 0)
            else:
                number = _CARDINALS[word] if word in _CARDINALS else int(word)
            if number <= 0 or (kind == "ordinal" and number == 1):
                continue  # "their first meeting" is almost always true and often about a subset
            found.append(_Count(m.start(), m.end(), number, kind, m["noun"].lower()))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda c: c.start)


def _check_count(claim: _Count, text: str, sent: tuple[int, int], pair: tuple[str, str],
                 ref: ReferenceRecord, published: date) -> tuple[str, str | None, str] | None:
    a, b = pair
    who = _pair_and(pair)
    if not ref.covers(a, b, on=published):
        return "not_in_reference", None, (f"The reference record does not list every encounter of {who} "
                                          f"as of {_day(published)}, so it cannot check this count.")
    before = ref.in_person_encounters(a, b, before=published)
    through = ref.in_person_encounters(a, b, before=published + timedelta(days=1))
    future = bool(_FUTURE.search(text[sent[0]:claim.start]))
    if _count_fits(claim, before, through, published, future):
        return None
    return "wrong_count", before[-1].id if before else None, _count_explanation(claim, who, before, published, future)


def _schemes(noun: str) -> list:
    """The ways of counting a noun fairly allows: every held in-person encounter; formal meetings
    only (brief informal exchanges left out); for "summits", summit-format meetings only."""
    return [keep for _, keep in _named_schemes(noun)]


def _named_schemes(noun: str) -> list[tuple[str, object]]:
    """`_schemes` with what each counts, as the explanations name it."""
    every = ("in-person encounters", lambda e: True)
    formal = ("formal meetings", lambda e: e.format != "informal")
    if noun.startswith("encounter") or noun.startswith("face"):
        return [every]
    if noun.startswith("summit"):
        return [every, formal, ("summits", lambda e: e.format == "summit")]
    return [every, formal]


def _count_fits(claim: _Count, before: list[Encounter], through: list[Encounter], published: date,
                future: bool) -> bool:
    for keep in _schemes(claim.noun):
        lo = len([e for e in before if keep(e)])
        hi = len([e for e in through if keep(e)])
        if claim.kind == "ordinal":
            ok = claim.number in (lo + 1, hi + 1) if future else claim.number <= hi + 1
        else:
            ok = claim.number in (lo, hi)
            last = next((e for e in reversed(before) if keep(e)), None)
            if claim.kind == "past" and last and (published - last.span[1]).days <= RECENT_DAYS:
                ok = ok or claim.number == lo - 1  # written just after a meeting: "previous" leaves it out
        if ok:
            return True
    return False


def _count_explanation(claim: _Count, who: str, before: list[Encounter], published: date, future: bool) -> str:
    n = len(before)
    listed = "; ".join(e.describe() for e in before) or "none"
    informal = sum(1 for e in before if e.format == "informal")
    detail = (f" ({n - informal} formal meetings and {informal} brief informal exchanges)" if informal else "")
    record = (f"the reference record lists {n} in-person encounters of {who} before {_day(published)}{detail}: "
              f"{listed}.")
    if claim.kind == "ordinal":
        said = f"The article calls this their {_ordinal(claim.number)} {claim.noun}"
        would = f"; by the record an encounter {'to come' if future else 'now'} would be their {_ordinal(n + 1)}"
        return f"{said}{would}, since {record}"
    past = "past " if claim.kind == "past" else ""
    return f"The article counts {claim.number} {past}{claim.noun} of {who}, but {record}"


# ---------------------------------------------------------------------------
# A count against the article's own list of the meetings it counts

#: A count and the list it sums up are written close together: the list follows the count (an
#: introduction, then the history over the next paragraphs of a feature) or comes before it
#: ("... In all, they have met six times"). The pair's meetings reported this close to the claim
#: are the list it counts.
LIST_AFTER = 5000
LIST_BEFORE = 2000
#: a list names at least this share of the counted meetings (and two): fewer is a mention in passing
LIST_SHARE = 0.5


@dataclass(frozen=True)
class _Listed:
    """One meeting of an article's list, as the reference record knows it."""
    words: str  # the words that name it in the article (see `claim_span`)
    encounter: str | None  # the held encounter it is (None: no such meeting)
    wrong_id: str | None = None  # for no such meeting: the non-event, or the nearest encounter
    why: str | None = None  # for no such meeting: the record's explanation
    strength: float = 1.0  # how firmly the article names it (`claim_strength`)


def check_count_lists(article_id: str, text: str, reports: list[MeetingReport], reference: ReferenceRecord,
                      published: date | None, registry: Registry | None = None) -> list[FactFlag]:
    """``count_list_mismatch`` flags: a count of a pair's meetings ("their past six meetings") that
    the article also lists, where the list does not match the reference record: it includes a
    meeting that did not take place, or it leaves out encounters the record has.

    The list is the article's held, in-person meeting reports of the pair before the publication
    date whose words lie within LIST_BEFORE characters before the claim or LIST_AFTER after it,
    each matched to the record (a misdated or misplaced one counts as the encounter it names:
    that error has its own flag). It is a list when it names at least two meetings and at least
    LIST_SHARE of the count. It is compared with the record's encounters under the fair reading
    of the count (`_named_schemes`) that fits the number and is closest to the list. The number
    itself is checked by `check_counts` (``wrong_count``); ordinals ("their sixth meeting") are
    not checked here. Only pairs the record covers on the publication date are checked."""
    if published is None:
        return []
    flags = []
    for claim, _, pair in _pair_counts(text, published, registry):
        if claim.kind == "ordinal" or not reference.covers(*pair, on=published):
            continue
        listed = _listed_meetings(claim, text, reports, pair, reference, published)
        if len(listed) < 2 or len(listed) < LIST_SHARE * claim.number:
            continue
        found = _compare_list(claim, listed, pair, reference, published)
        if found is not None:
            ids, why = found
            # The list is the extractor's reading of the article. A meeting it includes that did
            # not take place is as firm as the words that name it; a list that only leaves
            # encounters out may be the extractor's miss, not the article's: a candidate.
            wrong = [e.strength for e in listed if e.encounter is None]
            strength = min([COUNT_STRENGTH, *wrong]) if wrong else OMISSION_STRENGTH
            flags.append(FactFlag(article_id, "count_list_mismatch", text[claim.start:claim.end], claim.start,
                                  claim.end, ids[0], why, tuple(ids), confidence=strength,
                                  state=state_of("count_list_mismatch", strength)))
    return flags


def _listed_meetings(claim: _Count, text: str, reports: list[MeetingReport], pair: tuple[str, str],
                     ref: ReferenceRecord, published: date) -> list[_Listed]:
    """The distinct meetings of the pair the article lists near the claim, in text order."""
    listed: dict[str, _Listed] = {}
    for r in sorted(reports, key=lambda r: claim_span(text, r)):
        if r.status != "held" or r.format in REMOTE_FORMATS or not same_people(pair, r.participants):
            continue
        start, end = claim_span(text, r)
        if start == end or not claim.start - LIST_BEFORE <= start <= claim.end + LIST_AFTER:
            continue
        if r.date and _start(r.date) > published:
            continue  # not a past meeting
        entry = _list_entry(r, text, ref)
        if entry is None:
            continue
        if entry.encounter and ref.get(entry.encounter).span[0] > published:
            continue  # the report's month holds a meeting that came after the article
        listed.setdefault(entry.encounter or entry.wrong_id or entry.words, entry)
    return list(listed.values())


def _list_entry(r: MeetingReport, text: str, ref: ReferenceRecord) -> _Listed | None:
    start, end = claim_span(text, r)
    words = " ".join(text[start:end].split())
    ne = ref.non_event(r.participants, r.date, r.place, r.occasion)
    if ne is not None:
        return _Listed(words, None, ne.id, ne.explanation, claim_strength(text, r, start, end))
    hit = ref.match(r.participants, r.date, r.place, r.format, status="held")
    if hit is not None and hit.status == "held":
        return _Listed(words, hit.id)
    found = _check_report(r, ref)
    if found is None:
        return None
    kind, ref_id, why = found
    if kind in ("wrong_date", "wrong_place") and ref_id:
        return _Listed(words, ref_id)
    if kind == "no_such_meeting":
        return _Listed(words, None, ref_id, why, claim_strength(text, r, start, end))
    return None  # the record cannot tell


def _compare_list(claim: _Count, listed: list[_Listed], pair: tuple[str, str], ref: ReferenceRecord,
                  published: date) -> tuple[list[str], str] | None:
    """(reference ids of the wrong and missing entries, explanation), or None when the list agrees."""
    before = ref.in_person_encounters(*pair, before=published)
    through = ref.in_person_encounters(*pair, before=published + timedelta(days=1))
    readings = []
    for unit, keep in _named_schemes(claim.noun):
        for pool in (before, through):
            readings.append((unit, [e for e in pool if keep(e)]))
        counted = [e for e in before if keep(e)]
        if claim.kind == "past" and counted and (published - counted[-1].span[1]).days <= RECENT_DAYS:
            readings.append((unit, counted[:-1]))  # "previous" written just after a meeting leaves it out
    on_list = {entry.encounter for entry in listed if entry.encounter}

    def distance(reading) -> int:
        ids = {e.id for e in reading[1]}
        return len(ids - on_list) + len(on_list - ids)

    fitting = [r for r in readings if len(r[1]) == claim.number]
    unit, counted = min(fitting or readings, key=distance)  # ties: the first, every encounter
    wrong = [entry for entry in listed if entry.encounter is None]
    missing = [e for e in counted if e.id not in on_list]
    if not wrong and not missing:
        return None
    return ([entry.wrong_id for entry in wrong if entry.wrong_id] + [e.id for e in missing],
            _list_explanation(claim, pair, unit, counted, bool(fitting), wrong, missing, published))


def _list_explanation(claim: _Count, pair: tuple[str, str], unit: str, counted: list[Encounter], fits: bool,
                      wrong: list[_Listed], missing: list[Encounter], published: date) -> str:
    who = _pair_and(pair)
    said = (f"The article says {who} have met {_number(claim.number)} {claim.noun}" if claim.noun in ("times", "occasions")
            else f"The article counts {_number(claim.number)} {'past ' if claim.kind == 'past' else ''}{claim.noun} of {who}")
    record = f"{_number(len(counted))} {unit} of the two before {_day(published)}"
    said += (f", and the reference record also has {record}" if fits
             else f"; the reference record has {record} (the number is flagged on its own)")
    errors = []
    if wrong:
        errors.append("includes " + _and([f"“{w.words}” (no such meeting" + (f" [{w.wrong_id}])" if w.wrong_id else ")")
                                          for w in wrong]))
    if missing:
        errors.append("leaves out " + _and([f"{e.describe()} [{e.id}]" for e in missing]))
    why = " ".join(dict.fromkeys(w.why for w in wrong if w.why))
    return f"{said}, but the article's own list of them {' and '.join(errors)}." + (f" {why}" if why else "")


def _number(n: int) -> str:
    words = {v: k for k, v in _CARDINALS.items()}
    return words.get(n, str(n))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------------------
# Who a count is about


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    canonical: str


class _LeaderFinder:
    """Finds names of (past or present) national leaders in text, by the registry's forms."""

    # bare surnames that are also common capitalised words
    _AMBIGUOUS = frozenset({"May", "Charles", "Francis", "Benedict", "Leo", "John", "Paul", "King", "Rice"})

    def __init__(self, registry: Registry):
        self.registry = registry
        forms: set[str] = set()
        for p in registry.people:
            if any(o.office in LEADER_OFFICES for o in p.offices):
                forms.update(f for f in (p.name, *p.aliases, p.surname) if f and f not in self._AMBIGUOUS)
        alternatives = sorted(forms, key=len, reverse=True)
        body = "|".join(re.escape(f).replace(r"\ ", r"[\s\-]+") for f in alternatives)
        self.pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")

    @classmethod
    @lru_cache(maxsize=4)
    def for_registry(cls, registry: Registry) -> "_LeaderFinder":
        return cls(registry)

    def find(self, text: str, on: date) -> list[_Mention]:
        out = []
        for m in self.pattern.finditer(text):
            person = self.registry.person(m.group(), on)
            if person is not None and person.offices and any(o.office in LEADER_OFFICES for o in person.offices):
                out.append(_Mention(m.start(), m.end(), person.name))
        return out


def _main_pair(mentions: list[_Mention]) -> tuple[str, str] | None:
    """The two leaders the article is about: the two named most often, each at least twice."""
    counts: dict[str, int] = {}
    for m in mentions:
        counts[m.canonical] = counts.get(m.canonical, 0) + 1
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:2]
    if len(top) == 2 and top[1][1] >= 2:
        return top[0][0], top[1][0]
    return None


def _claim_pair(mentions: list[_Mention], sent: tuple[int, int], main: tuple[str, str] | None) -> tuple[str, str] | None:
    """The pair a count is about: the two leaders named in its sentence, else the article's pair
    when the sentence names no one else ("their past six meetings")."""
    named: list[str] = []
    for m in mentions:
        if sent[0] <= m.start < sent[1] and m.canonical not in named:
            named.append(m.canonical)
    if len(named) == 2:
        return named[0], named[1]
    if len(named) < 2 and main is not None and set(named) <= set(main):
        return main
    return None


def _sentence_bounds(text: str, at: int) -> tuple[int, int]:
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, at):
        start = m.end()
    m = _SENTENCE_END.search(text, at)
    return start, m.start() + 1 if m else len(text)


# ---------------------------------------------------------------------------
# Both


def check_article(article_id: str, text: str, reports: list[MeetingReport], reference: ReferenceRecord,
                  published: date | None, registry: Registry | None = None) -> list[FactFlag]:
    """Meeting claims, count claims and counts against their lists, in text order."""
    flags = check_meetings(article_id, text, reports, reference, published)
    flags += check_counts(article_id, text, reference, published, registry)
    flags += check_count_lists(article_id, text, reports, reference, published, registry)
    return sorted(flags, key=lambda f: (f.start, f.end, f.kind))


# ---------------------------------------------------------------------------
# Words


def _pair_name(people) -> str:
    """"Trump–Putin" (as in "a Trump–Putin encounter")."""
    return "–".join(_surname(p) for p in people)


def _pair_and(people) -> str:
    """"Trump and Putin"."""
    names = [_surname(p) for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@lru_cache(maxsize=1024)
def _surname(name: str) -> str:
    person = Registry.load().person(name)
    return person.surname if person is not None else name.split()[-1]


def _start(value: str) -> date:
    return _interval(value)[0]


def _when(value: str) -> str:
    return _human_span(value, None)


def _span_words(e: Encounter) -> str:
    return _human_span(e.date, e.end_date)


def _day(d: date) -> str:
    return f"{d.day} {d:%B} {d.year}"


def _ordinal(n: int) -> str:
    words = {v: k for k, v in _ORDINALS.items()}
    return words.get(n, f"{n}th")


def _coverage_words(pair) -> str:
    if pair.start and pair.until:
        return f"from {_day(pair.start)} to {_day(pair.until)}"
    if pair.start:
        return f"from {_day(pair.start)}"
    if pair.until:
        return f"up to {_day(pair.until)}"
    return "for all time"
