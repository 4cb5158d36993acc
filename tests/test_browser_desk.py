"""The analyst's desk in a real browser (Debian's Chromium driven by Playwright, as
tests/test_browser.py): the header's search, meetings sorted and filtered by dates, the pair
timeline chart whose marks lead to their meetings, the meeting page's folding sections, and
dismissing a contradiction from /contradictions. On the database of tests/test_web_records.py
(its own copy: the verdicts stay here). No real person is quoted here.
"""
from __future__ import annotations

import pytest
from test_browser import browser  # noqa: F401  (the fixture, shared)
from test_web_records import RELL, VENN, fill_records_store

pytestmark = pytest.mark.slow

TOKEN = "browser-desk-token-0123"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from summitry.web.serve import running_in_thread

    url = f"sqlite:///{tmp_path_factory.mktemp('browser-desk') / 'web.db'}"
    ids = fill_records_store(url)
    try:
        with running_in_thread(url, token=TOKEN) as base:
            yield base, ids
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def page(browser, site):  # noqa: F811
    context = browser.new_context(base_url=site[0])
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert errors == []  # no script errors (the pages have no script at all)


def test_header_search_finds_people_meetings_statements_articles(page):
    page.goto("/")
    page.fill("header form.search input[name=q]", "Venn")
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Venn")
    assert VENN in page.locator("#people").inner_text()
    assert page.locator("#meetings table.linked-meetings tbody tr").count() >= 2
    assert page.locator("#statements table.statements tbody tr").count() >= 1
    page.locator("#meetings a.row-link").first.click()
    page.wait_for_url("**/meetings/m-*")
    assert VENN in page.locator("dl.record").inner_text()


def test_meetings_sorted_and_filtered_by_dates(page):
    page.goto("/meetings?leader=Arla+Venn")
    dates = page.locator("table.meetings tbody td.date").all_inner_texts()
    assert dates[0] == max(d for d in dates if d != "undated")  # newest first
    page.locator(".sort a", has_text="oldest first").click()
    page.wait_for_url("**sort=oldest**")
    oldest = page.locator("table.meetings tbody td.date").all_inner_texts()
    assert oldest[0] == min(d for d in oldest if d != "undated")
    page.fill("form.range input[name=from]", "2032")
    page.fill("form.range input[name=to]", "2033-06")
    page.click("form.range button[type=submit]")
    page.wait_for_url("**from=2032**")
    shown = page.locator("table.meetings tbody td.date").all_inner_texts()
    assert shown and all("2032" <= d[:7] <= "2033-06" for d in shown)
    assert "leader=Arla+Venn" in page.url and "sort=oldest" in page.url  # the other filters kept
    assert shown == sorted(shown)


def test_pair_chart_marks_lead_to_their_meetings(page, site):
    page.goto(f"/pairs/{VENN}/{RELL}")
    chart = page.locator("figure.pair-chart svg")
    assert chart.is_visible()
    marks = chart.locator("a")
    assert marks.count() >= 2
    target = marks.first.get_attribute("href")
    marks.first.locator("path").first.click()
    page.wait_for_url(target)
    assert page.locator("h1").inner_text().startswith(f"Meeting: {VENN} – {RELL}")
    page.goto("/")
    assert page.locator("figure.per-year svg a").count() >= 2


def test_meeting_page_sections_fold(page, site):
    ids = site[1]
    page.goto(f"/meetings/{ids['calder']}")
    section = page.locator("details.section#statements")
    table = section.locator("table.statements")
    assert table.is_visible()
    section.locator("summary").click()
    assert not table.is_visible()
    assert "Statements (" in section.locator("summary").inner_text()
    section.locator("summary").click()
    assert table.is_visible()


def test_dismiss_a_contradiction_from_the_desk(page, site):
    page.goto("/contradictions?show=all")
    assert page.locator("article.finding").count() >= 1
    assert page.locator("form.verdict").count() == 0  # reading needs no token, a verdict does
    page.click("text=Log in with the write token")
    page.fill("input[name=name]", "Desk Analyst")
    page.fill("input[name=token]", TOKEN)
    page.click("form.login button[type=submit]")
    page.wait_for_url("**/contradictions?show=all")
    finding = page.locator("article.finding").first
    finding_id = finding.get_attribute("id")
    finding.locator("input[name=why]").fill("the shorter length is the talks alone")
    finding.locator("button[value=dismiss]").click()
    page.wait_for_url("**/contradictions?show=all#*")
    assert page.locator(f"article.finding[id='{finding_id}'] .state").inner_text() == "dismissed"
    page.goto("/contradictions")
    assert page.locator(f"article.finding[id='{finding_id}']").count() == 0
    page.goto("/contradictions?show=dismissed")
    assert page.locator(f"article.finding[id='{finding_id}']").count() == 1
    page.goto("/audit")
    assert "Desk Analyst" in page.locator("table.audit").inner_text()
