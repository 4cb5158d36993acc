"""Screenshots of the web app's main pages, for docs/screenshots/ (linked from the README).

    .venv/bin/python scripts/screenshots.py [OUT_DIR]

Ingests the bundled demo corpus into a temporary SQLite database and links its meeting
reports into canonical meetings, serves the app on a free port of 127.0.0.1, and shoots each
page with Debian's Chromium driven by Playwright (`bash scripts/browser.sh install` installs
the browser).
"""
from __future__ import annotations

import json
import sys
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

from summitry.ingest import read_articles
from summitry.nlp.extractor import Extractor
from summitry.pipeline import check_flags, link_meetings
from summitry.store import Store
from summitry.web.serve import running_in_thread

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "summitry" / "data" / "demo"
CHROMIUM = "/usr/bin/chromium"
TOKEN = "screenshots-only-token"  # this run's write token, for the review screenshots
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def ingest_demo(url: str) -> None:
    manifest = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    articles = []
    for path in sorted(DEMO.glob("*.txt")):
        meta = manifest.get(path.name, {})
        published = date.fromisoformat(meta["published"]) if meta.get("published") else None
        articles += [a for a in read_articles([path], published=published, source=meta.get("source"))
                     if not isinstance(a, Exception)]
    with Store(url) as store:
        for article, record in Extractor().extract_many(articles):
            store.add_article(article)
            store.save_record(record, article, check=check_flags)  # fact flags, for /flags
        link_meetings(store)  # the canonical meetings of /meetings/linked and the pair pages,
        # their contradictions and the articles' fact flags (for /flags and /contradictions)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        ingest_demo(url)
        with running_in_thread(url, token=TOKEN) as base:
            with Store(url) as store:
                meeting = store.meetings(leader="Putin")[0]
                statements = store.statements()
                pair = ("Donald Trump", "Vladimir Putin")
                # a meeting whose reports disagree, so that its page shows values with their sources
                linked = max(store.canonical_meetings(between=pair),
                             key=lambda m: (bool(m["disputed"]), m["articles"], m["reports"]))
            speakers = [s["speaker"] for s in statements if s["speaker"]]
            busiest = max(speakers, key=speakers.count)  # the speaker page with the most rows
            statement = next(s for s in statements if s["speaker"] == busiest)
            # the 2017 article: short enough that its highlights fill the screen
            article_id = meeting["article_id"]
            pages = {
                "home": "/",
                "meetings": "/meetings?leader=Vladimir+Putin&status=held",
                "timeline": "/meetings?between=Vladimir+Putin&between=Donald+Trump",
                "statements": "/statements?q=meeting",
                "article": f"/articles/{quote(article_id, safe='')}",
                "meeting-report": f"/meetings/report/{quote(meeting['id'], safe=':')}",
                "statement": f"/statements/{quote(statement['id'], safe=':')}",
                "speaker": f"/speakers/{quote(statement['speaker'], safe='')}",
                "linked-meeting": f"/meetings/{quote(linked['id'], safe='')}",
                "pair": f"/pairs/{quote(pair[0], safe='')}/{quote(pair[1], safe='')}",
                # the analyst's desk
                "meetings-sorted": "/meetings/linked?sort=reports&from=2017&to=2019",
                "pair-chart": f"/pairs/{quote(pair[0], safe='')}/{quote(pair[1], safe='')}#timeline",
                "flags": "/flags?show=all",
                "contradictions": "/contradictions?show=all",
                "search": "/search?q=Putin",
            }
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                for name, path in pages.items():
                    page.goto(base + path)
                    page.screenshot(path=str(out / f"{name}.png"))
                    print(out / f"{name}.png")
                review(page, base, pages["statement"], out)
                browser.close()


def review(page, base: str, statement_path: str, out: Path) -> None:
    """Log in, correct a statement's kind, and shoot the statement's review and the audit log."""
    page.goto(base + "/login?next=" + quote(statement_path, safe=""))
    page.fill("input[name=name]", "Research desk")
    page.fill("input[name=token]", TOKEN)
    page.click("form.login button[type=submit]")
    page.wait_for_url("**" + statement_path)
    kind = page.locator("form.review select[name=kind]")
    kind.select_option("indirect" if kind.input_value() != "indirect" else "mixed")
    page.fill("form.review input[name=why]", "the sentence paraphrases; only part of it is quoted")
    page.click("form.review button[value=correct]")
    page.wait_for_url("**#audit")
    page.screenshot(path=str(out / "review.png"), full_page=True)
    page.goto(base + "/audit")
    page.screenshot(path=str(out / "audit.png"))
    print(out / "review.png", out / "audit.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshots")
