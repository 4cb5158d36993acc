"""The curated reference record (summitry/data/encounters.json) and its queries (summitry/link/reference.py)."""
from __future__ import annotations

import copy
import json
import re
from datetime import date
from importlib import resources

import pytest

from summitry.actors import Registry
from summitry.link.reference import FORMATS, STATUSES, ReferenceRecord

TRUMP, PUTIN = "Donald Trump", "Vladimir Putin"


@pytest.fixture(scope="module")
def ref() -> ReferenceRecord:
    return ReferenceRecord.load()


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(resources.files("summitry").joinpath("data", "encounters.json").read_text(encoding="utf-8"))


def entries(raw: dict):
    return [*raw["encounters"], *raw["non_events"]]


# ---------------------------------------------------------------------------- the data file


def test_load_is_cached_and_sizeable(ref):
    assert ReferenceRecord.load() is ref
    assert len(ref.encounters) >= 40
    assert len(ref.non_events) >= 1


def test_every_participant_is_a_canonical_name_of_the_actor_registry(ref, raw):
    reg = Registry.load()
    assert ref.unknown_participants(reg) == []
    for item in [*entries(raw), *raw["complete_pairs"]]:
        for name in item["participants"]:
            person = reg.person(name)
            assert person is not None and person.name == name, (item.get("id"), name)


def test_dates_are_iso_and_end_dates_follow(raw):
    iso = re.compile(r"\d{4}-\d{2}(-\d{2})?")
    for item in entries(raw):
        assert iso.fullmatch(item["date"]), item["id"]
        parts = [int(x) for x in item["date"].split("-")]
        date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)  # a real day
        if item.get("end_date"):
            assert iso.fullmatch(item["end_date"]) and item["end_date"] >= item["date"], item["id"]


def test_status_format_and_minutes_are_in_the_allowed_sets(raw):
    for e in raw["encounters"]:
        assert e["status"] in STATUSES, e["id"]
        assert e["format"] in FORMATS, e["id"]
        for key in ("scheduled_minutes", "actual_minutes"):
            assert e[key] is None or (isinstance(e[key], int) and e[key] > 0), e["id"]
        if e["format"] not in ("phone", "video"):
            assert e["place"] and e["country"], e["id"]


def test_every_entry_rests_on_at_least_one_named_source(raw):
    for item in entries(raw):
        assert item["sources"], item["id"]
        for s in item["sources"]:
            assert s["title"].strip() and s.get("publisher"), item["id"]
            assert s.get("url") is None or s["url"].startswith(("http://", "https://")), item["id"]


def test_ids_are_unique_slugs_that_carry_their_year(raw):
    ids = [item["id"] for item in entries(raw)]
    assert len(ids) == len(set(ids))
    for item in entries(raw):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", item["id"])
        assert item["date"][:4] in item["id"], item["id"]


# ---------------------------------------------------------------------------- coverage the issue asks for


def test_every_in_person_trump_putin_encounter_is_listed(ref):
    held = [(e.date, e.place) for e in ref.in_person_encounters("Trump", "Putin")]
    assert held == [
        ("2017-07-07", "Hamburg"), ("2017-11-10", "Da Nang"), ("2018-07-16", "Helsinki"),
        ("2018-11-11", "Paris"), ("2018-11-30", "Buenos Aires"), ("2019-06-28", "Osaka"),
        ("2025-08-15", "Anchorage"),
    ]
    cancelled = [e for e in ref.for_pair("Trump", "Putin") if e.status == "cancelled"]
    assert [(e.place, e.date[:7]) for e in cancelled] == [("Buenos Aires", "2018-11")]
    hamburg = ref.get("trump-putin-2017-07-07-hamburg")
    assert (hamburg.scheduled_minutes, hamburg.occasion) == (30, "G20 summit")
    assert "dinner" in hamburg.notes


def test_trump_putin_count_before_the_sample_article(ref):
    # the demo summary (published 2025-08-12) speaks of "their past six meetings"
    assert ref.in_person_count("Trump", "Putin", before="2025-08-12") == 6
    assert ref.in_person_count("Trump", "Putin", before=date(2025, 8, 16)) == 7
    assert ref.in_person_count("Trump", "Putin") == 7


@pytest.mark.parametrize("a,b,expected", [
    ("Trump", "Kim", [("2018-06-12", "Singapore"), ("2019-02-27", "Hanoi"), ("2019-06-30", "Panmunjom")]),
    ("Biden", "Xi", [("2022-11-14", "Bali"), ("2023-11-15", "Woodside"), ("2024-11-16", "Lima")]),
    ("Biden", "Putin", [("2021-06-16", "Geneva")]),
])
def test_complete_pairs(ref, a, b, expected):
    assert ref.covers(a, b)
    assert [(e.date, e.place) for e in ref.in_person_encounters(a, b)] == expected


@pytest.mark.parametrize("id_", [
    "bush-yeltsin-1992-02-01-camp-david", "clinton-yeltsin-1993-04-03-vancouver",
    "bush-putin-2001-06-16-ljubljana", "bush-putin-2001-11-13-washington-crawford",
    "bush-putin-2002-05-23-moscow", "bush-putin-2005-02-24-bratislava", "bush-putin-2007-07-01-kennebunkport",
    "obama-medvedev-2009-07-06-moscow", "obama-medvedev-2010-04-08-prague", "obama-putin-2015-09-28-new-york",
    "biden-putin-2021-06-16-geneva",
])
def test_us_russia_presidential_summits(ref, id_):
    assert ref.get(id_) is not None


def test_the_g7_in_quebec_is_a_known_non_event(ref):
    ne = ref.non_event([TRUMP, PUTIN], "2018-06", "Quebec", "G7 summit")
    assert ne is not None and ne.id == "trump-putin-2018-06-g7-charlevoix"
    assert "2014" in ne.explanation and "G8" in ne.explanation


# ---------------------------------------------------------------------------- queries


def test_for_pair_matches_surnames_case_and_diacritics_and_sorts_by_date(ref):
    by_surname = ref.for_pair("PUTIN", "trump")
    assert by_surname == ref.for_pair(TRUMP, PUTIN) == ref.for_pair("Vladímir Pútin", "donald trump")
    assert [e.span[0] for e in by_surname] == sorted(e.span[0] for e in by_surname)
    assert [e.place for e in ref.for_pair("Kim Jong-un", "Trump") if e.in_person] == ["Singapore", "Hanoi", "Panmunjom"]
    assert ref.for_pair("Trump", "Nobody") == []


def test_bush_by_full_name_is_not_the_other_bush(ref):
    assert all(e.participants[0] == "George W. Bush" for e in ref.for_pair("George W. Bush", "Putin"))
    assert ref.for_pair("George W. Bush", "Yeltsin") == []
    assert ref.for_pair("Bush", "Yeltsin")  # a bare surname names either


def test_covers_is_symmetric_and_dated(ref):
    assert ref.covers("Putin", "Trump")
    assert ref.covers("Biden", "Xi", on="2023-11-15")
    assert not ref.covers("Biden", "Xi", on="2011-08-18")  # vice-presidential years are not listed
    assert not ref.covers("Trump", "Putin", on="2030-01-01")  # past the date the record was checked
    assert not ref.covers("Obama", "Putin")


@pytest.mark.parametrize("participants,day,place,fmt,expected", [
    ([TRUMP, PUTIN], "2018-07", "Helsinki", "summit", "trump-putin-2018-07-16-helsinki"),  # month only
    (["Putin", "Trump"], "2018-07-18", None, None, "trump-putin-2018-07-16-helsinki"),  # within a few days
    ([TRUMP, PUTIN], "2018-07-16", "Helsinki, Finland", None, "trump-putin-2018-07-16-helsinki"),
    ([TRUMP, PUTIN], "2025-08", "Alaska", None, "trump-putin-2025-08-15-anchorage"),  # an alias of the place
    ([TRUMP, PUTIN], None, "Osaka", None, "trump-putin-2019-06-28-osaka"),  # no date: the place decides
    ([TRUMP, PUTIN], "2018-07-23", None, None, None),  # a week off
    ([TRUMP, PUTIN], "2018-07", "Vienna", None, None),  # the place disagrees
    ([TRUMP, PUTIN], "2018-07-16", None, "phone", None),  # in person is not a call
    ([TRUMP, PUTIN], "2025-02-12", None, "phone", "trump-putin-2025-02-12-phone"),
    ([TRUMP, PUTIN], None, None, None, None),  # nothing to go by
    ([TRUMP, PUTIN, "Kim Jong Un"], "2018-07", None, None, None),  # not the same people
])
def test_match(ref, participants, day, place, fmt, expected):
    hit = ref.match(participants, day, place, fmt)
    assert (hit.id if hit else None) == expected


def test_match_prefers_the_reports_status(ref):
    args = ([TRUMP, PUTIN], "2018-12-01", "Buenos Aires")
    assert ref.match(*args, status="held").id == "trump-putin-2018-11-30-buenos-aires"
    assert ref.match(*args, status="cancelled").id == "trump-putin-2018-11-30-buenos-aires-cancelled"


def test_non_event_needs_the_place_or_a_dated_occasion(ref):
    assert ref.non_event([TRUMP, PUTIN], "2018-06-08", "Charlevoix") is not None
    assert ref.non_event([TRUMP, PUTIN], None, "La Malbaie") is not None
    assert ref.non_event([TRUMP, PUTIN], "2018-06", None, "G-7 summit") is not None
    assert ref.non_event([TRUMP, PUTIN], None, None, "G7 summit") is None  # which G7?
    assert ref.non_event([TRUMP, PUTIN], "2019-08", "Quebec") is None  # another year
    assert ref.non_event(["Justin Trudeau", TRUMP], "2018-06", "Quebec") is None  # they did meet


def test_in_person_count_leaves_out_calls_and_cancelled_meetings(ref):
    everything = ref.for_pair(TRUMP, PUTIN)
    assert len(everything) == 12
    assert ref.in_person_count(TRUMP, PUTIN, before="2019-01-01") == 5
    assert ref.in_person_count(TRUMP, PUTIN, before="2017-07-07") == 0  # `before` is exclusive


def test_describe(ref):
    assert ref.get("trump-putin-2017-11-10-da-nang").describe() == "Da Nang, 10–11 November 2017"
    assert ref.get("trump-putin-2025-02-12-phone").describe() == "a phone call, 12 February 2025"
    assert ref.get("obama-putin-2013-09-moscow-cancelled").describe() == "Moscow, September 2013"


# ---------------------------------------------------------------------------- users' own files


def minimal() -> dict:
    return {
        "complete_pairs": [{"participants": ["Aldo Varga", "Mira Solberg"], "from": "2019-01-01", "until": None}],
        "encounters": [{
            "id": "varga-solberg-2020-03-10-portavia", "participants": ["Aldo Varga", "Mira Solberg"],
            "date": "2020-03-10", "end_date": None, "place": "Portavia", "country": "Ostland",
            "occasion": "bilateral summit", "format": "summit", "status": "held",
            "scheduled_minutes": None, "actual_minutes": 95, "notes": None,
            "sources": [{"title": "Leaders meet in Portavia", "publisher": "Ostland Herald", "url": None}],
        }],
        "non_events": [],
    }


def test_a_users_file_is_loaded_and_queried(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(minimal()), encoding="utf-8")
    mine = ReferenceRecord.load(path)
    assert ReferenceRecord.load(str(path)) is mine
    assert [e.id for e in mine.for_pair("Varga", "Solberg")] == ["varga-solberg-2020-03-10-portavia"]
    assert mine.covers("solberg", "VARGA", on="2020-01-01") and not mine.covers("Varga", "Solberg", on="2018-12-31")
    assert mine.in_person_count("Varga", "Solberg", before="2020-03-11") == 1


@pytest.mark.parametrize("change,message", [
    (lambda d: d["encounters"][0].update(sources=[]), "sources"),
    (lambda d: d["encounters"][0].update(format="dinner"), "'format' must be one of"),
    (lambda d: d["encounters"][0].update(status="planned"), "'status' must be one of"),
    (lambda d: d["encounters"][0].update(date="10 March 2020"), "'date'"),
    (lambda d: d["encounters"][0].update(date="2020-02-30"), "'date'"),
    (lambda d: d["encounters"][0].update(end_date="2020-03-01"), "'end_date' is before 'date'"),
    (lambda d: d["encounters"][0].update(participants=["Aldo Varga"]), "at least two"),
    (lambda d: d["encounters"][0].update(actual_minutes="95"), "actual_minutes"),
    (lambda d: d["encounters"][0].update(id="Varga Solberg"), "slug"),
    (lambda d: d["encounters"].append(copy.deepcopy(d["encounters"][0])), "used twice"),
    (lambda d: d["encounters"][0]["sources"][0].pop("title"), "title"),
])
def test_bad_data_is_a_clear_error_naming_the_entry(tmp_path, change, message):
    data = minimal()
    change(data)
    with pytest.raises(ValueError) as err:
        ReferenceRecord.from_dict(data, "mine.json")
    assert message in str(err.value)
    assert str(err.value).startswith("mine.json: ")
    if "used twice" not in message:
        assert "mine.json: encounter '" in str(err.value)  # the entry, by its id


def test_a_broken_file_names_itself(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.json: not valid JSON"):
        ReferenceRecord.load(path)
