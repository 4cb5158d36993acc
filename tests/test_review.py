"""Review by people: verdicts, the append-only audit log, corrections that survive
re-extraction. Real databases (SQLite and PostgreSQL), fictional articles (see test_store)."""
from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa
from test_store import (
    calder_article,
    calder_record,
    summit_article,
    summit_record,
    table_rows,
)

from summitry.pipeline import link_meetings
from summitry.pipeline.review import review
from summitry.records import ArticleRecord
from summitry.store import ReviewError, Store


@pytest.fixture
def store(db_url):
    with Store(db_url) as s:
        for article, make_record in ((calder_article(), calder_record), (summit_article(), summit_record)):
            s.add_article(article)
            s.save_record(make_record(article), article)
        yield s


def statement_id(store: Store, speaker: str) -> str:
    return next(s["id"] for s in store.statements() if s["speaker"] == speaker)


def test_correcting_a_speaker_changes_the_statement_and_logs_before_and_after(store):
    sid = statement_id(store, "Foreign Ministry")
    entry = review(store, "statement", sid, "correct", by="Ines (desk)", why="the ministry is Estovian",
                         changes={"speaker": "Estovian Foreign Ministry"})
    assert entry["before"] == {"speaker": "Foreign Ministry", "review_status": None}
    assert entry["after"] == {"speaker": "Estovian Foreign Ministry", "review_status": "corrected"}
    assert (entry["by"], entry["why"], entry["action"]) == ("Ines (desk)", "the ministry is Estovian", "correct")
    assert [s["review_status"] for s in store.statements(speaker="Estovian Foreign Ministry")] == ["corrected"]
    assert store.statements(speaker="Foreign Ministry") == [] or all(
        s["speaker"] != "Foreign Ministry" for s in store.statements(speaker="Foreign Ministry"))
    audit = store.record_audit("statement", sid)
    assert audit["review"]["verdict"] == "corrected"
    assert [e["id"] for e in audit["entries"]] == [entry["id"]]


def test_a_quote_span_correction_takes_the_text_from_the_article(store):
    sid = statement_id(store, "Tomas Rell")
    text = calder_article().text
    start = text.index("the crossing would open")
    end = start + len("the crossing would open")
    review(store, "statement", sid, "correct", by="ines", why="quote too long",
                 changes={"start": start, "end": end})
    row = next(s for s in store.statements() if s["id"] == sid)
    assert row["quote"] == text[start:end]
    assert row["parts"] == [[start, end]]
    assert "Rell said the crossing" in row["sentence"]


@pytest.mark.parametrize("action, changes, why, message", [
    ("correct", {"speaker": "Tomas Rell"}, "", "say why"),
    ("correct", {}, "nothing", "changes nothing"),
    ("correct", {"start": 5, "end": 99999}, "span", "outside the article"),
    ("correct", {"kind": "shouted"}, "kind", "unknown kind"),
    ("approve", {}, "x", "unknown action"),
    ("reject", {}, "", "say why"),
])
def test_bad_review_requests_are_refused_and_change_nothing(store, db_url, action, changes, why, message):
    sid = statement_id(store, "Tomas Rell")
    before = table_rows(db_url, "statements")
    with pytest.raises(ReviewError, match=message):
        review(store, "statement", sid, action, by="ines", why=why, changes=changes)
    assert table_rows(db_url, "statements") == before
    assert store.audit_log() == []


def test_reviewer_name_and_record_must_exist(store):
    with pytest.raises(ReviewError, match="reviewer"):
        review(store, "statement", statement_id(store, "Tomas Rell"), "accept", by="  ")
    with pytest.raises(ReviewError, match="no statement"):
        review(store, "statement", "nope:s1", "accept", by="ines")
    with pytest.raises(ReviewError, match="unknown kind"):
        review(store, "article", "x", "accept", by="ines")


def test_rejected_records_leave_the_listings_but_keep_their_page_and_log(store):
    sid = statement_id(store, "Tomas Rell")
    review(store, "statement", sid, "reject", by="ines", why="not a statement")
    assert all(s["id"] != sid for s in store.statements())
    article = store.article(calder_article().id)
    assert {s["id"]: s["review_status"] for s in article["statements"]}[sid] == "rejected"
    assert store.record_audit("statement", sid)["entries"][0]["after"] == {"review_status": "rejected"}


def test_the_audit_log_only_grows(store, db_url):
    sid = statement_id(store, "Tomas Rell")
    review(store, "statement", sid, "accept", by="ines")
    review(store, "statement", sid, "correct", by="omar", why="surname", changes={"speaker": "Tomas K. Rell"})
    review(store, "statement", sid, "accept", by="ines", why="checked the correction")
    entries = store.record_audit("statement", sid)["entries"]
    assert [e["action"] for e in entries] == ["accept", "correct", "accept"]
    assert entries[1]["before"]["review_status"] == "accepted"
    assert entries[2]["before"] == {"review_status": "corrected"}
    assert [e["id"] for e in store.audit_log()] == [e["id"] for e in reversed(entries)]
    assert len(table_rows(db_url, "reviews")) == 1


def test_a_meeting_report_correction_moves_its_participants_and_date(store):
    report = next(m for m in store.meetings() if m["status"] == "cancelled")
    review(store, "meeting_report", report["id"], "correct", by="ines", why="the call was with Rell",
                 changes={"participants": "Mira Okonde; Tomas Rell", "date": "2031-06-02",
                          "scheduled_minutes": "30"})
    found = store.meetings(between=("Okonde", "Rell"))
    corrected = next(m for m in found if m["id"] == report["id"])
    assert corrected["participants"] == ["Mira Okonde", "Tomas Rell"]
    assert (corrected["date"], corrected["scheduled_minutes"]) == ("2031-06-02", 30)
    assert all(m["id"] != report["id"] for m in store.meetings(leader="Arla Venn"))


@pytest.mark.parametrize("changes, message", [
    ({"participants": "Mira Okonde"}, "at least two"),
    ({"date": "2031-02-30"}, "no date"),
    ({"date": "June 2031"}, "not YYYY"),
    ({"status": "maybe"}, "unknown status"),
    ({"actual_minutes": "-5"}, "between"),
])
def test_bad_meeting_corrections_are_refused(store, changes, message):
    report = store.meetings()[0]
    with pytest.raises(ReviewError, match=message):
        review(store, "meeting_report", report["id"], "correct", by="ines", why="x", changes=changes)


def test_corrections_survive_re_extraction_by_a_newer_version(store):
    article = calder_article()
    sid = statement_id(store, "Foreign Ministry")
    review(store, "statement", sid, "correct", by="ines", why="Estovian",
                 changes={"speaker": "Estovian Foreign Ministry"})
    rejected = statement_id(store, "Tomas Rell")
    review(store, "statement", rejected, "reject", by="ines", why="not his words")
    report = store.meetings(leader="Arla Venn")[0]["id"]
    review(store, "meeting_report", report, "correct", by="ines", why="ninety minutes",
                 changes={"actual_minutes": 90})

    # a newer extractor finds a new statement first, so every statement is renumbered
    old = calder_record(article)
    newer = ArticleRecord(id=article.id, extractor_version="rules-9.0.0",
                          statements=[dataclasses.replace(old.statements[2], speaker="Arla Venn",
                                                          quote="We have agreed", start=old.statements[0].start,
                                                          end=old.statements[0].start + 14,
                                                          extractor_version="rules-9.0.0")]
                          + [dataclasses.replace(s, extractor_version="rules-9.0.0") for s in old.statements],
                          meetings=[dataclasses.replace(m, extractor_version="rules-9.0.0") for m in old.meetings])
    store.save_record(newer, article)

    stored = {s["id"]: s for s in store.article(article.id)["statements"]}
    corrected = [s for s in stored.values() if s["review_status"] == "corrected"]
    assert [s["speaker"] for s in corrected] == ["Estovian Foreign Ministry"]
    assert corrected[0]["id"] != sid  # renumbered, and found again by its offsets
    assert [s["speaker"] for s in stored.values() if s["review_status"] == "rejected"] == ["Tomas Rell"]
    assert store.meetings(leader="Arla Venn")[0]["actual_minutes"] == 90
    audit = store.record_audit("statement", corrected[0]["id"])
    assert [e["action"] for e in audit["entries"]] == ["correct", "reapply"]
    assert "rules-9.0.0" in audit["entries"][-1]["why"]

    # saving the same record again changes nothing and logs nothing
    count = len(store.audit_log(limit=1000))
    store.save_record(newer, article)
    assert len(store.audit_log(limit=1000)) == count


def test_a_corrected_record_the_new_extractor_misses_is_restored(store):
    article = calder_article()
    sid = statement_id(store, "Foreign Ministry")
    review(store, "statement", sid, "correct", by="ines", why="Estovian",
                 changes={"speaker": "Estovian Foreign Ministry"})
    old = calder_record(article)
    newer = ArticleRecord(id=article.id, extractor_version="rules-9.0.0",
                          statements=[dataclasses.replace(s, extractor_version="rules-9.0.0")
                                      for s in old.statements[:2]], meetings=[])
    store.save_record(newer, article)
    statements = store.article(article.id)["statements"]
    assert [s["speaker"] for s in statements] == ["Arla Venn", "Tomas Rell", "Estovian Foreign Ministry"]
    assert statements[-1]["review_status"] == "corrected"
    assert statements[-1]["quote"] == "a first step"


def test_review_entries_are_never_updated(store, db_url):
    sid = statement_id(store, "Tomas Rell")
    first = review(store, "statement", sid, "accept", by="ines")
    review(store, "statement", sid, "reject", by="ines", why="changed my mind")
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            row = conn.execute(sa.text("SELECT action, by FROM audit_log WHERE id = :i"), {"i": first["id"]}).one()
    finally:
        engine.dispose()
    assert tuple(row) == ("accept", "ines")


# --- linking decided by a person -------------------------------------------------------------

def second_calder_report(store: Store) -> str:
    """A second article's report of the Port Calder meeting; returns the report id."""
    from datetime import date

    from summitry.records import Article, MeetingReport

    text = "Calder talks ran long\nVenn and Rell talked in Port Calder on March 31 for two hours.\n"
    article = Article(id="calder-2", text=text, title="Calder talks ran long", published=date(2031, 4, 3))
    start = text.index("Venn and Rell")
    record = ArticleRecord(id=article.id, meetings=[MeetingReport(
        ["Arla Venn", "Tomas Rell"], "2031-03-31", "Port Calder", None, "held", "bilateral",
        actual_minutes=120, evidence=text[start:start + 40], evidence_start=start, evidence_end=start + 40)])
    store.add_article(article)
    store.save_record(record, article)
    return "calder-2:m1"


def meeting_of(store: Store, report_id: str) -> str | None:
    return store.report_meeting_ids().get(report_id)


def test_a_report_kept_apart_becomes_a_meeting_of_its_own_until_unpinned(store):
    other = second_calder_report(store)
    first = store.meetings(leader="Arla Venn")[0]["id"]
    link_meetings(store)
    together = meeting_of(store, first)
    assert meeting_of(store, other) == together

    entry = review(store, "meeting_report", other, "correct", by="ines", why="a second, separate session",
                         changes={"link": "apart"})
    assert entry["before"] == {"link": None, "review_status": None}
    assert entry["after"] == {"link": "apart", "review_status": "corrected"}
    link_meetings(store)
    assert meeting_of(store, first) == together  # the meeting keeps its id and its URL
    assert meeting_of(store, other) not in (None, together)
    assert link_meetings(store)["changed"] == []  # stable

    review(store, "meeting_report", other, "correct", by="ines", why="same session after all",
                 changes={"link": ""})
    link_meetings(store)
    assert meeting_of(store, other) == together


def test_a_report_pinned_to_a_meeting_joins_it(store):
    other = second_calder_report(store)
    review(store, "meeting_report", other, "correct", by="ines", why="wrong date", changes={"date": "2031-09-30"})
    link_meetings(store)
    first = store.meetings(leader="Arla Venn")[0]["id"]
    target = meeting_of(store, first)
    assert meeting_of(store, other) != target  # six months apart: two meetings by the rules
    review(store, "meeting_report", other, "correct", by="ines", why="the same talks, misdated",
                 changes={"link": target})
    link_meetings(store)
    assert meeting_of(store, other) == target
    with pytest.raises(ReviewError, match="no linked meeting"):
        review(store, "meeting_report", other, "correct", by="ines", why="x", changes={"link": "m-nope"})


def test_rejected_reports_are_not_linked(store):
    other = second_calder_report(store)
    link_meetings(store)
    review(store, "meeting_report", other, "reject", by="ines", why="not a meeting")
    link_meetings(store)
    assert meeting_of(store, other) is None
    first = store.meetings(leader="Arla Venn")[0]["id"]
    assert meeting_of(store, first) is not None
