"""The relevance gate: can an article hold a record of leader diplomacy? A cheap pass before the
parser (the tokenizer and phrase matchers only, no model), so that the general news in a feed
costs almost nothing.

An article passes when one of its sentences holds an encounter word (met, summit, talks, call,
visit, host, spoke, conference, trip, ...) and two sides of it:
  - two leaders of different countries ("Trump ... Putin"), or a leader and a titled person the
    actor data does not know, or two such ("President Ama Mensah ... Prime Minister Kofi Boateng":
    the actor data cannot list every leader of the world), or
  - a leader and the office of another country ("Trump ... the Russian president"), or
  - a leader or an office, and the other side named as a plural or a counterpart
    ("the presidents of El Salvador, Honduras and Guatemala met with Obama", "his Egyptian
    counterpart").
Leaders are the people of the actor data who held a head of state or government office (with
their countries); a surname counts only when capitalised. The rules are recall first: an
article the gate lets through costs a parse, one it stops costs its whole record. Measured on
the development set (every article passes, so every gold meeting and statement is kept) and
on the news sample (docs/benchmarks.md).
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.matcher import PhraseMatcher

from ..actors import LEADER_OFFICES, Registry
from .link_cards import blank_link_cards

GATE_VERSION = "gate-2"  # gate-2: hover cards of linked names are not read

ENCOUNTER_WORDS = """
meet meets met meeting meetings summit summits talks talked call calls called phone telephone visit visits
visited visiting host hosts hosted hosting welcomed greeted sit-down bilateral sidelines dinner handshake
invitation invited spoke speak speaks spoken discussed discuss agreed signed conference tour trip
""".split()
OFFICES = ["president", "prime minister", "premier", "chancellor", "king", "emir", "crown prince",
           "supreme leader", "leader", "pope", "president-elect", "taoiseach"]
OTHER_SIDE = ["counterpart", "counterparts", "presidents", "prime ministers", "premiers", "leaders",
              "heads of state", "heads of government", "chancellors"]
# a sentence ends at . ! ? before a capital (not in "U.S. officials") or at a line break
# A head of state or government's title before a name: "President Ama Mensah", "King Abdullah"
_TITLED = re.compile(r"\b(?:President|Prime\s+Minister|Premier|Chancellor|King|Emir|Sultan|Supreme\s+Leader|"
                     r"President-elect)\s+((?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?(?:[A-Z][\w'’.-]*\s*){1,3})")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n+")


@dataclass(frozen=True)
class Verdict:
    relevant: bool
    reason: str  # which rule let it through, or why not


class RelevanceGate:
    """Built once from the actor data; `check(text)` is cheap (no model)."""

    def __init__(self, registry: Registry):
        self.nlp = spacy.blank("en")
        vocab = self.nlp.vocab
        self.leaders = PhraseMatcher(vocab)
        self.countries = PhraseMatcher(vocab)
        self.words = PhraseMatcher(vocab, attr="LOWER")
        for form, codes in _leader_forms(registry).items():
            self.leaders.add("|".join(sorted(codes)), [self.nlp.make_doc(form)])
        for form, codes in _country_forms(registry).items():
            self.countries.add("|".join(sorted(codes)), [self.nlp.make_doc(form)])
        self.words.add("ENCOUNTER", [self.nlp.make_doc(w) for w in ENCOUNTER_WORDS])
        self.words.add("OFFICE", [self.nlp.make_doc(w) for w in OFFICES])
        self.words.add("OTHER", [self.nlp.make_doc(w) for w in OTHER_SIDE])

    def check(self, text: str) -> Verdict:
        text = blank_link_cards(text)  # a card's headlines name leaders the story is not about
        doc = self.nlp.make_doc(text)
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]

        def sentence(token_index: int) -> int:
            return bisect.bisect_right(ends, doc[token_index].idx)

        strings = self.nlp.vocab.strings
        encounters: set[int] = set()
        offices: dict[int, set[str]] = {}
        for match_id, start, _ in self.words(doc):
            label = strings[match_id]
            if label == "ENCOUNTER":
                encounters.add(sentence(start))
            else:
                offices.setdefault(sentence(start), set()).add(label)
        if not encounters:
            return Verdict(False, "no encounter word")
        titled: dict[int, set[tuple[str, ...]]] = {}  # names of people written with a leader's title
        for m in _TITLED.finditer(text):
            words = tuple(_unaccented(w).lower().strip(".'’") for w in m.group(1).split())
            titled.setdefault(bisect.bisect_right(ends, m.start()), set()).add(words)
        known: dict[int, set[str]] = {}  # the words of the known leaders' names, to tell them apart
        leaders: dict[int, list[frozenset[str]]] = {}
        for match_id, start, end in self.leaders(doc):
            if doc[start].text[:1].isupper():
                leaders.setdefault(sentence(start), []).append(frozenset(strings[match_id].split("|")))
                known.setdefault(sentence(start), set()).update(
                    _unaccented(t.text).lower() for t in doc[start:end])
        countries: dict[int, list[frozenset[str]]] = {}
        for match_id, start, _ in self.countries(doc):
            if doc[start].text[:1].isupper():
                countries.setdefault(sentence(start), []).append(frozenset(strings[match_id].split("|")))
        for s in sorted(encounters):
            # titled people the actor data lacks: no word of their name is a known leader's
            unknown = {name for name in titled.get(s, set()) if not set(name) & known.get(s, set())}
            reason = _sides(leaders.get(s, []), countries.get(s, []), offices.get(s, set()), unknown)
            if reason:
                return Verdict(True, reason)
        return Verdict(False, "no sentence names two sides of an encounter")


def _sides(leaders: list[frozenset[str]], countries: list[frozenset[str]], offices: set[str],
           unknown: set[str]) -> str | None:
    if any(not (a & b) for a in leaders for b in leaders):
        return "two leaders of different countries"
    if len(unknown) >= 2 or (unknown and leaders):
        return "two titled leaders"
    if leaders and "OFFICE" in offices and any(not (a & c) for a in leaders for c in countries):
        return "a leader and the office of another country"
    if (leaders or "OFFICE" in offices) and "OTHER" in offices and (leaders or countries):
        return "a leader and a counterpart"
    return None


def _leader_forms(registry: Registry) -> dict[str, set[str]]:
    """Every name, alias and surname (longer than two letters) of a person who held a leader
    office, with the countries they led."""
    forms: dict[str, set[str]] = {}
    for person in registry.people:
        codes = {o.country for o in person.offices if o.office in LEADER_OFFICES}
        if not codes:
            continue
        names = [person.name, *person.aliases] + ([person.surname] if len(person.surname) > 2 else [])
        for name in names:
            for form in {name, _unaccented(name)}:  # "Raul Castro" is written for "Raúl Castro"
                forms.setdefault(form, set()).update(codes)
    return forms


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _country_forms(registry: Registry) -> dict[str, set[str]]:
    forms: dict[str, set[str]] = {}
    for country in registry.countries.values():
        for name in (country.name, *country.aliases, *country.adjectives, *country.capitals):
            forms.setdefault(name, set()).add(country.code)
    return forms


@lru_cache(maxsize=4)
def gate(actors_path: str | None = None) -> RelevanceGate:
    """One gate per process and actor data."""
    return RelevanceGate(Registry.load(actors_path))
