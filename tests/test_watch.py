"""Feeds in, alerts out (issue 14): `summitry watch` against a local HTTP server on loopback.

The server serves two feeds (RSS and Atom), their article pages, a robots.txt and a broken
feed, answers conditional GETs with 304, and records every request; a second server on
loopback receives the webhook's posts. The articles are invented (real leaders of the actor
data, so that they pass the relevance gate; invented meetings).
"""
from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summitry.cli import app
from summitry.ingest.feeds import PoliteFetcher, parse_feed
from summitry.pipeline.watch import Alert, sign
from summitry.store import Store

runner = CliRunner()

PAGES = {
    "/news/ottawa.html": ("Macron and Trudeau agree on Arctic research",
                          "French President Emmanuel Macron met Canadian Prime Minister Justin Trudeau in Ottawa "
                          "on March 14, 2023. The two leaders agreed to fund a joint Arctic research station, "
                          "officials said.",
                          "\u201cWe have a common duty to the north,\u201d Trudeau told reporters after the talks."),
    "/news/berlin.html": ("Scholz hosts Kishida in Berlin",
                          "German Chancellor Olaf Scholz hosted Japanese Prime Minister Fumio Kishida in Berlin on "
                          "March 18, 2023, for talks on energy security and trade.",
                          "\u201cJapan and Germany stand together,\u201d Kishida said at a news conference."),
    "/news/paris.html": ("Macron receives Kishida in Paris",
                         "French President Emmanuel Macron met Japanese Prime Minister Fumio Kishida in Paris on "
                         "January 9, 2023, ahead of the Group of Seven summit in Hiroshima.",
                         "\u201cFrance will be at Japan's side,\u201d Macron said after the meeting."),
}
PRIVATE = "/private/secret.html"  # robots.txt disallows it


def page(title: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{body}<p>The talks were the first between the two leaders this year, their offices said, and "
            "both sides described them as warm and productive.</p></article></body></html>").encode("utf-8")


def rss(base: str) -> bytes:
    items = "".join(f"<item><title>{PAGES[p][0]}</title><link>{base}{p}</link></item>"
                    for p in ("/news/ottawa.html", "/news/berlin.html"))
    items += f"<item><title>Private</title><link>{base}{PRIVATE}</link></item>"
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>World desk</title>'
            f"<link>{base}/</link><description>World news</description>{items}</channel></rss>").encode()


def atom(base: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Europe desk</title><id>{base}/atom</id><updated>2023-03-20T00:00:00Z</updated>"
            f"<entry><title>{PAGES['/news/paris.html'][0]}</title><id>{base}/news/paris.html</id>"
            f'<link href="/news/paris.html"/><updated>2023-01-09T12:00:00Z</updated></entry>'
            # the same page as in the RSS feed: fetched once
            f"<entry><title>Ottawa</title><id>{base}/news/ottawa.html</id>"
            f'<link href="{base}/news/ottawa.html"/><updated>2023-03-14T12:00:00Z</updated></entry>'
            f"</feed>").encode()


class Site:
    """The served site and the requests it saw."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.broken = True
        self.base = ""

    def respond(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self.requests.append((path, headers))
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, f"User-agent: *\nDisallow: {PRIVATE}\n".encode()
        if path == "/broken.xml":
            if self.broken:
                return 500, {}, b"oops"
            path = "/atom.xml"
        if path == "/rss.xml":
            body, kind = rss(self.base), "application/rss+xml"
        elif path == "/atom.xml":
            body, kind = atom(self.base), "application/atom+xml"
        elif path in PAGES:
            body, kind = page(*PAGES[path]), "text/html; charset=utf-8"
        else:
            return 404, {}, b"not found"
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if headers.get("if-none-match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"Content-Type": kind, "ETag": etag, "Last-Modified": "Mon, 20 Mar 2023 10:00:00 GMT"}, body

    def fetched(self, prefix: str = "/news/") -> list[str]:
        return [p for p, _ in self.requests if p.startswith(prefix)]


def serve(handler_class) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def site():
    state = Site()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, headers, body = state.respond(self.path, {k.lower(): v for k, v in self.headers.items()})
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server, state.base = serve(Handler)
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def receiver():
    posts: list[tuple[dict[str, str], bytes]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server, url = serve(Handler)
    yield url + "/hook", posts
    server.shutdown()
    server.server_close()


def watch(db: str, *args: str):
    return runner.invoke(app, ["watch", "--once", "--allow-private-addresses", "--delay", "0", "--db", db, *args])


def test_feeds_are_read_and_unreachable_or_disallowed_pages_are_not(site):
    feed = parse_feed(rss(site.base), site.base + "/rss.xml")
    assert [i.url for i in feed.items] == [site.base + p for p in ("/news/ottawa.html", "/news/berlin.html", PRIVATE)]
    feed = parse_feed(atom(site.base), site.base + "/atom.xml")
    assert feed.items[0].url == site.base + "/news/paris.html"  # relative link resolved
    with PoliteFetcher(delay=0, allow_private=True) as fetcher:
        assert not fetcher.allowed(site.base + PRIVATE)
        assert fetcher.allowed(site.base + "/news/ottawa.html")
    with PoliteFetcher(delay=0) as fetcher:  # loopback needs --allow-private-addresses
        refused = fetcher.get(site.base + "/rss.xml")
        assert "loopback" in refused.message


@pytest.mark.slow
def test_watch_stores_new_items_then_fetches_nothing_new_and_a_broken_feed_does_not_stop_the_others(
        site, receiver, sqlite_url):
    hook, posts = receiver
    feeds = [site.base + "/rss.xml", site.base + "/broken.xml", site.base + "/atom.xml"]
    alerts = ["--webhook", hook, "--secret", "s3cret", "--alert", "meeting:Macron,Trudeau",
              "--alert", "statements:Macron"]
    result = watch(sqlite_url, *feeds, *alerts)
    assert result.exit_code == 1, result.output  # the broken feed
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {site.base}/broken.xml: HTTP error 500 Internal Server Error"]
    # each page once (ottawa is in both feeds), the disallowed one never
    assert sorted(site.fetched()) == sorted(PAGES)
    with Store(sqlite_url) as store:
        assert store.story_counts()["articles"] == 3
        stored_urls = {store.article(a)["url"] for a in store.article_ids()}
        assert stored_urls == {site.base + p for p in PAGES}
        meetings = store.canonical_meetings(between=("Macron", "Trudeau"))
        statements = store.statements(speaker="Macron")
    assert meetings and statements
    # one signed post per new match
    assert len(posts) == len(meetings) + len(statements)
    for headers, body in posts:
        expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
        assert headers["x-summitry-signature"] == expected == sign(body, "s3cret")
        assert headers["content-type"] == "application/json"
    payloads = [json.loads(body) for _, body in posts]
    assert {p["item"]["id"] for p in payloads} == {m["id"] for m in meetings} | {s["id"] for s in statements}
    assert all(p["change"] == "new" for p in payloads)

    # a second run (a restart): conditional GETs answered 304, no page fetched, nothing posted
    site.requests.clear()
    site.broken = False  # the broken feed is back: retried, and its items (stored already) not fetched
    result = watch(sqlite_url, *feeds, *alerts)
    assert result.exit_code == 0, result.output
    feed_requests = [(p, h) for p, h in site.requests if p in ("/rss.xml", "/atom.xml")]
    assert feed_requests and all(h.get("if-none-match") for _, h in feed_requests)
    assert site.fetched() == []
    assert "/broken.xml" in [p for p, _ in site.requests]
    assert "unchanged (304)" in result.output
    assert len(posts) == len(meetings) + len(statements)
    with Store(sqlite_url) as store:
        assert store.story_counts()["articles"] == 3


def test_alert_queries_and_usage_errors(sqlite_url, site):
    assert Alert.parse("meeting:Trump, Xi").names == ("Trump", "Xi")
    assert Alert.parse("flags").kind == "flags"
    assert Alert.parse("statements:Lavrov").names == ("Lavrov",)
    for bad in ("meeting:Trump", "flags:x", "votes"):
        with pytest.raises(ValueError):
            Alert.parse(bad)
    result = watch(sqlite_url, site.base + "/rss.xml", "--alert", "votes", "--webhook", "http://127.0.0.1:9/h",
                   "--secret", "s")
    assert result.exit_code == 2 and "unknown alert" in result.output
    result = watch(sqlite_url, site.base + "/rss.xml", "--alert", "flags", "--webhook", "ftp://127.0.0.1/h",
                   "--secret", "s")
    assert result.exit_code == 2 and "only http and https" in result.output
    result = runner.invoke(app, ["watch", "--once", "--db", sqlite_url, site.base + "/rss.xml", "--alert", "flags",
                                 "--webhook", "http://127.0.0.1:9/h", "--secret", "s"])
    assert result.exit_code == 2 and "loopback" in result.output  # without --allow-private-addresses
    result = watch(sqlite_url, site.base + "/rss.xml", "--alert", "flags", "--webhook", "http://127.0.0.1:9/h")
    assert result.exit_code == 2 and "--secret" in result.output
    result = watch(sqlite_url, "--every", "soon", site.base + "/rss.xml")
    assert result.exit_code == 2
    assert watch(sqlite_url, "not-a-url").exit_code == 2


def test_a_feed_list_file(tmp_path: Path, sqlite_url, site):
    from summitry.cli.watch import read_feed_list

    path = tmp_path / "feeds.txt"
    path.write_text(f"# the desk's feeds\n\n{site.base}/rss.xml\n  {site.base}/atom.xml  world\n")
    assert read_feed_list(path) == [f"{site.base}/rss.xml", f"{site.base}/atom.xml"]


class FakeStore:
    """The parts of a Store the alerts use."""

    def __init__(self) -> None:
        self.meetings: list[dict] = []
        self.sent: dict[str, dict[str, str]] = {}

    def canonical_meetings(self, between=None):
        return [m for m in self.meetings if all(any(n in p for p in m["participants"]) for n in between)]

    def alert_digests(self, alert):
        return None if alert not in self.sent else dict(self.sent[alert])

    def record_alert(self, alert, items):
        self.sent.setdefault(alert, {}).update(items)


def test_new_and_changed_matches_are_posted_once_and_a_failed_post_is_retried():
    from summitry.pipeline.watch import send_alerts, start_alerts

    class Hook:
        url = "http://hook.example/"

        def __init__(self):
            self.payloads, self.down = [], False

        def post(self, payload):
            if self.down:
                return "HTTP 503 Service Unavailable"
            self.payloads.append(payload)
            return None

    store, hook = FakeStore(), Hook()
    alert = Alert.parse("meeting:Macron,Trudeau")
    old = {"id": "m-old", "participants": ["Emmanuel Macron", "Justin Trudeau"], "status": "held"}
    store.meetings.append(old)
    start_alerts(store, [alert])  # the archive is not posted
    assert send_alerts(store, [alert], hook) == (0, [])
    store.meetings.append({"id": "m-new", "participants": ["Emmanuel Macron", "Justin Trudeau"], "status": "planned"})
    store.meetings.append({"id": "m-other", "participants": ["Emmanuel Macron", "Fumio Kishida"], "status": "held"})
    assert send_alerts(store, [alert], hook)[0] == 1
    assert [(p["item"]["id"], p["change"]) for p in hook.payloads] == [("m-new", "new")]
    assert send_alerts(store, [alert], hook)[0] == 0  # nothing new
    store.meetings[1]["status"] = "cancelled"
    hook.down = True
    sent, errors = send_alerts(store, [alert], hook)
    assert sent == 0 and errors and "retried next round" in errors[0]
    hook.down = False
    assert send_alerts(store, [alert], hook)[0] == 1
    assert hook.payloads[-1]["change"] == "changed" and hook.payloads[-1]["item"]["status"] == "cancelled"


def test_requests_to_one_host_are_a_delay_apart():
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds):
        slept.append(round(seconds, 2))
        now[0] += seconds

    fetcher = PoliteFetcher(delay=2.0, allow_private=True, sleep=sleep, clock=lambda: now[0])
    fetcher._robots["http://127.0.0.1:1"] = None  # no robots.txt request in this test
    for _ in range(3):
        fetcher.get("http://127.0.0.1:1/a")  # refused connection: an error, but a request made
    assert slept == [2.0, 2.0]
    fetcher.close()


def test_sitemaps_and_announced_feeds():
    base = "http://news.example"
    sitemap = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               b"<url><loc>http://news.example/a.html</loc><lastmod>2023-03-14</lastmod></url>"
               b"<url><loc>/b.html</loc><lastmod>2023-03-20T10:00:00Z</lastmod></url>"
               b"<url><loc>javascript:alert(1)</loc></url></urlset>")
    feed = parse_feed(sitemap, base + "/sitemap.xml")
    assert [(i.url, str(i.published)) for i in feed.items] == [(base + "/b.html", "2023-03-20"),
                                                                 (base + "/a.html", "2023-03-14")]
    index = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b"<sitemap><loc>http://news.example/s1.xml</loc></sitemap></sitemapindex>")
    assert parse_feed(index, base + "/index.xml").discovered == [base + "/s1.xml"]
    home = (b'<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
            b"</head><body><p>News</p></body></html>")
    assert parse_feed(home, base + "/").discovered == [base + "/rss.xml"]
    assert "not a feed" in parse_feed(b"just some words, not a feed", base + "/x").message


def test_a_meeting_changes_when_what_it_is_changes_not_its_counts():
    from summitry.pipeline.watch import digest

    meeting = {"id": "m", "status": "planned", "reports": 1, "articles": 1}
    assert digest(meeting) == digest({**meeting, "reports": 4, "articles": 6})
    assert digest(meeting) != digest({**meeting, "status": "cancelled"})
