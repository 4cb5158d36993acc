"""Linking meeting reports into canonical meetings: real databases, no mocks.

The store tests build records by hand (fictional leaders and countries) and run on SQLite and
PostgreSQL (`db_url`). The slow tests run the real pipeline (extractor, store, link) on the
fixture articles in tests/fixtures/linking/ and score the result with
benchmarks/linking_quality.py, the script whose figures the README quotes.
"""
from __future__ import annotations

import functools
import importlib.util
import itertools
import json
import random
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from summitry.cli import app
from summitry.link.linking import (
    Report,
    canonical_date,
    canonical_values,
    dates_fit,
    disagreements,
    partition,
)
from summitry.pipeline import link_meetings
from summitry.records import Article, ArticleRecord, MeetingReport
from summitry.store import Store, make_engine

# Floors under the figures measured on the fixture (README, "Linking"); a change that
# lowers them is a regression.
PAIRWISE_PRECISION_FLOOR = 0.95
PAIRWISE_RECALL_FLOOR = 0.80
BCUBED_F1_FLOOR = 0.90

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "linking_quality.py"
VENN, RELL, MARSK = "Arla Venn", "Tomas Rell", "Ida Marsk"
LINK_TABLES = ("meetings", "meeting_report_links", "meeting_redirects")


@functools.cache
def quality():
    """benchmarks/linking_quality.py as a module: the test gate runs the code the README quotes."""
    spec = importlib.util.spec_from_file_location("linking_quality", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# --- building articles by hand ------------------------------------------------------

def report(participants=(VENN, RELL), day=None, place=None, status="held", fmt="bilateral", **extra):
    return MeetingReport(list(participants), day, place, extra.pop("occasion", None), status, fmt, **extra)


def save(store: Store, article_id: str, published: str, *reports: MeetingReport) -> None:
    """An article whose record is the given meeting reports, each with evidence in its text.

    The text depends only on the id, so saving again is re-extracting the same article."""
    sentences = [f"Report {n}: the leaders met." for n in range(1, 4)]
    text = f"Article {article_id}\n\n" + " ".join(sentences)
    for sentence, meeting in zip(sentences, reports):
        meeting.evidence = sentence
        meeting.evidence_start = text.index(sentence)
        meeting.evidence_end = meeting.evidence_start + len(sentence)
    article = Article(id=article_id, text=text, title=f"Article {article_id}",
                      published=date.fromisoformat(published))
    store.save_record(ArticleRecord(id=article_id, meetings=list(reports)), article)


def membership(store: Store) -> set[frozenset[str]]:
    """The meetings as sets of report ids: what must not depend on the order of arrival."""
    return {frozenset(r["id"] for r in store.canonical_meeting(m["id"])["reports"])
            for m in store.canonical_meetings()}


def table_rows(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t: [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {t} ORDER BY 1"))]
                    for t in LINK_TABLES}
    finally:
        engine.dispose()


@pytest.fixture
def store(db_url):
    with Store(db_url) as s:
        yield s


# --- the rules, on plain reports ------------------------------------------------------

@pytest.mark.parametrize("a, b, fits", [
    ("2031-03-11", "2031-03-11", True),
    ("2031-03-11", "2031-03-12", True),   # a day apart: outlets count from different time zones
    ("2031-03-11", "2031-03-13", False),
    ("2031-03-31", "2031-04-01", True),
    ("2031-03", "2031-03-11", True),      # one less precise than the other
    ("2031", "2031-03-11", True),
    ("2031-04", "2031-03-31", False),
    ("2031-1", "2031-11", False),         # compared part by part, not as text
    (None, "2031-03-11", True),
])
def test_dates_fit(a, b, fits):
    assert dates_fit(a, b) is fits and dates_fit(b, a) is fits


def plain(rid, day=None, place=None, fmt="bilateral", participants=(VENN, RELL), **extra):
    return Report(id=rid, article_id=rid.split(":")[0], participants=tuple(participants), date=day,
                  place=place, format=fmt, published=extra.pop("published", date(2031, 7, 1)), **extra)


def test_partition_rules():
    reports = [
        plain("a:m1", "2031-03-11", "Port Calder"),
        plain("b:m1", "2031-03-12", "port  calder\n"),     # a day late, spelt otherwise: the same
        plain("c:m1", "2031-03", None),                     # less precise: the same
        plain("d:m1", "2031-03-11", "Varn"),               # another place: another encounter
        plain("e:m1", "2031-03-11", None, fmt="phone"),    # a call is never a meeting in person
        plain("f:m1", "2031-03-11", None, participants=(VENN, MARSK)),
        plain("g:m1", "2031-06-17", "Varn"),               # the same pair three months later
    ]
    groups = {frozenset(r.id for r in g) for g in partition(reports)}
    assert groups == {frozenset({"a:m1", "b:m1", "c:m1"}), frozenset({"d:m1"}), frozenset({"e:m1"}),
                      frozenset({"f:m1"}), frozenset({"g:m1"})}


def test_an_undated_report_joins_only_on_its_place_or_occasion():
    # without a date, place or occasion, nothing says which encounter it is, even when the
    # pair has only one: it stays a meeting of its own
    alone = [plain("a:m1", "2031-03-11", "Port Calder"), plain("x:m1", None, None, status="cancelled")]
    assert len(partition(alone)) == 2
    two = alone + [plain("b:m1", "2031-06-17", "Varn")]
    assert frozenset({"x:m1"}) in {frozenset(r.id for r in g) for g in partition(two)}
    # naming the place of one of them settles it
    placed = two[:1] + [plain("x:m1", None, "Port Calder")] + two[2:]
    assert {frozenset(r.id for r in g) for g in partition(placed)} == {
        frozenset({"a:m1", "x:m1"}), frozenset({"b:m1"})}
    named = two[:1] + [plain("x:m1", None, None, occasion="the River summit"),
                       plain("a:m2", "2031-03-11", None, occasion="River Summit")] + two[2:]
    assert frozenset({"a:m1", "a:m2", "x:m1"}) in {frozenset(r.id for r in g) for g in partition(named)}
    # naming the place of both: it could be either
    both = [plain("a:m1", "2031-03-11", "Varn"), plain("b:m1", "2031-06-17", "Varn"), plain("x:m1", None, "Varn")]
    assert frozenset({"x:m1"}) in {frozenset(r.id for r in g) for g in partition(both)}


def test_partition_does_not_depend_on_the_order_of_reports():
    reports = [plain("a:m1", "2031-03-11", "Port Calder"), plain("b:m1", "2031-03-12"),
               plain("c:m1", "2031-03"), plain("d:m1", None, "Varn"), plain("e:m1", "2031-06-17", "Varn"),
               plain("f:m1", "2031"), plain("g:m1", "2031-03-13", "Port Calder")]
    expected = {frozenset(r.id for r in g) for g in partition(reports)}
    for order in itertools.islice(itertools.permutations(reports), 0, 5040, 97):
        assert {frozenset(r.id for r in g) for g in partition(order)} == expected


def test_partition_of_random_reports_does_not_depend_on_their_order():
    rng = random.Random(7)
    days = [f"2031-03-{d:02d}" for d in (1, 2, 3, 10, 11, 12, 30, 31)] + ["2031-04-01"]
    values = days + ["2031-03", "2031-04", "2031", None]
    for _ in range(30):
        reports = [plain(f"r{n}:m1", rng.choice(values), rng.choice([None, None, "Varn", "Port Calder"]),
                         fmt=rng.choice(["bilateral", "bilateral", "phone"]),
                         occasion=rng.choice([None, None, None, "River summit"]))
                   for n in range(rng.randrange(2, 25))]
        expected = {frozenset(r.id for r in g) for g in partition(reports)}
        for _ in range(5):
            rng.shuffle(reports)
            assert {frozenset(r.id for r in g) for g in partition(reports)} == expected


def test_canonical_date_is_the_most_precise_with_the_most_support():
    assert canonical_date([plain("a:m1", "2031-07"), plain("b:m1", "2031-07-16")]) == "2031-07-16"
    three_to_one = [plain(f"{n}:m1", "2031-03-11") for n in "abc"] + [plain("d:m1", "2031-03-12")]
    assert canonical_date(three_to_one) == "2031-03-11"
    assert canonical_date([plain("a:m1", None)]) is None


def test_values_and_disagreements():
    reports = [plain("a:m1", "2031-03-11", "Port Calder", actual_minutes=120, status="held",
                     published=date(2031, 3, 12)),
               plain("b:m1", "2031-03-11", "Port Calder", actual_minutes=180, status="held",
                     published=date(2031, 3, 12)),
               plain("c:m1", "2031-03", None, status="planned", published=date(2031, 3, 8))]
    values = canonical_values(reports)
    assert values["date"] == "2031-03-11" and values["place"] == "Port Calder"
    assert values["status"] == "held"  # what happened outranks what was expected
    found = disagreements(reports)
    assert set(found) == {"status", "actual_minutes"}  # "2031-03" only says less than "2031-03-11"
    assert [(g["value"], [s["report_id"] for s in g["reports"]]) for g in found["actual_minutes"]] == [
        (120, ["a:m1"]), (180, ["b:m1"])]


def test_a_later_cancellation_outranks_the_plan():
    reports = [plain("a:m1", "2031-05-14", status="planned", published=date(2031, 5, 2)),
               plain("b:m1", "2031-05-14", status="cancelled", published=date(2031, 5, 10))]
    assert canonical_values(reports)["status"] == "cancelled"


# --- the store: SQLite and PostgreSQL -------------------------------------------------

def test_link_groups_reports_and_shows_disagreements_with_sources(store):
    save(store, "herald", "2031-03-11", report(day="2031-03-11", place="Port Calder",
                                               scheduled_minutes=45, actual_minutes=120))
    save(store, "courier", "2031-03-12", report(participants=(RELL, VENN), day="2031-03-11",
                                                place="Port Calder", actual_minutes=180))
    save(store, "preview", "2031-03-07", report(day="2031-03", status="planned"))
    save(store, "call", "2031-03-21", report(participants=(VENN, MARSK), day="2031-03-20", fmt="phone"))
    summary = link_meetings(store)
    assert (summary["new_meetings"], summary["reports_linked"], summary["merged"]) == (2, 4, 0)

    calder = next(m for m in store.canonical_meetings(between=("venn", "rell")))
    assert (calder["date"], calder["place"], calder["status"], calder["reports"], calder["articles"]) == (
        "2031-03-11", "Port Calder", "held", 3, 3)
    assert calder["disputed"] == ["status", "actual_minutes"]
    shown = store.canonical_meeting(calder["id"])
    assert shown["agreed"] == {"participants": [VENN, RELL], "date": "2031-03-11", "place": "Port Calder",
                               "format": "bilateral", "scheduled_minutes": 45}
    lengths = shown["disagreements"]["actual_minutes"]
    assert [g["value"] for g in lengths] == [120, 180]
    herald = lengths[0]["reports"][0]
    assert herald["article_id"] == "herald" and herald["article_title"] == "Article herald"
    text = store.article("herald")["text"]
    assert text[herald["evidence_start"]:herald["evidence_end"]] == herald["evidence"]
    assert [r["article_id"] for r in shown["reports"]] == ["herald", "courier", "preview"]
    assert [m["participants"] for m in store.canonical_meetings(leader="Marsk")] == [[VENN, MARSK]]
    assert store.canonical_meetings(between=("Rell", "Marsk")) == []


def test_link_twice_changes_nothing(store, db_url):
    save(store, "a", "2031-03-12", report(day="2031-03-11", place="Port Calder"))
    save(store, "b", "2031-03-21", report(day="2031-03-20", fmt="phone"))
    link_meetings(store)
    before = table_rows(db_url)
    again = link_meetings(store)
    assert (again["new_meetings"], again["reports_linked"], again["merged"], again["moved"],
            again["updated"], again["removed"], again["changed"]) == (0, 0, 0, 0, 0, 0, [])
    assert table_rows(db_url) == before


def test_new_reports_keep_ids_and_a_bridged_meeting_redirects(store):
    save(store, "first", "2031-03-12", report(day="2031-03-11"))
    save(store, "later", "2031-03-26", report(day="2031-03-25"))
    save(store, "vague", "2031-04-01", report(place="Port Calder", status="cancelled"))  # could be either
    link_meetings(store)
    ids_before = {m["id"]: m for m in store.canonical_meetings()}
    assert len(ids_before) == 3
    old_vague = next(m["id"] for m in ids_before.values() if m["date"] is None)

    # the 11th was in Port Calder: the undated Port Calder report is the 11th
    save(store, "bridge", "2031-03-27", report(day="2031-03-11", place="Port Calder"))
    summary = link_meetings(store)
    assert (summary["merged"], summary["new_meetings"], summary["reports_linked"]) == (1, 0, 1)
    after = {m["id"]: m for m in store.canonical_meetings()}
    assert set(after) < set(ids_before)  # no id renumbered, one merged away
    survivor = store.canonical_meeting(old_vague)
    assert survivor["redirected_from"] in (old_vague, None)
    assert {r["article_id"] for r in survivor["reports"]} == {"first", "vague", "bridge"}
    merged_away = (set(ids_before) - set(after)).pop()
    assert store.canonical_meeting(merged_away)["id"] == survivor["id"]
    assert merged_away in survivor["merged_ids"]
    assert store.canonical_meeting("m-unknown") is None


def test_one_at_a_time_is_all_at_once(db_url, tmp_path):
    articles = [("first", "2031-03-12", report(day="2031-03-11")),
                ("later", "2031-03-26", report(day="2031-03-25")),
                ("vague", "2031-04-01", report(place="Port Calder", status="cancelled")),
                ("orva", "2031-03-27", report(day="2031-03-25", place="Lake Orva")),
                ("month", "2031-04-02", report(day="2031-03", place="Lake Orva"))]
    with Store(f"sqlite:///{tmp_path / 'all.db'}") as together:
        for article_id, published, meeting in articles:
            save(together, article_id, published, meeting)
        link_meetings(together)
        expected = membership(together)
    for order in (articles, articles[::-1], articles[2:] + articles[:2]):
        with Store(f"sqlite:///{tmp_path / 'one.db'}") as single:
            for article_id, published, meeting in order:
                save(single, article_id, published, meeting)
                link_meetings(single)
            assert membership(single) == expected
        (tmp_path / "one.db").unlink()
    with Store(db_url) as other_backend:
        for article_id, published, meeting in articles:
            save(other_backend, article_id, published, meeting)
            link_meetings(other_backend)
        assert membership(other_backend) == expected


def test_a_month_report_follows_the_meeting_with_clearly_more_reports(store):
    # "in March" fits both meetings of the pair; it goes with the better attested one
    save(store, "early-1", "2031-03-06", report(day="2031-03-05"))
    save(store, "early-2", "2031-03-06", report(day="2031-03-05"))
    save(store, "late-1", "2031-03-26", report(day="2031-03-25"))
    save(store, "march", "2031-04-02", report(day="2031-03"))
    link_meetings(store)
    early = next(m["id"] for m in store.canonical_meetings() if m["date"] == "2031-03-05")
    assert {r["article_id"] for r in store.canonical_meeting(early)["reports"]} == {"early-1", "early-2", "march"}
    for n in (2, 3):
        save(store, f"late-{n}", "2031-03-26", report(day="2031-03-25"))
    summary = link_meetings(store)
    assert (summary["moved"], summary["new_meetings"], summary["merged"]) == (1, 0, 0)
    late = next(m for m in store.canonical_meetings() if m["date"] == "2031-03-25")
    assert late["reports"] == 4 and store.canonical_meeting(early)["id"] == early  # ids stay
    assert {r["article_id"] for r in store.canonical_meeting(early)["reports"]} == {"early-1", "early-2"}


def test_resaving_a_record_relinks_it_and_keeps_the_meeting(store, db_url):
    save(store, "a", "2031-03-12", report(day="2031-03-11", place="Port Calder"))
    save(store, "b", "2031-03-13", report(day="2031-03-11", actual_minutes=90))
    link_meetings(store)
    (meeting_id,) = [m["id"] for m in store.canonical_meetings()]
    save(store, "b", "2031-03-13", report(day="2031-03-11", actual_minutes=100))  # re-extracted
    assert len(table_rows(db_url)["meeting_report_links"]) == 1  # its old link is gone
    summary = link_meetings(store)
    assert (summary["reports_linked"], summary["new_meetings"], summary["updated"]) == (1, 0, 1)
    assert [m["id"] for m in store.canonical_meetings()] == [meeting_id]
    assert store.canonical_meeting(meeting_id)["actual_minutes"] == 100

    save(store, "a", "2031-03-12")  # re-extracted, and no meeting found this time
    save(store, "b", "2031-03-13")
    assert link_meetings(store)["removed"] == 1
    assert store.canonical_meetings() == [] and store.canonical_meeting(meeting_id) is None


def test_a_meeting_of_one_re_extracted_article_keeps_its_id(store):
    save(store, "only", "2031-03-12", report(day="2031-03-11", place="Port Calder"))
    link_meetings(store)
    (meeting_id,) = [m["id"] for m in store.canonical_meetings()]
    save(store, "only", "2031-03-12", report(day="2031-03-11", place="Port Calder"))
    summary = link_meetings(store)
    assert (summary["new_meetings"], summary["removed"], summary["reports_linked"]) == (0, 0, 1)
    assert [m["id"] for m in store.canonical_meetings()] == [meeting_id]


def test_runs_at_the_same_time_wait_for_each_other(store, db_url):
    for n in range(30):
        save(store, f"a{n}", "2031-03-29", report(participants=(VENN, f"Leader {n % 7}"),
                                                   day=f"2031-03-{1 + n % 28:02d}"))
    created, errors = [], []

    def run():
        try:
            with Store(db_url) as own:
                created.append(link_meetings(own)["new_meetings"])
        except Exception as exc:  # noqa: BLE001 - collected and shown by the assertion
            errors.append(repr(exc))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(created) == [0, 0, len(store.canonical_meetings())]


def test_an_empty_store_links_nothing(store):
    assert link_meetings(store)["meetings"] == 0
    assert store.canonical_meetings() == []


# --- the real pipeline on the fixture articles ----------------------------------------

@pytest.fixture(scope="module")
def fixture_and_extractor():
    from summitry.nlp.extractor import Extractor

    return quality().load_fixture(), Extractor()


@pytest.mark.slow
def test_fixture_meetings_match_the_gold(fixture_and_extractor, tmp_path):
    bench = quality()
    fixture, extractor = fixture_and_extractor
    assert len(fixture.articles) >= 30
    with Store(f"sqlite:///{tmp_path / 'linking.db'}") as store:
        bench.build(store, extractor, fixture)
        figures = bench.evaluate(store, fixture)
    assert figures["pairwise_precision"] >= PAIRWISE_PRECISION_FLOOR, figures["errors"]
    assert figures["pairwise_recall"] >= PAIRWISE_RECALL_FLOOR, figures["errors"]
    assert figures["bcubed_f1"] >= BCUBED_F1_FLOOR, figures["errors"]
    assert figures["exact_meetings"] >= 0.75 * figures["gold_meetings"], figures["errors"]


@pytest.mark.slow
def test_fixture_one_article_at_a_time_gives_the_same_record(fixture_and_extractor, tmp_path):
    bench = quality()
    fixture, extractor = fixture_and_extractor
    with Store(f"sqlite:///{tmp_path / 'together.db'}") as together:
        bench.build(together, extractor, fixture)
        expected = membership(together)
        values = sorted(json.dumps({k: v for k, v in m.items() if k not in ("id", "created_at", "updated_at")},
                                   sort_keys=True) for m in together.canonical_meetings())
        before = table_rows(together.url)
        assert link_meetings(together)["changed"] == []
        assert table_rows(together.url) == before
    with Store(f"sqlite:///{tmp_path / 'single.db'}") as single:
        bench.build(single, extractor, fixture, one_at_a_time=True)
        assert membership(single) == expected
        assert sorted(json.dumps({k: v for k, v in m.items() if k not in ("id", "created_at", "updated_at")},
                                 sort_keys=True) for m in single.canonical_meetings()) == values


@pytest.mark.slow
def test_cli_link_and_meeting(fixture_and_extractor, tmp_path):
    fixture, extractor = fixture_and_extractor
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with Store(url) as store:
        quality().ingest(store, extractor, [article for _, article in fixture.articles])
    runner = CliRunner()
    first = runner.invoke(app, ["link", "--db", url, "--json"])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["new_meetings"] >= 8 and summary["reports_linked"] == summary["linked_reports"]
    again = runner.invoke(app, ["link", "--db", url])
    assert again.exit_code == 0 and "0 new" in again.stdout and "Meetings new or changed" not in again.stdout

    with Store(url) as store:
        calder = next(m for m in store.canonical_meetings(between=("Venn", "Rell"))
                      if m["place"] == "Port Calder")
    shown = runner.invoke(app, ["meeting", calder["id"], "--db", url])
    assert shown.exit_code == 0, shown.output
    assert "Disagreements" in shown.stdout and "Port Calder" in shown.stdout
    as_json = json.loads(runner.invoke(app, ["meeting", calder["id"], "--db", url, "--json"]).stdout)
    assert as_json["id"] == calder["id"] and len(as_json["reports"]) == calder["reports"]

    unknown = runner.invoke(app, ["meeting", "m-0000000000", "--db", url])
    assert unknown.exit_code == 1
    assert unknown.stderr.strip().startswith("error: no meeting") and len(unknown.stderr.strip().splitlines()) == 1
