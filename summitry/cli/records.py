"""`summitry meetings`, `statements` and `show`: the stored article-level records."""
from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .options import DbOption, JsonOption, LimitOption
from .output import (new_table, safe, open_store, planned_actual, print_json, print_one, print_rows, short_id,
                     speaker_cell, stdout, two_lines)

def meetings_table(rows: list[dict[str, Any]], title: str = "Meetings") -> Table:
    table = new_table(title)
    table.add_column("Date", no_wrap=True)
    table.add_column("Participants", min_width=14, overflow="fold")
    table.add_column("Place\noccasion", overflow="fold")
    table.add_column("Status\nformat", overflow="fold")
    table.add_column("Minutes\nplan/real", justify="right", no_wrap=True)
    table.add_column("Article", overflow="fold")
    for row in rows:
        table.add_row(
            Text(row.get("date") or ""),
            Text("\n".join(row.get("participants") or [])),
            two_lines(row.get("place"), row.get("occasion")),
            two_lines(row.get("status"), row.get("format")),
            Text(planned_actual(row)),
            Text(short_id(row.get("article_id"))),
        )
    return table


def statements_table(rows: list[dict[str, Any]], title: str = "Statements") -> Table:
    table = new_table(title)
    table.add_column("Speaker", max_width=20, overflow="fold")
    table.add_column("Quote", ratio=1, overflow="fold")
    table.add_column("Kind\ncue", overflow="fold")
    table.add_column("Article", overflow="fold")
    for row in rows:
        table.add_row(speaker_cell(row), Text(safe(row.get("quote") or "")),
                      two_lines(row.get("kind"), row.get("cue")), Text(short_id(row.get("article_id"))))
    return table


STATEMENT_COLORS = ("cyan", "magenta", "green", "yellow", "blue", "bright_red")
MEETING_STYLE = "bold on grey23"
MEETING_MARKER_STYLE = "bold reverse"


def statement_color(number: int) -> str:
    return STATEMENT_COLORS[(number - 1) % len(STATEMENT_COLORS)]


def marked_text(text: str, statements: list[dict[str, Any]], meetings: list[dict[str, Any]]) -> Text:
    """The article text with statement spans underlined in colour and numbered [1], [2], ...

    and meeting evidence highlighted and numbered [M1], [M2], ... Spans may nest or overlap:
    the text is cut at every span boundary and each piece gets the styles of all spans
    covering it. Offsets outside the text are cut to it; spans without offsets are left out.
    The text is never parsed as markup.
    """
    n = len(text)
    spans: list[tuple[int, int, str]] = []  # (start, end, style)
    markers: dict[int, list[Text]] = {}  # end offset -> the numbers to print there

    def add(parts: list[tuple[Any, Any]], style: str, marker: Text) -> None:
        clipped = [(max(0, a), min(n, b)) for a, b in parts if isinstance(a, int) and isinstance(b, int)]
        clipped = [(a, b) for a, b in clipped if a < b]
        if clipped:
            spans.extend((a, b, style) for a, b in clipped)
            markers.setdefault(max(b for _, b in clipped), []).append(marker)

    for number, st in enumerate(statements, 1):
        color = statement_color(number)
        add([tuple(p) for p in st.get("parts") or []] or [(st.get("start"), st.get("end"))],
            f"underline {color}", Text(f"[{number}]", style=f"bold {color}"))
    for number, mt in enumerate(meetings, 1):
        add([(mt.get("evidence_start"), mt.get("evidence_end"))], MEETING_STYLE,
            Text(f"[M{number}]", style=MEETING_MARKER_STYLE))

    cuts = sorted({0, n} | {a for a, _, _ in spans} | {b for _, b, _ in spans})
    out = Text()
    for a, b in zip(cuts, cuts[1:]):
        styles = [style for s, e, style in spans if s <= a and b <= e]
        out.append(safe(text[a:b]), style=" ".join(styles) or None)
        for marker in markers.get(b, []):
            out.append_text(marker)
    return out


def show_article(article: dict[str, Any]) -> None:
    console = stdout()
    statements = article.get("statements") or []
    meetings = article.get("meetings") or []
    console.print(Text(safe(article.get("title") or "(untitled)"), style="bold"))
    for key in ("id", "published", "source", "url", "origin"):
        if article.get(key):
            console.print(Text.assemble((f"{key}: ", "dim"), safe(article[key])))
    console.print()
    console.print(marked_text(article.get("text") or "", statements, meetings))
    console.print()
    console.print(Text(f"Statements ({len(statements)})", style="bold underline"))
    for number, st in enumerate(statements, 1):
        line = Text.assemble((f"[{number}] ", f"bold {statement_color(number)}"), speaker_cell(st))
        if st.get("speaker") and st.get("speaker_mention") and st["speaker_mention"] != st["speaker"]:
            line.append(f" ({st['speaker_mention']})", style="dim")
        line.append(f" · {st.get('kind') or '?'}, {st.get('cue') or 'no cue'}", style="dim")
        console.print(line)
        console.print(Padding(Text(safe(st.get("quote") or "")), (0, 0, 0, 4), expand=False))
    console.print()
    console.print(Text(f"Meetings ({len(meetings)})", style="bold underline"))
    for number, mt in enumerate(meetings, 1):
        facts = [mt.get("date") or "undated", mt.get("place"), mt.get("occasion"), mt.get("status"), mt.get("format")]
        minutes = planned_actual(mt)
        line = Text.assemble((f"[M{number}]", MEETING_MARKER_STYLE), " ", " – ".join(mt.get("participants") or []))
        line.append(" · " + ", ".join(str(f) for f in facts if f), style="dim")
        if minutes:
            line.append(f" · minutes planned/actual {minutes}", style="dim")
        console.print(line)
        if mt.get("evidence"):
            console.print(Padding(Text(safe(mt["evidence"])), (0, 0, 0, 4), expand=False))


def meetings(
    leader: Annotated[str | None, typer.Option(metavar="NAME", help="Only meetings with this leader (name or surname).")] = None,
    between: Annotated[tuple[str, str] | None, typer.Option(metavar="A B", help="Only meetings of these two leaders.")] = None,
    limit: LimitOption = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List the stored meetings: who met whom, when, where, for how long, with their article.

    Each row is one meeting as one article reports it (held, planned, proposed, cancelled
    or denied); the article id leads to `summitry show`.

    Examples:

        $ summitry meetings --leader Putin
        $ summitry meetings --between Trump Putin --json
    """
    with open_store(db) as store:
        rows = store.meetings(leader=leader, between=between, limit=limit)
    if json_output:
        print_json(rows)
    else:
        print_rows(rows, meetings_table(rows), "meetings")


def statements(
    speaker: Annotated[str | None, typer.Option(metavar="NAME", help="Only statements of this speaker.")] = None,
    search: Annotated[str | None, typer.Option(metavar="TEXT", help="Full-text search in the quotes.")] = None,
    limit: LimitOption = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List the stored statements: who said what, with the speaker resolved to a canonical name.

    Unnamed sources ("a senior official") are shown as "unnamed: <their description>".

    Examples:

        $ summitry statements --speaker "Sergei Lavrov"
        $ summitry statements --search hacking --json
    """
    with open_store(db) as store:
        rows = store.statements(speaker=speaker, search=search, limit=limit)
    if json_output:
        print_json(rows)
    else:
        print_rows(rows, statements_table(rows), "statements")


def show(
    article_id: Annotated[str, typer.Argument(metavar="ARTICLE_ID", help="The article's id, as listed by meetings/statements.")],
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show a stored article with its statements and meeting evidence marked in the text.

    Statements are underlined in colour and numbered [1], [2], ...; the words that report
    a meeting are highlighted and numbered [M1], [M2], ... Both lists follow the text.

    Examples:

        $ summitry show 3f2a9c0d1e4b5a67
        $ summitry show 3f2a9c0d1e4b5a67 --json
    """
    with open_store(db) as store:
        article = store.article(article_id)
    print_one(article, json_output, show_article,
               f"no article with id {article_id!r} (see `summitry meetings` or `summitry statements`)")
