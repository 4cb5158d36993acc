"""The web app in a real browser: Playwright driving Debian's Chromium against uvicorn.

The app runs in a background thread on a free port of 127.0.0.1, over the same fixture
database as tests/test_web.py. Without Chromium (`bash scripts/browser.sh install`) or
Playwright the tests are skipped, except in CI (CI=true), where they fail.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from test_web import HOSTILE_TEXT, IMG, SCRIPT, fill_store

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def browser_unavailable(reason: str) -> None:
    """Skip locally, but fail in CI: CI must prove the pages work in a browser."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"{reason} (install with: bash scripts/browser.sh install)")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The app on a fixture database, served by uvicorn on 127.0.0.1 for this module."""
    from summitry.web.serve import running_in_thread

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'web.db'}"
    fill_store(url)
    try:
        with running_in_thread(url) as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        browser_unavailable(f"Chromium is not installed ({CHROMIUM} is missing)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("Playwright is not installed (pip install playwright)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(base_url=base_url, accept_downloads=True)
    tab = context.new_page()
    tab.dialogs = []  # every alert/confirm/prompt the page opens: there must be none
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


def test_home_to_a_meeting_to_its_article_with_highlights(page):
    page.goto("/")
    assert page.locator(".counts").inner_text().count("articles") == 1
    page.click("nav >> text=Meetings")
    page.wait_for_url("**/meetings")
    row = page.locator("table.meetings tbody tr", has_text="Arla Venn").first
    row.locator("a.row-link").click()
    page.wait_for_url("**/meetings/report/**")
    assert "Arla Venn" in page.locator("dl.record").inner_text()
    page.locator("dl.record a[href^='/articles/']").click()
    page.wait_for_url("**/articles/**")
    assert page.locator(".article-text mark.quote").count() > 0
    assert page.locator(".article-text mark.meeting").count() > 0
    # the meeting's anchor is the URL's fragment, and it sits in the text
    fragment = page.url.rsplit("#", 1)[-1]
    assert page.locator(f".article-text #{fragment}").count() == 1


def test_search_statements(page):
    # the header's box searches everything (/search); its statements group is the full-text search
    page.goto("/")
    page.fill("header input[name=q]", "water commission")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=water+commission")
    rows = page.locator("#statements table.statements tbody tr")
    found = rows.count()
    assert found >= 1
    assert "water commission" in rows.first.inner_text() and "Tomas Rell" in rows.first.inner_text()
    page.goto("/statements?q=water+commission")
    assert page.locator("form.query input[name=q]").input_value() == "water commission"
    assert page.locator("table.statements tbody tr").count() == found


def test_filter_by_facets(page):
    page.goto("/meetings")
    total = len(page.locator("table.meetings tbody tr").all())
    page.locator(".facet[data-facet=leader] a", has_text="Alda Morvane").click()
    page.wait_for_url("**/meetings?leader=Alda+Morvane")
    page.locator(".facet[data-facet=status] a", has_text="held").first.click()
    page.wait_for_url("**/meetings?leader=Alda+Morvane&status=held")
    rows = page.locator("table.meetings tbody tr").all()
    assert 0 < len(rows) < total
    assert all("Alda Morvane" in r.inner_text() and "held" in r.inner_text() for r in rows)
    page.locator(".facet[data-facet=status] li.selected a.remove").click()  # remove the filter again
    page.wait_for_url("**/meetings?leader=Alda+Morvane")


def test_export_csv(page, tmp_path):
    page.goto("/statements?speaker=Alda+Morvane")
    shown = len(page.locator("table.statements tbody tr").all())
    with page.expect_download() as download_info:
        page.locator(".toolbar a.csv-link").click()
    download = download_info.value
    assert download.suggested_filename == "statements.csv"
    target = tmp_path / "statements.csv"
    download.save_as(target)
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert len(rows) == shown > 0 and all(r["speaker"] == "Alda Morvane" for r in rows)


def test_hostile_article_shows_as_text_and_runs_nothing(page):
    page.goto("/articles/hostile-1")
    page.wait_for_load_state("load")
    text = page.locator(".article-text")
    assert SCRIPT in page.locator("h1").inner_text() and IMG in text.inner_text()
    assert page.locator("main img, main script").count() == 0
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.dialogs == []
    # the overlapping marks together still hold every character once
    assert text.evaluate("e => e.textContent") == HOSTILE_TEXT


# --- the record pages (summitry/web/record_pages.py), on a linked database ----------------

@pytest.fixture(scope="module")
def records_base_url(tmp_path_factory):
    """The app over the fixture database of tests/test_web_records.py (linked meetings,
    rated commitments), served like `base_url`."""
    from test_web_records import fill_records_store

    from summitry.web.serve import running_in_thread

    url = f"sqlite:///{tmp_path_factory.mktemp('records-browser') / 'web.db'}"
    fill_records_store(url)
    with running_in_thread(url) as base:
        yield base


def test_linked_meetings_to_a_meeting_and_to_its_pair(browser, records_base_url):
    context = browser.new_context(base_url=records_base_url)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/")
    page.click("nav >> text=Linked meetings")
    page.wait_for_url("**/meetings/linked")
    row = page.locator("table.linked-meetings tbody tr", has_text="Arla Venn").filter(has_text="Port Calder")
    assert "actual minutes" in row.inner_text()  # the reports disagree on the length
    row.locator("a.row-link").click()
    page.wait_for_url("**/meetings/m-*")
    assert "Port Calder" in page.locator("dl.record").inner_text()
    disputed = page.locator("table.values").inner_text()
    assert "120" in disputed and "180" in disputed and "Courier" in disputed
    assert page.locator("section.contradiction").count() == 1
    page.locator("a.pair-link").click()
    page.wait_for_url("**/pairs/Arla%20Venn/Tomas%20Rell")
    assert page.locator(".pair-timeline li").count() == 3
    briefing = page.locator("article.briefing")
    assert "Briefing: Arla Venn and Tomas Rell" in briefing.inner_text()
    assert SCRIPT in briefing.inner_text()  # a hostile commitment shows as text and runs nothing
    assert page.locator("main img, main script").count() == 0 and dialogs == []
    briefing.locator("a[href^='/meetings/m-']").first.click()  # a citation leads to its meeting
    page.wait_for_url("**/meetings/m-*")
    assert page.locator("h1").inner_text().startswith("Meeting: Arla Venn – Tomas Rell")
    context.close()


# --- the Content-Security-Policy (summitry/web/guard.py) ----------------------------------

def test_pages_break_no_rule_of_the_content_security_policy(browser, base_url, records_base_url):
    """Every kind of page renders under the policy (no inline script or style is refused),
    and the pair page's score bars still have their widths."""
    context = browser.new_context()
    page = context.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    for url in [f"{base_url}{p}" for p in ("/", "/meetings", "/statements?q=water", "/articles/hostile-1",
                                          "/articles/pipeline-1", "/login", "/audit", "/no-such-page")] + \
               [f"{records_base_url}{p}" for p in ("/meetings/linked", "/commitments", "/pairs",
                                                   "/pairs/Arla%20Venn/Tomas%20Rell")]:
        response = page.goto(url)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], url
        page.wait_for_load_state("load")
    bars = page.locator("svg.bar-chart rect.bar")
    assert bars.count() > 0 and all(float(bars.nth(i).get_attribute("width")) > 0 for i in range(bars.count()))
    box = bars.first.bounding_box()
    assert box["width"] > 0 and box["height"] < 40  # the stylesheet applied (an unstyled SVG is 150 px high)
    assert refused == []
    context.close()
