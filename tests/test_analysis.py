"""Analysis of a pair (timeline, base rates, cooperation scores) and the Markdown briefing."""
from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import summitry.cli
from summitry import analysis
from summitry.analysis import brief, pair_flags
from summitry.link.reference import ReferenceRecord
from summitry.pipeline import check_flags, link_meetings
from summitry.records import (
    Article,
    ArticleRecord,
    Commitment,
    MeetingReport,
    content_id,
)
from summitry.store import Store
from summitry.web import create_app
from summitry.web.shared import article_href

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
    from summitry.nlp.extractor import Extractor

    url = f"sqlite:///{tmp_path_factory.mktemp('analysis') / 'demo.db'}"
    manifest = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    extractor = Extractor()
    with Store(url) as store:
        for name, meta in manifest.items():
            text = (DEMO / name).read_text(encoding="utf-8")
            article = Article(id=content_id(text), text=text, published=date.fromisoformat(meta["published"]),
                              source=meta["source"])
            store.add_article(article)
            store.save_record(extractor.extract(article), article, check=check_flags)
        link_meetings(store)
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
    from summitry.link.reference import ReferenceRecord
    n_ref = ReferenceRecord.load().in_person_count("Donald Trump", "Vladimir Putin")
    assert f"lists {n_ref} held in-person encounters" in text
    assert rates["summary"][1:] in text

    app = summitry.cli.app
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


# --- a small hand-made store (fictional leaders, no spaCy): escaping, flags, citations --------

VENN, RELL, MORVANE, KELL = "Arla Venn", "Tomas Rell", "Alda Morvane", "Tomas Kell"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# two long ids (as JSONL may give) that share 27 characters, so each is cited by a longer prefix
LONG_VR = "https://news.example/2031/09/venn-rell-summit"
LONG_MK = "https://news.example/2031/07/morvane-kell-talks"


def _held(article_id, published, sentence, people, day, place, occasion=None, title=None, commitment=None):
    """An article of one sentence reporting a held meeting (and optionally a commitment in it)."""
    text = f"{title or article_id}\n\n{sentence}\n"
    start = text.index(sentence)
    report = MeetingReport(list(people), day, place, occasion, "held", "bilateral", evidence=sentence,
                           evidence_start=start, evidence_end=start + len(sentence))
    commitments = []
    if commitment:
        at = text.index(commitment)
        commitments = [Commitment(list(people), commitment, "do", "agreed", None, "agreed", at, at + len(commitment),
                                  sentence=sentence)]
    article = Article(id=article_id, text=text, title=title or article_id, published=date.fromisoformat(published),
                      origin="test")
    return article, ArticleRecord(id=article_id, meetings=[report], commitments=commitments)


@pytest.fixture(scope="module")
def pair_store(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('pair') / 'pair.db'}"
    made = [
        _held("pipeline-1", "2031-06-11", "Arla Venn and Tomas Rell met in Port Calder on Tuesday.",
              (VENN, RELL), "2031-06-10", "Port Calder", title=f"Talks {SCRIPT}"),
        _held("pipeline-2", "2031-06-12", "Venn and Rell met in Port Calder and agreed to reopen the crossings.",
              (VENN, RELL), "2031-06-10", "Port Calder", commitment="reopen the crossings"),
        _held(LONG_VR, "2031-09-03", f"Arla Venn and Tomas Rell held a summit at Lake {IMG}.",
              (VENN, RELL), "2031-09-02", f"Lake {IMG}", occasion=f"{SCRIPT} summit"),
        _held(LONG_MK, "2031-07-02", "Alda Morvane and Tomas Kell met in Lindholm.",
              (MORVANE, KELL), "2031-07-01", "Lindholm"),
    ]
    with Store(url) as store:
        for article, record in made:
            store.add_article(article)
            store.save_record(record, article, check=check_flags)
        link_meetings(store)
    return url


def _cli(*args):
    return CliRunner().invoke(summitry.cli.app, list(args))


def _js_strings(tl: dict) -> list[str]:
    return [tl["title"]["text"]["headline"], tl["title"]["text"]["text"]] + \
        [s for e in tl["events"] for s in (e["text"]["headline"], e["text"]["text"])]


def test_timeline_js_escapes_what_articles_say():
    hostile = _entry("m-1", "2031-09-02", "held", place=f"Lake {IMG}", occasion=f"{SCRIPT} summit",
                     format="summit", scheduled_minutes=None, actual_minutes=None, reports=1, articles=1)
    refuted = _entry("m-2", "2031-10", "held", place="Port Calder", occasion=None, format=None,
                     scheduled_minutes=None, actual_minutes=None, reports=1, articles=1,
                     non_event={"id": "x", "explanation": f"They were apart {IMG}."})
    tl = analysis.timeline_js([hostile, refuted], f"Arla {SCRIPT}", "Tomas Rell")
    for text in _js_strings(tl):  # TimelineJS renders these as HTML
        assert "<" not in text and ">" not in text and '"' not in text, text
    assert html.unescape(tl["events"][0]["text"]["headline"]) == f"Lake {IMG}, {SCRIPT} summit (held)"
    assert f"They were apart {IMG}." in html.unescape(tl["events"][1]["text"]["text"])
    assert html.unescape(tl["title"]["text"]["headline"]) == f"Arla {SCRIPT} and Tomas Rell"


def test_timelinejs_is_escaped_once_on_the_cli_and_the_web(pair_store):
    done = _cli("timeline", VENN, RELL, "--db", pair_store, "--format", "timelinejs")
    assert done.exit_code == 0, done.output
    from_cli = json.loads(done.stdout)
    lake = from_cli["events"][-1]["text"]["headline"]
    assert "<img" not in lake and "&lt;img src=x onerror=alert(1)&gt;" in lake and "&lt;script&gt;" in lake
    with TestClient(create_app(pair_store)) as client:
        from_web = client.get("/pairs/Arla%20Venn/Tomas%20Rell/timelinejs.json").json()
    assert from_web == from_cli  # the web export is the same JSON: escaped once, not twice
    assert not any("&amp;" in text for text in _js_strings(from_web))


def test_a_briefing_lists_only_the_fact_flags_of_its_pair(pair_store):
    with Store(pair_store) as store:
        # fictional leaders: the reference record cannot check their meetings, so every check is
        # a quiet notice, and no notice is a fact flag of a briefing
        assert store.fact_flags() == []
        notices = store.fact_flags(states=("notice",))
        assert {f["kind"] for f in notices} == {"not_in_reference"} and all(not f["reference_id"] for f in notices)
        assert "No fact flags were raised" in brief(store, VENN, RELL)
        venn_rell = brief(store, VENN, RELL, flags=notices)
        morvane_kell = brief(store, MORVANE, KELL, flags=notices)
    section = venn_rell.split("## Fact flags")[1]
    assert "3 fact flags were" in section and "Port Calder" in section and "Lake" in section
    assert "Lindholm" not in venn_rell and "Morvane" not in venn_rell
    section = morvane_kell.split("## Fact flags")[1]
    assert "1 fact flag was" in section and "Lindholm" in section and "Port Calder" not in morvane_kell


def test_pair_flags_rule():
    diary = [{"title": "Leaders' diary", "publisher": "Norland Herald", "url": None}]
    reference = ReferenceRecord.from_dict({"encounters": [
        {"id": "vr-2031-06-10", "participants": [VENN, RELL], "date": "2031-06-10", "place": "Port Calder",
         "format": "bilateral", "status": "held", "sources": diary},
        {"id": "mk-2031-07-01", "participants": [MORVANE, KELL], "date": "2031-07-01", "place": "Lindholm",
         "format": "bilateral", "status": "held", "sources": diary}]}, "pair.json")
    entries = [_entry("m-1", "2031-06-10", "held",
                      report_sources=[{"report_id": "a:m1", "article_id": "a", "start": 10, "end": 60}])]

    def flag(article_id="b", start=0, end=5, ids=(), explanation="Nothing to check it against."):
        return {"id": f"{article_id}:f{start}", "article_id": article_id, "start": start, "end": end,
                "claim": "Port Calder", "kind": "not_in_reference", "reference_id": ids[0] if ids else None,
                "reference_ids": list(ids), "explanation": explanation}

    cases = {
        "a reference entry of the pair": (flag(ids=["vr-2031-06-10"]), True),
        "a reference entry of another pair": (flag("a", 12, 20, ids=["mk-2031-07-01"]), False),
        "one of several entries is the pair's": (flag(ids=["mk-2031-07-01", "vr-2031-06-10"]), True),
        "no entry, in a report of the pair": (flag("a", 12, 20), True),
        "no entry, outside it": (flag("a", 70, 80), False),
        "no entry, another article": (flag("c", 12, 20), False),
        "no entry, names both": (flag(explanation="No record of Venn and Rell."), True),
        "no entry, names one": (flag(explanation="No record of Venn and Kell."), False),
        "an entry the record does not know": (flag("a", 12, 20, ids=["gone"]), True),
    }
    for name, (f, expected) in cases.items():
        assert (pair_flags([f], reference, VENN, RELL, entries) == [f]) is expected, name


def test_unique_prefix():
    ids = sorted(["pipeline-1", "pipeline-10", "pipeline-2", LONG_MK, LONG_VR, "abcdefgh", "abcdefghijk"])
    assert analysis.unique_prefix(LONG_VR, ids) == "https://news.example/2031/09"
    assert analysis.unique_prefix("pipeline-1", ids) == "pipeline-1"  # a prefix of pipeline-10: whole
    assert analysis.unique_prefix("abcdefghijk", ids) == "abcdefghi"  # not the other whole id
    assert analysis.unique_prefix("0123456789abcdef", ids) == "01234567"  # never under 8 characters


def test_article_citations_are_unambiguous_and_resolve(pair_store):
    with Store(pair_store) as store:
        labels = analysis.article_labels(store, ["pipeline-1", "pipeline-2", LONG_VR, LONG_MK])
        assert labels == {"pipeline-1": "pipeline-1", "pipeline-2": "pipeline-2",
                          LONG_VR: "https://news.example/2031/09", LONG_MK: "https://news.example/2031/07"}
        text = brief(store, VENN, RELL)
        cited = analysis.cited_articles(text)
        assert set(cited) == {"pipeline-1", "pipeline-2", "https://news.example/2031/09"}
        assert "article pipeline-1@" in text and "article pipeline-2@" in text  # not "article pipeline"
        timeline_cites = [c for e in analysis.timeline(store, VENN, RELL) for c in e["cite"]]
        assert "article https://news.example/2031/09@" in " ".join(timeline_cites)
        for label in cited:  # what is cited is what `summitry show` and Store.article find
            assert store.article(label)["id"] == next(aid for aid, lab in labels.items() if lab == label)
    shown = CliRunner().invoke(summitry.cli.app, ["show", "https://news.example/2031/09", "--json", "--db", pair_store])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == LONG_VR


def test_the_pair_page_links_every_article_citation(pair_store):
    with TestClient(create_app(pair_store)) as client:
        data = client.get("/pairs/Arla%20Venn/Tomas%20Rell.json").json()
        page = client.get("/pairs/Arla%20Venn/Tomas%20Rell").text
        briefing = page[page.index('<article class="briefing">'):]
        cited = set(re.findall(r"article ([^\s@;\[\]]+)", data["briefing"])) - {"claims"}  # not "the article claims"
        assert cited == {"pipeline-1", "pipeline-2", "https://news.example/2031/09"}
        for label in cited:
            full = LONG_VR if label == "https://news.example/2031/09" else label
            href = article_href(full)
            assert f'<a href="{html.escape(href)}">article {label}</a>' in briefing, label
            assert client.get(href).status_code == 200
        # every "article ..." citation in the text is inside a link
        assert not re.search(r"(?<!>)article (?:pipeline|https)", re.sub(r"<a [^>]*>article [^<]*</a>", "", briefing))


def test_the_pair_page_computes_the_timeline_once(pair_store, monkeypatch):
    from summitry.web.record_pages import pair_page

    calls = []
    real = analysis.timeline
    monkeypatch.setattr(analysis, "timeline", lambda *a, **k: calls.append(a) or real(*a, **k))
    with Store(pair_store) as store:
        data = pair_page(store, VENN, RELL)
        assert len(calls) == 1
        assert data.briefing == brief(store, VENN, RELL)  # the same briefing as computed from scratch
