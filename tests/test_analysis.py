"""Analysis of a pair (timeline, base rates, cooperation scores) and the Markdown briefing."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from summitry import analysis
from summitry.analysis_cli import register
from summitry.briefing import brief
from summitry.records import Article, content_id
from summitry.store import Store

DEMO = Path(__file__).resolve().parents[1] / "summitry" / "data" / "demo"
CITE = re.compile(r"\[[^\[\]]+\]\.$")


# --- unit tests on hand-made dicts (fictional leaders) ------------------------------------

def _entry(id, date, status, source="record", **extra):
    return {"id": id, "date": date, "status": status, "source": source, "cite": [id], "non_event": None,
            "report_sources": [], **extra}


def test_scores_follow_the_documented_scale():
    entries = [_entry("m-1", "2031-03", "held"), _entry("m-2", "2031-09", "cancelled"),
               _entry("m-3", "2032-01", "proposed"), _entry("m-4", "2032-05", "denied"),
               _entry("m-5", "2032-06", "held", non_event={"id": "x", "explanation": "never was"})]
    commitments = [{"id": "a:c1", "article_id": "a" * 16, "kind": "agreed", "meeting_id": "m-1",
                    "status": "kept", "start": 1, "end": 5, "published": "2031-03-12"},
                   {"id": "a:c2", "article_id": "a" * 16, "kind": "offered", "meeting_id": None,
                    "status": "stalled", "start": 9, "end": 20, "published": "2032-02-01"}]
    events = analysis.score_events(entries, commitments)
    scored = {e["id"]: (e["category"], e["score"]) for e in events}
    assert scored == {"m-1": ("CONSULT", 2.5), "m-2": ("REJECT", -3.0), "m-3": ("CONSULT", 1.0),
                      "m-4": ("REJECT", -2.0), "a:c1": ("AGREE", 3.0), "a:c2": ("AGREE", 1.5)}
    assert "m-5" not in scored  # a meeting the reference record refutes is not an event
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    assert events[0]["id"] in ("a:c1", "m-1") and events[0]["date"] == "2031-03"  # dated by its meeting
    assert all(e["cite"] for e in events)


def test_trend_by_year_and_rolling_mean():
    events = [{"date": "2031-01", "id": "1", "score": 2.5}, {"date": "2031-06", "id": "2", "score": -3.0},
              {"date": "2032-02", "id": "3", "score": 3.0}, {"date": "2032-03", "id": "4", "score": 1.0}]
    found = analysis.trend(events, window=2)
    assert found["by_year"] == [{"year": 2031, "events": 2, "total": -0.5, "mean": -0.25},
                                {"year": 2032, "events": 2, "total": 4.0, "mean": 2.0}]
    assert [r["mean"] for r in found["rolling"]] == [2.5, -0.25, 0.0, 2.0]


def test_rate_sentence():
    by = {"not_yet_rated": 0, "in_the_works": 0, "stalled": 3, "compromise": 0, "kept": 1, "broken": 5}
    assert analysis.rate_sentence(9, by, "Ada Venn", "Oskar Rell") == \
        "of 9 commitments recorded at Venn-Rell meetings, 3 stalled, 1 kept, 5 broken"


def test_timeline_js_and_csv_from_entries():
    entries = [_entry("m-1", "2031-03-11", "held", place="Port Calder", occasion=None, format="bilateral",
                      scheduled_minutes=60, actual_minutes=180, reports=2, articles=2, end_date=None,
                      reference_id=None),
               _entry("ref-x", "2032-05", "cancelled", source="reference", place=None, occasion="summit",
                      format="summit", scheduled_minutes=None, actual_minutes=None, reports=0, articles=0,
                      end_date=None, reference_id="ref-x")]
    tl = analysis.timeline_js(entries, "Ada Venn", "Oskar Rell")
    assert set(tl) == {"title", "events"} and tl["title"]["text"]["headline"]
    first, second = tl["events"]
    assert first["start_date"] == {"year": "2031", "month": "03", "day": "11"}
    assert second["start_date"] == {"year": "2032", "month": "05"} and second["group"] == "cancelled"
    assert set(first["text"]) == {"headline", "text"} and "[m-1]" in first["text"]["text"]
    rows = list(csv.DictReader(io.StringIO(analysis.timeline_csv(entries))))
    assert [r["id"] for r in rows] == ["m-1", "ref-x"] and rows[0]["actual_minutes"] == "180"


# --- the real pipeline on the two demo articles -------------------------------------------

@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    from summitry.extract import Extractor

    url = f"sqlite:///{tmp_path_factory.mktemp('analysis') / 'demo.db'}"
    manifest = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    extractor = Extractor()
    with Store(url) as store:
        for name, meta in manifest.items():
            text = (DEMO / name).read_text(encoding="utf-8")
            article = Article(id=content_id(text), text=text, published=date.fromisoformat(meta["published"]),
                              source=meta["source"])
            store.add_article(article)
            store.save_record(extractor.extract(article), article)
        store.link_meetings()
    return url


@pytest.mark.slow
def test_trump_putin_timeline(demo_store):
    with Store(demo_store) as store:
        entries = analysis.timeline(store, "Donald Trump", "Vladimir Putin")
    assert [e["date"] for e in entries] == sorted(e["date"] for e in entries)
    hamburg = [e for e in entries if e["place"] == "Hamburg"]
    assert len(hamburg) == 1 and hamburg[0]["source"] == "record" and hamburg[0]["date"].startswith("2017-07")
    assert hamburg[0]["scheduled_minutes"] == 30 and hamburg[0]["actual_minutes"] == 120
    assert hamburg[0]["reference_id"] == "trump-putin-2017-07-07-hamburg"
    assert any(c.startswith("article ") and "@" in c for c in hamburg[0]["cite"])
    places = {e["place"] for e in entries}
    assert {"Helsinki", "Osaka", "Paris", "Buenos Aires"} <= places
    assert any(e["source"] == "reference" and e["status"] == "cancelled" for e in entries)
    assert all(e["cite"] for e in entries)
    ids = [e["reference_id"] for e in entries if e["reference_id"]]
    assert len(ids) == len(set(ids))  # a reference encounter is listed once
    tl = analysis.timeline_js(entries, "Donald Trump", "Vladimir Putin")
    assert tl["events"] and all({"start_date", "text", "group"} <= set(e) for e in tl["events"])
    assert all("year" in e["start_date"] and {"headline", "text"} <= set(e["text"]) for e in tl["events"])


@pytest.mark.slow
def test_base_rates_and_scores_on_the_demo(demo_store):
    with Store(demo_store) as store:
        rates = analysis.base_rates(store, "Donald Trump", "Vladimir Putin")
        scores = analysis.cooperation_scores(store, "Donald Trump", "Vladimir Putin")
    assert rates["total"] >= 3 and sum(rates["by_status"].values()) == rates["total"]
    assert rates["summary"].startswith(f"of {rates['total']} commitments recorded at Trump-Putin meetings")
    hamburg = [m for m in rates["meetings"] if m["place"] == "Hamburg"][0]
    assert hamburg["total"] >= 3
    assert [(x["scheduled_minutes"], x["actual_minutes"]) for x in rates["lengths"]] == [(30, 120)]
    assert scores["events"] and scores["by_year"][0]["year"] == 2017


@pytest.mark.slow
def test_briefing_cites_every_sentence_and_lists_the_quebec_flag(demo_store, tmp_path):
    with Store(demo_store) as store:
        text = brief(store, "Donald Trump", "Vladimir Putin")
        entries = analysis.timeline(store, "Donald Trump", "Vladimir Putin")
        rates = analysis.base_rates(store, "Donald Trump", "Vladimir Putin", entries)
    body = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert body
    for line in body:
        for sentence in re.split(r"(?<=\]\.)\s+", line.removeprefix("- ").strip()):
            assert CITE.search(sentence), sentence
    assert "Quebec" in text and "ref: trump-putin-2018-06-g7-charlevoix" in text
    assert "No such meeting" in text
    stored = [e for e in entries if e["source"] == "record"]
    assert f"report {len(stored)} encounters" in text
    from summitry.reference import ReferenceRecord
    n_ref = ReferenceRecord.load().in_person_count("Donald Trump", "Vladimir Putin")
    assert f"lists {n_ref} held in-person encounters" in text
    assert rates["summary"][1:] in text

    app = typer.Typer()
    register(app)
    runner = CliRunner()
    out = tmp_path / "b.md"
    done = runner.invoke(app, ["brief", "Trump", "Putin", "--db", demo_store, "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert out.read_text(encoding="utf-8").startswith("# Briefing: Trump and Putin")
    js = runner.invoke(app, ["timeline", "Trump", "Putin", "--db", demo_store, "--format", "timelinejs"])
    assert js.exit_code == 0 and json.loads(js.stdout)["events"]
    as_csv = runner.invoke(app, ["timeline", "Trump", "Putin", "--db", demo_store, "--format", "csv"])
    assert as_csv.exit_code == 0 and as_csv.stdout.startswith("date,")
    bad = runner.invoke(app, ["timeline", "Trump", "Putin", "--db", demo_store, "--format", "xml"])
    assert bad.exit_code == 2
