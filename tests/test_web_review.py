"""Review through the web app: the write token, sessions, CSRF, corrections and the audit
log, on a real SQLite store filled with fictional records (see test_web and test_store)."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from test_store import calder_article, calder_record
from test_web import IMG, SCRIPT, hostile_article

from summitry.records import Commitment
from summitry.store import Store
from summitry.web import create_app

TOKEN = "correct-horse-battery"


@pytest.fixture
def db(tmp_path) -> str:
    return make_review_db(tmp_path)


def make_review_db(tmp_path, url: str | None = None) -> str:
    """A store (SQLite in `tmp_path`, or at `url`) with the Calder article (a commitment)
    and the hostile one."""
    url = url or f"sqlite:///{tmp_path / 'review.db'}"
    with Store(url) as store:
        article = calder_article()
        record = calder_record(article)
        text = article.text
        start = text.index("reopen the northern crossing")
        record.commitments = [Commitment(["Arla Venn", "Tomas Rell"], "reopen the northern crossing", "do",
                                         "agreed", None, "agreed", start, start + 28)]
        for a, r in ((article, record), hostile_article()):
            store.add_article(a)
            store.save_record(r, a)
    return url


@pytest.fixture
def client(db):
    with TestClient(create_app(db, token=TOKEN)) as c:
        yield c


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def log_in(client, name: str = "Ines Duarte") -> None:
    form = client.get("/login")
    response = client.post("/login", data={"csrf": csrf_of(form.text), "name": name, "token": TOKEN,
                                           "next": "/statements"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/statements"


def statement_href(client, speaker: str) -> str:
    return next(s["href"] for s in client.get("/statements.json").json()["rows"] if s["speaker"] == speaker)


def test_reading_needs_no_token_and_pages_offer_a_login(client):
    href = statement_href(client, "Foreign Ministry")
    page = client.get(href)
    assert page.status_code == 200
    assert "Log in with the write token" in page.text
    assert 'name="speaker"' not in page.text  # no review form before logging in


def test_a_write_without_the_token_is_refused(client, db):
    href = statement_href(client, "Foreign Ministry")
    client.get(href)
    refused = client.post(href + "/review", data={"csrf": client.cookies["summitry_csrf"], "action": "reject",
                                                  "why": "x"})
    assert refused.status_code == 401
    assert "log in" in refused.text.lower()
    api = client.post(href + "/review", json={"action": "reject", "why": "x"},
                      headers={"Authorization": "Bearer wrong-token-here", "X-Reviewer": "bot"})
    assert api.status_code == 401
    with Store(db) as store:
        assert store.audit_log() == []


def test_a_wrong_token_does_not_log_in(client):
    form = client.get("/login")
    response = client.post("/login", data={"csrf": csrf_of(form.text), "name": "Mallory", "token": "guess-guess"})
    assert response.status_code == 403
    assert "token is wrong" in response.text
    assert "summitry_session" not in client.cookies


def test_a_form_without_its_csrf_token_is_refused(client):
    log_in(client)
    href = statement_href(client, "Foreign Ministry")
    for data in ({"action": "reject", "why": "x"}, {"action": "reject", "why": "x", "csrf": "forged.value"}):
        refused = client.post(href + "/review", data=data)
        assert refused.status_code == 403, data
        assert "expired" in refused.text


def test_a_request_from_another_site_is_refused(client):
    log_in(client)
    href = statement_href(client, "Foreign Ministry")
    page = client.get(href)
    refused = client.post(href + "/review", data={"csrf": csrf_of(page.text), "action": "reject", "why": "x"},
                          headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403


def test_correcting_a_speaker_shows_the_change_and_its_audit_entry(client):
    log_in(client)
    href = statement_href(client, "Foreign Ministry")
    page = client.get(href)
    assert "Reviewing as" in page.text and 'name="speaker"' in page.text
    done = client.post(href + "/review", data={
        "csrf": csrf_of(page.text), "action": "correct", "speaker": "Estovian Foreign Ministry",
        "kind": "mixed", "start": "", "end": "", "why": "the ministry is Estovia's"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("#audit")
    shown = client.get(href)
    assert "Estovian Foreign Ministry" in shown.text and "verdict-corrected" in shown.text
    data = client.get(href + ".json").json()
    assert data["statement"]["speaker"] == "Estovian Foreign Ministry"
    assert data["statement"]["review_status"] == "corrected"
    [entry] = data["audit"]["entries"]
    assert (entry["by"], entry["action"], entry["why"]) == ("Ines Duarte", "correct", "the ministry is Estovia's")
    assert entry["before"]["speaker"] == "Foreign Ministry"
    assert entry["after"]["speaker"] == "Estovian Foreign Ministry"
    assert client.get("/audit.json").json()["entries"][0]["id"] == entry["id"]


def test_a_refused_correction_is_a_page_with_the_reason(client):
    log_in(client)
    href = statement_href(client, "Foreign Ministry")
    page = client.get(href)
    response = client.post(href + "/review", data={"csrf": csrf_of(page.text), "action": "correct",
                                                   "speaker": "Someone Else", "why": ""})
    assert response.status_code == 400
    assert "say why" in response.text and "Traceback" not in response.text


def test_rejecting_hides_the_record_from_listings(client):
    log_in(client)
    href = statement_href(client, "Tomas Rell")
    page = client.get(href)
    client.post(href + "/review", data={"csrf": csrf_of(page.text), "action": "reject", "why": "not his words"})
    assert all(s["href"] != href for s in client.get("/statements.json").json()["rows"])
    assert [s["href"] for s in client.get("/statements.json?review=rejected").json()["rows"]] == [href]
    assert client.get(href).status_code == 200  # its page, with the log, stays


def test_the_api_writes_with_a_bearer_token(client):
    report = client.get("/meetings.json?leader=Arla+Venn").json()["rows"][0]
    response = client.post(report["href"] + "/review", json={
        "action": "correct", "why": "the readout says ninety minutes",
        "changes": {"actual_minutes": 90, "participants": ["Arla Venn", "Tomas Rell"]}},
        headers={"Authorization": f"Bearer {TOKEN}", "X-Reviewer": "desk-bot"})
    assert response.status_code == 201, response.text
    entry = response.json()
    assert entry["after"] == {"actual_minutes": 90, "review_status": "corrected"}
    assert entry["by"] == "desk-bot"
    assert client.get(report["href"] + ".json").json()["meeting"]["actual_minutes"] == 90
    missing_name = client.post(report["href"] + "/review", json={"action": "accept"},
                               headers={"Authorization": f"Bearer {TOKEN}"})
    assert missing_name.status_code == 400


def test_rating_a_commitment_from_the_web_is_logged(client, db):
    with Store(db) as store:
        commitment = store.commitments()[0]["id"]
    response = client.post(f"/commitments/{commitment}/status", json={
        "status": "kept", "evidence": "the crossing opened in May", "why": "a later report says so",
        "source": "pipeline-9:10-40"}, headers={"Authorization": f"Bearer {TOKEN}", "X-Reviewer": "Omar"})
    assert response.status_code == 201, response.text
    with Store(db) as store:
        assert store.commitment(commitment)["status"] == "kept"
        entry = store.audit_log()[0]
    assert (entry["kind"], entry["action"], entry["by"]) == ("commitment", "set_status", "Omar")
    assert entry["before"] == {"status": "not_yet_rated"} and entry["after"]["status"] == "kept"
    bad = client.post(f"/commitments/{commitment}/status", json={"status": "done", "evidence": "x", "why": "y"},
                      headers={"Authorization": f"Bearer {TOKEN}", "X-Reviewer": "Omar"})
    assert bad.status_code == 400 and "unknown status" in bad.json()["error"]


def test_hostile_reviewer_names_and_reasons_are_shown_as_text(client):
    log_in(client, name=f"Eve {SCRIPT}")
    href = statement_href(client, "Alda Morvane")
    page = client.get(href)
    client.post(href + "/review", data={"csrf": csrf_of(page.text), "action": "reject", "why": IMG})
    for url in (href, "/audit"):
        shown = client.get(url).text
        assert SCRIPT not in shown and "<img src=x" not in shown
        assert "&lt;script&gt;" in shown


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)"])
def test_login_never_redirects_off_the_site(client, target):
    form = client.get("/login")
    response = client.post("/login", data={"csrf": csrf_of(form.text), "name": "Ines", "token": TOKEN,
                                           "next": target}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_logging_out_ends_the_session(client):
    log_in(client)
    page = client.get("/")
    client.post("/logout", data={"csrf": csrf_of(page.text)})
    href = statement_href(client, "Foreign Ministry")
    page = client.get(href)
    assert "Log in with the write token" in page.text
    refused = client.post(href + "/review", data={"csrf": client.cookies["summitry_csrf"], "action": "reject",
                                                  "why": "x"})
    assert refused.status_code == 401


def test_a_short_token_is_refused(db):
    with pytest.raises(ValueError, match="at least"):
        create_app(db, token="short")


def test_the_openapi_document_lists_the_review_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "post" in paths["/statements/{statement_id}/review"]
    assert "post" in paths["/commitments/{commitment_id}/status"]


def test_serve_refuses_a_short_token_with_one_line(db):
    from typer.testing import CliRunner

    from summitry.cli import app

    result = CliRunner().invoke(app, ["serve", "--db", db, "--token", "short"])
    assert result.exit_code == 2  # a bad option: the usage code (cli/output.py EXIT_USAGE)
    assert "at least 8 characters" in result.output and "Traceback" not in result.output


def test_rating_a_commitment_with_the_form_on_its_page(client, db):
    with Store(db) as store:
        commitment = store.commitments()[0]["id"]
    href = f"/commitments/{commitment}"
    assert "to rate this commitment" in client.get(href).text
    log_in(client)
    page = client.get(href)
    assert 'action="' + href + '/status"' in page.text
    done = client.post(href + "/status", data={"csrf": csrf_of(page.text), "status": "stalled",
                                                "evidence": "talks postponed", "source": "",
                                                "why": "no date set"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("#history")
    shown = client.get(href)
    assert "talks postponed" in shown.text and "Ines Duarte" in shown.text
