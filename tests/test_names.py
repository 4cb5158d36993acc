"""Finding leaders and speakers by any part of their name (issue 10, item 6), in the store's
listings, the web's queries and the pair timeline: real databases (SQLite and PostgreSQL),
records built by hand. The rule itself is tested on plain names in tests/test_snap.py."""
from __future__ import annotations

from datetime import date

import pytest

from summitry.analysis.pair import timeline
from summitry.pipeline import link_meetings
from summitry.records import Article, ArticleRecord, Commitment, MeetingReport, Statement
from summitry.store import Store
from summitry.web import queries

TRUMP, KIM, KIM_YO, MOON, ERDOGAN = "Donald Trump", "Kim Jong Un", "Kim Yo Jong", "Moon Jae-in", "Recep Tayyip Erdoğan"


def article(article_id: str, published: str, meetings=(), statements=(), commitments=()) -> tuple[Article, ArticleRecord]:
    text = f"Article {article_id}\n\nThe leaders met. Someone said words. They agreed to talk."
    evidence = text.index("The leaders met.")
    for m in meetings:
        m.evidence, m.evidence_start, m.evidence_end = "The leaders met.", evidence, evidence + 16
    return (Article(id=article_id, text=text, title=f"Article {article_id}", published=date.fromisoformat(published)),
            ArticleRecord(id=article_id, statements=list(statements), meetings=list(meetings),
                          commitments=list(commitments)))


def said(speaker: str) -> Statement:
    return Statement(speaker, speaker.split()[-1], "words", "direct", "said", 26, 31)


@pytest.fixture
def store(db_url):
    with Store(db_url) as s:
        for made in (
            article("singapore", "2018-06-13",
                    meetings=[MeetingReport([TRUMP, KIM], "2018-06-12", "Singapore", None, "held", "summit")],
                    statements=[said(KIM), said(TRUMP)],
                    commitments=[Commitment([TRUMP, KIM], "talk", "do", "agreed", None, "agreed", 45, 49)]),
            article("hanoi", "2019-02-28",
                    meetings=[MeetingReport([KIM, TRUMP], "2019-02-28", "Hanoi", None, "held", "summit")]),
            article("panmunjom", "2018-04-28",
                    meetings=[MeetingReport([MOON, KIM], "2018-04-27", "Panmunjom", None, "held", "summit")],
                    statements=[said(MOON), said(KIM_YO)]),
            article("cabinet", "2017-11-21",  # a Cabinet meeting misread as a Trump-Kim meeting
                    meetings=[MeetingReport([TRUMP, KIM], "2017-11", "Washington", None, "held", "bilateral")]),
            article("ankara", "2019-11-14",
                    meetings=[MeetingReport([TRUMP, ERDOGAN], "2019-11-13", "Washington", None, "held", "bilateral")],
                    statements=[said(ERDOGAN)]),
        ):
            s.add_article(made[0])
            s.save_record(made[1], made[0])
        link_meetings(s)
        yield s


def test_meetings_and_statements_by_a_part_of_a_name(store):
    assert {m["article_id"] for m in store.meetings(leader="Kim")} == {"singapore", "hanoi", "panmunjom", "cabinet"}
    assert {m["article_id"] for m in store.meetings(leader="moon")} == {"panmunjom"}
    assert {m["article_id"] for m in store.meetings(leader="Erdogan")} == {"ankara"}
    assert {m["article_id"] for m in store.meetings(between=("Trump", "Kim"))} == {"singapore", "hanoi", "cabinet"}
    assert {s["speaker"] for s in store.statements(speaker="Kim")} == {KIM, KIM_YO}  # a shared surname: all
    assert {s["speaker"] for s in store.statements(speaker="Kim Jong-un")} == {KIM}
    assert {s["speaker"] for s in store.statements(speaker="ERDOĞAN")} == {ERDOGAN}
    assert [c["actors"] for c in store.commitments(actor="kim")] == [[TRUMP, KIM]]
    assert store.commitments(actor="Moon") == []
    assert {m["id"] for m in store.canonical_meetings(leader="Xi")} == set()


def test_the_web_queries_find_the_same(store):
    assert queries.actor_names(store, "Kim") == [KIM, KIM_YO]
    assert queries.actor_names(store, "jong-un") == [KIM]
    assert queries.actor_names(store, "erdogan") == [ERDOGAN]
    # two names that fit several actors: the pair that met
    assert queries.pair_names_met(store, "Trump", "Kim") == [(TRUMP, KIM, 3)]
    assert queries.pair_names_met(store, "Kim", "Moon") == [(KIM, MOON, 1)]


def test_the_pair_timeline_by_surnames_shows_the_stored_reports(store):
    # issue 10: "Trump" and "Kim" found no meeting, and every summit read "no stored report"
    entries = timeline(store, "Trump", "Kim")
    covered = {e["reference_id"]: e["reports"] for e in entries if e["source"] == "record" and e["reference_id"]}
    assert covered == {"trump-kim-2018-06-12-singapore": 1, "trump-kim-2019-02-27-hanoi": 1}
    assert [e["reference_id"] for e in entries if e["source"] == "reference"] == ["trump-kim-2019-06-30-panmunjom"]
    hanoi = next(e for e in entries if e["reference_id"] == "trump-kim-2019-02-27-hanoi")
    # the encounter's values, the reports' own beside them, and why they were matched
    assert (hanoi["date"], hanoi["place"], hanoi["occasion"]) == ("2019-02-27", "Hanoi", "Hanoi summit")
    assert hanoi["record_values"]["date"] == "2019-02-28" and "Hanoi" in hanoi["snap"]["reason"]
    assert hanoi["snap"]["confidence"] >= 0.9 and hanoi["suspect"] is None
    # a held meeting in person that no encounter of a pair listed in full fits: suspect
    cabinet = next(e for e in entries if e["date"] == "2017-11")
    assert cabinet["reference_id"] is None and "every in-person encounter" in cabinet["suspect"]
