"""The registry that resolves mentions against the actor data (``summitry/data/actors.json``,
format: ``docs/actors.md``). It answers the questions the extractor asks for every mention:

- ``person("Kim Jong-un")``: who is this name (canonical name, alias, "First Last" variant,
  bare surname disambiguated by date)?
- ``holder("president", "RU", date(2010, 6, 1))``: who held that office then?
- ``parse_office("the Kremlin spokesman")`` -> ``("RU", "spokesperson")``
- ``resolve_description("the Russian president", on)``: both of the above.
- ``organisation("the Kremlin")``, ``country("North Korean")``.

All lookups go through dicts built once at load time. Standard library only.
"""
from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from .entries import OFFICE_KEYS, Country, Office, Organisation, Person, as_date, normalise, parse_date
from .vocabulary import (AL_PREFIXES, COMPLEMENT_PREPS, COUNTERPART, DEPUTY_WORDS, GENERIC_ORG_NAMES, GENERIC_ORGS,
                         NAME_SUFFIXES, NOT_CURRENT, OF_PREPS, OFFICE_PHRASES, PRONOUN_LIKE, SKIP_WORDS,
                         TITLE_TOKENS)


def _nospace(key: str) -> str:
    return key.replace(" ", "")


class Registry:
    """People, organisations and countries with lookup indexes built once."""

    def __init__(self, people: Iterable[Person], organisations: Iterable[Organisation],
                 countries: Iterable[Country]):
        self.people: list[Person] = list(people)
        self.organisations: list[Organisation] = list(organisations)
        self.countries: dict[str, Country] = {c.code: c for c in countries}
        self._build()

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Registry":
        """Load a registry from a JSON file; None: the packaged data file. Cached per path."""
        return _load_cached(None if path is None else str(Path(path).resolve()))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Registry":
        countries = [
            Country(code=c["code"], name=c["name"], aliases=tuple(c.get("aliases", ())),
                    adjectives=tuple(c.get("adjectives", ())), capitals=tuple(c.get("capitals", ())),
                    leader_office=c.get("leader_office"))
            for c in data.get("countries", ())
        ]
        orgs = [
            Organisation(name=o["name"], aliases=tuple(o.get("aliases", ())), country=o.get("country"),
                         kind=o.get("kind"))
            for o in data.get("organisations", ())
        ]
        people = []
        for p in data.get("people", ()):
            offices = tuple(
                Office(country=o["country"], office=o["office"], start=parse_date(o.get("start")),
                       end=parse_date(o.get("end"), end=True), host=o.get("host"))
                for o in p.get("offices", ())
            )
            people.append(Person(id=p["id"], name=p["name"], aliases=tuple(p.get("aliases", ())),
                                 gender=p.get("gender"), offices=offices, family_name=p.get("surname"),
                                 note=p.get("note")))
        return cls(people, orgs, countries)

    # -- indexes ---------------------------------------------------------------------------

    def _build(self) -> None:
        self._by_id: dict[str, Person] = {}
        self._names: dict[str, Person] = {}  # normalised full name / alias -> person
        self._names_nospace: dict[str, Person] = {}
        self._by_surname: dict[str, list[Person]] = {}
        self._first_names: dict[str, set[str]] = {}  # person id -> first words of its names
        self._by_office: dict[tuple[str, str], list[tuple[Office, Person]]] = {}
        for p in self.people:
            self._by_id[p.id] = p
            firsts: set[str] = set()
            for form in (p.name, *p.aliases):
                key = normalise(form)
                if not key:
                    continue
                self._names.setdefault(key, p)
                self._names_nospace.setdefault(_nospace(key), p)
                toks = key.split()
                if len(toks) > 1:
                    firsts.add(toks[0])
            self._first_names[p.id] = firsts
            for s in self._surname_keys(p):
                lst = self._by_surname.setdefault(s, [])
                if p not in lst:
                    lst.append(p)
            for o in p.offices:
                self._by_office.setdefault((o.country, o.office), []).append((o, p))

        self._countries_by_key: dict[str, Country] = {}
        self._country_phrases: dict[tuple[str, ...], str] = {}
        for c in self.countries.values():
            for form in (c.code if c.code in ("EU", "NATO", "UN", "IAEA") else None, c.name,
                         *c.aliases, *c.adjectives, *c.capitals):
                if not form:
                    continue
                key = self._strip_the(normalise(form))
                if key:
                    self._countries_by_key.setdefault(key, c)
                    self._countries_by_key.setdefault(_nospace(key), c)
                    self._country_phrases.setdefault(tuple(key.split()), c.code)

        self._orgs_by_key: dict[str, Organisation] = {}
        self._org_phrases: dict[tuple[str, ...], Organisation] = {}
        self._org_by_kind: dict[tuple[str, str], Organisation] = {}
        for o in self.organisations:
            for form in (o.name, *o.aliases):
                key = self._strip_the(normalise(form))
                if key:
                    self._orgs_by_key.setdefault(key, o)
                    self._orgs_by_key.setdefault(_nospace(key), o)
                    self._org_phrases.setdefault(tuple(key.split()), o)
            if o.kind and o.country:
                self._org_by_kind.setdefault((o.country, o.kind), o)
        self._composed_orgs: dict[tuple[str | None, str], Organisation] = {}
        self._parse_cache: dict[str, tuple[str | None, str | None] | None] = {}

        # prefixes stripped from person mentions: titles, office phrases, countries, organisations
        self._prefixes: set[tuple[str, ...]] = {(w,) for w in TITLE_TOKENS}
        self._prefixes.update(OFFICE_PHRASES)
        self._prefixes.update(self._country_phrases)
        self._prefixes.update(self._org_phrases)
        self._prefixes.update(GENERIC_ORGS)
        self._max_prefix = max(len(p) for p in self._prefixes)
        self._max_office_phrase = max(len(p) for p in OFFICE_PHRASES)
        self._max_country_phrase = max(len(p) for p in self._country_phrases)
        self._max_org_phrase = max(len(p) for p in (*self._org_phrases, *GENERIC_ORGS))

    @staticmethod
    def _strip_the(key: str) -> str:
        return key[4:] if key.startswith("the ") else key

    @staticmethod
    def _surname_keys(p: Person) -> list[str]:
        s = normalise(p.surname)
        keys = [s] if s else []
        for prefix in AL_PREFIXES:
            if s.startswith(prefix) and len(s) > len(prefix):
                keys.append(s[len(prefix):])
        return keys

    # -- people ----------------------------------------------------------------------------

    def person_by_id(self, person_id: str) -> Person | None:
        return self._by_id.get(person_id)

    def _exact(self, toks: list[str]) -> Person | None:
        key = " ".join(toks)
        return self._names.get(key) or self._names_nospace.get(_nospace(key))

    def _prefix_len(self, toks: list[str]) -> int:
        for k in range(min(self._max_prefix, len(toks) - 1), 0, -1):
            if tuple(toks[:k]) in self._prefixes:
                return k
        return 0

    def person(self, text: str, on: date | None = None) -> Person | None:
        """Resolve a name mention to a person (None if unknown or ambiguous).

        Canonical name, alias or "First [Middle] Last" variant, case-, punctuation- and
        diacritics-insensitive; leading titles ("Mr.", "Russian President", "Secretary of
        State", "Sen.") and a possessive 's are stripped. A bare surname resolves when one
        person has it, or else to the one holding office on `on` (then the one holding a
        leader office) when that is unique.
        """
        if not text:
            return None
        on = as_date(on)
        found = self._person(normalise(text), on)
        if found is not None or "," not in text:
            return found
        # "his counterpart, Sergei Lavrov" / "Kim Yo Jong, the sister of Kim Jong Un":
        # the first comma-separated part that names someone
        for part in text.split(","):
            found = self._person(normalise(part), on)
            if found is not None:
                return found
        return None

    def _person(self, key: str, on: date | None) -> Person | None:
        toks = key.split()
        if not toks:
            return None
        stripped = False
        while True:
            hit = self._exact(toks)
            if hit is not None:
                return hit
            k = self._prefix_len(toks)
            if not k:
                break
            toks = toks[k:]
            stripped = True
        if len(toks) > 1 and toks[-1] in NAME_SUFFIXES:
            toks = toks[:-1]
            hit = self._exact(toks)
            if hit is not None:
                return hit
        if len(toks) == 1:
            if toks[0] in PRONOUN_LIKE and not stripped:
                return None
            return self._pick(self._by_surname.get(toks[0], ()), on)
        whole = " ".join(toks)
        if whole in self._by_surname:
            return self._pick(self._by_surname[whole], on)
        # "First [Middle] Last": match surname and first name (or its initial)
        found = self._first_last_match(toks, on)
        if found is not None:
            return found
        # a full name inside a longer description ("Putin's foreign policy assistant Yuri
        # Ushakov", "Vladimir Putin of Russia"): the longest known name at either end
        for k in range(len(toks) - 1, 1, -1):
            tail, head = self._exact(toks[-k:]), self._exact(toks[:k])
            if tail is not None and head is not None and tail is not head:
                return None  # "Kim Yo Jong the sister of Kim Jong Un": two people
            if tail or head:
                return tail or head
        return None

    def _first_last_match(self, toks: list[str], on: date | None) -> Person | None:
        first = toks[0]
        cands: list[Person] = []
        for k in range(1, min(3, len(toks) - 1) + 1):
            for p in self._by_surname.get(" ".join(toks[-k:]), ()):
                firsts = self._first_names[p.id]
                if first in firsts or (len(first) == 1 and any(f.startswith(first) for f in firsts)):
                    cands.append(p)
        return self._pick(cands, on)

    @staticmethod
    def _pick(cands: Iterable[Person], on: date | None) -> Person | None:
        cands = list({p.id: p for p in cands}.values())
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]
        holding = [p for p in cands if p.offices_on(on)]
        if len(holding) == 1:
            return holding[0]
        leaders = [p for p in holding if p.is_leader_on(on)]
        if len(leaders) == 1:
            return leaders[0]
        return None

    def people_with_surname(self, surname: str) -> list[Person]:
        return list(self._by_surname.get(normalise(surname), ()))

    def holder(self, office: str, country: str, on: date | None) -> Person | None:
        """Who held `office` in `country` on that date (None if unknown or ambiguous).

        "leader" falls back to the country's leader office (president of Russia, chancellor
        of Germany, ...) when nobody holds an explicit "leader" office there.
        """
        on = as_date(on)
        if not office or not country:
            return None
        entries = [(o, p) for o, p in self._by_office.get((country, office), ()) if o.held_on(on)]
        if not entries and office == "leader":
            c = self.countries.get(country)
            if c and c.leader_office and c.leader_office != "leader":
                return self.holder(c.leader_office, country, on)
            return None
        people = list({p.id: p for _, p in entries}.values())
        if len(people) == 1:
            return people[0]
        if len(people) > 1 and on is not None:
            # hand-over day: the outgoing holder's end is the incoming holder's start
            incoming = {p.id for o, p in entries if o.start == on}
            outgoing_ok = all(o.end == on for o, p in entries if p.id not in incoming)
            if len(incoming) == 1 and outgoing_ok:
                return self._by_id[incoming.pop()]
        return None

    # -- organisations and countries --------------------------------------------------------

    def country(self, text: str) -> Country | None:
        """By name, alias, adjective or capital ("Russian", "U.S.", "Washington", "North Korea's")."""
        if not text:
            return None
        key = self._strip_the(normalise(text))
        return self._countries_by_key.get(key) or self._countries_by_key.get(_nospace(key))

    def _country_prefix(self, toks: list[str]) -> tuple[str | None, int]:
        for k in range(min(self._max_country_phrase, len(toks)), 0, -1):
            code = self._country_phrases.get(tuple(toks[:k]))
            if code:
                return code, k
        return None, 0

    def _org_for(self, country: str | None, kind: str) -> Organisation:
        if country and (country, kind) in self._org_by_kind:
            return self._org_by_kind[(country, kind)]
        key = (country, kind)
        if key not in self._composed_orgs:
            c = self.countries.get(country) if country else None
            base = GENERIC_ORG_NAMES[kind]
            name = f"{c.adjectives[0] if c.adjectives else c.name} {base}" if c else base
            self._composed_orgs[key] = Organisation(name=name, aliases=(), country=country, kind=kind)
        return self._composed_orgs[key]

    def organisation(self, text: str) -> Organisation | None:
        """"the Kremlin" -> Kremlin; "Russia's Foreign Ministry" / "Russian Foreign Ministry" ->
        Russian Foreign Ministry; "the foreign ministry of Cuba" -> Cuban Foreign Ministry;
        a bare "Foreign Ministry" -> an organisation without a country."""
        if not text:
            return None
        key = self._strip_the(normalise(text))
        if not key:
            return None
        hit = self._orgs_by_key.get(key) or self._orgs_by_key.get(_nospace(key))
        if hit:
            return hit
        toks = key.split()
        code, k = self._country_prefix(toks)
        rest = toks[k:]
        if rest and rest[0] == "s":  # "U.S.'s" leftovers
            rest = rest[1:]
        if code and rest:
            rkey = " ".join(rest)
            hit = self._orgs_by_key.get(rkey)
            if hit and (hit.country in (None, code)):
                return hit
            kind = GENERIC_ORGS.get(tuple(rest))
            if kind:
                return self._org_for(code, kind)
            return None
        # "the foreign ministry of Cuba"
        if "of" in toks:
            i = len(toks) - 1 - toks[::-1].index("of")
            left, right = tuple(toks[:i]), self._strip_the(" ".join(toks[i + 1:]))
            c = self._countries_by_key.get(right)
            kind = GENERIC_ORGS.get(left)
            if c and kind:
                return self._org_for(c.code, kind)
        kind = GENERIC_ORGS.get(tuple(toks))
        if kind:
            return self._org_for(None, kind)
        return None

    # -- descriptions of offices ------------------------------------------------------------

    def _spans(self, toks: list[str]):
        """Office, country and organisation mentions in a token list, left to right:
        (start, end, kind, value) with kind "office" | "country" | "org"."""
        spans = []
        i, n = 0, len(toks)
        while i < n:
            best = None
            for k in range(min(self._max_office_phrase, n - i), 0, -1):
                v = OFFICE_PHRASES.get(tuple(toks[i:i + k]))
                if v is not None:
                    best = (i, i + k, "office", v)
                    break
            for k in range(min(self._max_org_phrase, n - i), 0, -1):
                if best and k <= best[1] - best[0]:
                    break
                t = tuple(toks[i:i + k])
                o = self._org_phrases.get(t)
                if o is not None:
                    best = (i, i + k, "org", (o.country, o.kind))
                    break
                kind = GENERIC_ORGS.get(t)
                if kind:
                    best = (i, i + k, "org", (None, kind))
                    break
            for k in range(min(self._max_country_phrase, n - i), 0, -1):
                if best and k <= best[1] - best[0]:
                    break
                code = self._country_phrases.get(tuple(toks[i:i + k]))
                if code:
                    best = (i, i + k, "country", code)
                    break
            if best:
                spans.append(best)
                i = best[1]
            else:
                i += 1
        return spans

    def _hoist_countries(self, toks: list[str]) -> list[str]:
        """"top U.S. diplomat" -> "U.S. top diplomat"."""
        for i, t in enumerate(toks):
            if t in ("top", "chief"):
                code, k = self._country_prefix(toks[i + 1:])
                if code and i + 1 + k < len(toks) and toks[i + 1 + k] == "diplomat":
                    return toks[:i] + toks[i + 1:i + 1 + k] + [t] + toks[i + 1 + k:]
        return toks

    def parse_office(self, text: str) -> tuple[str | None, str | None] | None:
        """A description of an office -> (country code or None, office key), or None.

        "the Russian president" -> ("RU", "president"); "Cuba's foreign minister" ->
        ("CU", "foreign_minister"); "the Kremlin spokesman" -> ("RU", "spokesperson");
        "U.S. Secretary of State" -> ("US", "foreign_minister"); "the president" ->
        (None, "president"); "his counterpart" -> None.
        """
        if not text:
            return None
        key = normalise(text)
        if key not in self._parse_cache:
            if len(self._parse_cache) > 100_000:
                self._parse_cache.clear()
            self._parse_cache[key] = self._parse_office(key)
        return self._parse_cache[key]

    def _parse_office(self, key: str) -> tuple[str | None, str | None] | None:
        toks = self._hoist_countries(key.split())
        if COUNTERPART.intersection(toks):
            return None
        spans = self._spans(toks)
        offices = [s for s in spans if s[2] == "office"]
        if not offices:
            return None

        def prev_word(pos: int) -> str | None:
            j = pos - 1
            while j >= 0:
                inside = next((s for s in spans if s[0] <= j < s[1] and s[2] != "office"), None)
                if inside:
                    j = inside[0] - 1
                    continue
                if toks[j] in SKIP_WORDS:
                    j -= 1
                    continue
                return toks[j]
            return None

        heads = [s for s in offices if prev_word(s[0]) not in COMPLEMENT_PREPS]
        head = heads[-1] if heads else offices[0]
        start, end, _, (key, implied) = head
        if key is None:
            return None
        if start > 0 and toks[start - 1] in DEPUTY_WORDS:
            key = f"deputy_{key}" if f"deputy_{key}" in OFFICE_KEYS else None
            if key is None:
                return None

        # the country and organisation the office belongs to
        country: str | None = None
        org_kind: str | None = None
        # nearest modifier before the office ("the Russian president"), then one that reaches
        # it through another office ("the Russian president's spokesman"), then "of <country>"
        modifiers = [s for s in spans if s[2] != "office" and s[1] <= start and prev_word(s[0]) != "to"]
        direct = [s for s in modifiers if not any(o[0] >= s[1] and o[1] <= start for o in offices)]
        indirect = [s for s in modifiers if s not in direct]
        after = [s for s in spans if s[2] != "office" and s[0] >= end and prev_word(s[0]) in OF_PREPS]
        for s in [*reversed(direct), *reversed(indirect), *after]:
            if s[2] == "country":
                if country is None:
                    country = s[3]
            else:
                org_country, kind = s[3]
                if country is None and org_country:
                    country = org_country
                if org_kind is None and kind:
                    org_kind = kind
        if country is None:
            country = implied

        if key == "spokesperson" and org_kind == "foreign_ministry":
            key = "foreign_ministry_spokesperson"
        elif key == "spokesperson" and org_kind == "defense_ministry":
            key = "defense_spokesperson"
        if key == "foreign_minister" and country == "EU":
            key = "high_representative"
        if key == "foreign_minister" and country == "IN" and toks[start:end] == ["foreign", "secretary"]:
            key = "foreign_secretary"
        return country, key

    def resolve_description(self, text: str, on: date | None,
                            default_country: str | None = None) -> Person | None:
        """parse_office + holder: "the Russian president" on 2010-06-01 -> Dmitry Medvedev.
        `default_country` fills a missing country ("the president" in a US article).
        "former ..." and similar descriptions resolve to None."""
        parsed = self.parse_office(text)
        if parsed is None:
            return None
        if set(normalise(text).split()) & NOT_CURRENT:
            return None
        country, office = parsed
        country = country or default_country
        if country is None or office is None:
            return None
        return self.holder(office, country, on)

    # -- misc ------------------------------------------------------------------------------

    def surface_forms(self) -> set[str]:
        """Every name, alias, surname, organisation and country form, as written in the data
        (for a keyword prefilter or entity patterns)."""
        forms: set[str] = set()
        for p in self.people:
            forms.update((p.name, *p.aliases, p.surname))
        for o in self.organisations:
            forms.update((o.name, *o.aliases))
        for c in self.countries.values():
            forms.update((c.name, *c.aliases, *c.adjectives, *c.capitals))
        return forms


def _data_text() -> str:
    return resources.files("summitry").joinpath("data", "actors.json").read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def _load_cached(path: str | None) -> Registry:
    text = _data_text() if path is None else Path(path).read_text(encoding="utf-8")
    return Registry.from_dict(json.loads(text))

