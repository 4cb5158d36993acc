"""The `summitry` command line.

    summitry ingest PATH...      read articles, store them, extract and store their records
    summitry extract INPUT...    print the records of articles as JSONL (no database)
    summitry meetings            list stored meetings
    summitry statements          list stored statements
    summitry show ARTICLE_ID     an article with its statements and meetings marked
    summitry watch FEED_URL...   follow RSS/Atom feeds: store new articles, post alerts to a webhook
    summitry link                link the meeting reports of all articles into canonical meetings
    summitry meeting ID          a canonical meeting, its reports and their disagreements
    summitry flags               where stored articles contradict the reference record
    summitry contradictions      accounts of the same meeting that cannot both be true
    summitry candidates          the review queue: findings the rules are not sure of
    summitry confirm / dismiss   a person's verdict on a finding of the queue
    summitry commitments         what the parties committed to, with their status
    summitry commitment ID       one commitment and its status history (set-status to rate it)
    summitry timeline A B        the pair's encounters (table, JSON, CSV or TimelineJS)
    summitry brief A B           a Markdown briefing on the pair, every sentence sourced
    summitry serve               the web app on the database
    summitry demo                ingest the bundled demo corpus and show what was found
    summitry eval GOLD.jsonl     score the extractor against gold records
    summitry version

Exit codes: 0 ok, 1 some inputs failed (the others were processed), 2 usage
error, 3 database error. Listings take `--json` (JSON on stdout, nothing
else); progress and errors go to stderr.

The commands live in one module per group (see `summitry/cli/__init__.py`); this module
makes the app and registers them in the order `--help` lists them.
"""
from __future__ import annotations

import os
import sys

import typer

app = typer.Typer(
    name="summitry",
    help=(
        "summitry reads news articles about leader-level diplomacy and builds a sourced record of "
        "meetings and statements, stored in a database (SQLite by default).\n\n"
        "Start with `summitry demo`, then `summitry meetings` and "
        "`summitry show ARTICLE_ID`.\n\n"
        "Exit codes: 0 ok, 1 some inputs failed (the others were processed), 2 usage error, "
        "3 database error."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="markdown",
)


# The commands, in the order `summitry --help` lists them.
from . import analysis, commitments, ingest, linking, records, review, serve, watch  # noqa: E402

for command in (ingest.ingest, ingest.extract, records.meetings, records.statements, records.show,
                linking.link, linking.meeting, ingest.demo, watch.watch):
    app.command()(command)
app.command("eval")(ingest.evaluate_command)
for command in (linking.flags, serve.serve, serve.version, analysis.timeline, analysis.brief,
                commitments.commitments, commitments.commitment, linking.contradictions,
                review.candidates, review.confirm, review.dismiss):
    app.command()(command)


def main() -> None:
    """Console entry point: `summitry ... | head` ends quietly when the reader closes the pipe."""
    try:
        app()
    except BrokenPipeError:
        # Python's documented recipe: point stdout at devnull so the exit flush cannot fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
