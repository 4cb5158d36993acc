"""Findings that do not cry wolf (issue 10): a fact flag needs a claim the article makes firmly,
the reference record's "cannot check" is a quiet notice, and what the rules are not sure of waits
in a review queue that a person confirms or dismisses (CLI and web), with verdicts that outlive
recomputation and an audit entry each. Invented sentences about real leaders (the reference
record lists every in-person Trump-Putin encounter); a real store, the real CLI and web app."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import summitry.cli
from summitry.actors import Registry
from summitry.link.commitments import StatusChange
from summitry.link.factcheck import check_article, claim_strength
from summitry.link.reference import ReferenceRecord
from summitry.pipeline import check_flags, refresh_flags
from summitry.records import Article, ArticleRecord, Commitment, MeetingReport, content_id
from summitry.store import Store
from summitry.web import create_app

TRUMP, PUTIN = "Donald Trump", "Vladimir Putin"
TOKEN = "queue-token-123456"
# An invented claim of a Trump-Putin meeting the reference record rules out, made firmly.
FIRM = "Trump met Putin in Oslo in March 2019, their aides said."
# The same claim with the year left to the reader: the extractor's date would be its own guess.
VAGUE = "The two leaders met in Oslo that spring, their aides said."


def _report(text: str, sentence: str, *, date_: str = "2019-03", place: str | None = "Oslo",
            confidence: float | None = 0.9) -> MeetingReport:
    start = text.index(sentence)
    return MeetingReport(participants=[TRUMP, PUTIN], date=date_, place=place, occasion=None, status="held",
                         format="bilateral", evidence=sentence, evidence_start=start,
                         evidence_end=start + len(sentence), confidence=confidence)


def _flags(text: str, report: MeetingReport):
    return check_article("a1", text, [report], ReferenceRecord.load(), date(2019, 6, 1), Registry.load())


# --- the rules: what makes a flag -------------------------------------------------------------

def test_a_firm_claim_against_a_complete_record_is_a_flag():
    [flag] = _flags(FIRM, _report(FIRM, FIRM))
    assert flag.kind == "no_such_meeting" and flag.state == "finding" and flag.confidence >= 0.7


@pytest.mark.parametrize("why, text, sentence, extra", [
    ("the extractor is not sure of the meeting", FIRM, FIRM, {"confidence": 0.4}),
    ("the year is not in the words of the claim", VAGUE, VAGUE, {}),
    ("the place is not in the words of the claim", "Trump met Putin in March 2019.", "Trump met Putin in March 2019.", {}),
])
def test_a_weak_claim_is_a_candidate_not_a_flag(why, text, sentence, extra):
    [flag] = _flags(text, _report(text, sentence, **extra))
    assert flag.state == "candidate" and flag.confidence < 0.7, why


def test_a_claim_the_record_cannot_check_is_a_notice():
    text = "Trump spoke with Putin by phone in March 2019."
    report = _report(text, text, place=None)
    report.format = "phone"  # calls are listed only selectively: nothing to check against
    [flag] = _flags(text, report)
    assert flag.kind == "not_in_reference" and flag.state == "notice"


def test_strength_is_capped_by_the_report_and_needs_the_leaders_named():
    named = _report(FIRM, FIRM, confidence=0.8)
    assert claim_strength(FIRM, named, 0, len(FIRM)) == 0.8
    unnamed = "He met him in Oslo in March 2019."
    assert claim_strength(unnamed, _report(unnamed, unnamed), 0, len(unnamed)) <= 0.6


# --- the store: states, verdicts that outlive recomputation, the queue ------------------------

def _store_article(store: Store, text: str, report: MeetingReport, commitments=()) -> Article:
    article = Article(id=content_id(text), text=text, published=date(2019, 6, 1), origin="test")
    store.save_record(ArticleRecord(article.id, meetings=[report], commitments=list(commitments)), article,
                      check=check_flags)
    return article


@pytest.fixture
def queue_db(sqlite_url):
    """A firm flag, a candidate flag and a commitment with a proposed rating."""
    text = FIRM + " " + VAGUE + " Putin agreed to release the detained sailors."
    with Store(sqlite_url) as store:
        weak = _report(text, VAGUE)
        firm = _report(text, FIRM)
        start = text.index("release")
        promise = Commitment([PUTIN], "release the detained sailors", "do", "agreed", None, "agreed",
                             start, start + len("release the detained sailors"), confidence=0.9)
        article = Article(id=content_id(text), text=text, published=date(2019, 6, 1), origin="test")
        store.save_record(ArticleRecord(article.id, meetings=[firm, weak], commitments=[promise]), article,
                          check=check_flags)
        [commitment] = store.commitments()
        store.add_rating_candidate(commitment["id"], StatusChange(
            status="kept", evidence="The sailors were released on Monday.", rationale="rule carried-out",
            source="later-article:0-36", at=datetime(2019, 7, 1, tzinfo=timezone.utc), by="summitry link"), 0.5)
    return sqlite_url, article


def test_listings_show_findings_and_the_queue_holds_the_rest(queue_db):
    url, article = queue_db
    with Store(url) as store:
        shown = store.fact_flags()
        assert [f["state"] for f in shown] == ["finding"] and "Oslo in March 2019" in shown[0]["claim"]
        queue = store.candidates()
        assert {c["finding_kind"] for c in queue} == {"fact_flag", "rating"}
        [candidate_flag] = [c for c in queue if c["finding_kind"] == "fact_flag"]
        assert candidate_flag["state"] == "candidate"


def test_a_dismissed_flag_stays_dismissed_after_recomputing(queue_db):
    url, article = queue_db
    with Store(url) as store:
        [flag] = store.fact_flags()
        entry = store.decide("fact_flag", flag["id"], "dismiss", by="Ines", why="the article quotes a rumour")
        assert entry["action"] == "dismiss" and entry["after"] == {"state": "dismissed"}
        assert store.fact_flags() == []
        refresh_flags(store)  # the rules would make it a finding again: the verdict wins
        assert store.fact_flags() == []
        assert [f["state"] for f in store.fact_flags(states=("dismissed",))] == ["dismissed"]
        [candidate] = store.candidates("fact_flag")
        store.decide("fact_flag", candidate["id"], "confirm", by="Ines", why="the article says so")
        refresh_flags(store)
        assert [f["state"] for f in store.fact_flags()] == ["confirmed"]
        assert [e["kind"] for e in store.audit_log()] == ["fact_flag", "fact_flag"]


def test_a_confirmed_rating_is_appended_in_the_reviewers_name(queue_db):
    url, _ = queue_db
    with Store(url) as store:
        [rating] = store.candidates("rating")
        store.decide("rating", rating["id"], "confirm", by="Omar", why="the same sailors")
        [commitment] = store.commitments()
        assert commitment["status"] == "kept"
        history = store.commitment(commitment["id"])["history"]
        assert history[-1]["by"] == "Omar" and history[-1]["source"] == "later-article:0-36"
        assert store.candidates("rating") == []
        # proposed again by the rules: not added, whatever became of it
        again = StatusChange(status="kept", evidence="x", rationale="y", source="later-article:0-36",
                             at=datetime(2019, 7, 2, tzinfo=timezone.utc), by="summitry link")
        assert store.add_rating_candidate(commitment["id"], again, 0.5) is False


def test_verdicts_refuse_bad_requests(queue_db):
    from summitry.store import ReviewError

    url, _ = queue_db
    with Store(url) as store:
        [flag] = store.fact_flags()
        for kind, finding_id, action, why in [("fact_flag", flag["id"], "maybe", "x"),
                                              ("fact_flag", "nope:f1", "confirm", "x"),
                                              ("fact_flag", flag["id"], "confirm", "  "),
                                              ("article", flag["id"], "confirm", "x")]:
            with pytest.raises(ReviewError):
                store.decide(kind, finding_id, action, by="Ines", why=why)


# --- the command line and the web app ----------------------------------------------------------

def test_cli_lists_and_decides(queue_db):
    url, _ = queue_db
    runner = CliRunner()
    listed = runner.invoke(summitry.cli.app, ["candidates", "--json", "--db", url])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    flag_id = next(r["id"] for r in rows if r["finding_kind"] == "fact_flag")
    done = runner.invoke(summitry.cli.app, ["confirm", "fact_flag", flag_id, "--why", "read it", "--by", "Ines",
                                            "--db", url])
    assert done.exit_code == 0 and "confirmed" in done.stdout, done.output
    shown = runner.invoke(summitry.cli.app, ["flags", "--json", "--db", url])
    assert {f["state"] for f in json.loads(shown.stdout)} == {"finding", "confirmed"}
    missing = runner.invoke(summitry.cli.app, ["dismiss", "fact_flag", "nope:f9", "--why", "x", "--db", url])
    assert missing.exit_code == 1 and "no fact flag" in missing.stderr
    notices = runner.invoke(summitry.cli.app, ["flags", "--notices", "--json", "--db", url])
    assert notices.exit_code == 0 and json.loads(notices.stdout) == []


def test_web_queue_needs_the_token_to_decide(queue_db):
    url, _ = queue_db
    with TestClient(create_app(url, token=TOKEN)) as client:
        page = client.get("/candidates.json").json()
        assert page["counts"] == {"fact_flag": 1, "contradiction": 0, "rating": 1}
        rating = next(r for r in page["rows"] if r["finding_kind"] == "rating")
        assert "sailors" in rating["summary"] and rating["sides"][0]["text"].startswith("The sailors")
        html = client.get("/candidates").text
        assert "Proposed ratings" in html and "Log in with the write token" in html
        refused = client.post(f"/candidates/rating/{rating['id']}", json={"action": "dismiss", "why": "x"})
        assert refused.status_code == 401
        done = client.post(f"/candidates/rating/{rating['id']}", json={"action": "dismiss", "why": "other sailors"},
                           headers={"Authorization": f"Bearer {TOKEN}", "X-Reviewer": "desk-bot"})
        assert done.status_code == 201 and done.json()["by"] == "desk-bot"
        assert client.get("/candidates.json").json()["counts"]["rating"] == 0
        bad = client.post("/candidates/rating/rc-none", json={"action": "confirm", "why": "x"},
                          headers={"Authorization": f"Bearer {TOKEN}", "X-Reviewer": "desk-bot"})
        assert bad.status_code == 400
