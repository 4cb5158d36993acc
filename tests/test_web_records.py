"""The record pages of the web app (summitry/web/record_pages.py) through FastAPI's TestClient.

A real SQLite store: the articles of tests/test_web.py (the real pipeline on fictional
leaders, plus a hostile and a digest article), and hand-made articles where a test needs an
exact case: a second account of the Venn–Rell meeting in Port Calder that gives another
length (a disputed field and a contradiction) and carries hostile text in a quote and in a
commitment, a meeting at a hostile place, and a meeting of another pair that a later
article merges into an older one. Then `link_meetings` and two status changes.
No real person is quoted here.
"""
from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime, timezone

import pytest
from fastapi.testclient import TestClient
from test_web import IMG, SCRIPT, fill_store, span

from summitry.pipeline import check_flags, link_meetings
from summitry.records import (
    Article,
    ArticleRecord,
    Commitment,
    MeetingReport,
    Statement,
)
from summitry.store import Store
from summitry.web import create_app
from summitry.web.record_pages import COMMITMENT_COLUMNS, LINKED_COLUMNS, briefing_html

VENN, RELL = "Arla Venn", "Tomas Rell"
MARSK, PELL = "Ida Marsk", "Oskar Pell"
JS_LINK = "[click](javascript:alert(1))"
HOSTILE_ACTION = f"reopen {SCRIPT} the crossings {IMG} {JS_LINK}"
HOSTILE_PLACE = f"Lake {IMG}"
PAIR = "/pairs/Arla%20Venn/Tomas%20Rell"


def courier_article() -> tuple[Article, ArticleRecord]:
    """A second account of the Port Calder meeting: two hours where pipeline-1 says three."""
    text = (f"Courier {SCRIPT}\n\nPORT CALDER - Arla Venn and Tomas Rell met in Port Calder on Tuesday "
            f"for two hours. Venn said \"{IMG} the talks were frank\". They agreed to {HOSTILE_ACTION} by autumn.\n")
    evidence = span(text, "Arla Venn and Tomas Rell met in Port Calder on Tuesday for two hours")
    quote = span(text, f"{IMG} the talks were frank")
    action = span(text, HOSTILE_ACTION)
    article = Article(id="courier-1", text=text, title=f"Courier {SCRIPT}", published=date(2031, 6, 13),
                      source="Courier", origin="test")
    return article, ArticleRecord(
        id=article.id,
        statements=[Statement(VENN, "Venn", text[quote[0]:quote[1]], "direct", "said", *quote)],
        meetings=[MeetingReport([VENN, RELL], "2031-06-10", "Port Calder", None, "held", "bilateral",
                                actual_minutes=120, evidence=text[evidence[0]:evidence[1]],
                                evidence_start=evidence[0], evidence_end=evidence[1])],
        commitments=[Commitment([VENN, RELL], HOSTILE_ACTION, "do", "agreed", "2031-10", "agreed", *action,
                                sentence=f"They agreed to {HOSTILE_ACTION} by autumn.")])


def gazette_article() -> tuple[Article, ArticleRecord]:
    """A Venn–Rell summit at a place whose name is hostile HTML."""
    text = f"Gazette\n\nArla Venn and Tomas Rell held a summit at {HOSTILE_PLACE}.\n"
    evidence = span(text, f"Arla Venn and Tomas Rell held a summit at {HOSTILE_PLACE}")
    article = Article(id="gazette-1", text=text, title="Gazette", published=date(2033, 1, 16),
                      source="Gazette", origin="test")
    return article, ArticleRecord(id=article.id, meetings=[MeetingReport(
        [VENN, RELL], "2033-01-15", HOSTILE_PLACE, f"{SCRIPT} summit", "held", "summit",
        evidence=text[evidence[0]:evidence[1]], evidence_start=evidence[0], evidence_end=evidence[1])])


def simple_article(article_id: str, published: str, report: MeetingReport) -> tuple[Article, ArticleRecord]:
    text = f"Article {article_id}\n\nThe leaders met."
    report.evidence, report.evidence_start = "The leaders met.", text.index("The leaders met.")
    report.evidence_end = report.evidence_start + len(report.evidence)
    article = Article(id=article_id, text=text, title=f"Article {article_id}",
                      published=date.fromisoformat(published), origin="test")
    return article, ArticleRecord(id=article_id, meetings=[report])


def marsk_pell(day: str | None, place: str | None = None, status: str = "held") -> MeetingReport:
    return MeetingReport([MARSK, PELL], day, place, None, status, "bilateral")


def save(store: Store, article: Article, record: ArticleRecord) -> None:
    store.add_article(article)
    store.save_record(record, article, check=check_flags)


def fill_records_store(url: str) -> dict[str, str]:
    """The fixture database at `url`, linked; the ids the tests need, by name."""
    fill_store(url)
    with Store(url) as store:
        for made in (courier_article(), gazette_article(),
                     simple_article("mp-first", "2031-03-12", marsk_pell("2031-03-11")),
                     simple_article("mp-later", "2031-03-26", marsk_pell("2031-03-25")),
                     simple_article("mp-vague", "2031-04-01", marsk_pell(None, "Port Calder", "cancelled"))):
            save(store, *made)
        link_meetings(store)
        before = {m["id"] for m in store.canonical_meetings()}
        # the 11th was at Port Calder, so the undated Port Calder report is the 11th: its
        # meeting is merged into the 11th's (as in tests/test_link.py)
        save(store, *simple_article("mp-bridge", "2031-03-27", marsk_pell("2031-03-11", "Port Calder")))
        link_meetings(store)
        after = {m["id"] for m in store.canonical_meetings()}
        merged = (before - after).pop()
        calder = next(m["id"] for m in store.canonical_meetings(between=(VENN, RELL)) if m["place"] == "Port Calder")
        store.add_status_change("courier-1:c1", "in_the_works", f"{SCRIPT} work began", f"{IMG} crossings staffed",
                                source="javascript:alert(1)", by="Ana Reviewer",
                                at=datetime(2031, 8, 1, tzinfo=timezone.utc))
        store.add_status_change("courier-1:c1", "kept", "the crossings opened", "opened as agreed",
                                source="https://example.org/crossings", by="Ana Reviewer",
                                at=datetime(2031, 11, 1, tzinfo=timezone.utc))
        return {"calder": calder, "merged": merged, "survivor": store.canonical_meeting(merged)["id"],
                "commitment": "courier-1:c1"}


@pytest.fixture(scope="module")
def ids(tmp_path_factory) -> dict[str, str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('records') / 'web.db'}"
    return {**fill_records_store(url), "url": url}


@pytest.fixture(scope="module")
def client(ids):
    with TestClient(create_app(ids["url"])) as c:
        yield c


def json_url(url: str) -> str:
    path, _, query = url.partition("?")
    return path + ".json" + ("?" + query if query else "")


# --- every page, HTML and JSON ------------------------------------------------------------

def test_every_record_page_is_html_and_json(client, ids):
    urls = ["/meetings/linked", "/meetings/linked?leader=Venn&status=held", f"/meetings/{ids['calder']}",
            f"/meetings/{ids['survivor']}", "/commitments", "/commitments?status=kept&actor=Venn",
            "/commitments/courier-1:c1", "/commitments/pipeline-1:c1", "/pairs", PAIR,
            "/pairs/Alda%20Morvane/Tomas%20Kell"]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.headers["content-type"].startswith("text/html"), url
        assert "<h1>" in page.text and "Traceback" not in page.text, url
        as_json = client.get(json_url(url))
        assert as_json.status_code == 200 and as_json.headers["content-type"] == "application/json", url
        assert client.get(url, headers={"Accept": "application/json"}).json() == as_json.json(), url


def test_nav_links_to_the_new_listings(client):
    page = client.get("/").text
    for href in ("/meetings/linked", "/commitments", "/pairs"):
        assert f'href="{href}"' in page


def test_openapi_describes_the_record_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/meetings/linked.json", "/meetings/linked.csv", "/meetings/{meeting_id}.json",
                 "/commitments.json", "/commitments.csv", "/commitments/{commitment_id}.json",
                 "/pairs.json", "/pairs/{a}/{b}.json", "/pairs/{a}/{b}/timelinejs.json"):
        assert path in paths, path


# --- canonical meetings -------------------------------------------------------------------

def test_linked_listing_counts_reports_and_disputes(client, ids):
    data = client.get("/meetings/linked.json", params={"size": 500}).json()
    assert data["total"] == len(data["rows"]) > 5
    calder = next(m for m in data["rows"] if m["id"] == ids["calder"])
    assert (calder["reports"], calder["articles"], calder["disputed"]) == (2, 2, ["actual_minutes"])
    assert calder["href"] == f"/meetings/{ids['calder']}" and calder["place"] == "Port Calder"
    assert ids["merged"] not in {m["id"] for m in data["rows"]}
    dated = [m["date"] for m in data["rows"] if m["date"]]
    assert dated == sorted(dated, reverse=True) and data["rows"][-1]["date"] is None  # newest first, undated last
    page = client.get("/meetings/linked").text
    assert f'href="/meetings/{ids["calder"]}"' in page and '<span class="disputed">actual minutes</span>' in page


def test_linked_listing_filters_by_leaders_like_meetings(client):
    both = client.get("/meetings/linked.json", params=[("leader", "Venn"), ("leader", "Tomas Rell")]).json()
    assert both["total"] == 3 and all({VENN, RELL} <= set(m["participants"]) for m in both["rows"])
    venn = client.get("/meetings/linked.json", params={"leader": "arla venn"}).json()
    assert venn["total"] == 4  # and Ivo Renn in Sarvik
    leaders = {v["value"]: v for v in both["facets"][0]["values"]}
    assert leaders[VENN]["selected"] and leaders[VENN]["count"] == 3
    assert leaders[RELL]["toggle_url"] == "/meetings/linked?leader=Venn"  # removing Rell keeps Venn
    held = client.get("/meetings/linked.json", params={"leader": "Morvane", "status": "held", "year": 2031}).json()
    assert [m["date"] for m in held["rows"]] == ["2031-03-03"]
    assert client.get("/meetings/linked.json", params={"leader": "Nobody Atall"}).json()["rows"] == []


def test_linked_listing_pages_by_keyset_and_exports_csv(client):
    everything = [m["id"] for m in client.get("/meetings/linked.json", params={"size": 500}).json()["rows"]]
    seen, query = [], {"size": 2}
    while True:
        page = client.get("/meetings/linked.json", params=query).json()
        seen += [m["id"] for m in page["rows"]]
        if page["next"] is None:
            break
        assert page["next_url"].startswith("/meetings/linked?size=2&after=")
        query["after"] = page["next"]
    assert seen == everything
    assert client.get("/meetings/linked.json", params={"after": "nonsense"}).status_code == 400
    response = client.get("/meetings/linked.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    reader = csv.DictReader(io.StringIO(response.text))
    assert reader.fieldnames == LINKED_COLUMNS
    assert [r["id"] for r in reader] == everything


def test_meeting_routes_do_not_swallow_each_other(client, ids):
    assert "rows" in client.get("/meetings/linked.json").json()  # the listing, not a meeting "linked"
    assert client.get("/meetings/report/courier-1:m1.json").json()["meeting"]["id"] == "courier-1:m1"
    assert client.get(f"/meetings/{ids['calder']}.json").json()["meeting"]["id"] == ids["calder"]
    assert client.get("/meetings.json").json()["rows"]


def test_meeting_page_gives_every_value_with_its_sources(client, ids):
    data = client.get(f"/meetings/{ids['calder']}.json").json()
    assert data["meeting"]["participants"] == [VENN, RELL] and data["meeting"]["reports"] == 2
    assert data["agreed"]["place"] == "Port Calder" and "actual_minutes" not in data["agreed"]
    [minutes] = data["disputed"]
    assert minutes["field"] == "actual_minutes"
    sources = {v["value"]: v["sources"] for v in minutes["values"]}
    assert set(sources) == {120, 180}
    [courier] = sources[120]
    assert courier["report_href"] == "/meetings/report/courier-1:m1"
    assert courier["article_href"] == "/articles/courier-1#m1" and courier["evidence_start"] > 0
    assert sources[180][0]["article_id"] == "pipeline-1"
    assert {r["id"] for r in data["reports"]} == {"courier-1:m1", "pipeline-1:m1"}
    assert data["pair_href"] == PAIR
    page = client.get(f"/meetings/{ids['calder']}").text
    assert 'href="/meetings/report/courier-1:m1"' in page and 'href="/articles/courier-1#m1"' in page
    assert f"@{courier['evidence_start']}–{courier['evidence_end']}" in page
    assert f'href="{PAIR}"' in page


def test_meeting_page_statements_commitments_contradictions_flags(client, ids):
    data = client.get(f"/meetings/{ids['calder']}.json").json()
    # the statements of both articles that report it
    assert {s["article_id"] for s in data["statements"]} == {"courier-1", "pipeline-1"}
    assert any("talks were frank" in s["quote"] for s in data["statements"])
    commitments = {c["id"]: c for c in data["commitments"]}
    assert {"courier-1:c1", "pipeline-1:c1", "pipeline-1:c2"} <= set(commitments)
    rated = commitments["courier-1:c1"]
    assert rated["status"] == "kept" and [h["status"] for h in rated["history"]] == ["in_the_works", "kept"]
    assert commitments["pipeline-1:c1"]["history"] == [] and commitments["pipeline-1:c1"]["status"] == "not_yet_rated"
    # two hours in one article, three in the other: shown as a contradiction, or, where the
    # rules are not sure of it, as a candidate apart on the page
    [contradiction] = data["contradictions"] + data["contradiction_candidates"]
    assert contradiction["kind"] == "facts" and contradiction["field_or_topic"] == "actual_minutes"
    assert {s["article_href"] for s in contradiction["sides"]} == {"/articles/courier-1#m1", "/articles/pipeline-1#m1"}
    assert {s["record_href"] for s in contradiction["sides"]} == {"/meetings/report/courier-1:m1",
                                                                 "/meetings/report/pipeline-1:m1"}
    # fictional leaders: the reference record cannot check them, so notices and no flags
    assert not data["fact_flags"]
    assert data["notices"] and {f["article_id"] for f in data["notices"]} <= {"courier-1", "pipeline-1"}
    assert {f["state"] for f in data["notices"]} == {"notice"}
    page = client.get(f"/meetings/{ids['calder']}").text
    assert 'class="contradiction"' in page and 'href="/commitments/courier-1:c1"' in page
    assert 'class="rows history"' in page and "Ana Reviewer" in page


def test_a_merged_meeting_redirects_to_the_one_it_was_merged_into(client, ids):
    old, new = ids["merged"], ids["survivor"]
    assert old != new
    page = client.get(f"/meetings/{old}", follow_redirects=False)
    assert page.status_code == 308 and page.headers["location"] == f"/meetings/{new}"
    as_json = client.get(f"/meetings/{old}.json", follow_redirects=False)
    assert as_json.status_code == 308 and as_json.headers["location"] == f"/meetings/{new}.json"
    followed = client.get(f"/meetings/{old}.json").json()
    assert followed["meeting"]["id"] == new and old in followed["merged_ids"]
    assert {r["article_id"] for r in followed["reports"]} == {"mp-first", "mp-vague", "mp-bridge"}


def test_unknown_records_are_404_pages(client):
    for url in ("/meetings/m-0000000000", "/commitments/nope:c1", "/pairs/Nobody%20Atall/Arla%20Venn",
                "/pairs/Venn/Arla%20Venn"):
        page = client.get(url)
        assert page.status_code == 404, url
        assert 'class="error"' in page.text and "Traceback" not in page.text, url
    assert client.get("/meetings/m-0000000000.json").json() == {"status": 404, "error": "no meeting 'm-0000000000'"}
    assert client.get("/commitments/nope:c1.json").json()["status"] == 404
    assert client.get("/pairs/Nobody%20Atall/Arla%20Venn.json").json()["status"] == 404
    assert client.get("/pairs/Nobody/Atall/timelinejs.json").json()["status"] == 404


# --- commitments ----------------------------------------------------------------------------

def test_commitments_by_status(client):
    everything = client.get("/commitments.json", params={"size": 500}).json()
    assert everything["total"] == len(everything["rows"]) == sum(everything["by_status"].values()) >= 5  # the demo's commitments and the one saved here (issue-10 rules: an actor who commits and an act)
    assert list(everything["by_status"]) == ["not_yet_rated", "in_the_works", "stalled", "compromise", "kept", "broken"]
    assert everything["by_status"]["kept"] == 1
    status = next(f for f in everything["facets"] if f["name"] == "status")
    kept_link = next(v for v in status["values"] if v["value"] == "kept")
    assert kept_link["count"] == 1 and kept_link["toggle_url"] == "/commitments?size=500&status=kept"
    kept = client.get("/commitments.json", params={"status": "kept"}).json()
    assert [c["id"] for c in kept["rows"]] == ["courier-1:c1"] and kept["total"] == 1
    assert kept["by_status"] == everything["by_status"]  # the counts of every status stay shown
    selected = next(f for f in kept["facets"] if f["name"] == "status")["values"]
    assert [v["value"] for v in selected if v["selected"]] == ["kept"]
    renn = client.get("/commitments.json", params={"actor": "Renn"}).json()
    assert renn["rows"] and all("Ivo Renn" in c["actors"] for c in renn["rows"])
    assert client.get("/commitments.json", params={"status": "nonsense"}).status_code == 400
    page = client.get("/commitments", params={"status": "kept"}).text
    assert 'class="status-counts"' in page and 'href="/commitments/courier-1:c1"' in page


def test_commitments_page_by_keyset_and_csv(client):
    everything = [c["id"] for c in client.get("/commitments.json", params={"size": 500}).json()["rows"]]
    seen, query = [], {"size": 2}
    while True:
        page = client.get("/commitments.json", params=query).json()
        seen += [c["id"] for c in page["rows"]]
        if page["next"] is None:
            break
        query["after"] = page["next"]
    assert seen == everything
    other = client.get("/meetings/linked.json", params={"size": 1}).json()["next"]
    assert client.get("/commitments.json", params={"after": other}).status_code == 400
    reader = csv.DictReader(io.StringIO(client.get("/commitments.csv", params={"status": "kept"}).text))
    assert reader.fieldnames == COMMITMENT_COLUMNS
    [row] = list(reader)
    assert row["id"] == "courier-1:c1" and row["status"] == "kept" and row["changes"] == "2"


def test_commitment_page_with_its_history(client, ids):
    data = client.get("/commitments/courier-1:c1.json").json()
    c = data["commitment"]
    assert (c["status"], c["changes"], c["due"], c["article_id"]) == ("kept", 2, "2031-10", "courier-1")
    assert [(h["status"], h["by"], h["source"]) for h in c["history"]] == [
        ("in_the_works", "Ana Reviewer", "javascript:alert(1)"), ("kept", "Ana Reviewer", "https://example.org/crossings")]
    assert [(m["id"], m["href"]) for m in data["meetings"]] == [(ids["calder"], f"/meetings/{ids['calder']}")]
    page = client.get("/commitments/courier-1:c1").text
    history = page.index('class="rows history"')
    assert page.index("</table>", history) < page.index("to rate this commitment")  # the login hint
    assert "opened as agreed" in page and 'href="https://example.org/crossings"' in page
    assert 'href="javascript' not in page and "<code>javascript:alert(1)</code>" in page  # shown, not linked
    # the article link points at the statement whose quote holds the commitment
    assert 'href="/articles/pipeline-1#s1"' in client.get("/commitments/pipeline-1:c1").text
    unrated = client.get("/commitments/pipeline-1:c2").text
    assert "no status change is recorded" in unrated and "to rate this commitment" in unrated


# --- pairs ---------------------------------------------------------------------------------

def test_pair_page_analysis_and_briefing(client, ids):
    data = client.get(f"{PAIR}.json").json()
    assert (data["a"], data["b"], data["href"]) == (VENN, RELL, PAIR)
    stored = [e for e in data["timeline"] if e["source"] == "record"]
    assert [e["date"] for e in stored] == ["2031-06-10", "2032-02-02", "2033-01-15"]
    calder = stored[0]
    assert calder["id"] == ids["calder"] and calder["href"] == f"/meetings/{ids['calder']}"
    assert calder["disputed"] == ["actual_minutes"] and len(calder["report_sources"]) == 2
    assert data["base_rates"]["by_status"]["kept"] == 1 and data["base_rates"]["total"] == len(data["commitments"])
    assert [y["year"] for y in data["cooperation"]["by_year"]] == [2031, 2032, 2033]
    rated = next(c for c in data["commitments"] if c["id"] == "courier-1:c1")
    assert rated["meeting_id"] == ids["calder"] and rated["status"] == "kept"
    assert data["briefing"].startswith("# Briefing: Arla Venn and Tomas Rell")
    assert data["timelinejs_url"] == f"{PAIR}/timelinejs.json"
    page = client.get(PAIR).text
    briefing = page[page.index('<article class="briefing">'):]
    assert "<h3>Briefing: Arla Venn and Tomas Rell</h3>" in briefing  # under the page's own headings
    # the citations of meetings and commitments link to their pages
    assert f'<a href="/meetings/{ids["calder"]}">{ids["calder"]}</a>' in briefing
    assert '<a href="/commitments/courier-1:c1">courier-1:c1</a>' in briefing
    assert 'class="bar coop"' in page and f'href="{PAIR}/timelinejs.json"' in page


def test_pair_urls_use_full_names(client):
    page = client.get("/pairs/Venn/Rell", follow_redirects=False)
    assert page.status_code == 308 and page.headers["location"] == PAIR
    as_json = client.get("/pairs/venn/rell.json", follow_redirects=False)
    assert as_json.headers["location"] == f"{PAIR}.json"
    assert client.get("/pairs/Venn/Rell/timelinejs.json", follow_redirects=False).headers["location"] == \
        f"{PAIR}/timelinejs.json"
    form = client.get("/pairs", params={"a": "Venn", "b": "Rell"}, follow_redirects=False)
    assert form.status_code == 303 and form.headers["location"] == PAIR


def test_pairs_listing_and_the_meetings_timeline_link_to_pair_pages(client):
    rows = client.get("/pairs.json").json()["rows"]
    assert (rows[0]["a"], rows[0]["b"], rows[0]["meetings"]) == ("Alda Morvane", "Tomas Kell", 6)
    venn_rell = next(r for r in rows if {r["a"], r["b"]} == {VENN, RELL})
    assert venn_rell["meetings"] == 3 and venn_rell["held"] == 3 and venn_rell["href"] == PAIR
    assert 'class="pair-form' in client.get("/pairs").text
    timeline = client.get("/meetings", params=[("between", "Arla Venn"), ("between", "Tomas Rell")]).text
    assert 'href="/pairs?a=Arla+Venn&amp;b=Tomas+Rell"' in timeline


def test_timelinejs_export(client):
    response = client.get(f"{PAIR}/timelinejs.json")
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert set(data) == {"title", "events"} and data["title"]["text"]["headline"] == "Arla Venn and Tomas Rell"
    assert len(data["events"]) == 3
    for event in data["events"]:
        assert set(event) == {"start_date", "text", "group", "unique_id"}
        assert set(event["start_date"]) <= {"year", "month", "day"} and event["start_date"]["year"].isdigit()
        assert set(event["text"]) == {"headline", "text"} and event["group"] == "held"
    assert [e["start_date"] for e in data["events"]][0] == {"year": "2031", "month": "06", "day": "10"}
    # TimelineJS shows headline and text as HTML: the hostile place arrives escaped
    lake = data["events"][-1]["text"]["headline"]
    assert "<img" not in lake and "<script" not in lake and "&lt;img src=x onerror=alert(1)&gt;" in lake
    rows = list(csv.DictReader(io.StringIO(client.get(f"{PAIR}/timeline.csv").text)))
    assert [r["date"] for r in rows] == ["2031-06-10", "2032-02-02", "2033-01-15"]


# --- hostile text ----------------------------------------------------------------------------

def test_hostile_text_is_never_unescaped(client, ids):
    urls = ["/meetings/linked", f"/meetings/{ids['calder']}", "/commitments", "/commitments/courier-1:c1",
            PAIR, "/pairs", "/commitments?status=kept"]
    gazette = next(m["id"] for m in client.get("/meetings/linked.json", params={"leader": "Venn"}).json()["rows"]
                   if m["date"] == "2033-01-15")
    urls.append(f"/meetings/{gazette}")
    for url in urls:
        page = client.get(url).text
        assert SCRIPT not in page and "<img" not in page and "onerror=alert(1)>" not in page, url
        assert 'href="javascript' not in page.lower(), url
    for url in ("/commitments/courier-1:c1", f"/meetings/{ids['calder']}", PAIR):
        page = client.get(url).text
        assert html.escape(SCRIPT, quote=False) in page and "&lt;img src=x onerror=alert(1)&gt;" in page, url
    briefing = client.get(PAIR).text.split('<article class="briefing">')[1]
    assert "[click](javascript:alert(1))" in briefing  # the Markdown link stays text


@pytest.mark.parametrize("markdown", [
    "[click](javascript:alert(1))", "[click](JaVaScRiPt:alert(1))", "<javascript:alert(1)>",
    "[click](vbscript:msgbox(1))", "[click](data:text/html;base64,PHNjcmlwdD4=)", "[x]\n\n[x]: javascript:alert(1)",
    "- [x]: javascript:alert(1)\n\n[x]", "![img](javascript:alert(1))", "[click](  javascript:alert(1) )",
    "[click](java&#x09;script:alert(1))", "[click](&#106;avascript:alert(1))",
    f"{SCRIPT} {IMG}", '<a href="javascript:alert(1)">x</a>',
])
def test_briefing_markdown_cannot_link_to_scripts(markdown):
    out = str(briefing_html(markdown, {}))
    assert "<script" not in out and "<img" not in out and "<a href=\"javascript" not in out.lower()
    for href in re.findall(r'(?:href|src)="([^"]*)"', out):
        assert not re.match(r"\s*(javascript|vbscript|data):", html.unescape(href), re.I), (markdown, out)


def test_briefing_links_known_ids_only_outside_links():
    hrefs = {"m-0123456789": "/meetings/m-0123456789", "a:c1": "/commitments/a:c1", "a:c1-2": "/commitments/a:c1-2"}
    out = str(briefing_html("Met [m-0123456789; a:c1-2; a:c12; xm-0123456789].\n\n[see](https://example.org/m-0123456789)",
                            hrefs))
    assert '<a href="/meetings/m-0123456789">m-0123456789</a>' in out
    assert '<a href="/commitments/a:c1-2">a:c1-2</a>' in out and "/commitments/a:c1\"" not in out
    assert "a:c12" in out and out.count("<a ") == 3  # the web link is left as it is
