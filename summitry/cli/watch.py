"""`summitry watch`: follow RSS and Atom feeds, store their new articles, post alerts."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from .options import AllowPrivateOption, DbOption, NoGateOption
from .output import EXIT_INPUT_FAILED, EXIT_USAGE, fail, open_store, print_error, stderr

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.I)
_UNIT = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}


def parse_duration(value: str, option: str) -> float:
    """"15m", "30s", "1h", "2d" or a number of seconds -> seconds."""
    match = _DURATION.match(value or "")
    if not match or float(match.group(1)) <= 0:
        raise typer.BadParameter(f"{value!r} is not a duration such as 30s, 15m or 1h", param_hint=f"'{option}'")
    return float(match.group(1)) * _UNIT[(match.group(2) or "s").lower()]


def read_feed_list(path: Path) -> list[str]:
    """Feed URLs from a file: one a line; blank lines and lines starting with # are skipped."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        raise fail(f"{path}: cannot read the feed list: {e.strerror or e}", EXIT_USAGE) from None
    return [line.split()[0] for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def watch(
    feeds: Annotated[list[str] | None, typer.Argument(metavar="FEED_URL...", show_default=False,
                                                      help="RSS or Atom feeds (or pages that announce one).")] = None,
    every: Annotated[str, typer.Option("--every", metavar="DURATION",
                                       help="Time between rounds: 30s, 15m, 1h.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="One round, then exit (for cron or a test).")] = False,
    feed_file: Annotated[Path | None, typer.Option("--feeds", metavar="FILE", dir_okay=False,
                                                   help="Read feed URLs from FILE, one a line (# comments).")] = None,
    delay: Annotated[float, typer.Option("--delay", min=0, metavar="SECONDS",
                                         help="Pause between two requests to the same host.")] = 1.0,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, metavar="SECONDS",
                                           help="Longest wait for a server; a whole fetch gets 3 times it.")] = 10.0,
    webhook: Annotated[str | None, typer.Option("--webhook", metavar="URL",
                                                help="Post each new match of the --alert queries here (JSON).")] = None,
    secret: Annotated[str | None, typer.Option("--secret", metavar="S", envvar="SUMMITRY_WEBHOOK_SECRET",
                                               help="Shared secret: posts carry X-Summitry-Signature: "
                                                    "sha256=HMAC-SHA256(secret, body). Also $SUMMITRY_WEBHOOK_SECRET.")] = None,
    alert: Annotated[list[str] | None, typer.Option(
        "--alert", metavar="QUERY",
        help="A saved query, repeatable: meeting:LEADER,LEADER (a new or changed meeting between them), "
             "flags (any new fact flag), statements:SPEAKER.")] = None,
    db: DbOption = None,
    allow_private: AllowPrivateOption = False,
    no_gate: NoGateOption = False,
) -> None:
    """Follow feeds: each round reads every feed, stores the articles of its new items, links
    the meetings and posts the new matches of the alerts to the webhook.

    Pages are fetched politely: one request at a time per host, --delay apart, robots.txt
    honoured, conditional GETs (ETag, Last-Modified), a timeout and a size limit. What is
    stored is never fetched again, so stopping and restarting costs nothing. A feed that fails
    is reported as `error: <url>: <reason>` and retried next round; the others go on. With
    --once the exit code is 1 when something failed.

    Examples:

        $ summitry watch https://example.org/world/rss.xml --every 15m
        $ summitry watch --feeds feeds.txt --once
        $ summitry watch --feeds feeds.txt --webhook https://desk.example/hook --secret S \\
              --alert meeting:Trump,Xi --alert flags --alert statements:Lavrov
    """
    from ..ingest import is_url

    urls = list(feeds or []) + (read_feed_list(feed_file) if feed_file else [])
    if not urls:
        raise fail("no feeds: give FEED_URL... or --feeds FILE", EXIT_USAGE)
    bad = [u for u in urls if not is_url(u)]
    if bad:
        raise fail(f"{bad[0]}: not an http(s) URL", EXIT_USAGE)
    seconds = parse_duration(every, "--every")
    from ..pipeline.watch import Alert, Webhook

    try:
        alerts = [Alert.parse(a) for a in alert or []]
    except ValueError as e:
        raise fail(str(e), EXIT_USAGE) from None
    hook = None
    if webhook:
        from ..ingest.fetch import refused_destination

        if not secret:
            raise fail("--webhook needs --secret (or $SUMMITRY_WEBHOOK_SECRET): posts are signed", EXIT_USAGE)
        refused = refused_destination(webhook, allow_private)
        if refused:
            raise fail(f"--webhook {webhook}: {refused}", EXIT_USAGE)
        if not alerts:
            raise fail("--webhook needs at least one --alert QUERY", EXIT_USAGE)
        hook = Webhook(webhook, secret, allow_private=allow_private, timeout=timeout)
    elif alerts:
        raise fail("--alert needs --webhook URL (where the matches are posted)", EXIT_USAGE)

    from ..ingest.feeds import PoliteFetcher
    from ..pipeline.watch import watch as run

    console = stderr()

    def info(line: str) -> None:
        console.print(line, markup=False, highlight=False, soft_wrap=True)

    def round_done(summary) -> None:
        for line in summary.lines():
            info(line)

    with open_store(db) as store, PoliteFetcher(delay=delay, timeout=timeout, deadline=3 * timeout,
                                                allow_private=allow_private) as fetcher:
        try:
            summary = run(store, urls, fetcher, every=seconds, once=once, use_gate=not no_gate,
                          alerts=alerts, webhook=hook, on_error=print_error, on_info=info,
                          on_round=round_done)
        except KeyboardInterrupt:
            info("stopped")
            return
    if summary.errors:
        raise typer.Exit(EXIT_INPUT_FAILED)
