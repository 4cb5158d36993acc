"""The web app (read side) through FastAPI's TestClient, on a real SQLite store.

The store is filled by the real pipeline (three articles about fictional leaders) and by
hand-made records where a test needs exact offsets: a hostile article whose text and title
carry HTML and script, with overlapping and out-of-range spans, and a digest with enough
meeting reports and statements to page through. No real person is quoted here.
"""
from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from summitry.records import Article, ArticleRecord, MeetingReport, Statement
from summitry.store import Store
from summitry.web import create_app
from summitry.web.shared import Highlight, highlight

PIPELINE_ARTICLES = [
    ("Venn and Rell meet in Port Calder", date(2031, 6, 12), "Norland Wire", """\
Venn and Rell meet in Port Calder

PORT CALDER (Wire) - President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia in Port Calder on Tuesday, in talks scheduled for 45 minutes that lasted nearly three hours.

"We have agreed to open the border crossings by spring," Venn told reporters after the meeting. "It is a beginning."

Rell said the two governments would set up a joint water commission, but warned that "nothing is settled until the treaty is signed."
"""),
    ("Rell and Venn speak by phone", date(2032, 2, 3), "Estovia Herald", """\
Rell and Venn speak by phone

Prime Minister Tomas Rell of Estovia spoke with President Arla Venn of Norland by telephone on Monday, his office said.

"The river treaty is ready for signature," Rell told reporters in Estovar after the call.

Venn said Norland would send a delegation to Estovar in March.
"""),
    ("Renn to host Venn in Sarvik", date(2032, 5, 20), "Sarvland Daily", """\
Renn to host Venn in Sarvik

Chancellor Ivo Renn of Sarvland said on Thursday he would host President Arla Venn of Norland in Sarvik next month.

"Our grain corridor must stay open," Renn said. "We will talk about the harbour too."
"""),
]

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_TEXT = f"""\
Summit {SCRIPT} in Lindholm

President Alda Morvane said "{IMG} we will reopen the crossings" on Friday, and Kell added that "shipping comes next". The two leaders met in Lindholm & talked for 170 minutes.
"""
HOSTILE_TITLE = f"Summit {SCRIPT} in Lindholm"


def span(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def hostile_article() -> tuple[Article, ArticleRecord]:
    text = HOSTILE_TEXT
    q1 = span(text, f"{IMG} we will reopen the crossings")
    q2 = span(text, "reopen the crossings\" on Friday, and Kell added that \"shipping")  # overlaps q1 and q3
    q3 = span(text, "shipping comes next")
    mention = span(text, "Alda Morvane")
    evidence = span(text, "Kell added that \"shipping comes next\". The two leaders met in Lindholm")
    article = Article(id="hostile-1", text=text, title=HOSTILE_TITLE, published=date(2031, 3, 3),
                      source="<b>Wire</b>", url="javascript:alert(1)", origin="test")
    record = ArticleRecord(id=article.id, statements=[
        Statement("Alda Morvane", "Alda Morvane", text[q1[0]:q1[1]], "direct", "said", *q1,
                  mention_start=mention[0], mention_end=mention[1]),
        Statement(None, "officials", "overlapping span", "indirect", "said", *q2),
        Statement("Tomas Kell", "Kell", "shipping comes next", "mixed", "added", *q3, parts=[list(q3)]),
        Statement("Tomas Kell", "Kell", "out of range", "direct", "said", len(text) - 3, len(text) + 50),
    ], meetings=[
        MeetingReport(["Alda Morvane", "Tomas Kell"], "2031-03-03", "Lindholm", None, "held", "bilateral",
                      scheduled_minutes=60, actual_minutes=170, evidence=text[evidence[0]:evidence[1]],
                      evidence_start=evidence[0], evidence_end=evidence[1]),
        MeetingReport(["Alda Morvane", "Tomas Kell"], None, None, None, "planned", None,
                      evidence_start=-5, evidence_end=3),  # bad offsets: ignored, text intact
    ])
    return article, record


def digest_article() -> tuple[Article, ArticleRecord]:
    """Many meetings and statements, with ties and undated rows, for paging."""
    text = "Lindholm digest\n\n" + " ".join(f"Item {n} of the digest." for n in range(1, 13))
    article = Article(id="digest-1", text=text, title="Lindholm digest", published=None,
                      source="Digest", origin="test")
    dates = ["2029", "2029-05", "2029-05-01", "2029-05-01", None, "2030-01-02", None]
    meetings = [MeetingReport(["Alda Morvane", "Tomas Kell"], d, "Lindholm", None,
                              "held" if n % 2 else "cancelled", "summit" if n % 3 else "phone")
                for n, d in enumerate(dates)]
    statements = [Statement("Alda Morvane" if n % 2 else "Tomas Kell", None, f"digest remark {n}",
                            "indirect", "said", *span(text, f"Item {n} of"))
                  for n in range(1, 8)]
    return article, ArticleRecord(id=article.id, statements=statements, meetings=meetings)


def fill_store(url: str) -> dict[str, str]:
    """Store the fixture articles in the database at `url`; their ids by name."""
    from summitry.nlp.extractor import Extractor

    articles = [Article(id=f"pipeline-{n}", text=text, title=title, published=published,
                        source=source, origin="test")
                for n, (title, published, source, text) in enumerate(PIPELINE_ARTICLES, start=1)]
    with Store(url) as store:
        for article, record in Extractor().extract_many(articles):
            store.add_article(article)
            store.save_record(record, article)
        for article, record in (hostile_article(), digest_article()):
            store.add_article(article)
            store.save_record(record, article)
    return {"hostile": "hostile-1", "digest": "digest-1", "summit": "pipeline-1"}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    fill_store(url)
    return url


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def article_text_of(page: str) -> str:
    """The characters shown in the article text box of an article page."""
    body = re.search(r'<div class="article-text">(.*?)</div>', page, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]*>", "", body))


# --- every page, HTML and JSON ------------------------------------------------------------

def pages(client) -> list[str]:
    meeting = client.get("/meetings.json").json()["rows"][0]
    statement = next(s for s in client.get("/statements.json").json()["rows"] if s["speaker"])
    return ["/", "/meetings", "/meetings?leader=Arla+Venn&status=held",
            "/meetings?between=Venn&between=Rell", "/statements", "/statements?q=water",
            "/statements?speaker=Tomas+Rell&year=2031", meeting["href"], statement["href"],
            f"/speakers/{statement['speaker'].replace(' ', '%20')}", "/articles/pipeline-1",
            "/articles/hostile-1", "/articles/digest-1"]


def test_every_page_is_html_and_json(client):
    for url in pages(client):
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.headers["content-type"].startswith("text/html"), url
        assert "<h1>" in page.text and "Traceback" not in page.text
        path, _, query = url.partition("?")
        as_json = client.get(("/.json" if path == "/" else path + ".json") + ("?" + query if query else ""))
        assert as_json.status_code == 200, url
        assert as_json.headers["content-type"] == "application/json", url
        accepted = client.get(url, headers={"Accept": "application/json"})
        assert accepted.json() == as_json.json(), url
        formatted = client.get(url + ("&" if "?" in url else "?") + "_format=json")
        assert formatted.json() == as_json.json(), url


def test_head_gets_the_headers_of_get_without_a_body(client):
    for url in ["/", "/meetings", "/meetings.csv", "/statements.json", "/static/summitry.css"]:
        got, head = client.get(url), client.head(url)
        assert head.status_code == 200 and got.status_code == 200, url
        assert head.content == b"", url
        assert head.headers["content-type"] == got.headers["content-type"], url
        assert "content-security-policy" in head.headers, url
    assert client.head("/no-such-page").status_code == 404
    assert client.head("/login").status_code == 200  # GET and POST route: HEAD is its GET


def test_home_counts_and_latest_articles(client):
    data = client.get("/.json").json()
    assert data["counts"]["articles"] == 5
    assert data["counts"]["statements"] >= 11 and data["counts"]["meeting_reports"] >= 10
    latest = [a["id"] for a in data["latest_articles"]]
    assert latest[0] == "pipeline-3" and latest[-1] == "digest-1"  # newest first, undated last
    assert all(a["href"] == f"/articles/{a['id']}" for a in data["latest_articles"])


def test_openapi_describes_the_json_routes(client):
    spec = client.get("/openapi.json").json()
    for path in ("/meetings.json", "/meetings.csv", "/statements.json", "/statements/{statement_id}.json",
                 "/articles/{article_id}.json", "/speakers/{name}.json", "/.json"):
        assert path in spec["paths"], path
    schema = spec["paths"]["/meetings.json"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/MeetingsPage")
    assert {"leader", "between", "year", "status", "format", "after", "size"} <= {
        p["name"] for p in spec["paths"]["/meetings.json"]["get"]["parameters"]}
    assert "MeetingReport" in spec["components"]["schemas"]


# --- facets, search, timeline ----------------------------------------------------------------

def test_meeting_facets_filter(client):
    everything = client.get("/meetings.json", params={"size": 500}).json()
    leaders = {v["value"]: v for v in next(f for f in everything["facets"] if f["name"] == "leader")["values"]}
    assert {"Arla Venn", "Tomas Rell", "Alda Morvane", "Tomas Kell"} <= set(leaders)

    venn = client.get(leaders["Arla Venn"]["toggle_url"].replace("/meetings", "/meetings.json")).json()
    assert venn["total"] == leaders["Arla Venn"]["count"] == len(venn["rows"]) > 0
    assert all("Arla Venn" in m["participants"] for m in venn["rows"])
    selected = next(f for f in venn["facets"] if f["name"] == "leader")["values"]
    assert [v["toggle_url"] for v in selected if v["value"] == "Arla Venn" and v["selected"]] == ["/meetings?size=500"]

    filtered = client.get("/meetings.json", params={"leader": "Morvane", "status": "held", "year": 2029}).json()
    assert filtered["rows"] and all(m["status"] == "held" and m["date"].startswith("2029")
                                    and "Alda Morvane" in m["participants"] for m in filtered["rows"])
    years = next(f for f in filtered["facets"] if f["name"] == "year")["values"]
    assert [v["value"] for v in years] == ["2029"] and years[0]["selected"]
    assert client.get("/meetings.json", params={"format": "phone"}).json()["rows"]
    assert all(m["format"] == "phone" for m in client.get("/meetings.json", params={"format": "phone"}).json()["rows"])


def test_facet_links_keep_the_query_in_the_url(client):
    page = client.get("/meetings", params={"leader": "Alda Morvane", "status": "held"}).text
    assert 'href="/meetings?leader=Alda+Morvane&amp;status=held&amp;year=2029"' in page


def test_pair_timeline_grouped_by_year(client):
    data = client.get("/meetings.json", params=[("between", "Alda Morvane"), ("between", "Tomas Kell")]).json()
    years = [y["year"] for y in data["timeline"]]
    assert years == ["2029", "2030", "2031", "undated"]
    assert sum(len(y["meetings"]) for y in data["timeline"]) == data["total"] == 9
    assert client.get("/meetings.json", params={"leader": "Alda Morvane"}).json()["timeline"] is None
    page = client.get("/meetings", params=[("between", "Alda Morvane"), ("between", "Tomas Kell")]).text
    assert 'class="timeline"' in page and "<h3>2030</h3>" in page


def test_statement_search_and_facets(client):
    found = client.get("/statements.json", params={"q": "water commission"}).json()
    assert found["rows"] and all("water" in s["quote"] for s in found["rows"])
    assert found["rows"][0]["speaker"] == "Tomas Rell"
    assert client.get("/statements.json", params={"q": 'OR * "NEAR('}).json()["rows"] == []
    assert client.get("/statements", params={"q": "' OR 1=1 --"}).status_code == 200

    everything = client.get("/statements.json", params={"size": 500}).json()
    facets = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in everything["facets"]}
    assert facets["source"]["Digest"] == 7 and facets["year"]["2031"] >= 3
    kell = client.get("/statements.json", params={"speaker": "Tomas Kell"}).json()
    assert kell["total"] == facets["speaker"]["Tomas Kell"] and all(s["speaker"] == "Tomas Kell" for s in kell["rows"])
    herald = client.get("/statements.json", params={"source": "Estovia Herald", "year": 2032}).json()
    assert herald["rows"] and all(s["article_source"] == "Estovia Herald" for s in herald["rows"])
    assert client.get("/statements.json", params={"source": "Estovia Herald", "year": 2031}).json()["rows"] == []


def test_speaker_page(client):
    data = client.get("/speakers/Kell.json").json()
    assert data["actors"] == ["Tomas Kell"] and all(s["speaker"] == "Tomas Kell" for s in data["rows"])
    assert client.get("/speakers/Nobody%20Atall").status_code == 404


# --- keyset pagination -------------------------------------------------------------------------

@pytest.mark.parametrize("listing,params", [
    ("/meetings.json", {}), ("/meetings.json", {"leader": "Alda Morvane"}),
    ("/statements.json", {}), ("/statements.json", {"speaker": "Alda Morvane"}),
])
def test_keyset_pages_cover_every_row_once(client, listing, params):
    everything = client.get(listing, params={**params, "size": 500}).json()
    for size in (1, 2, 3):
        seen, url, query = [], listing, {**params, "size": size}
        while True:
            page = client.get(url, params=query).json()
            assert len(page["rows"]) <= size
            seen += [r["id"] for r in page["rows"]]
            if page["next"] is None:
                break
            query = {**query, "after": page["next"]}
        assert seen == [r["id"] for r in everything["rows"]]
        assert len(seen) == len(set(seen)) == everything["total"]


def test_next_url_keeps_the_query(client):
    page = client.get("/meetings.json", params={"leader": "Alda Morvane", "size": 2}).json()
    assert page["next_url"].startswith("/meetings?leader=Alda+Morvane&size=2&after=")
    html_page = client.get("/meetings", params={"leader": "Alda Morvane", "size": 2}).text
    assert 'rel="next"' in html_page


def test_a_cursor_the_app_did_not_make_is_a_bad_request(client):
    assert client.get("/meetings.json", params={"after": "nonsense"}).status_code == 400
    other = client.get("/statements.json", params={"size": 1}).json()["next"]
    wrong = client.get("/meetings", params={"after": other})
    assert wrong.status_code == 400 and "bad cursor" in wrong.text and "Traceback" not in wrong.text


# --- exports ---------------------------------------------------------------------------------

def test_csv_exports_parse(client):
    for url, params in (("/meetings.csv", {"leader": "Alda Morvane"}), ("/meetings", {"_format": "csv"}),
                        ("/statements.csv", {}), ("/statements", {"q": "digest", "_format": "csv"})):
        response = client.get(url, params=params)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        assert "attachment" in response.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(response.text)))
        listing = url.removesuffix(".csv") + ".json"
        expected = client.get(listing, params={k: v for k, v in params.items() if k != "_format"}).json()
        assert [r["id"] for r in rows] == [r["id"] for r in expected["rows"]]
    assert client.get("/articles/hostile-1", params={"_format": "csv"}).status_code == 400
    meetings = list(csv.DictReader(io.StringIO(client.get("/meetings.csv", params={"year": 2031}).text)))
    assert any(r["participants"] == "Alda Morvane; Tomas Kell" and r["actual_minutes"] == "170" for r in meetings)


def test_csv_cells_never_start_a_formula(client):
    statements = list(csv.DictReader(io.StringIO(client.get("/statements.csv").text)))
    hostile = next(r for r in statements if r["id"] == "hostile-1:s1")
    assert hostile["quote"].startswith('"><img')  # kept as it is: it is no formula
    from summitry.web.shared import csv_cell as _csv_cell
    assert _csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and _csv_cell(-3) == "-3"


# --- the article page: highlights and hostile text ----------------------------------------------

def test_hostile_article_is_shown_as_text(client):
    for url in ("/articles/hostile-1", "/", "/statements", "/meetings", "/statements/hostile-1:s1",
                "/meetings/report/hostile-1:m1", "/speakers/Alda%20Morvane"):
        page = client.get(url).text
        assert SCRIPT not in page and "<img" not in page and "<b>Wire" not in page, url
        assert "onerror=alert(1)>" not in page, url
    page = client.get("/articles/hostile-1").text
    assert html.escape(SCRIPT) in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;Wire&lt;/b&gt;" in page
    assert 'href="javascript' not in page and "javascript:alert(1)" in page  # the URL shown as text
    assert f"<title>{html.escape(HOSTILE_TITLE, quote=False)} · summitry</title>" in page


def test_article_highlights_every_character_once(client):
    page = client.get("/articles/hostile-1").text
    assert article_text_of(page) == HOSTILE_TEXT
    assert 'class="quote ref-s1"' in page  # a statement's own segment
    assert re.search(r'<mark class="quote meeting ref-s3 ref-m1"', page)  # quote inside evidence
    assert re.search(r'<mark class="quote ref-s1 ref-s2"', page)  # two overlapping quotes
    assert 'class="speaker ref-s1"' in page and 'data-label="Tomas Kell"' in page
    assert 'id="s1"' in page and 'id="m1"' in page and 'id="s4"' not in page  # s4's offsets are bad
    data = client.get("/articles/hostile-1.json").json()
    assert data["text"] == HOSTILE_TEXT and {"s4", "m2"}.isdisjoint(s["ref"] for s in data["spans"])
    for name in ("pipeline-1", "digest-1"):
        shown = article_text_of(client.get(f"/articles/{name}").text)
        assert shown == client.get(f"/articles/{name}.json").json()["text"]


def test_highlight_overlapping_nested_and_bad_spans():
    text = "abcdefghij<&>"
    spans = [Highlight(1, 6, "quote", "s1", "one"), Highlight(3, 9, "quote", "s2", "two", label="X"),
             Highlight(4, 5, "speaker", "s1"), Highlight(0, 13, "meeting", "m1"),
             Highlight(-1, 4, "quote", "s9"), Highlight(5, 99, "quote", "s8"), Highlight(7, 7, "quote", "s7"),
             Highlight(None, 2, "quote", "s6")]  # type: ignore[arg-type]
    out = str(highlight(text, spans))
    assert html.unescape(re.sub(r"<[^>]*>", "", out)) == text
    assert "&lt;&amp;&gt;" in out and "<&>" not in out
    assert '<mark class="quote speaker meeting ref-s1 ref-s2 ref-m1" title="one; two">e</mark>' in out
    assert out.count('data-label="X"') == 1 and "s9" not in out and "s8" not in out and "s7" not in out
    assert out.count('id="s1"') == 1 and out.count('id="m1"') == 1
    assert str(highlight("plain", [])) == "plain" and str(highlight("", [Highlight(0, 1, "quote", "s1")])) == ""


# --- row pages and errors -------------------------------------------------------------------------

def test_row_pages_have_stable_urls(client):
    report = client.get("/meetings/report/hostile-1:m1.json").json()
    assert report["meeting"]["href"] == "/meetings/report/hostile-1:m1"
    assert report["meeting"]["actual_minutes"] == 170
    assert {s["id"] for s in report["statements"]} == {f"hostile-1:s{n}" for n in range(1, 5)}
    assert report["related"] and all("Alda Morvane" in m["participants"] for m in report["related"])
    statement = client.get("/statements/hostile-1:s3.json").json()
    assert statement["statement"]["speaker"] == "Tomas Kell" and statement["statement"]["href"] == "/statements/hostile-1:s3"
    page = client.get("/statements/hostile-1:s3").text
    assert 'href="/articles/hostile-1#s3"' in page and 'href="/speakers/Tomas%20Kell"' in page


def test_unknown_pages_are_404_pages(client):
    for url in ("/articles/nope", "/meetings/report/nope:m1", "/statements/nope:s1", "/no/such/page"):
        page = client.get(url)
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert 'class="error"' in page.text and "Traceback" not in page.text
    as_json = client.get("/articles/nope.json")
    assert as_json.status_code == 404 and as_json.json() == {"status": 404, "error": "no article 'nope'"}
    assert client.get("/articles/nope", headers={"Accept": "application/json"}).json()["status"] == 404
    assert client.get("/articles/..%2f..%2fetc%2fpasswd").status_code == 404
    assert client.get("/meetings", params={"year": "soon"}).status_code == 400


def test_server_errors_show_a_page_not_a_traceback(db, monkeypatch):
    from summitry.web import queries

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(queries, "latest_articles", broken)
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        page = c.get("/")
        assert page.status_code == 500 and 'class="error"' in page.text
        assert "secret detail" not in page.text and "Traceback" not in page.text
        assert c.get("/.json").json() == {"status": 500, "error": "Something went wrong on our side."}


def test_listings_on_sqlite_and_postgresql(db_url):
    """The app's own queries (facets, keyset cursors, year filters) on both backends."""
    with Store(db_url) as store:
        for article, record in (hostile_article(), digest_article()):
            store.save_record(record, article)
    with TestClient(create_app(db_url)) as c:
        meetings = c.get("/meetings.json", params={"size": 500}).json()
        assert meetings["total"] == 9 and meetings["rows"][-1]["date"] is None
        years = {v["value"]: v["count"] for v in meetings["facets"][1]["values"]}
        assert years == {"2029": 4, "2030": 1, "2031": 1}
        for listing in ("/meetings.json", "/statements.json"):
            seen, query = [], {"size": 2}
            while True:
                page = c.get(listing, params=query).json()
                seen += [r["id"] for r in page["rows"]]
                if not page["next"]:
                    break
                query["after"] = page["next"]
            assert seen == [r["id"] for r in c.get(listing, params={"size": 500}).json()["rows"]]
        statements = c.get("/statements.json", params={"year": 2031, "q": "crossings"}).json()
        assert [s["id"] for s in statements["rows"]] == ["hostile-1:s1"]
        assert {v["value"] for v in statements["facets"][2]["values"]} == {"2031"}
        assert c.get("/speakers/Morvane.json").json()["actors"] == ["Alda Morvane"]
        assert c.get("/articles/hostile-1").status_code == 200
