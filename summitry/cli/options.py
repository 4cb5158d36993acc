"""Options shared by several commands (typer's `Annotated` form)."""
from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", metavar="URL", show_default=False,
        help="Database URL, e.g. sqlite:///summitry.db or postgresql+psycopg://user:pass@host/summitry. "
             "Default: $SUMMITRY_DB (a URL or a SQLite file path), else the SQLite file "
             "~/.local/share/summitry/summitry.db (under $XDG_DATA_HOME if set).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout (nothing else) instead of a table.")]
LimitOption = Annotated[int | None, typer.Option("--limit", "-n", min=1, metavar="N", help="Show at most N rows.")]
TitleOption = Annotated[str | None, typer.Option(help="Title for articles whose input has none.")]
PublishedOption = Annotated[
    str | None,
    typer.Option(metavar="YYYY-MM-DD", help="Publication date for articles whose input has none; anchors relative dates."),
]
SourceOption = Annotated[str | None, typer.Option(help="Source (outlet) for articles whose input has none.")]
UrlOption = Annotated[str | None, typer.Option(help="URL for articles whose input has none.")]
BatchOption = Annotated[int, typer.Option(min=1, help="Articles per batch of the spaCy pipeline.")]
NoGateOption = Annotated[bool, typer.Option(
    "--no-gate",
    help="Parse every article. By default a cheap relevance gate stores articles with nothing of leader "
         "diplomacy (no sentence naming two sides of an encounter) with an empty record, unparsed.")]
AllowPrivateOption = Annotated[bool, typer.Option(
    "--allow-private-addresses",
    help="Let URLs reach loopback, private and link-local addresses (refused by default: a URL must not "
         "be a way into the machine's own network).")]


def parse_published(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        published = date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD", param_hint="'--published'") from None
    from ..ingest.readers import check_published

    problem = check_published(published)
    if problem:
        raise typer.BadParameter(problem, param_hint="'--published'")
    return published
