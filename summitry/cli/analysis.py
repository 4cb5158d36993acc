"""`summitry timeline A B` and `summitry brief A B`: the analysis of a pair of leaders.

    summitry timeline A B [--format table|json|csv|timelinejs] [--db URL]
    summitry brief A B [--db URL] [-o FILE]

"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from .options import DbOption
from .output import EXIT_INPUT_FAILED, fail, new_table, open_store, print_json, stdout

FORMATS = ("table", "json", "csv", "timelinejs")


def timeline(
    a: Annotated[str, typer.Argument(metavar="A", help="First leader (full name or surname).")],
    b: Annotated[str, typer.Argument(metavar="B", help="Second leader.")],
    format: Annotated[str, typer.Option("--format", "-f", help="One of: " + ", ".join(FORMATS) + ".")] = "table",
    db: DbOption = None,
) -> None:
    """The timeline of a pair's encounters: stored meetings and the reference record's.

    Each entry cites its sources: a canonical meeting and the articles (with offsets) that
    report it, or the reference record entry (source "reference") no stored report covers.

    Examples:

        $ summitry timeline Trump Putin
        $ summitry timeline "Donald Trump" "Vladimir Putin" --format timelinejs > tl.json
    """
    from .. import analysis

    if format not in FORMATS:
        raise fail(f"unknown format {format!r}; one of {', '.join(FORMATS)}", 2)
    with open_store(db) as store:
        entries = analysis.timeline(store, a, b)
    if format == "json":
        print_json(entries)
    elif format == "csv":
        sys.stdout.write(analysis.timeline_csv(entries))
    elif format == "timelinejs":
        print_json(analysis.timeline_js(entries, a, b))
    else:
        table = new_table(f"Encounters of {a} and {b} ({len(entries)})")
        for column in ("Date", "Status\nformat", "Place\noccasion", "Minutes\nplan/real", "Reports", "Sources"):
            table.add_column(column, overflow="fold")
        for e in entries:
            table.add_row(Text(e["date"] or "?"), Text(f"{e['status']}\n{e['format'] or ''}"),
                          Text(f"{e['place'] or ''}\n{e['occasion'] or ''}"),
                          Text(f"{e['scheduled_minutes'] or '-'}/{e['actual_minutes'] or '-'}"),
                          Text(str(e["reports"])), Text("; ".join(e["cite"])))
        stdout().print(table)


def brief(
    a: Annotated[str, typer.Argument(metavar="A", help="First leader (full name or surname).")],
    b: Annotated[str, typer.Argument(metavar="B", help="Second leader.")],
    db: DbOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write the Markdown here instead of stdout.")] = None,
) -> None:
    """A Markdown briefing on a pair: encounters, lengths, commitments, scores, fact flags.

    Every sentence cites the records it rests on (meeting ids, articles with offsets,
    commitment ids or `ref:` entries of the reference record). No language model.

    Examples:

        $ summitry brief "Donald Trump" "Vladimir Putin"
        $ summitry brief Trump Putin -o trump-putin.md
    """
    from ..analysis import brief as make_brief

    with open_store(db) as store:
        text = make_brief(store, a, b)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_INPUT_FAILED) from None

