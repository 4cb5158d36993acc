"""Fast unit tests for the actor registry (summitry/actors/) and its data file."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from importlib import resources

import pytest

from summitry.actors import (
    LEADER_OFFICES,
    OFFICE_KEYS,
    Office,
    Registry,
    normalise,
)
from summitry.actors.entries import parse_date

D = date


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.load()


@pytest.fixture(scope="module")
def raw() -> dict:
    text = resources.files("summitry").joinpath("data", "actors.json").read_text(encoding="utf-8")
    return json.loads(text)


# ---------------------------------------------------------------------------- loading


def test_load_is_cached_and_sizeable(reg):
    assert Registry.load() is reg
    assert len(reg.people) >= 300
    assert len(reg.organisations) >= 30
    assert {"US", "RU", "CN", "KP", "KR", "GB", "EU", "NATO", "UN"} <= set(reg.countries)


def test_load_from_explicit_path(tmp_path, raw):
    small = {"countries": [c for c in raw["countries"] if c["code"] in ("RU", "US")],
             "organisations": [], "people": [p for p in raw["people"] if p["id"] == "vladimir-putin"]}
    path = tmp_path / "actors.json"
    path.write_text(json.dumps(small), encoding="utf-8")
    r = Registry.load(path)
    assert [p.name for p in r.people] == ["Vladimir Putin"]
    assert r.holder("president", "RU", D(2020, 1, 1)).name == "Vladimir Putin"


# ---------------------------------------------------------------------------- people


@pytest.mark.parametrize("mention,on,expected", [
    ("Putin", None, "Vladimir Putin"),
    ("Mr. Putin's", None, "Vladimir Putin"),
    ("Wladimir Putin", None, "Vladimir Putin"),
    ("Russian President Vladimir Putin", None, "Vladimir Putin"),
    ("Kim Jong-un", None, "Kim Jong Un"),
    ("Kim Jong Un", None, "Kim Jong Un"),
    ("Chairman Kim", D(2018, 6, 12), "Kim Jong Un"),
    ("Secretary of State Rex Tillerson", None, "Rex Tillerson"),
    ("Rex W. Tillerson", None, "Rex Tillerson"),
    ("Tillerson", None, "Rex Tillerson"),
    ("H. R. McMaster", None, "H.R. McMaster"),
    ("H.R. McMaster", None, "H.R. McMaster"),
    ("Gen. McMaster", None, "H.R. McMaster"),
    ("Moon Jae In", None, "Moon Jae-in"),
    ("President Moon", None, "Moon Jae-in"),
    ("Mohammed bin Salman", None, "Mohammed bin Salman"),
    ("MBS", None, "Mohammed bin Salman"),
    ("President Xi", None, "Xi Jinping"),
    ("Raul Castro", None, "Raúl Castro"),
    ("Mr. Trump", None, "Donald Trump"),
    ("Trump’s", None, "Donald Trump"),
    ("Donald J. Trump", None, "Donald Trump"),
    ("Sen. Lindsey Graham", None, "Lindsey Graham"),
    ("his counterpart, Sergei Lavrov", None, "Sergei Lavrov"),
    ("Putin’s foreign policy assistant Yuri Ushakov", None, "Yuri Ushakov"),
    ("Ri Yong-ho", None, "Ri Yong Ho"),
    ("Sarah Sanders", None, "Sarah Huckabee Sanders"),
    ("Zelenskyy", None, "Volodymyr Zelensky"),
    ("Jubeir", None, "Adel al-Jubeir"),
    ("Sauli Niinisto", None, "Sauli Niinistö"),
])
def test_person_resolves(reg, mention, on, expected):
    p = reg.person(mention, on)
    assert p is not None, mention
    assert p.name == expected


@pytest.mark.parametrize("mention,on,expected", [
    ("Bush", D(2002, 6, 1), "George W. Bush"),
    ("Bush", D(1990, 6, 1), "George H. W. Bush"),
    ("Bush", D(2003, 3, 1), "George W. Bush"),
    ("George Bush", D(2005, 1, 1), "George W. Bush"),
    ("Clinton", D(1998, 1, 1), "Bill Clinton"),
    ("Clinton", D(2010, 1, 1), "Hillary Clinton"),
    ("Castro", D(2016, 3, 21), "Raúl Castro"),
    ("Kim", D(2018, 6, 12), "Kim Jong Un"),  # several Kims hold office; one is a leader
    ("Rice", D(2006, 1, 1), "Condoleezza Rice"),
    ("Rice", D(2014, 1, 1), "Susan Rice"),
])
def test_surname_disambiguated_by_date(reg, mention, on, expected):
    assert reg.person(mention, on).name == expected


@pytest.mark.parametrize("mention,on", [
    ("Bush", None),            # two presidents, no date
    ("Kim", None),             # several Kim leaders over time
    ("George Bush", None),
    ("Robert Kelly", D(2018, 1, 1)),  # a Kelly, but not John Kelly
    ("He", None),              # pronoun, not He Lifeng
    ("Vladimir", None),
    ("", None),
])
def test_person_unresolved(reg, mention, on):
    assert reg.person(mention, on) is None


def test_same_person_for_spelling_variants(reg):
    assert reg.person("Kim Jong-un") is reg.person("Kim Jong Un") is reg.person("KIM JONG UN")
    assert reg.person("Vice Premier He", D(2024, 1, 1)).name == "He Lifeng"


def test_surname_property(reg):
    assert reg.person("Kim Jong Un").surname == "Kim"
    assert reg.person("Xi Jinping").surname == "Xi"
    assert reg.person("Moon Jae-in").surname == "Moon"
    assert reg.person("Vladimir Putin").surname == "Putin"
    assert reg.person("H.R. McMaster").surname == "McMaster"
    names = {p.name for p in reg.people_with_surname("Bush")}
    assert names == {"George W. Bush", "George H. W. Bush"}


def test_is_leader_on_and_countries(reg):
    putin = reg.person("Vladimir Putin")
    assert putin.is_leader_on(D(2010, 1, 1))  # prime minister
    assert putin.is_leader_on(D(2018, 1, 1))
    assert putin.is_leader_on(None)
    assert putin.countries_on(D(2018, 1, 1)) == {"RU"}
    assert not reg.person("Sergei Lavrov").is_leader_on(D(2018, 1, 1))
    assert not reg.person("Dmitry Peskov").is_leader_on(None)
    assert not reg.person("António Guterres").is_leader_on(D(2020, 1, 1))  # UN SG is not a national leader
    assert reg.person("António Guterres").is_leader_on(D(2000, 1, 1))  # Portuguese PM then
    assert reg.person("Ursula von der Leyen").is_leader_on(D(2020, 1, 1))
    assert not reg.person("Dmitry Medvedev").is_leader_on(D(2021, 1, 1))
    assert reg.person("Frank-Walter Steinmeier").is_leader_on(D(2018, 1, 1))  # ceremonial head of state
    assert reg.person("Donald Trump").is_leader_on(D(2025, 8, 1))
    assert not reg.person("Donald Trump").is_leader_on(D(2022, 1, 1))
    assert reg.person("Kim Jong Un").gender == "m" and reg.person("Kim Yo Jong").gender == "f"


def test_office_held_on():
    o = Office("US", "president", D(2017, 1, 20), D(2021, 1, 20))
    assert o.held_on(None)
    assert o.held_on(D(2017, 1, 20)) and o.held_on(D(2021, 1, 20))
    assert not o.held_on(D(2017, 1, 19)) and not o.held_on(D(2021, 1, 21))
    assert Office("RU", "president", D(2012, 5, 7), None).held_on(D(2030, 1, 1))


def test_partial_dates():
    assert parse_date("2018") == D(2018, 1, 1)
    assert parse_date("2018", end=True) == D(2018, 12, 31)
    assert parse_date("2016-02", end=True) == D(2016, 2, 29)
    assert parse_date("2016-02") == D(2016, 2, 1)
    assert parse_date(None) is None


# ---------------------------------------------------------------------------- offices


@pytest.mark.parametrize("office,country,on,expected", [
    ("president", "RU", D(2017, 7, 8), "Vladimir Putin"),
    ("president", "RU", D(2010, 6, 1), "Dmitry Medvedev"),
    ("president", "US", D(2017, 1, 20), "Donald Trump"),  # hand-over day goes to the incoming
    ("president", "DE", D(2018, 1, 1), "Frank-Walter Steinmeier"),
    ("chancellor", "DE", D(2018, 1, 1), "Angela Merkel"),
    ("leader", "RU", D(2018, 1, 1), "Vladimir Putin"),  # falls back to the leader office
    ("leader", "CN", D(2012, 12, 1), "Xi Jinping"),  # general secretary before the presidency
    ("leader", "KP", D(2018, 6, 12), "Kim Jong Un"),
    ("foreign_minister", "US", D(2018, 6, 1), "Mike Pompeo"),
    ("national_security_adviser", "US", D(2018, 7, 16), "John Bolton"),
    ("spokesperson", "US", D(2018, 7, 16), "Sarah Huckabee Sanders"),
    ("spokesperson", "JP", D(2018, 7, 16), "Yoshihide Suga"),
    ("secretary_general", "UN", D(2018, 1, 1), "António Guterres"),
    ("secretary_general", "NATO", D(2018, 1, 1), "Jens Stoltenberg"),
    ("foreign_minister", "CU", D(2016, 3, 21), "Bruno Rodríguez"),
])
def test_holder(reg, office, country, on, expected):
    assert reg.holder(office, country, on).name == expected


def test_holder_unknown_or_ambiguous(reg):
    assert reg.holder("president", "JP", D(2018, 1, 1)) is None
    assert reg.holder("foreign_ministry_spokesperson", "CN", D(2018, 1, 1)) is None  # several at once
    assert reg.holder("president", "US", None) is None


@pytest.mark.parametrize("text,expected", [
    ("the Russian president", ("RU", "president")),
    ("Cuba's foreign minister", ("CU", "foreign_minister")),
    ("the Kremlin spokesman", ("RU", "spokesperson")),
    ("U.S. Secretary of State", ("US", "foreign_minister")),
    ("Secretary of State", ("US", "foreign_minister")),
    ("the president", (None, "president")),
    ("Chinese President", ("CN", "president")),
    ("the German chancellor", ("DE", "chancellor")),
    ("North Korea's leader", ("KP", "leader")),
    ("the North Korean chairman", ("KP", "leader")),
    ("British Foreign Secretary", ("GB", "foreign_minister")),
    ("the top U.S. diplomat", ("US", "foreign_minister")),
    ("White House press secretary", ("US", "spokesperson")),
    ("State Department spokeswoman", ("US", "foreign_ministry_spokesperson")),
    ("the Chinese foreign ministry spokesman", ("CN", "foreign_ministry_spokesperson")),
    ("a spokesman for Russia's foreign ministry", ("RU", "foreign_ministry_spokesperson")),
    ("the Russian president's spokesman", ("RU", "spokesperson")),
    ("the U.N. ambassador", (None, "un_ambassador")),
    ("Russia's ambassador to the United Nations", ("RU", "un_ambassador")),
    ("UN Secretary-General", ("UN", "secretary_general")),
    ("NATO chief", ("NATO", "secretary_general")),
    ("EU foreign policy chief", ("EU", "high_representative")),
    ("European Commission President", ("EU", "commission_president")),
    ("the Russian premier", ("RU", "prime_minister")),
    ("Japan's PM", ("JP", "prime_minister")),
    ("national security advisor", (None, "national_security_adviser")),
    ("defense secretary", (None, "defense_minister")),
    ("the vice-president", (None, "vice_president")),
    ("Kremlin aide", ("RU", "aide")),
    ("chief of staff to the president", (None, "chief_of_staff")),
    ("Saudi Arabia's king", ("SA", "monarch")),
    ("Iran's supreme leader", ("IR", "supreme_leader")),
])
def test_parse_office(reg, text, expected):
    assert reg.parse_office(text) == expected


@pytest.mark.parametrize("text", [
    "his counterpart", "the Russian counterpart", "the Kremlin", "world leaders' meeting",
    "the opposition leader", "deputy press secretary", "", "a senior official",
])
def test_parse_office_none(reg, text):
    assert reg.parse_office(text) is None


@pytest.mark.parametrize("text,on,default,expected", [
    ("the Russian president", D(2017, 7, 8), None, "Vladimir Putin"),
    ("the Russian president", D(2010, 6, 1), None, "Dmitry Medvedev"),
    ("the Kremlin spokesman", D(2018, 7, 16), None, "Dmitry Peskov"),
    ("the German chancellor", D(2010, 6, 1), None, "Angela Merkel"),
    ("the German chancellor", D(2023, 6, 1), None, "Olaf Scholz"),
    ("the U.S. president", D(2019, 6, 1), None, "Donald Trump"),
    ("the U.S. president", D(2022, 6, 1), None, "Joe Biden"),
    ("the U.S. president", D(2025, 8, 1), None, "Donald Trump"),
    ("the president", D(2018, 6, 12), "US", "Donald Trump"),
    ("Cuba's foreign minister", D(2016, 3, 21), None, "Bruno Rodríguez"),
    ("Vietnam's president", D(2017, 11, 11), None, "Tran Dai Quang"),
    ("the Chinese leader", D(2017, 4, 4), None, "Xi Jinping"),
    ("top U.S. diplomat", D(2017, 7, 7), None, "Rex Tillerson"),
    ("the national security adviser", D(2018, 7, 16), "US", "John Bolton"),
    ("Japan's chief government spokesman", D(2018, 6, 1), None, "Yoshihide Suga"),
])
def test_resolve_description(reg, text, on, default, expected):
    assert reg.resolve_description(text, on, default).name == expected


def test_resolve_description_none(reg):
    assert reg.resolve_description("the president", D(2018, 1, 1)) is None  # no country
    assert reg.resolve_description("former U.S. president", D(2019, 1, 1)) is None
    assert reg.resolve_description("his counterpart", D(2019, 1, 1), "US") is None


# ---------------------------------------------------------------------------- orgs, countries


def test_organisation(reg):
    assert reg.organisation("the Kremlin").name == "Kremlin"
    assert reg.organisation("Kremlin").country == "RU"
    assert reg.organisation("the White House").country == "US"
    assert reg.organisation("the U.S. State Department").name == "State Department"
    ru = reg.organisation("Russian Foreign Ministry")
    assert ru.country == "RU" and reg.organisation("Russia's Foreign Ministry") is ru
    assert reg.organisation("the foreign ministry of Cuba").country == "CU"
    assert reg.organisation("Turkish Foreign Ministry").name == "Turkish Foreign Ministry"
    assert reg.organisation("Foreign Ministry").country is None
    assert reg.organisation("KCNA").country == "KP"
    assert reg.organisation("Korean Central News Agency").name == "KCNA"
    assert reg.organisation("Xinhua").country == "CN"
    assert reg.organisation("TASS").country == "RU"
    assert reg.organisation("the United Nations").country == "UN"
    assert reg.organisation("Russia") is None
    assert reg.organisation("Vladimir Putin") is None


@pytest.mark.parametrize("text,code", [
    ("North Korean", "KP"), ("North Korea's", "KP"), ("DPRK", "KP"), ("Pyongyang", "KP"),
    ("South Korean", "KR"), ("Seoul", "KR"), ("Russian", "RU"), ("Moscow", "RU"),
    ("U.S.", "US"), ("US", "US"), ("the United States", "US"), ("America", "US"), ("American", "US"),
    ("Washington", "US"), ("Britain", "GB"), ("U.K.", "GB"), ("British", "GB"), ("Chinese", "CN"),
    ("Beijing", "CN"), ("Kyiv", "UA"), ("Kiev", "UA"), ("Saudi", "SA"), ("EU", "EU"),
])
def test_country(reg, text, code):
    assert reg.country(text).code == code


def test_country_unknown(reg):
    assert reg.country("Atlantis") is None
    assert reg.country("") is None


# ---------------------------------------------------------------------------- data validation

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def test_data_offices_valid(raw):
    codes = {c["code"] for c in raw["countries"]}
    assert len(codes) == len(raw["countries"])
    ids = [p["id"] for p in raw["people"]]
    assert len(ids) == len(set(ids))
    for p in raw["people"]:
        assert p["gender"] in ("m", "f", None), p["name"]
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p["id"]), p["name"]
        for o in p["offices"]:
            where = (p["name"], o)
            assert o["office"] in OFFICE_KEYS, where
            assert o["country"] in codes, where
            if o.get("host"):
                assert o["host"] in codes, where
            for k in ("start", "end"):
                assert o[k] is None or _DATE.match(o[k]), where
            s, e = parse_date(o["start"]), parse_date(o["end"], end=True)
            if s and e:
                assert s <= e, where
    for c in raw["countries"]:
        lo = c.get("leader_office")
        assert lo is None or lo in LEADER_OFFICES, c
    for o in raw["organisations"]:
        assert o["country"] is None or o["country"] in codes, o


def test_data_names_do_not_collide(raw):
    """No full name or alias (normalised, with or without spaces) belongs to two people,
    and no alias of one person equals another person's surname. Shared surnames are fine:
    bare surnames are disambiguated by date (see docs/actors.md)."""
    owner: dict[str, str] = {}
    for p in raw["people"]:
        for form in (p["name"], *p["aliases"]):
            for key in {normalise(form), normalise(form).replace(" ", "")}:
                assert owner.setdefault(key, p["id"]) == p["id"], (form, owner[key], p["id"])
    surnames = defaultdict(set)
    for p in raw["people"]:
        surnames[normalise(p.get("surname") or p["name"].split()[-1])].add(p["id"])
    for key, pid in owner.items():
        if key in surnames:
            assert surnames[key] <= {pid}, (key, pid, surnames[key])


def test_country_forms_do_not_collide(raw):
    owner: dict[str, str] = {}
    for c in raw["countries"]:
        for form in (c["name"], *c["aliases"], *c["adjectives"], *c["capitals"]):
            key = normalise(form)
            key = key[4:] if key.startswith("the ") else key
            assert owner.setdefault(key, c["code"]) == c["code"], (form, owner[key], c["code"])


_EXCLUSIVE = {"president", "prime_minister", "chancellor", "monarch", "supreme_leader", "leader", "pope",
              "commission_president", "council_president", "high_representative", "secretary_general",
              "vice_president", "foreign_minister", "national_security_adviser", "chief_of_staff",
              "defense_minister", "finance_minister", "un_ambassador", "spokesperson"}
# documented overlaps (see the people's notes)
_ALLOWED_OVERLAPS = {("BR", "president")}  # Dilma Rousseff suspended, Michel Temer acting (2016)


def test_exclusive_offices_do_not_overlap(raw):
    """Two people holding the same single-holder office at once would make holder() ambiguous.
    Only offices dated to the day are checked (month/year precision overlaps at the edges)."""
    by = defaultdict(list)
    for p in raw["people"]:
        for o in p["offices"]:
            if o["office"] in _EXCLUSIVE and (o["country"], o["office"]) not in _ALLOWED_OVERLAPS:
                if o["start"] and len(o["start"]) == 10 and (o["end"] is None or len(o["end"]) == 10):
                    by[(o["country"], o["office"])].append((p["id"], parse_date(o["start"]),
                                                           parse_date(o["end"]) or date.max))
    for key, spans in by.items():
        spans.sort(key=lambda s: s[1])
        for (p1, s1, e1), (p2, s2, e2) in zip(spans, spans[1:]):
            if p1 != p2:
                assert (min(e1, e2) - s2).days <= 2, (key, p1, p2)


def test_coverage(reg):
    """The officials the extractor meets most often are all there."""
    for name in ["Vladimir Putin", "H.R. McMaster", "Dmitry Peskov", "Kim Jong Un", "Xi Jinping",
                 "Moon Jae-in", "Yuri Ushakov", "Sergei Prikhodko", "Hua Chunying", "Geng Shuang",
                 "Lu Kang", "Zhao Lijian", "Wang Wenbin", "Mao Ning", "Lin Jian", "Kim Yo Jong",
                 "Kim Yong Chol", "Ri Yong Ho", "Choe Son Hui", "Ri Son Gwon", "Chung Eui-yong",
                 "Suh Hoon", "Stephen Biegun", "Steve Witkoff", "Keith Kellogg", "Mike Pompeo",
                 "John Bolton", "Jared Kushner", "Jake Sullivan", "Antony Blinken", "Marco Rubio",
                 "Karoline Leavitt", "Sarah Huckabee Sanders", "Sean Spicer", "Jen Psaki",
                 "Fidel Castro", "Raúl Castro", "Miguel Díaz-Canel", "Bruno Rodríguez",
                 "Sauli Niinistö", "Alexander Stubb", "Tran Dai Quang", "Lee Hsien Loong",
                 "George H. W. Bush", "Bill Clinton", "Mikhail Gorbachev", "Boris Yeltsin"]:
        assert reg.person(name) is not None and reg.person(name).name == name, name
    g20 = ["AR", "AU", "BR", "CA", "CN", "FR", "DE", "IN", "ID", "IT", "JP", "MX", "RU", "SA", "ZA",
           "KR", "TR", "GB", "US", "KP", "UA", "IR", "IL"]
    days = [D(2001, 7, 1), D(2005, 7, 1), D(2010, 7, 1), D(2015, 7, 1), D(2018, 7, 1), D(2021, 7, 1),
            D(2024, 7, 1), D(2025, 12, 1)]
    for code in [*g20, "CU", "VN", "SG", "FI"]:
        for day in days:
            assert reg.holder("leader", code, day) is not None, (code, day)
            assert reg.holder("foreign_minister", code, day) is not None, (code, day)
    for office in ("commission_president", "council_president", "high_representative"):
        assert reg.holder(office, "EU", D(2018, 7, 1)) is not None
