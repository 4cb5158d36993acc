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
    # the same reports (a feed lists those stored last first; the page, by date)
    assert sorted(link.removeprefix("http://testserver") for link in links) == sorted(listed)
    text = client.get("/statements.atom").text
    assert "<script>" not in text and "<img" not in text  # article text is escaped
    assert 'type="application/atom+xml"' in client.get("/meetings").text


def test_row_pages_have_no_atom(client):
    assert client.get("/meetings/report/pipeline-1:m1?_format=atom").status_code == 400


# --- meetings: sort and date range ------------------------------------------------------------

def every_row(client, url: str, size: int = 2) -> list[dict]:
    """Every row of a listing, read through its keyset pages of `size`."""
    rows, next_url = [], url + ("&" if "?" in url else "?") + f"size={size}"
    while next_url:
        path, _, query = next_url.partition("?")
        data = client.get(path + ".json?" + query).json()
        rows += data["rows"]
        next_url = data["next_url"]
    return rows


@pytest.mark.parametrize("listing", ["/meetings", "/meetings/linked"])
def test_meetings_newest_first_by_default_and_oldest_on_request(client, listing):
    newest = every_row(client, listing)
    dated = [m["date"] for m in newest if m["date"]]
    assert dated == sorted(dated, reverse=True) and newest[-1]["date"] is None  # undated last
    oldest = every_row(client, listing + "?sort=oldest")
    assert [m["date"] for m in oldest if m["date"]] == sorted(dated)
    assert sorted(m["id"] for m in newest) == sorted(m["id"] for m in oldest)  # pages lose nothing
    assert len({m["id"] for m in newest}) == len(newest)  # nor repeat anything
    assert client.get(listing + ".json?sort=sideways").status_code == 400


def test_linked_meetings_by_most_reports(client, ids):
    rows = every_row(client, "/meetings/linked?sort=reports")
    counts = [m["reports"] for m in rows]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2 and ids["calder"] in [m["id"] for m in rows[:4]]
    assert len({m["id"] for m in rows}) == len(rows) == client.get("/meetings/linked.json").json()["total"]
    page = client.get("/meetings/linked?sort=reports").text
    assert 'class="current" aria-current="true">most reports</a>' in page


@pytest.mark.parametrize("listing", ["/meetings", "/meetings/linked"])
def test_meetings_by_date_range(client, listing):
    rows = every_row(client, listing + "?from=2031-03-12&to=2031-06")
    assert rows and all("2031-03-12" <= m["date"][:10] and m["date"][:7] <= "2031-06" for m in rows)
    everything = every_row(client, listing, size=500)
    expected = [m["id"] for m in everything if m["date"] and "2031-03-12" <= m["date"] <= "2031-06-30"]
    assert sorted(m["id"] for m in rows) == sorted(expected)
    year = every_row(client, listing + "?from=2031&to=2031")
    assert {m["date"][:4] for m in year} == {"2031"}
    for bad in ("from=2031-13", "from=yesterday", "to=31-01-2031", "from=2032&to=2031"):
        response = client.get(f"{listing}.json?{bad}")
        assert response.status_code == 400 and "bad query" in response.json()["error"], bad
    page = client.get(listing + "?from=2031-03-12&leader=Venn").text
    assert 'name="from" value="2031-03-12"' in page and 'type="hidden" name="leader" value="Venn"' in page


def test_partial_dates_overlap_the_range(db_url):
    """The comparisons on YYYY / YYYY-MM / YYYY-MM-DD text, against both backends' SQL."""
    from summitry.records import Article, ArticleRecord, MeetingReport
    from summitry.web.queries import MeetingFilter, date_bound, meetings_page

    with Store(db_url) as store:
        for n, when in enumerate(["2030", "2031", "2031-05", "2031-06-15", "2031-07-01", None]):
            article = Article(id=f"d{n}", text=f"Nobody met anyone {n}.", title=f"d{n}", origin="test")
            store.add_article(article)
            store.save_record(ArticleRecord(id=article.id, meetings=[MeetingReport(
                ["Ona Vell", "Ira Dask"], when, None, None, "held", None)]), article)
        f = MeetingFilter(date_from=date_bound("2031-05-20", end=False), date_to=date_bound("2031-06", end=True))
        assert sorted(m["date"] for m in meetings_page(store, f).rows) == ["2031", "2031-05", "2031-06-15"]
        assert [m["date"] for m in meetings_page(store, MeetingFilter(sort="oldest")).rows] == [
            "2030", "2031", "2031-05", "2031-06-15", "2031-07-01", None]
        # canonical meetings in every order, page by page (the keyset on a count, on PostgreSQL too)
        from summitry.pipeline import link_meetings
        from summitry.web.queries import all_rows
        from summitry.web.record_pages import linked_page

        link_meetings(store)
        every = {m["id"] for m in store.canonical_meetings()}
        for sort in ("newest", "oldest", "reports"):
            rows = list(all_rows(linked_page, store, MeetingFilter(sort=sort), batch=2))
            assert {m["id"] for m in rows} == every and len(rows) == len(every), sort
        ranged = list(all_rows(linked_page, store, MeetingFilter(sort="reports", **{
            "date_from": date_bound("2031-05-20", end=False), "date_to": date_bound("2031-06", end=True)}), batch=1))
        assert rows and all(m["date"][:4] == "2031" for m in ranged)


# --- long pages fold --------------------------------------------------------------------------

def sections(page: str) -> dict[str, tuple[bool, str]]:
    """id -> (open, the summary's text) of every folding section of a page."""
    found = {}
    for m in re.finditer(r'<details class="section" id="([^"]+)"( open)?>\s*<summary>(.*?)</summary>', page, re.S):
        found[m.group(1)] = (bool(m.group(2)), " ".join(re.sub(r"<[^>]+>", " ", m.group(3)).split()))
    return found


def test_long_pages_fold_into_sections_with_counts(client, ids):
    meeting = sections(client.get(f"/meetings/{ids['calder']}").text)
    assert {"reports", "contradictions", "commitments", "statements", "flags"} <= set(meeting)
    data = client.get(f"/meetings/{ids['calder']}.json").json()
    assert meeting["statements"][1] == f"Statements ({len(data['statements'])})"
    assert meeting["reports"] == (True, "Reports (2)")
    pair = sections(client.get(f"/pairs/{VENN}/{RELL}").text)
    assert {"timeline", "base-rates", "cooperation", "commitments", "briefing"} <= set(pair)
    article = sections(client.get("/articles/pipeline-1").text)
    assert article["text"][0] and article["statements"][1].startswith("Statements (")
    assert article["meetings"][1] == "Meeting reports (1)"


def test_a_long_section_starts_folded():
    from jinja2 import Environment, FileSystemLoader

    from summitry.web.app import HERE

    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    macro = env.from_string('{% import "_macros.html" as ui %}{% call ui.section("s", "Rows", n) %}body{% endcall %}')
    assert sections(macro.render(n=3))["s"] == (True, "Rows (3)")
    assert sections(macro.render(n=300))["s"] == (False, "Rows (300)")


# --- source links ----------------------------------------------------------------------------

@pytest.mark.parametrize("url, href", [
    ("https://example.org/a?b=1", "https://example.org/a?b=1"),
    ("HTTP://example.org/", "HTTP://example.org/"),
    ("javascript:alert(1)", None), ("JavaScript:alert(1)", None), ("data:text/html,<b>x</b>", None),
    ("file:///etc/passwd", None), ("/relative/path", None), ("https://", None),
    ("https://exa mple.org/", None), ("https://example.org/\x00x", None), ("//example.org/", None),
    ("", None), (None, None)])
def test_only_web_addresses_become_links(url, href):
    from summitry.web.shared import web_href

    assert web_href(url) == href


def test_article_source_url_is_a_link_only_when_safe(client, ids):
    hostile = client.get("/articles/hostile-1").text  # its URL is javascript:alert(1)
    assert 'href="javascript' not in hostile and '<code class="url">javascript:alert(1)</code>' in hostile
    from summitry.records import Article, ArticleRecord

    with Store(ids["url"]) as store:
        article = Article(id="linked-url", text="Nobody met anyone here at all.", title="A <b>plain</b> page",
                          url='https://example.org/news?a=1&b="2"', origin="test")
        store.add_article(article)
        store.save_record(ArticleRecord(id=article.id), article)
    page = client.get("/articles/linked-url").text
    assert ('<a class="url" href="https://example.org/news?a=1&amp;b=&#34;2&#34;" rel="nofollow noopener noreferrer">'
            in page)
    assert "<b>plain</b>" not in page and "&lt;b&gt;plain&lt;/b&gt;" in page


# --- charts -----------------------------------------------------------------------------------

def test_pair_timeline_chart_links_each_stored_meeting(client, ids):
    page = client.get(f"/pairs/{VENN}/{RELL}").text
    chart = re.search(r'<figure class="chart pair-chart".*?</figure>', page, re.S).group(0)
    assert "<svg" in chart and "<script" not in chart
    links = set(re.findall(r'<a xlink:href="([^"]+)"', chart))
    data = client.get(f"/pairs/{VENN}/{RELL}.json").json()
    stored = {"http://testserver" + e["href"] for e in data["timeline"]
              if e["source"] == "record" and e["date"] and not e["suspect"]}
    assert links == stored and f"http://testserver/meetings/{ids['calder']}" in links
    # held, planned, cancelled ... each its own row, colour and shape
    spec = data["timeline_chart"]
    assert spec["encoding"]["y"]["field"] == "status" and spec["encoding"]["color"]["field"] == "status"
    assert {v["status"] for v in spec["data"]["values"]} == {e["status"] for e in data["timeline"] if e["date"] and not e["suspect"]}
    # a place whose name is HTML is text in the chart, never markup
    assert "<img" not in chart and "&lt;img" in page


def test_timeline_spec_marks_statuses_and_links_only_stored_meetings():
    from summitry.web.charts import pair_timeline_spec, svg

    entries = [{"date": "2031-06-10", "status": "held", "source": "record", "href": "/meetings/m-1", "reports": 2},
               {"date": "2032-03", "status": "planned", "source": "record", "href": "/meetings/m-2"},
               {"date": "2032-09-01", "status": "cancelled", "source": "reference", "href": None,
                "place": '"><script>alert(1)</script>'},
               {"date": None, "status": "held", "source": "record", "href": "/meetings/m-3"}]
    spec = pair_timeline_spec(entries, "http://example.org")
    assert [v["status"] for v in spec["data"]["values"]] == ["held", "planned", "cancelled"]  # undated left out
    assert [v.get("link") for v in spec["data"]["values"]] == [
        "http://example.org/meetings/m-1", "http://example.org/meetings/m-2", None]
    assert spec["encoding"]["y"]["sort"] == ["held", "planned", "cancelled"]
    drawn = svg(spec)
    if drawn is None:
        pytest.skip("vl-convert-python is not installed")
    assert re.findall(r'<a xlink:href="([^"]+)"', drawn) == ["http://example.org/meetings/m-1",
                                                            "http://example.org/meetings/m-2"]
    assert "<script" not in drawn
    assert pair_timeline_spec([entries[-1]], "") is None


def test_home_page_chart_of_meetings_per_year(client):
    data = client.get("/.json").json()
    years = {(y["year"], y["status"]): y["meetings"] for y in data["meetings_per_year"]}
    assert years and data["per_year_listing"] == "/meetings/linked"
    linked = client.get("/meetings/linked.json?year=2031&status=held").json()["total"]
    assert years[("2031", "held")] == linked
    page = client.get("/").text
    chart = re.search(r'<figure class="chart per-year".*?</figure>', page, re.S).group(0)
    assert "http://testserver/meetings/linked?year=2031&amp;status=held" in chart


@pytest.mark.parametrize("counts, ticks", [
    ([("2018", "held", 1), ("2019", "held", 2)], ["0", "1", "2"]),
    ([("2018", "held", 3), ("2018", "planned", 4)], [str(n) for n in range(8)]),
])
def test_meetings_per_year_axis_counts_whole_meetings(counts, ticks):
    from summitry.web.charts import per_year_spec, svg
    drawn = svg(per_year_spec(counts, ""))
    if drawn is None:
        pytest.skip("vl-convert-python is not installed")
    labels = re.findall(r">([0-9.]+)</text>", str(drawn))
    assert [t for t in labels if len(t) < 4] == ticks  # no 0.5 ticks (the years are 4 long)


def test_meetings_between_two_leaders_chart_their_reports(client):
    page = client.get("/meetings", params=[("between", VENN), ("between", RELL)]).text
    chart = re.search(r'<figure class="chart pair-chart".*?</figure>', page, re.S).group(0)
    links = set(re.findall(r'<a xlink:href="http://testserver(/meetings/report/[^"]+)"', chart))
    data = client.get("/meetings.json", params=[("between", VENN), ("between", RELL)]).json()
    assert links == {m["href"] for y in data["timeline"] for m in y["meetings"] if m["date"]}
    assert "<img" not in chart


@pytest.mark.parametrize("listing", ["/meetings", "/meetings/linked", "/meetings/linked?sort=reports",
                                     "/meetings?sort=oldest", "/meetings/linked?sort=oldest"])
def test_crafted_cursors_are_400(client, listing):
    import base64
    import json

    sep = "&" if "?" in listing else "?"
    path, _, query = listing.partition("?")
    real = client.get(f"{path}.json?{query}&size=1").json()["next"]
    kind = json.loads(base64.urlsafe_b64decode(real + "=" * (-len(real) % 4)))[0]
    for key in ([kind, 1, 2, 3], [kind, ["x"], "a", 1], [kind, "a", "b", "c"], [kind, None, None],
                [kind, "a"], ["other", "a", "b", 1]):
        cursor = base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")
        response = client.get(f"{listing}{sep}after={cursor}")
        assert response.status_code == 400, (key, response.status_code)
    assert client.get(f"{listing}{sep}after={real}").status_code == 200
