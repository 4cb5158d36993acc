"""Following the news: feeds in, articles stored, alerts out (`summitry watch`).

    summary = watch_round(store, feeds, PoliteFetcher(allow_private=...), alerts=..., webhook=...)

One round reads each feed (RSS or Atom, or an HTML page that announces one), fetches the pages
of the items not yet stored (politely: `summitry.ingest.feeds.PoliteFetcher`), and ingests
them as `summitry ingest URL` would, feed by feed; then links the meetings and sends the new
matches of the saved queries to the webhook.

What makes a restart cheap and safe (the state is in the store, `Store.fetch_state`):
- a page whose article is stored is never fetched again;
- a feed is fetched with the ETag and Last-Modified of its last answer (a 304 costs nothing),
  and those are stored only after its items are stored, so a run killed half-way reads the
  feed in full again next time;
- a feed or page that fails is reported (one `error:` line) and the others go on; the feed is
  retried next round, a page up to MAX_PAGE_ATTEMPTS rounds in a row.

Alerts (`Alert`): a saved query is "meeting:A,B" (a new or changed meeting between the two
leaders), "flags" (any new fact flag) or "statements:NAME" (statements by a speaker). Each new
or changed match is posted to the webhook as JSON, signed with HMAC-SHA256 of the body under
the shared secret (header `X-Summitry-Signature: sha256=<hex>`), and remembered once the
webhook accepted it (a failed post is retried next round). An alert's first round starts from
what is stored then: it posts what that round and later ones bring, not the whole archive.
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterable
from typing import Any

from ..ingest import IngestError
from ..ingest.feeds import MAX_FEED_BYTES, Disallowed, FeedItem, PoliteFetcher, parse_feed
from ..ingest.fetch import USER_AGENT, article_from_response, refused_destination
from ..records import Article
from .ingest import IngestSummary, ingest_articles
from .link import link_meetings

MAX_PAGE_ATTEMPTS = 3
SIGNATURE_HEADER = "X-Summitry-Signature"


def _ignore(*_: Any) -> None:
    return None


@dataclasses.dataclass
class WatchSummary:
    feeds: int = 0
    feeds_unchanged: int = 0  # answered 304
    feeds_failed: int = 0
    items: int = 0
    already_stored: int = 0  # items whose article is stored: not fetched
    pages_fetched: int = 0
    pages_failed: int = 0
    disallowed: int = 0  # items robots.txt asks not to fetch
    new_articles: int = 0
    extracted: int = 0
    alerts_sent: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)
    attempted: set[str] = dataclasses.field(default_factory=set)  # pages requested this round

    def lines(self) -> list[str]:
        return [f"feeds: {self.feeds} read, {self.feeds_unchanged} unchanged (304), {self.feeds_failed} failed",
                f"items: {self.items} listed, {self.already_stored} already stored, {self.pages_fetched} pages "
                f"fetched, {self.pages_failed} failed, {self.disallowed} disallowed by robots.txt; {self.new_articles} new articles, {self.extracted} extracted",
                *([f"alerts: {self.alerts_sent} posted"] if self.alerts_sent else [])]


# --- saved queries ------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Alert:
    """A saved query: `kind` meeting (between `names`), flags, or statements (by `names[0]`)."""

    spec: str
    kind: str
    names: tuple[str, ...] = ()

    @classmethod
    def parse(cls, spec: str) -> Alert:
        """"meeting:Trump,Xi", "flags" or "statements:Lavrov"; ValueError with the forms otherwise."""
        kind, _, rest = spec.strip().partition(":")
        kind = kind.strip().lower()
        names = tuple(n.strip() for n in rest.split(",") if n.strip())
        if kind in ("meeting", "meetings") and len(names) == 2:
            return cls(spec.strip(), "meeting", names)
        if kind in ("flag", "flags") and not names:
            return cls(spec.strip(), "flags")
        if kind in ("statement", "statements") and len(names) == 1:
            return cls(spec.strip(), "statements", names)
        raise ValueError(f"unknown alert {spec!r}: expected meeting:LEADER,LEADER (a new or changed meeting "
                         "between the two), flags (any new fact flag) or statements:SPEAKER")

    def matches(self, store) -> dict[str, dict[str, Any]]:
        """{match key: what is posted about it}, as the store stands."""
        if self.kind == "meeting":
            return {m["id"]: {k: m.get(k) for k in MEETING_FIELDS}
                    for m in store.canonical_meetings(between=(self.names[0], self.names[1]))}
        if self.kind == "flags":
            return {f["id"]: {k: f.get(k) for k in FLAG_FIELDS} for f in store.fact_flags()}
        return {s["id"]: {k: s.get(k) for k in STATEMENT_FIELDS} for s in store.statements(speaker=self.names[0])}


MEETING_FIELDS = ("id", "participants", "date", "place", "occasion", "status", "format", "scheduled_minutes",
                  "actual_minutes", "reports", "articles", "disputed")
FLAG_FIELDS = ("id", "article_id", "article_title", "kind", "claim", "start", "end", "explanation", "confidence")
STATEMENT_FIELDS = ("id", "article_id", "article_title", "speaker", "speaker_mention", "quote", "kind", "cue",
                    "start", "end")


# Counts that grow with every new article: shown in a post, but a meeting has changed only
# when what it is changes (status, date, place, the fields in dispute...)
COUNT_FIELDS = frozenset({"reports", "articles"})


def digest(item: dict[str, Any]) -> str:
    """What a match says, as a hash: a new digest for a known match is a change."""
    said = {k: v for k, v in item.items() if k not in COUNT_FIELDS}
    return hashlib.sha256(json.dumps(said, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def sign(body: bytes, secret: str) -> str:
    """The value of the signature header: "sha256=" and the HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


@dataclasses.dataclass(frozen=True)
class Webhook:
    url: str
    secret: str
    allow_private: bool = False
    timeout: float = 10

    def post(self, payload: dict[str, Any]) -> str | None:
        """POST the payload as signed JSON; None on a 2xx answer, else why it failed. Redirects
        are not followed (every destination is checked as a fetched URL is)."""
        import httpx

        refused = refused_destination(self.url, self.allow_private)
        if refused:
            return refused
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, self.secret),
                   "User-Agent": USER_AGENT}
        try:
            with httpx.Client(timeout=self.timeout, follow_redirects=False, trust_env=False) as client:
                response = client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as e:
            return f"cannot post: {str(e).splitlines()[0] if str(e) else type(e).__name__}"
        if not 200 <= response.status_code < 300:
            return f"HTTP {response.status_code} {response.reason_phrase}"
        return None


def start_alerts(store, alerts: Iterable[Alert]) -> None:
    """An alert never run starts from what is stored now (nothing of it is posted)."""
    for alert in alerts:
        if store.alert_digests(alert.spec) is None:
            store.record_alert(alert.spec, {key: digest(item) for key, item in alert.matches(store).items()})


def send_alerts(store, alerts: Iterable[Alert], webhook: Webhook | None,
                on_error: Callable[[str], None] = _ignore) -> tuple[int, list[str]]:
    """Post each new or changed match of each alert; (posts made, errors). A failed post stops
    this round's posting (the webhook is down: the rest waits for the next round)."""
    sent, errors = 0, []
    if webhook is None:
        return sent, errors
    for alert in alerts:
        known = store.alert_digests(alert.spec) or {}
        for key, item in alert.matches(store).items():
            value = digest(item)
            if known.get(key) == value:
                continue
            payload = {"alert": alert.spec, "kind": alert.kind, "change": "changed" if key in known else "new",
                       "item": item}
            problem = webhook.post(payload)
            if problem:
                message = f"webhook {webhook.url}: {problem} (retried next round)"
                errors.append(message)
                on_error(message)
                return sent, errors
            store.record_alert(alert.spec, {key: value})
            sent += 1
    return sent, errors


# --- one round ----------------------------------------------------------------------------

def watch_round(store, feeds: Iterable[str], fetcher: PoliteFetcher, *, use_gate: bool = True,
                alerts: Iterable[Alert] = (), webhook: Webhook | None = None,
                on_error: Callable[[str], None] = _ignore,
                on_info: Callable[[str], None] = _ignore) -> WatchSummary:
    """Read every feed once, store its new items, link, and post the alerts' new matches."""
    summary = WatchSummary()
    alerts = list(alerts)
    start_alerts(store, alerts)

    def fail(message: str) -> None:
        summary.errors.append(message)
        on_error(message)

    queue = list(dict.fromkeys(feeds))
    seen = set(queue)
    while queue:
        feed_url = queue.pop(0)
        summary.feeds += 1
        state = store.fetch_state(feed_url) or {}
        got = fetcher.get(feed_url, etag=state.get("etag"), last_modified=state.get("last_modified"),
                          max_bytes=MAX_FEED_BYTES)
        if isinstance(got, IngestError):
            store.record_fetch(feed_url, "feed", error=got.message)
            summary.feeds_failed += 1
            fail(f"{feed_url}: {got.message}")
            continue
        if got.status == 304:
            store.record_fetch(feed_url, "feed", keep_validators=True)
            summary.feeds_unchanged += 1
            on_info(f"{feed_url}: unchanged")
            continue
        feed = parse_feed(got.data, got.url)
        if isinstance(feed, IngestError):
            store.record_fetch(feed_url, "feed", error=feed.message)
            summary.feeds_failed += 1
            fail(f"{feed_url}: {feed.message}")
            continue
        for found in feed.discovered:  # an HTML page that announces its feeds: read them this round
            if found not in seen:
                seen.add(found)
                queue.append(found)
        _store_items(store, feed.items, fetcher, summary, use_gate, fail)
        # the validators only now: a run stopped before this point reads the feed in full again;
        # none for a page that announces feeds (a 304 for it would skip the feeds it announces)
        announces = bool(feed.discovered)
        store.record_fetch(feed_url, "feed", etag=None if announces else got.headers.get("etag"),
                           last_modified=None if announces else got.headers.get("last-modified"))
        on_info(f"{feed_url}: {len(feed.items)} items" + (f", {len(feed.discovered)} feeds announced"
                                                          if feed.discovered else ""))
    retry = [url for url in store.failed_pages(MAX_PAGE_ATTEMPTS) if url not in summary.attempted]
    if retry:
        _store_items(store, [FeedItem(url) for url in retry], fetcher, summary, use_gate, fail, listed=False)
    if summary.extracted:
        link_meetings(store)
    sent, _ = send_alerts(store, alerts, webhook, fail)
    summary.alerts_sent = sent
    return summary


def _store_items(store, items, fetcher: PoliteFetcher, summary: WatchSummary, use_gate: bool,
                 fail: Callable[[str], None], listed: bool = True) -> None:
    """Fetch the items whose article is not stored, and ingest them."""
    states = store.fetch_states([item.url for item in items])
    articles: list[Article] = []
    for item in items:
        summary.items += listed
        state = states.get(item.url) or {}
        if state.get("article_id"):
            summary.already_stored += 1
            continue
        if listed and state.get("error") and state.get("attempts", 0) >= MAX_PAGE_ATTEMPTS:
            continue  # given up on (a page that is not an article)
        if item.url in summary.attempted:  # listed by two feeds: once a round
            continue
        summary.attempted.add(item.url)
        got = fetcher.get(item.url, etag=state.get("etag"), last_modified=state.get("last_modified"))
        if isinstance(got, Disallowed):  # the site's wish, not a failure: skipped quietly
            summary.disallowed += 1
            continue
        if isinstance(got, IngestError):
            store.record_fetch(item.url, "page", error=got.message)
            summary.pages_failed += 1
            fail(f"{item.url}: {got.message}")
            continue
        if got.status == 304:
            store.record_fetch(item.url, "page", keep_validators=True)
            continue
        summary.pages_fetched += 1
        article = article_from_response(item.url, got)
        if isinstance(article, IngestError):
            store.record_fetch(item.url, "page", error=article.message)
            summary.pages_failed += 1
            fail(f"{item.url}: {article.message}")
            continue
        # what the feed says fills what the page does not
        article = dataclasses.replace(article, title=article.title or _clean(item.title),
                                      published=article.published or item.published)
        articles.append(article)
        states[item.url] = {"etag": got.headers.get("etag"), "last_modified": got.headers.get("last-modified")}
    if not articles:
        return
    ingested: IngestSummary = ingest_articles(store, articles, use_gate=use_gate)
    summary.new_articles += ingested.new
    summary.extracted += ingested.extracted
    for entry in ingested.articles:
        url = entry["origin"]
        if entry.get("error"):
            store.record_fetch(url, "page", error=entry["error"])
            summary.pages_failed += 1
            fail(f"{url}: {entry['error']}")
        else:
            validators = states.get(url) or {}
            store.record_fetch(url, "page", etag=validators.get("etag"),
                               last_modified=validators.get("last_modified"), article_id=entry["id"])
    for message in ingested.errors:
        if not any(message.startswith(f"{e['origin']}: ") for e in ingested.articles if e.get("error")):
            fail(message)


def _clean(value: str | None) -> str | None:
    from ..ingest.readers import repair_text

    return None if value is None else repair_text(value)


def watch(store, feeds: list[str], fetcher: PoliteFetcher, *, every: float, once: bool = False,
          sleep: Callable[[float], None] = time.sleep,
          on_round: Callable[[WatchSummary], None] = _ignore, **options: Any) -> WatchSummary:
    """Rounds of `watch_round`, `every` seconds from the start of one to the next; only one
    with `once`. `on_round` gets each round's summary. Returns the last round's summary (a
    loop without `once` ends only by an exception, such as KeyboardInterrupt)."""
    while True:
        started = time.monotonic()
        summary = watch_round(store, feeds, fetcher, **options)
        on_round(summary)
        if once:
            return summary
        sleep(max(0.0, every - (time.monotonic() - started)))
