"""Reference data of people, organisations and countries, and a registry that resolves them.

The data ships as ``summitry/data/actors.json`` (format: ``docs/actors.md``). The
:class:`Registry` answers the questions the extractor asks for every mention:

- ``person("Kim Jong-un")``: who is this name (canonical name, alias, "First Last" variant,
  bare surname disambiguated by date)?
- ``holder("president", "RU", date(2010, 6, 1))``: who held that office then?
- ``parse_office("the Kremlin spokesman")`` -> ``("RU", "spokesperson")``
- ``resolve_description("the Russian president", on)``: both of the above.
- ``organisation("the Kremlin")``, ``country("North Korean")``.

All lookups go through dicts built once at load time; text is normalised (case,
punctuation, diacritics, dotted initials, possessive 's) the same way on both sides.
Standard library only.
"""
from __future__ import annotations

import calendar
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

__all__ = [
    "LEADER_OFFICES",
    "OFFICE_KEYS",
    "Country",
    "Office",
    "Organisation",
    "Person",
    "Registry",
    "normalise",
]

# ---------------------------------------------------------------------------
# Office keys

#: Every office key the data may use, with what it means. Documented in docs/actors.md.
OFFICE_KEYS: dict[str, str] = {
    # heads of state or government (the leader offices)
    "president": "president (head of state; also ceremonial presidents such as Germany's, Israel's, India's, Italy's)",
    "prime_minister": "prime minister / premier (head of government)",
    "chancellor": "chancellor (Germany)",
    "monarch": "king, queen, emperor, emir (reigning)",
    "supreme_leader": "supreme leader (Iran)",
    "leader": "paramount leader (North Korea's leader, party general secretary of China, Vietnam, the Soviet Union)",
    "pope": "pope (head of state of the Holy See)",
    "commission_president": "President of the European Commission",
    "council_president": "President of the European Council",
    # deputies
    "vice_president": "vice president / deputy president",
    "deputy_prime_minister": "deputy or first deputy prime minister",
    "vice_premier": "vice premier (China)",
    "crown_prince": "crown prince (heir; not a leader office)",
    "presidium_president": "President of the SPA Presidium/Standing Committee (North Korea's nominal head of state; not a leader office)",
    # foreign affairs
    "foreign_minister": "foreign minister, US secretary of state, UK foreign secretary, minister of (external) foreign affairs",
    "deputy_foreign_minister": "deputy / vice foreign minister, US deputy secretary of state",
    "foreign_secretary": "India's foreign secretary (senior civil servant, not the minister)",
    "high_representative": "EU High Representative for Foreign Affairs and Security Policy",
    "foreign_ministry_spokesperson": "spokesperson of the foreign ministry / State Department",
    "un_ambassador": "ambassador (permanent representative) to the United Nations",
    "ambassador": "ambassador to another country (the host country is in `host`)",
    "envoy": "special envoy / special representative",
    # the leader's office
    "spokesperson": "press secretary / chief spokesperson of the leader or government",
    "communications_director": "communications director of the leader's office",
    "chief_of_staff": "chief of staff / head of the presidential administration or office",
    "chief_cabinet_secretary": "Japan's chief cabinet secretary (also recorded as spokesperson)",
    "aide": "presidential aide / adviser (e.g. Kremlin aides)",
    "senior_adviser": "senior adviser / counselor to the leader",
    "senior_official": "senior party or state official without a more specific office",
    "national_security_adviser": "national security adviser / director of the national security office",
    "deputy_national_security_adviser": "deputy national security adviser",
    "national_security_spokesperson": "national security spokesperson (US National Security Council)",
    "security_council_secretary": "secretary of the (national) security council (Russia, Iran, Ukraine)",
    # other ministers and officials
    "defense_minister": "defense minister / secretary of defense (or war)",
    "defense_spokesperson": "spokesperson of the defense ministry / Pentagon press secretary",
    "finance_minister": "finance minister / treasury secretary / chancellor of the exchequer",
    "trade_minister": "trade minister / US trade representative",
    "commerce_minister": "commerce minister / secretary of commerce",
    "unification_minister": "South Korea's unification minister",
    "homeland_security_secretary": "US secretary of homeland security",
    "attorney_general": "attorney general",
    "special_counsel": "US special counsel",
    "cia_director": "director of the CIA (or director of central intelligence)",
    "director_of_national_intelligence": "US director of national intelligence",
    "fbi_director": "director of the FBI",
    "intelligence_chief": "head of an intelligence or security service",
    "military_chief": "chief of the general staff / chairman of the joint chiefs / commander-in-chief of the armed forces",
    # legislatures and local
    "house_speaker": "Speaker of the US House of Representatives",
    "parliament_speaker": "speaker / chair of a parliament or chamber",
    "senate_majority_leader": "US Senate majority leader",
    "senate_minority_leader": "US Senate minority leader",
    "senator": "senator",
    "representative": "member of the US House of Representatives",
    "governor": "governor / head of a region",
    "mayor": "mayor",
    # international organisations
    "secretary_general": "secretary-general (UN, NATO)",
    "director_general": "director general (IAEA)",
}

#: Heads of state or government. UN/NATO secretaries general are not national leaders.
LEADER_OFFICES: frozenset[str] = frozenset(
    {"president", "prime_minister", "chancellor", "monarch", "supreme_leader", "leader", "pope",
     "commission_president", "council_president"}
)

# ---------------------------------------------------------------------------
# Normalisation

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "´": "'", "′": "'"})
_UNDECOMPOSED = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss",
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d",
})
_DOTTED_INITIALS = re.compile(r"\b(?:[A-Za-z]\.\s?){2,}")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b", re.IGNORECASE)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """Lower-case ASCII words separated by single spaces.

    Folds diacritics, joins dotted initials ("H. R." / "H.R." -> "hr", "U.S." -> "us"),
    drops possessive 's and apostrophes ("O'Brien" -> "obrien"), and turns hyphens and
    other punctuation into spaces ("Kim Jong-un" -> "kim jong un").
    """
    t = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    t = _DOTTED_INITIALS.sub(lambda m: re.sub(r"[.\s]", "", m.group()) + " ", t)
    t = _POSSESSIVE.sub("", t).replace("'", "")
    t = unicodedata.normalize("NFKD", t.translate(_UNDECOMPOSED))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    return _NON_ALNUM.sub(" ", t).strip()


def _nospace(key: str) -> str:
    return key.replace(" ", "")


def _parse_date(value: Any, *, end: bool = False) -> date | None:
    """ISO date, or a partial "YYYY" / "YYYY-MM": the first day of the period for a
    start, the last day for an end."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value).strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", s)
    if not m:
        raise ValueError(f"not an ISO date: {value!r}")
    y = int(m[1])
    if m[3]:
        return date(y, int(m[2]), int(m[3]))
    if m[2]:
        mo = int(m[2])
        return date(y, mo, calendar.monthrange(y, mo)[1] if end else 1)
    return date(y, 12, 31) if end else date(y, 1, 1)


def _as_date(on: Any) -> date | None:
    if on is None:
        return None
    if isinstance(on, datetime):
        return on.date()
    if isinstance(on, date):
        return on
    return _parse_date(on)


# ---------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Office:
    country: str  # "US", "RU", "EU", "NATO", "UN", ...
    office: str  # office key, see OFFICE_KEYS
    start: date | None
    end: date | None  # None: still holds it
    host: str | None = None  # for `ambassador`: the country they are posted to

    def held_on(self, on: date | None) -> bool:
        """Whether the office was held on that day (inclusive). An unknown date (None) counts."""
        on = _as_date(on)
        if on is None:
            return True
        if self.start is not None and on < self.start:
            return False
        if self.end is not None and on > self.end:
            return False
        return True

    @property
    def is_leader(self) -> bool:
        return self.office in LEADER_OFFICES


@dataclass(frozen=True)
class Person:
    id: str  # slug, e.g. "vladimir-putin"
    name: str  # canonical name
    aliases: tuple[str, ...]
    gender: str | None  # "m" | "f" | None
    offices: tuple[Office, ...]
    family_name: str | None = field(default=None, repr=False)  # explicit surname when not the last word
    note: str | None = field(default=None, repr=False, compare=False)

    @property
    def surname(self) -> str:
        """The family name: explicit in the data where it is not the last word of the name
        ("Kim Jong Un" -> "Kim", "Moon Jae-in" -> "Moon"), else the last word."""
        return self.family_name or self.name.split()[-1]

    def offices_on(self, on: date | None) -> list[Office]:
        return [o for o in self.offices if o.held_on(on)]

    def is_leader_on(self, on: date | None) -> bool:
        """Holds a leader office on that date (None: ever held one)."""
        return any(o.office in LEADER_OFFICES for o in self.offices_on(on))

    def countries_on(self, on: date | None) -> set[str]:
        return {o.country for o in self.offices_on(on)}


@dataclass(frozen=True)
class Organisation:
    name: str
    aliases: tuple[str, ...]
    country: str | None
    kind: str | None = None  # presidency | foreign_ministry | defense_ministry | media | ...


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...]
    capitals: tuple[str, ...]
    leader_office: str | None = None  # the office "the <country> leader" means


# ---------------------------------------------------------------------------
# Vocabulary for descriptions of offices

# normalised phrase -> (office key or None to block, implied country or None)
_OFFICE_PHRASES_RAW: dict[str, tuple[str | None, str | None]] = {}


def _phrases(key: str | None, country: str | None, *phrases: str) -> None:
    for p in phrases:
        _OFFICE_PHRASES_RAW[p] = (key, country)


_phrases("president", None, "president")
_phrases("prime_minister", None, "prime minister", "premier", "pm")
_phrases("chancellor", None, "chancellor")
_phrases("chancellor", "DE", "federal chancellor")
_phrases("monarch", None, "king", "queen", "emperor", "emir", "sultan", "monarch")
_phrases("crown_prince", None, "crown prince")
_phrases("supreme_leader", None, "supreme leader")
_phrases("leader", None, "leader", "paramount leader", "general secretary", "party chief",
         "communist party chief", "party general secretary")
_phrases("leader", "KP", "chairman", "chairman of the state affairs commission")
_phrases("pope", "VA", "pope", "pontiff")
_phrases("vice_president", None, "vice president", "deputy president", "first vice president")
_phrases("vice_premier", None, "vice premier", "deputy premier")
_phrases("deputy_prime_minister", None, "deputy prime minister", "first deputy prime minister")
_phrases("commission_president", "EU", "european commission president", "eu commission president",
         "commission president", "president of the european commission", "commission chief",
         "european commission chief")
_phrases("council_president", "EU", "european council president", "council president",
         "president of the european council")
_phrases("high_representative", "EU", "high representative", "foreign policy chief")
_phrases("foreign_minister", None, "foreign minister", "minister of foreign affairs",
         "foreign affairs minister", "minister for foreign affairs", "external affairs minister",
         "minister of external affairs", "foreign secretary", "top diplomat", "chief diplomat")
_phrases("foreign_minister", "US", "secretary of state")
_phrases("deputy_foreign_minister", None, "deputy foreign minister", "vice foreign minister",
         "first vice foreign minister", "first deputy foreign minister")
_phrases("deputy_foreign_minister", "US", "deputy secretary of state")
_phrases("spokesperson", None, "press secretary", "spokesman", "spokeswoman", "spokesperson",
         "chief spokesman", "chief spokeswoman", "chief spokesperson", "government spokesman",
         "government spokeswoman", "government spokesperson", "chief government spokesman",
         "chief government spokeswoman", "chief government spokesperson", "presidential spokesman",
         "presidential spokeswoman", "presidential spokesperson", "press spokesman",
         "presidential press secretary")
_phrases("foreign_ministry_spokesperson", None, "foreign ministry spokesman",
         "foreign ministry spokeswoman", "foreign ministry spokesperson")
_phrases("foreign_ministry_spokesperson", "US", "state department spokesman",
         "state department spokeswoman", "state department spokesperson")
_phrases("defense_spokesperson", None, "defense ministry spokesman", "defence ministry spokesman",
         "defense ministry spokeswoman", "defense ministry spokesperson")
_phrases("defense_spokesperson", "US", "pentagon spokesman", "pentagon spokeswoman",
         "pentagon spokesperson", "pentagon press secretary")
_phrases("communications_director", None, "communications director", "director of communications")
_phrases("national_security_spokesperson", None, "national security spokesman",
         "national security spokesperson", "national security council spokesman",
         "national security council spokesperson")
_phrases("national_security_adviser", None, "national security adviser", "national security advisor",
         "national security director", "director of the national security office",
         "national security office director", "head of the national security office")
_phrases("deputy_national_security_adviser", None, "deputy national security adviser",
         "deputy national security advisor")
_phrases("security_council_secretary", None, "security council secretary",
         "secretary of the security council", "secretary of the supreme national security council",
         "secretary of the national security and defense council", "nsdc secretary")
_phrases("aide", None, "aide", "adviser", "advisor", "presidential aide", "presidential adviser",
         "foreign policy aide", "foreign policy adviser", "foreign policy advisor", "top aide",
         "senior aide")
_phrases("senior_adviser", None, "senior adviser", "senior advisor", "counselor", "counsellor",
         "chief strategist")
_phrases("chief_of_staff", None, "chief of staff", "head of the presidential administration",
         "head of the presidential office", "head of the office of the president",
         "presidential chief of staff")
_phrases("chief_cabinet_secretary", "JP", "chief cabinet secretary")
_phrases("defense_minister", None, "defense minister", "defence minister", "minister of defense",
         "minister of defence", "defense secretary", "defence secretary", "defense chief",
         "defence chief")
_phrases("defense_minister", "US", "secretary of defense", "secretary of war", "war secretary",
         "pentagon chief")
_phrases("finance_minister", None, "finance minister", "minister of finance")
_phrases("finance_minister", "US", "treasury secretary", "secretary of the treasury")
_phrases("finance_minister", "GB", "chancellor of the exchequer")
_phrases("commerce_minister", None, "commerce minister", "commerce secretary")
_phrases("commerce_minister", "US", "secretary of commerce")
_phrases("trade_minister", None, "trade minister", "trade secretary", "minister of trade")
_phrases("trade_minister", "US", "trade representative")
_phrases("unification_minister", "KR", "unification minister", "minister of unification")
_phrases("homeland_security_secretary", "US", "homeland security secretary",
         "secretary of homeland security")
_phrases("attorney_general", None, "attorney general")
_phrases("special_counsel", "US", "special counsel")
_phrases("un_ambassador", None, "ambassador to the united nations", "ambassador to the un",
         "un ambassador", "un envoy", "envoy to the united nations", "envoy to the un",
         "permanent representative to the united nations", "permanent representative to the un",
         "ambassador to the world body")
_phrases("ambassador", None, "ambassador")
_phrases("envoy", None, "envoy", "special envoy", "special representative",
         "special presidential envoy", "presidential envoy", "peace envoy")
_phrases("secretary_general", None, "secretary general")
_phrases("secretary_general", "UN", "un chief")
_phrases("secretary_general", "NATO", "nato chief")
_phrases("director_general", None, "director general")
_phrases("director_general", "IAEA", "iaea chief")
_phrases("cia_director", "US", "cia director", "director of the cia", "cia chief",
         "director of central intelligence")
_phrases("director_of_national_intelligence", "US", "director of national intelligence",
         "national intelligence director")
_phrases("fbi_director", "US", "fbi director", "director of the fbi")
_phrases("intelligence_chief", None, "intelligence chief", "spy chief", "head of intelligence")
_phrases("military_chief", "US", "chairman of the joint chiefs of staff", "chairman of the joint chiefs",
         "joint chiefs chairman")
_phrases("military_chief", None, "chief of the general staff", "chief of general staff", "army chief",
         "military chief", "armed forces chief", "commander in chief of the armed forces")
_phrases("house_speaker", "US", "house speaker", "speaker of the house",
         "speaker of the house of representatives")
_phrases("parliament_speaker", None, "parliament speaker", "speaker of parliament",
         "speaker of the parliament", "parliamentary speaker")
_phrases("parliament_speaker", "RU", "duma speaker", "speaker of the duma", "speaker of the state duma")
_phrases("senate_majority_leader", "US", "senate majority leader", "majority leader")
_phrases("senate_minority_leader", "US", "senate minority leader", "minority leader")
_phrases("senator", None, "senator")
_phrases("representative", "US", "congressman", "congresswoman")
_phrases("governor", None, "governor")
_phrases("mayor", None, "mayor")
# phrases that contain an office word but are not that office
_phrases(None, None, "opposition leader", "leader of the opposition", "party leader", "world leader",
         "business leader", "religious leader", "rebel leader", "militant leader", "separatist leader",
         "house majority leader", "house minority leader", "chairman of", "committee chairman",
         "party chairman", "fed chairman", "federal reserve chairman", "executive chairman",
         "board chairman", "vice chairman", "deputy chairman", "president elect", "first lady",
         "queen consort", "queen mother", "crown princess", "deputy crown prince",
         "under secretary of state", "undersecretary of state", "assistant secretary of state",
         "commander in chief", "cabinet secretary", "supreme court justice", "chief justice",
         "attorney general s office")

_OFFICE_PHRASES: dict[tuple[str, ...], tuple[str | None, str | None]] = {
    tuple(normalise(p).split()): v for p, v in _OFFICE_PHRASES_RAW.items()
}

# a word right before the office that makes it a different (usually unrecorded) office
_DEPUTY_WORDS = frozenset({"deputy", "assistant", "under", "undersecretary", "associate", "vice"})
# words that make a description point away from the current holder
_NOT_CURRENT = frozenset({"former", "ex", "late", "previous", "predecessor", "future", "next",
                          "would", "candidate", "elect"})
# a preposition before an office marks it as a complement ("the chief of staff to the president")
_COMPLEMENT_PREPS = frozenset({"of", "to", "for", "with", "at", "by", "from", "under", "about", "against"})
_SKIP_WORDS = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "your", "my"})
# prepositions that introduce the country an office belongs to ("foreign minister of Cuba")
_OF_PREPS = frozenset({"of", "for", "in", "at"})
# "his counterpart", "the Russian counterpart": the other side, not an office
_COUNTERPART = frozenset({"counterpart", "counterparts"})

# generic organisation phrases that need a country
_GENERIC_ORGS: dict[tuple[str, ...], str] = {
    tuple(normalise(p).split()): kind
    for p, kind in {
        "foreign ministry": "foreign_ministry",
        "ministry of foreign affairs": "foreign_ministry",
        "foreign affairs ministry": "foreign_ministry",
        "foreign office": "foreign_ministry",
        "mfa": "foreign_ministry",
        "defense ministry": "defense_ministry",
        "defence ministry": "defense_ministry",
        "ministry of defense": "defense_ministry",
        "ministry of defence": "defense_ministry",
        "embassy": "embassy",
    }.items()
}
_GENERIC_ORG_NAMES = {"foreign_ministry": "Foreign Ministry", "defense_ministry": "Defense Ministry",
                      "embassy": "Embassy"}

# leading words stripped from a person mention ("Russian President", "Mr.", "Sen.", "then-")
_TITLE_WORDS = """
the a an former ex late then acting interim incoming outgoing current new newly elected top senior
chief deputy special presidential mr mrs ms miss mx dr prof professor sir dame lord lady baroness baron
rev reverend sen senator rep representative congressman congresswoman gov governor gen general lt
lieutenant col colonel adm admiral marshal field amb ambassador sec secretary minister chairman
chairwoman comrade sheikh sheik shaikh emir king queen prince princess emperor empress pope cardinal
ayatollah grand imam speaker leader chancellor justice judge mayor director commissioner envoy
spokesman spokeswoman spokesperson aide adviser advisor counselor elect his her holiness majesty
excellency hrh crown prime vice foreign defense defence national security press state premier
president party first supreme counterpart colleague republican republicans democratic democrat gop
independent labour conservative tory liberal intelligence military
"""
_TITLE_TOKENS = frozenset(_TITLE_WORDS.split())
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# a lone word that is a surname but usually something else ("He said ...", "an"): only
# resolved after a title ("Mr. He", "Vice Premier He")
_PRONOUN_LIKE = frozenset({"he", "an", "so", "no", "it", "us", "we", "me"})
_AL_PREFIXES = ("al ", "el ", "de ")


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
                Office(country=o["country"], office=o["office"], start=_parse_date(o.get("start")),
                       end=_parse_date(o.get("end"), end=True), host=o.get("host"))
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
        self._prefixes: set[tuple[str, ...]] = {(w,) for w in _TITLE_TOKENS}
        self._prefixes.update(_OFFICE_PHRASES)
        self._prefixes.update(self._country_phrases)
        self._prefixes.update(self._org_phrases)
        self._prefixes.update(_GENERIC_ORGS)
        self._max_prefix = max(len(p) for p in self._prefixes)
        self._max_office_phrase = max(len(p) for p in _OFFICE_PHRASES)
        self._max_country_phrase = max(len(p) for p in self._country_phrases)
        self._max_org_phrase = max(len(p) for p in (*self._org_phrases, *_GENERIC_ORGS))

    @staticmethod
    def _strip_the(key: str) -> str:
        return key[4:] if key.startswith("the ") else key

    @staticmethod
    def _surname_keys(p: Person) -> list[str]:
        s = normalise(p.surname)
        keys = [s] if s else []
        for prefix in _AL_PREFIXES:
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
        on = _as_date(on)
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
        if len(toks) > 1 and toks[-1] in _NAME_SUFFIXES:
            toks = toks[:-1]
            hit = self._exact(toks)
            if hit is not None:
                return hit
        if len(toks) == 1:
            if toks[0] in _PRONOUN_LIKE and not stripped:
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
        on = _as_date(on)
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
            base = _GENERIC_ORG_NAMES[kind]
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
            kind = _GENERIC_ORGS.get(tuple(rest))
            if kind:
                return self._org_for(code, kind)
            return None
        # "the foreign ministry of Cuba"
        if "of" in toks:
            i = len(toks) - 1 - toks[::-1].index("of")
            left, right = tuple(toks[:i]), self._strip_the(" ".join(toks[i + 1:]))
            c = self._countries_by_key.get(right)
            kind = _GENERIC_ORGS.get(left)
            if c and kind:
                return self._org_for(c.code, kind)
        kind = _GENERIC_ORGS.get(tuple(toks))
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
                v = _OFFICE_PHRASES.get(tuple(toks[i:i + k]))
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
                kind = _GENERIC_ORGS.get(t)
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
        if _COUNTERPART.intersection(toks):
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
                if toks[j] in _SKIP_WORDS:
                    j -= 1
                    continue
                return toks[j]
            return None

        heads = [s for s in offices if prev_word(s[0]) not in _COMPLEMENT_PREPS]
        head = heads[-1] if heads else offices[0]
        start, end, _, (key, implied) = head
        if key is None:
            return None
        if start > 0 and toks[start - 1] in _DEPUTY_WORDS:
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
        after = [s for s in spans if s[2] != "office" and s[0] >= end and prev_word(s[0]) in _OF_PREPS]
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
        if set(normalise(text).split()) & _NOT_CURRENT:
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
