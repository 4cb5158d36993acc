"""Review in a real browser: log in with the write token, correct a speaker, see the change
and its audit entry; a reader without the token sees no form. Same set-up as test_browser
(Debian's Chromium driven by Playwright), on its own database so the corrections stay here."""
from __future__ import annotations

import pytest
from test_browser import browser  # noqa: F401  (the fixture, shared)
from test_web import fill_store

pytestmark = pytest.mark.slow

TOKEN = "browser-review-token"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    from summitry.web.serve import running_in_thread

    url = f"sqlite:///{tmp_path_factory.mktemp('browser-review') / 'web.db'}"
    fill_store(url)
    try:
        with running_in_thread(url, token=TOKEN) as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def page(browser, base_url):  # noqa: F811
    context = browser.new_context(base_url=base_url)
    tab = context.new_page()
    yield tab
    context.close()


def open_statement_of(page, speaker: str) -> str:
    page.goto("/statements?speaker=" + speaker.replace(" ", "+"))
    page.locator("table.statements tbody tr a.row-link").first.click()
    page.wait_for_url("**/statements/**")
    return page.url


def test_correct_a_speaker_and_see_the_audit_entry(page):
    url = open_statement_of(page, "Tomas Rell")
    assert page.locator("form.review").count() == 0  # reading needs no token, writing does
    page.click("text=Log in with the write token")
    page.wait_for_url("**/login?next=**")
    page.fill("input[name=name]", "Ines Duarte")
    page.fill("input[name=token]", TOKEN)
    page.click("form.login button[type=submit]")
    page.wait_for_url(url)
    assert "Reviewing as Ines Duarte" in page.locator("header .who").inner_text()

    page.fill("form.review input[name=speaker]", "Estovian Government")
    page.fill("form.review input[name=why]", "the quote is the government's, read by Rell")
    page.click("form.review button[value=correct]")
    page.wait_for_url("**#audit")
    assert "Estovian Government" in page.locator("dl.record").inner_text()
    assert page.locator("#audit .verdict-corrected").count() == 1
    entry = page.locator("#audit tr.audit-entry").last
    text = entry.inner_text()
    assert "Ines Duarte" in text and "correct" in text
    assert "Tomas Rell" in text and "Estovian Government" in text  # before and after
    assert "read by Rell" in text

    page.goto("/audit")
    assert "Estovian Government" in page.locator("table.audit").inner_text()


def test_a_wrong_token_is_refused_in_the_browser(page):
    page.goto("/login")
    page.fill("input[name=name]", "Mallory")
    page.fill("input[name=token]", "not-the-token")
    page.click("form.login button[type=submit]")
    assert "token is wrong" in page.locator(".problem").inner_text()
    assert "Log in" in page.locator("header .who").inner_text()
