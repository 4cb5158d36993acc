"""Feeds: RSS and Atom documents -> the items they list, and polite fetching of their pages.

`parse_feed` reads a feed (feedparser) or an XML site map into `FeedItem`s; a page that is HTML
rather than a feed is searched for the feeds it announces (`<link rel="alternate"
type="application/rss+xml">`), so a site's home page can stand for its feed, and a sitemap
index for its sitemaps. `PoliteFetcher` fetches as a guest should: one
request at a time per host with a delay between them, robots.txt honoured (fetched once per
host and kept), a conditional GET where the caller knows the ETag or Last-Modified of the last
answer, a timeout and a size limit, and the safety of `fetch` (http(s) only, public addresses
unless allowed). Nothing here touches the database: `summitry.pipeline.watch` keeps the state.
"""
from __future__ import annotations

import re
import time
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

import httpx

from .fetch import USER_AGENT, Fetched, fetch, http_client, refused_destination
from .readers import IngestError, decode, looks_like_html

# A feed larger than this is not a feed (the size limit of pages is `MAX_BYTES`).
MAX_FEED_BYTES = 5 * 2**20
# A site map may list every page of a site: a round takes its most recently modified ones.
MAX_SITEMAP_ITEMS = 200
_SITEMAP = re.compile(rb"<(?:\w+:)?(?:urlset|sitemapindex)\b")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml")


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class Feed:
    items: list[FeedItem]
    title: str | None = None
    discovered: list[str] = field(default_factory=list)  # feeds an HTML page announces


def parse_feed(data: bytes, url: str) -> Feed | IngestError:
    """The items of an RSS or Atom feed (relative links resolved against `url`), or the feeds
    an HTML page announces; an IngestError when it is neither."""
    if looks_like_html(decode(data[:8192])):
        found = discover_feeds(data, url)
        if found:
            return Feed([], discovered=found)
    if _SITEMAP.search(data[:2048]):
        return parse_sitemap(data, url)
    import feedparser  # imported late: only `watch` needs it

    try:
        parsed = feedparser.parse(data, response_headers={"content-location": url})
    except Exception as e:  # noqa: BLE001 - a parser failure on hostile input is this feed's error
        return IngestError(url, f"not a feed: {type(e).__name__}")
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: None)() or "no RSS or Atom items"
        return IngestError(url, f"not a feed ({str(reason).splitlines()[0][:120]})")
    items, seen = [], set()
    for entry in parsed.entries:
        link = entry.get("link") or next((l.get("href") for l in entry.get("links", []) if l.get("href")), None)
        if not link:
            continue
        link = urljoin(url, link.strip())
        if urlsplit(link).scheme.lower() not in ("http", "https") or link in seen:
            continue
        seen.add(link)
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = date(*stamp[:3]) if stamp else None
        items.append(FeedItem(link, entry.get("title"), published))
    return Feed(items, parsed.feed.get("title"))


def parse_sitemap(data: bytes, url: str) -> Feed | IngestError:
    """The pages of an XML sitemap (the MAX_SITEMAP_ITEMS most recently modified), or the
    sitemaps a sitemap index lists (read as announced feeds)."""
    from lxml import etree

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True,
                                                              huge_tree=False))
    except etree.XMLSyntaxError as e:
        return IngestError(url, f"not a sitemap ({str(e).splitlines()[0][:120]})")
    entries = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc = next((c.text for c in node if isinstance(c.tag, str) and c.tag.endswith("loc") and c.text), None)
        lastmod = next((c.text for c in node if isinstance(c.tag, str) and c.tag.endswith("lastmod") and c.text), "")
        if loc:
            link = urljoin(url, loc.strip())
            if urlsplit(link).scheme.lower() in ("http", "https"):
                entries.append((lastmod.strip(), link))
    if root.tag.endswith("sitemapindex"):
        return Feed([], discovered=list(dict.fromkeys(link for _, link in entries)))
    newest = sorted(entries, key=lambda e: e[0], reverse=True)[:MAX_SITEMAP_ITEMS]
    items = {}
    for lastmod, link in newest:
        try:
            published = date.fromisoformat(lastmod[:10]) if lastmod else None
        except ValueError:
            published = None
        items.setdefault(link, FeedItem(link, None, published))
    return Feed(list(items.values()))


def discover_feeds(data: bytes, url: str) -> list[str]:
    """The feeds an HTML page announces with `<link rel="alternate" type="...rss/atom...">`."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(decode(data))
    except Exception:  # noqa: BLE001 - broken markup: no feeds
        return []
    found = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower() in FEED_TYPES and link.get("href"):
            href = urljoin(url, link.get("href").strip())
            if urlsplit(href).scheme.lower() in ("http", "https") and href not in found:
                found.append(href)
    return found


class Disallowed(IngestError):
    """The site's robots.txt asks robots not to fetch this URL: skipped, not a failure."""


def _root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc}"


class PoliteFetcher:
    """Fetches one URL at a time, a `delay` apart per host, honouring robots.txt."""

    def __init__(self, *, delay: float = 1.0, timeout: float = 10, deadline: float = 30,
                 allow_private: bool = False, sleep=time.sleep, clock=time.monotonic):
        self.delay, self.timeout, self.deadline = delay, timeout, deadline
        self.allow_private = allow_private
        self._sleep, self._clock = sleep, clock
        self._last: dict[str, float] = {}  # host -> when its last request ended
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._robots_problem: dict[str, str] = {}  # host root -> why its robots.txt could not be read
        self.http_client: httpx.Client | None = None

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.http_client is not None:
            self.http_client.close()
            self.http_client = None

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            max_bytes: int | None = None) -> Fetched | IngestError:
        """GET `url` when robots.txt allows it, conditionally when `etag` or `last_modified`
        (of the last answer) is known: a 304 means nothing changed."""
        refused = refused_destination(url, self.allow_private)
        if refused:  # before robots.txt: no request at all to a refused host
            return IngestError(url, refused)
        if not self.allowed(url):
            problem = self._robots_problem.get(_root(url))
            if problem:
                return IngestError(url, f"robots.txt could not be read ({problem}): nothing is fetched from "
                                        "the site until it can")
            return Disallowed(url, "disallowed by the site's robots.txt")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._polite(url, headers, max_bytes)

    def allowed(self, url: str) -> bool:
        """What the host's robots.txt says of `url` for summitry (no robots.txt: allowed; one
        that cannot be fetched for a server error: nothing is fetched from the host)."""
        root = _root(url)
        if root not in self._robots:
            self._robots[root] = self._read_robots(root)
        robots = self._robots[root]
        if robots is None:
            return True
        return robots.can_fetch(USER_AGENT, url)

    def _read_robots(self, root: str) -> urllib.robotparser.RobotFileParser | None:
        fetched = self._polite(root + "/robots.txt", {}, 512 * 1024)
        robots = urllib.robotparser.RobotFileParser(root + "/robots.txt")
        if isinstance(fetched, IngestError):
            # the usual reading of robots.txt: missing (4xx) allows everything; a server that
            # fails (5xx, no answer) is taken as "do not crawl now"
            if "HTTP error 4" in fetched.message:
                return None
            self._robots_problem[root] = fetched.message
            robots.disallow_all = True
            return robots
        robots.parse(decode(fetched.data).splitlines())
        return robots

    def _polite(self, url: str, headers: dict[str, str], max_bytes: int | None) -> Fetched | IngestError:
        host = (urlsplit(url).hostname or "").lower()
        last = self._last.get(host)
        if last is not None:
            wait = last + self.delay - self._clock()
            if wait > 0:
                self._sleep(wait)
        if self.http_client is None:
            self.http_client = http_client(self.timeout)
        try:
            kwargs = {} if max_bytes is None else {"max_bytes": max_bytes}
            return fetch(url, headers=headers, timeout=self.timeout, deadline=self.deadline,
                         allow_private=self.allow_private, client=self.http_client, **kwargs)
        finally:
            self._last[host] = self._clock()
