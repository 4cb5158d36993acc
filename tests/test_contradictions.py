"""Contradictions between accounts: the rules, their measured precision on labelled pairs,
the store (fictional leaders), the real pipeline on sample article 003, and the CLI."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summitry.link.contradictions import (
    analyse,
    antonym_verbs,
    fact_contradictions,
    opposite_polarity,
    statement_rule,
    stem,
    topic_overlap,
)
from summitry.pipeline import link_meetings, refresh_contradictions
from summitry.pipeline.contradictions import find_contradictions
from summitry.records import (
    Article,
    ArticleRecord,
    MeetingReport,
    Statement,
    content_id,
)
from summitry.store import Store

PAIRS = Path(__file__).parent / "fixtures" / "contradictions" / "pairs.jsonl"
SAMPLE = Path(__file__).resolve().parents[1] / "summitry" / "data" / "demo" / "003_f5b60f11e280fbe4.txt"
# Floors under the figures measured on the labelled pairs (README, "Contradictions").
PRECISION_FLOOR = 0.85
RECALL_FLOOR = 0.90
VENN, RELL = "Arla Venn", "Tomas Rell"


# --- rules ----------------------------------------------------------------------------

def test_stem_normalises_inflections():
    assert stem("assurances") == stem("assurance") == "assur"
    assert stem("accepted") == stem("accept")
    assert stem("denied") == stem("deny") and stem("admitted") == stem("admit")
    assert stem("Rell’s") == "rell"


def test_topic_overlap_needs_two_shared_content_words():
    assert topic_overlap("the talks were productive", "the talks were not productive") == {"talk", "productiv"}
    assert topic_overlap("the talks were productive", "the weather was fine") == set()
    assert topic_overlap("Venn said it", "Venn was said to") == set()  # stopwords do not count


def test_negation_reaches_the_predicate_past_hedges_and_stops_at_a_preposition():
    negated = {w.stem for w in analyse("Trump did not actually accept the offer") if w.negated}
    assert negated == {"accept"}
    negated = {w.stem for w in analyse("there was no fixed agenda for the meeting") if w.negated}
    assert negated == {"fix", "agenda"}
    assert {w.stem for w in analyse("Estovia didn’t fund it") if w.negated} == {"fund"}
    assert {w.stem for w in analyse("the issue was never raised") if w.negated} == {"rais"}


def test_opposite_polarity():
    assert opposite_polarity("accepted Putin’s assurances",
                             "did not actually accept Putin’s personal assurance") == ["accept"]
    assert opposite_polarity("they did not sign a trade deal", "no trade deal was signed") == []
    assert opposite_polarity("Rell did not raise it", "Venn did not raise it either") == []


def test_antonym_verbs():
    assert antonym_verbs("Rell admitted the ships entered", "Rell denied the ships entered") == [("admit", "den")]
    assert antonym_verbs("Rell admitted it", "Rell did not deny it") == []  # a negated antonym agrees


def test_statement_rule_names_the_rule():
    lavrov = "Trump had raised the meddling issue, but “accepted Putin’s assurances that Russia didn’t do any hacking"
    tillerson = "Trump did not actually accept Putin’s personal assurance of no Russian involvement"
    rule, explanation = statement_rule(lavrov, tillerson)
    assert rule == "negation" and "accept" in explanation
    assert statement_rule("Marsk supported the ceasefire proposal",
                          "Marsk opposed the ceasefire proposal")[0] == "antonym"
    assert statement_rule("the summit lasted two hours", "the summit was the first in a decade") is None


def score_pairs() -> dict:
    pairs = [json.loads(line) for line in PAIRS.read_text().splitlines() if line.strip()]
    tp = fp = fn = 0
    for pair in pairs:
        predicted = statement_rule(pair["a"], pair["b"]) is not None
        tp += predicted and pair["contradiction"]
        fp += predicted and not pair["contradiction"]
        fn += (not predicted) and pair["contradiction"]
    return {"pairs": len(pairs), "positives": sum(p["contradiction"] for p in pairs),
            "precision": tp / (tp + fp), "recall": tp / (tp + fn)}


def test_measured_precision_and_recall_on_labelled_pairs():
    figures = score_pairs()
    assert figures["pairs"] >= 30 and 10 <= figures["positives"] <= figures["pairs"] - 10
    assert figures["precision"] >= PRECISION_FLOOR, figures
    assert figures["recall"] >= RECALL_FLOOR, figures


# --- the store (fictional) -------------------------------------------------------------

def _save(store: Store, text: str, published: str, statements: list[tuple[str, str]],
          meeting: MeetingReport) -> str:
    article = Article(id=content_id(text), text=text, published=date.fromisoformat(published),
                      source="Outlet " + published)
    found = []
    for speaker, quote in statements:
        start = text.index(quote)
        found.append(Statement(speaker, speaker, quote, "indirect", "said", start, start + len(quote)))
    store.save_record(ArticleRecord(article.id, found, [meeting]), article)
    return article.id


def _meeting(**extra) -> MeetingReport:
    values = dict(participants=[VENN, RELL], date="2031-03-11", place="Port Calder", occasion=None,
                  status="held", format="bilateral")
    return MeetingReport(**{**values, **extra})


@pytest.fixture
def filled(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    with Store(url) as store:
        first = _save(store, "Venn met Rell in Port Calder. Norland's foreign minister said Rell accepted "
                             "Venn's proposal for a joint patrol. The talks were planned for an hour.",
                      "2031-03-12", [("Ida Marsk", "Rell accepted Venn's proposal for a joint patrol")],
                      _meeting(scheduled_minutes=60, actual_minutes=180))
        second = _save(store, "Rell met Venn in Port Calder on Tuesday. Rell said he did not accept "
                              "Venn's proposal for a joint patrol.",
                       "2031-03-13", [(RELL, "he did not accept Venn's proposal for a joint patrol")],
                       _meeting(actual_minutes=90))
        link_meetings(store)
    return url, first, second


def test_find_contradictions_in_the_store(filled):
    url, first, second = filled
    with Store(url) as store:
        found = find_contradictions(store)
        (meeting,) = store.canonical_meetings()
    by_kind = {c.kind: c for c in found}
    assert set(by_kind) == {"statements", "facts"}, found
    said = by_kind["statements"]
    assert said.rule == "negation" and said.meeting_id == meeting["id"]
    assert {s["article_id"] for s in said.sides} == {first, second}
    assert {s["speaker"] for s in said.sides} == {"Ida Marsk", RELL}
    fact = by_kind["facts"]
    assert fact.field_or_topic == "actual_minutes" and {s["value"] for s in fact.sides} == {180, 90}
    # the planned hour against the three hours of the same article is not a contradiction
    assert all(c.field_or_topic != "scheduled_minutes" for c in found)


def test_a_plan_next_to_an_outcome_is_not_a_fact_contradiction():
    groups = [{"value": "planned", "reports": [{"article_id": "a", "report_id": "a:m1"}]},
              {"value": "held", "reports": [{"article_id": "b", "report_id": "b:m1"}]}]
    assert fact_contradictions({"id": "m-1", "disagreements": {"status": groups}}) == []
    groups.append({"value": "cancelled", "reports": [{"article_id": "c", "report_id": "c:m1"}]})
    (found,) = fact_contradictions({"id": "m-1", "disagreements": {"status": groups}})
    assert {s["value"] for s in found.sides} == {"held", "cancelled"}


def test_cli_contradictions(filled):
    url, _, _ = filled
    from summitry.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["contradictions", "--db", url, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["kind"] for r in rows} == {"statements", "facts"}
    meeting_id = rows[0]["meeting_id"]
    shown = runner.invoke(app, ["contradictions", "--db", url, "--meeting", meeting_id])
    assert shown.exit_code == 0 and "negation" in shown.stdout and "Ida Marsk" in shown.stdout
    none = runner.invoke(app, ["contradictions", "--db", url, "--meeting", "m-0000000000"])
    assert none.exit_code == 0 and "No contradictions" in none.stdout


# --- the real pipeline on the sample article ----------------------------------------------

@pytest.mark.slow
def test_sample_003_yields_the_lavrov_tillerson_contradiction(tmp_path):
    from summitry.nlp.extractor import Extractor

    text = SAMPLE.read_text(encoding="utf-8")
    article = Article(id=content_id(text), text=text, published=date(2017, 7, 10), source="blog")
    with Store(f"sqlite:///{tmp_path / 's.db'}") as store:
        store.save_record(Extractor().extract(article), article)
        link_meetings(store)
        found = find_contradictions(store)
    said = [c for c in found if c.kind == "statements"]
    lavrov_tillerson = [c for c in said if {s["speaker"] for s in c.sides} == {"Sergei Lavrov", "Rex Tillerson"}]
    assert lavrov_tillerson, said
    c = lavrov_tillerson[0]
    assert c.rule == "negation" and "accept" in c.explanation
    for side in c.sides:
        assert text[side["start"]:side["end"]] == side["text"]
    # thirty minutes planned, two hours held: one article's recorded fact, not a contradiction
    assert not [c for c in found if c.kind == "facts"]


# --- incremental recompute on link ---------------------------------------------------------

DORAN = "Kai Doran"


def _stored(store: Store) -> list[dict]:
    """The stored contradictions as rows: ids, positions and creation times included."""
    return store.contradictions()


def _same_as_full(store: Store) -> list[dict]:
    """The incremental result is what a full recompute stores: same ids, values and positions,
    and the full recompute then writes nothing (creation times unchanged)."""
    incremental = _stored(store)
    refresh_contradictions(store)
    assert _stored(store) == incremental
    return incremental


@pytest.fixture
def spy(monkeypatch):
    """The meeting ids each `find_contradictions` call was asked for (None: all of them)."""
    import summitry.pipeline.contradictions as module

    calls: list = []
    real = module.find_contradictions

    def recording(store, meeting_id=None, *, meeting_ids=None):
        calls.append(None if meeting_ids is None and meeting_id is None else sorted(meeting_ids or [meeting_id]))
        return real(store, meeting_id, meeting_ids=meeting_ids)

    monkeypatch.setattr(module, "find_contradictions", recording)
    return calls


def _mora(**extra) -> MeetingReport:
    values = dict(participants=[VENN, DORAN], date="2031-05-02", place="Lake Mora", occasion=None,
                  status="held", format="bilateral")
    return MeetingReport(**{**values, **extra})


CALDER_A = ("Venn met Rell in Port Calder. Norland's foreign minister said Rell accepted Venn's proposal "
            "for a joint patrol.")
CALDER_B = "Rell met Venn in Port Calder. Rell said he did not accept Venn's proposal for a joint patrol."
MORA_A = "Venn met Doran at Lake Mora. Doran said the talks on the fishing quota were productive."
MORA_B = "Doran met Venn at Lake Mora. Venn said the talks on the fishing quota were not productive."


def test_link_recomputes_only_the_meetings_that_changed_and_matches_a_full_recompute(tmp_path, spy):
    with Store(f"sqlite:///{tmp_path / 'i.db'}") as store:
        _save(store, CALDER_A, "2031-03-12", [("Ida Marsk", "Rell accepted Venn's proposal for a joint patrol")],
              _meeting(actual_minutes=180))
        _save(store, MORA_A, "2031-05-03", [(DORAN, "the talks on the fishing quota were productive")],
              _mora(actual_minutes=60))
        link_meetings(store)
        calder = next(m["id"] for m in store.canonical_meetings(leader="Rell"))
        mora = next(m["id"] for m in store.canonical_meetings(leader="Doran"))
        assert spy == [sorted([calder, mora])] and _same_as_full(store) == []

        # a second account of Port Calder: only that meeting is recomputed
        spy.clear()
        second = _save(store, CALDER_B, "2031-03-13", [(RELL, "he did not accept Venn's proposal for a joint patrol")],
                       _meeting(actual_minutes=90))
        link_meetings(store)
        assert spy[0] == [calder]
        after_calder = _same_as_full(store)
        assert {(c["kind"], c["meeting_id"]) for c in after_calder} == {("facts", calder), ("statements", calder)}

        # a second account of Lake Mora: its rows come between Calder's, by the order of a full recompute
        spy.clear()
        _save(store, MORA_B, "2031-05-04", [(VENN, "the talks on the fishing quota were not productive")],
              _mora(actual_minutes=45))
        link_meetings(store)
        assert spy[0] == [mora]
        both = _same_as_full(store)
        assert [(c["kind"], c["meeting_id"]) for c in both] == [
            ("facts", calder), ("facts", mora), *sorted([("statements", calder), ("statements", mora)],
                                                        key=lambda k: k[1])]
        unchanged = {c["id"]: c for c in both if c["meeting_id"] == mora}

        # nothing new: nothing recomputed, nothing written
        spy.clear()
        link_meetings(store)
        assert spy == [] and _stored(store) == both

        # the second Calder article re-extracted with another reading: its statement no longer
        # contradicts; Lake Mora's rows keep their ids and creation times, positions follow
        spy.clear()
        reread = CALDER_B.index("Venn's proposal")
        store.save_record(ArticleRecord(second, [Statement(RELL, RELL, "Venn's proposal for a joint patrol", "indirect",
                                                           "said", reread, reread + 34)],
                                        [_meeting(actual_minutes=90)]),
                          Article(id=second, text=CALDER_B, published=date(2031, 3, 13)))
        link_meetings(store)
        assert spy[0] == [calder]
        later = _same_as_full(store)
        assert ("statements", calder) not in {(c["kind"], c["meeting_id"]) for c in later}
        for c in later:
            if c["meeting_id"] == mora:
                assert {k: v for k, v in c.items() if k != "position"} == \
                    {k: v for k, v in unchanged[c["id"]].items() if k != "position"}

        # an article re-saved without its meeting: the contradictions citing it go (Lake Mora's facts and statements)
        mora_b = content_id(MORA_B)
        store.save_record(ArticleRecord(mora_b, [], []),
                          Article(id=mora_b, text=MORA_B, published=date(2031, 5, 4)))
        link_meetings(store)
        assert not [c for c in _same_as_full(store) if c["meeting_id"] == mora]

        # every report of Port Calder gone: the meeting is removed, and its contradictions with it
        for text, published in ((CALDER_A, date(2031, 3, 12)), (CALDER_B, date(2031, 3, 13))):
            store.save_record(ArticleRecord(content_id(text), [], []),
                              Article(id=content_id(text), text=text, published=published))
        assert link_meetings(store)["removed"] == 1
        assert _same_as_full(store) == []
