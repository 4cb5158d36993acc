"""The entries of the actor data: offices, people, organisations, countries, and the text
normalisation every look-up uses on both sides (case, punctuation, diacritics, dotted
initials, possessive 's). Standard library only.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

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


def parse_date(value: Any, *, end: bool = False) -> date | None:
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


def as_date(on: Any) -> date | None:
    if on is None:
        return None
    if isinstance(on, datetime):
        return on.date()
    if isinstance(on, date):
        return on
    return parse_date(on)


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
        on = as_date(on)
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
