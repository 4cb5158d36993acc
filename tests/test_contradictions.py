"""Contradictions between accounts: the rules, their measured precision on labelled pairs,
the store (fictional leaders), the real pipeline on sample article 003, and the CLI."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summitry.link.contradictions import (
    claims,
    default_parse,
    fact_contradictions,
    normalise,
    statement_rule,
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
# A floor under the rules' recall on the invented pairs (a regression check, not a measure).
RECALL_FLOOR = 0.5
VENN, RELL = "Arla Venn", "Tomas Rell"


# --- rules ----------------------------------------------------------------------------

def _claims(text: str, speaker: str = "a", cue: str | None = None, kind: str | None = None):
    return claims(default_parse([normalise(text)])[0], speaker, cue, kind)


def _one(text: str, predicate: str, **kw):
    (found,) = [c for c in _claims(text, **kw) if c.predicate == predicate]
    return found


def test_a_claim_has_its_predicate_polarity_and_arguments():
    c = _one("Trump did not actually accept Putin’s personal assurance of no Russian involvement", "accept")
    assert c.negated and c.subject.head == {"trump"} and "assurance" in c.object.head and "putin" in c.object.rest
    c = _one("Trump had raised the meddling issue, but “accepted Putin’s assurances", "accept")
    assert not c.negated and c.subject.head == {"trump"}  # the subject of the clause it is coordinated with
    assert c.text == "Trump accepted Putin's assurances"


def test_polarity_from_frames_cues_and_negative_arguments():
    assert _one("Putin refused to accept the proposal", "accept").negated
    assert _one("Putin denied that Russia interfered in the election", "interfere").negated
    assert _one("Russia interfered in the election", "interfere", cue="denied", kind="indirect").negated
    assert _one("No agreement was reached on Syria", "reach").negated
    assert not _one("Syria was discussed", "discuss").negated


def test_what_is_not_asserted_is_not_a_claim():
    assert not [c for c in _claims("Trump would accept the offer") if c.predicate == "accept"]
    assert not [c for c in _claims("if Trump accepts the offer, talks go on") if c.predicate == "accept"]
    assert not [c for c in _claims("Trump wants to lift the sanctions") if c.predicate == "lift"]
    assert not [c for c in _claims("did Trump accept the offer?") if c.predicate == "accept"]
    assert not [c for c in _claims("assurances that Russia did not interfere") if c.predicate == "interfere"]
    assert _claims("the sanctions be lifted", cue="urged", kind="indirect") == []
    # "did not deny that": neither asserted nor denied
    assert not [c for c in _claims("Putin did not deny that Russia interfered") if c.predicate == "interfere"]


def _rule(a: str, b: str, **kw):
    return statement_rule(a, b, **kw)


def test_the_same_predicate_about_the_same_things_with_opposite_polarity():
    lavrov = "Trump had raised the meddling issue, but “accepted Putin’s assurances that Russia didn’t do any hacking"
    tillerson = "Trump did not actually accept Putin’s personal assurance of no Russian involvement"
    m = _rule(lavrov, tillerson)
    assert m.rule == "negation" and m.strength == 1.0 and m.a.predicate == "accept"
    assert _rule("Syria was not discussed", "Trump and Putin discussed Syria").strength == 0.85


def test_shared_words_are_not_a_proposition():
    # the same verb about different things, or with pronouns only
    assert _rule("We'll see what happens next", "I don't see any reason for a summit") is None
    assert _rule("Trump did not raise the issue of sanctions", "Trump raised the issue of election meddling") is None
    assert _rule("Putin did not accept the invitation", "Trump accepted the invitation") is None
    assert _rule("Paul's support for the measure is not surprising", "Paul's defense of the summit was surprising") is None
    assert _rule("they agreed on Syria", "they did not agree on Ukraine") is None
    # the same polarity is agreement, however worded
    assert _rule("Trump did not sign a trade deal", "no trade deal was signed by Trump") is None


def test_a_light_verb_and_its_noun_are_the_predicate():
    m = _rule("Sessions had no contacts with Russian officials", "Sessions had contacts with the Russian ambassador")
    assert m is not None and m.rule == "negation" and m.a.predicate == "have contact"
    # who had them must then be the same
    assert _rule("Kushner had no improper contacts", "Cohen had limited contact with Trump") is None
    assert _rule("he had no choice", "you have one choice") is None
    # a noun's compounds are modifiers, not its head: a tax rate is not an income tax
    assert _rule("Trump paid a lower tax rate", "Trump did not pay federal income tax") is None


def test_first_person_is_the_speaker():
    # two different speakers each saying "I": different subjects
    assert _rule("I accepted the proposal", "I did not accept the proposal", speakers=("venn", "rell")) is None
    assert _rule("I accepted the proposal", "I did not accept the proposal", speakers=("venn", "venn")) is not None


def test_antonyms_with_the_same_polarity():
    m = _rule("Marsk supported the ceasefire proposal", "Marsk opposed the ceasefire proposal")
    assert m.rule == "antonym"
    assert _rule("Marsk supported the ceasefire proposal", "Marsk did not oppose the ceasefire proposal") is None


def test_an_evaluation_is_a_difference_of_opinion():
    assert _rule("the talks were productive", "the talks were not productive").rule == "opinion"
    assert _rule("the president was aware of the meeting", "the president was not aware of the meeting").rule == "negation"


def test_a_mixed_quote_takes_its_subject_from_the_sentence():
    from summitry.link.contradictions import statement_contradictions

    sentence = "Lavrov said that Trump had raised the issue, but “accepted Putin’s assurances” on the matter."
    lavrov = {"id": "s1", "speaker": "Sergei Lavrov", "kind": "mixed", "cue": "said", "start": 0, "end": 1,
              "quote": "accepted Putin’s assurances", "sentence": sentence}
    tillerson = {"id": "s2", "speaker": "Rex Tillerson", "kind": "indirect", "cue": "claimed", "start": 2, "end": 3,
                 "quote": "Trump did not actually accept Putin’s personal assurance"}
    article = {"id": "a1", "source": "blog"}
    (found,) = statement_contradictions({"m-1": [(article, lavrov), (article, tillerson)]})
    assert found.shown and found.reason.startswith("Sergei Lavrov says Trump accepted Putin's assurances")
    # each side keeps its record and the clause the reason quotes
    assert [s["statement_id"] for s in found.sides] == ["s1", "s2"]
    assert found.sides[1]["claim"] == "Trump did not actually accept Putin's personal assurance"


def test_general_words_alone_make_a_weak_match():
    m = _rule("the two presidents never met in private", "the presidents met privately for an hour")
    assert m is not None and m.strength < 0.7


def score_pairs() -> dict:
    """The invented pairs (for the rules' regression only: the measured figure is the real-text
    one of benchmarks/findings_precision.py)."""
    pairs = [json.loads(line) for line in PAIRS.read_text().splitlines() if line.strip()]
    tp = fp = fn = 0
    for pair in pairs:
        m = statement_rule(pair["a"], pair["b"])
        predicted = m is not None and m.rule != "opinion" and m.strength >= 0.85
        tp += predicted and pair["contradiction"]
        fp += predicted and not pair["contradiction"]
        fn += (not predicted) and pair["contradiction"]
    return {"pairs": len(pairs), "positives": sum(p["contradiction"] for p in pairs),
            "precision": tp / (tp + fp), "recall": tp / (tp + fn)}


def test_invented_pairs_regression():
    figures = score_pairs()
    assert figures["pairs"] >= 30
    assert figures["precision"] == 1.0 and figures["recall"] >= RECALL_FLOOR, figures


# --- facts ------------------------------------------------------------------------------

def _group(value, *reports):
    return {"value": value, "reports": [dict(r) for r in reports]}


def _report(article: str, evidence: str, published: str | None = None) -> dict:
    return {"article_id": article, "report_id": f"{article}:m1", "evidence": evidence,
            "evidence_start": 0, "evidence_end": len(evidence), "published": published}


def test_format_labels_and_attendee_lists_are_not_contradictions():
    groups = [_group("summit", _report("a", "Venn met Rell at the summit")),
              _group("sideline", _report("b", "Venn met Rell on the sidelines"))]
    attendees = [_group(["Ida Marsk"], _report("a", "x")), _group(["Kai Doran"], _report("b", "y"))]
    assert fact_contradictions({"id": "m-1", "disagreements": {"format": groups, "others_present": attendees}}) == []


def test_dates_one_inside_the_other_or_a_day_apart():
    within = [_group("2031-03-11", _report("a", "on March 11")), _group("2031-03", _report("b", "in March"))]
    assert fact_contradictions({"id": "m-1", "disagreements": {"date": within}}) == []
    adjacent = [_group("2031-03-11", _report("a", "on March 11")), _group("2031-03-12", _report("b", "on March 12"))]
    (found,) = fact_contradictions({"id": "m-1", "disagreements": {"date": adjacent}})
    assert not found.shown  # a candidate: time zones, or a day misread
    other_year = [_group("2031-03-11", _report("a", "on March 11")), _group("2030-03-11", _report("b", "on March 11"))]
    (found,) = fact_contradictions({"id": "m-1", "disagreements": {"date": other_year}})
    assert not found.shown  # the same day of another year: a year resolved wrongly
    apart = [_group("2031-03-11", _report("a", "on March 11")), _group("2031-03-25", _report("b", "on March 25"))]
    (found,) = fact_contradictions({"id": "m-1", "disagreements": {"date": apart}})
    assert found.shown and found.reason == ("One article gives the date of the meeting as 11 March 2031; "
                                            "another article gives 25 March 2031.")


def test_lengths_within_a_margin_are_compatible():
    close = [_group(120, _report("a", "they talked for two hours")),
             _group(135, _report("b", "they talked for two hours and 15 minutes"))]
    assert fact_contradictions({"id": "m-1", "disagreements": {"actual_minutes": close}}) == []
    hours = [_group(120, _report("a", "they talked for two hours")), _group(180, _report("b", "three hours of talks"))]
    assert fact_contradictions({"id": "m-1", "disagreements": {"actual_minutes": hours}})
    far = [_group(30, _report("a", "the talks lasted 30 minutes")), _group(120, _report("b", "talks of two hours"))]
    (found,) = fact_contradictions({"id": "m-1", "disagreements": {"actual_minutes": far}})
    assert found.shown and "30 minutes" in found.reason and "2 hours" in found.reason


def test_a_plan_next_to_an_outcome_is_not_a_fact_contradiction():
    groups = [_group("planned", _report("a", "Venn will meet Rell")), _group("held", _report("b", "Venn met Rell"))]
    assert fact_contradictions({"id": "m-1", "date": "2031-03-11", "disagreements": {"status": groups}}) == []
    # cancelled before the day, held on it: a change; cancelled after it was held: a contradiction
    before = groups + [_group("cancelled", _report("c", "Venn cancelled the meeting with Rell", "2031-03-01"))]
    assert fact_contradictions({"id": "m-1", "date": "2031-03-11", "disagreements": {"status": before}}) == []
    after = groups + [_group("cancelled", _report("c", "Venn cancelled the meeting with Rell", "2031-03-20"))]
    (found,) = fact_contradictions({"id": "m-1", "date": "2031-03-11", "disagreements": {"status": after}})
    assert {s["value"] for s in found.sides} == {"held", "cancelled"} and found.shown


def test_a_value_its_evidence_does_not_show_makes_a_candidate():
    groups = [_group("held", _report("a", "Venn met Rell in Port Calder", "2031-03-12")),
              _group("denied", _report("b", "Rell spoke about the weather", "2031-03-12"))]
    (found,) = fact_contradictions({"id": "m-1", "date": "2031-03-11", "disagreements": {"status": groups}})
    assert not found.shown



def test_places_one_account_names_together_are_one_place():
    """"the Calder Valley border zone at Rellmark" in one account, "Rellmark" in another: the
    first names both, so the border zone contains the village (read on real news, issue 10:
    the DMZ and Panmunjom)."""
    nested = [_group("Calder Valley Border Zone", _report("a", "Venn and Rell spoke at the Calder Valley Border Zone at Rellmark, on March 11.")),
              _group("Rellmark", _report("b", "Venn and Rell met in a hut at Rellmark"))]
    assert fact_contradictions({"id": "m-1", "disagreements": {"place": nested}}) == []
    apart = [_group("Port Calder", _report("a", "Venn and Rell met in Port Calder")),
             _group("Rellmark", _report("b", "Venn and Rell met in Rellmark"))]
    (found,) = fact_contradictions({"id": "m-1", "disagreements": {"place": apart}})
    assert found.rule == "disagreement:place"

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


def test_cli_contradictions(filled):
    url, _, _ = filled
    from summitry.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["contradictions", "--db", url, "--json", "--all"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["kind"] for r in rows} == {"statements", "facts"}
    meeting_id = rows[0]["meeting_id"]
    shown = runner.invoke(app, ["contradictions", "--db", url, "--meeting", meeting_id, "--all"],
                          env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and "Ida Marsk" in shown.stdout
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
    """The stored contradictions as rows (findings and candidates): ids, positions and creation
    times included."""
    return store.contradictions(states=None)


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
              _mora(actual_minutes=150))
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


# --- the labels of real findings (benchmarks/findings_precision.py) --------------------------

LABELS = Path(__file__).parent / "fixtures" / "findings" / "contradictions.jsonl"


def test_labels_identify_findings_by_offsets_only():
    """Keys are article ids and character offsets; reasons paraphrase (the articles' text stays
    out of the project)."""
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert rows
    for row in rows:
        assert set(row) == {"kind", "key", "label", "reason", "rules"}, row
        assert row["kind"] in ("statement_contradiction", "fact_contradiction")
        assert row["label"] in ("true", "false", "unsure") and row["reason"]
        assert " " not in row["key"] and row["key"].split("|")[0] in ("statements", "facts"), row["key"]
