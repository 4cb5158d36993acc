"""The analyst's desk (summitry/web/desk_pages.py, summitry/web/atom.py) through FastAPI's
TestClient, on the real SQLite store of tests/test_web_records.py: fact flags and
contradictions with their `show` switch and verdicts, the one search box, sorting and date
ranges of meetings, collapsible sections, charts, safe source links and Atom feeds.
No real person is quoted here.
"""
from __future__ import annotations

import html
import re
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from test_web_records import RELL, VENN, fill_records_store

from summitry.store import Store
from summitry.web import create_app

TOKEN = "desk-test-token-0123456789"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def ids(tmp_path_factory) -> dict[str, str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('desk') / 'web.db'}"
    return {**fill_records_store(url), "url": url}


@pytest.fixture(scope="module")
def client(ids):
    with TestClient(create_app(ids["url"], token=TOKEN)) as c:
        yield c


def writer() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}", "X-Reviewer": "Desk Tester"}


# --- flags and contradictions -------------------------------------------------------------

def test_flags_page_and_its_twins(client):
    for url in ("/flags", "/flags?show=notices", "/flags?show=all", "/flags?show=candidates"):
        page = client.get(url)
        assert page.status_code == 200 and "<h1>Fact flags" in page.text
        data = client.get(url.replace("/flags", "/flags.json")).json()
        assert data["total"] == len(data["rows"])
    data = client.get("/flags.json").json()
    # fictional leaders: the reference record cannot check them, so notices and no findings
    assert all(r["state"] in ("finding", "confirmed") for r in data["rows"])
    shows = {s["show"]: s for s in data["shows"]}
    assert set(shows) == {"findings", "candidates", "notices", "dismissed", "all"}
    assert shows["findings"]["selected"] and shows["notices"]["href"] == "/flags?show=notices"
    notices = client.get("/flags.json?show=notices").json()
    assert notices["total"] == shows["notices"]["count"] > 0
    assert {r["state"] for r in notices["rows"]} == {"notice"}
    assert client.get("/flags.json?show=everything").status_code == 400


def test_contradictions_page_with_the_meeting_and_both_sides(client, ids):
    every = client.get("/contradictions.json?show=all").json()
    [c] = [r for r in every["rows"] if r["field_or_topic"] == "actual_minutes"]
    assert c["meeting_id"] == ids["calder"] and c["meeting_href"] == f"/meetings/{ids['calder']}"
    assert set(c["participants"]) == {VENN, RELL}
    assert {s["article_href"] for s in c["sides"]} == {"/articles/courier-1#m1", "/articles/pipeline-1#m1"}
    page = client.get("/contradictions?show=all").text
    assert f'href="/meetings/{ids["calder"]}"' in page and 'class="contradiction"' in page
    one = client.get(f"/contradictions.json?meeting={ids['calder']}&show=all").json()
    assert [r["id"] for r in one["rows"]] == [c["id"]]


def test_confirm_and_dismiss_from_the_desk(client, ids):
    """The verdict machinery of the review queue: a dismissed contradiction leaves the
    findings and shows under dismissed; confirming brings it back; both are audited."""
    [c] = [r for r in client.get("/contradictions.json?show=all").json()["rows"]
           if r["field_or_topic"] == "actual_minutes"]
    posted = client.post(f"/candidates/contradiction/{c['id']}", headers=writer(),
                         json={"action": "dismiss", "why": "the two hours are the talks alone"})
    assert posted.status_code == 201, posted.text
    assert c["id"] not in [r["id"] for r in client.get("/contradictions.json").json()["rows"]]
    assert [r["id"] for r in client.get("/contradictions.json?show=dismissed").json()["rows"]] == [c["id"]]
    posted = client.post(f"/candidates/contradiction/{c['id']}", headers=writer(),
                         json={"action": "confirm", "why": "they cannot both hold"})
    assert posted.status_code == 201
    found = client.get("/contradictions.json").json()["rows"]
    assert [r["state"] for r in found if r["id"] == c["id"]] == ["confirmed"]
    audit = client.get("/audit.json").json()["entries"]
    assert [e["action"] for e in audit[:2]] == ["confirm", "dismiss"]
    # a flag too, by the same machinery
    [notice, *_] = client.get("/flags.json?show=notices").json()["rows"]
    assert client.post(f"/candidates/fact_flag/{notice['id']}", headers=writer(),
                       json={"action": "confirm", "why": "checked by hand"}).status_code == 201
    assert notice["id"] in [r["id"] for r in client.get("/flags.json").json()["rows"]]


def test_verdict_forms_return_to_the_page(ids):
    """Logged in, each finding has a form whose `next` brings the reviewer back to it."""
    with TestClient(create_app(ids["url"], token=TOKEN)) as c:
        c.get("/login")
        csrf = c.cookies.get("summitry_csrf")
        assert csrf
        login = c.post("/login", data={"csrf": csrf, "token": TOKEN, "name": "Desk Tester", "next": "/flags"},
                       follow_redirects=False)
        assert login.status_code == 303
        page = c.get("/flags?show=all").text
        assert 'action="/candidates/fact_flag/' in page and 'name="next" value="/flags?show=all#' in page
        flag_id = re.search(r'action="/candidates/fact_flag/([^"]+)"', page).group(1)
        done = c.post(f"/candidates/fact_flag/{flag_id}", follow_redirects=False,
                      data={"csrf": csrf, "action": "dismiss", "why": "not a claim", "next": f"/flags?show=all#{flag_id}"},
                      headers={"Origin": "http://testserver"})
        assert done.status_code == 303 and done.headers["location"] == f"/flags?show=all#{flag_id}"
        evil = c.post(f"/candidates/fact_flag/{flag_id}", follow_redirects=False,
                      data={"csrf": csrf, "action": "dismiss", "why": "x", "next": "//evil.example/"},
                      headers={"Origin": "http://testserver"})
        assert evil.headers["location"] == "/candidates#audit"


def test_nav_and_search_box(client):
    page = client.get("/").text
    assert 'href="/flags"' in page and 'href="/contradictions"' in page
    assert 'action="/search"' in page


# --- search -------------------------------------------------------------------------------

def test_search_groups_people_meetings_statements_articles(client):
    data = client.get("/search.json?q=Venn").json()
    assert VENN in [p["name"] for p in data["people"]]
    assert data["groups"]["meetings"]["total"] >= 2 and all(VENN in m["participants"] for m in data["meetings"])
    assert data["groups"]["statements"]["total"] >= 1
    assert any("Venn" in (a["title"] or "") for a in data["articles"])
    dates = [m["date"] for m in data["meetings"] if m["date"]]
    assert dates == sorted(dates, reverse=True)  # newest first
    page = client.get("/search?q=Venn").text
    for group in ("people", "meetings", "statements", "articles"):
        assert f'id="{group}"' in page
    place = client.get("/search.json?q=port calder").json()
    assert place["meetings"] and all("Port Calder" in (m["place"] or "") for m in place["meetings"])
    assert client.get("/search.json?q=").json()["groups"]["people"]["total"] == 0
    # LIKE's wildcards are taken literally
    assert client.get("/search.json?q=%25").json()["groups"]["articles"]["total"] == 0
    assert client.get("/search.json?q=_").json()["groups"]["people"]["total"] == 0


def test_search_escapes_the_query(client):
    page = client.get("/search", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


# --- Atom ---------------------------------------------------------------------------------

def check_atom(text: str) -> ET.Element:
    """Atom 1.0's required elements (RFC 4287): the feed's id, title, updated and author (or
    every entry's); each entry's id, title, updated and an alternate link."""
    root = ET.fromstring(text.encode())
    assert root.tag == ATOM + "feed"
    for name in ("id", "title", "updated"):
        assert root.find(ATOM + name) is not None and root.find(ATOM + name).text, name
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", root.find(ATOM + "updated").text)
    ids = []
    for entry in root.findall(ATOM + "entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(ATOM + name) is not None and entry.find(ATOM + name).text, name
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", entry.find(ATOM + "updated").text)
        assert entry.find(ATOM + "link").get("href").startswith("http")
        ids.append(entry.find(ATOM + "id").text)
    assert len(ids) == len(set(ids))
    return root


@pytest.mark.parametrize("url", ["/meetings.atom", "/meetings.atom?leader=Venn&sort=newest",
                                 "/statements.atom", "/statements.atom?q=border",
                                 "/flags.atom?show=all", "/contradictions.atom?show=all",
                                 "/meetings/linked.atom", "/commitments.atom"])
def test_listings_have_valid_atom_twins(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = check_atom(response.text)
    assert root.findall(ATOM + "entry")


def test_atom_with_feedparser(client):
    feedparser = pytest.importorskip("feedparser")
    parsed = feedparser.parse(client.get("/meetings.atom?leader=Venn").text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and parsed.entries
    assert all(e.link.startswith("http://testserver/meetings/report/") for e in parsed.entries)


def test_atom_entries_follow_the_query_and_escape_text(client):
    root = check_atom(client.get("/meetings.atom?leader=Venn").text)
    links = [e.find(ATOM + "link").get("href") for e in root.findall(ATOM + "entry")]
    listed = [m["href"] for m in client.get("/meetings.json?leader=Venn").json()["rows"]]
    assert [link.removeprefix("http://testserver") for link in links] == listed
    text = client.get("/statements.atom").text
    assert "<script>" not in text and "<img" not in text  # article text is escaped
    assert 'type="application/atom+xml"' in client.get("/meetings").text


def test_row_pages_have_no_atom(client):
    assert client.get("/meetings/report/pipeline-1:m1?_format=atom").status_code == 400
