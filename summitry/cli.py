"""The `summitry` command line.

    summitry ingest PATH...      read articles, store them, extract and store their records
    summitry extract INPUT...    print the records of articles as JSONL (no database)
    summitry meetings            list stored meetings
    summitry statements          list stored statements
    summitry show ARTICLE_ID     an article with its statements and meetings marked
    summitry link                link the meeting reports of all articles into canonical meetings
    summitry meeting ID          a canonical meeting, its reports and their disagreements
    summitry flags               where stored articles contradict the reference record
    summitry contradictions      accounts of the same meeting that cannot both be true
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
"""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from . import EXTRACTOR_VERSION, __version__

if TYPE_CHECKING:  # heavy modules are imported where they are used, so that --help stays fast
    from .extract import Extractor
    from .records import Article, ArticleRecord
    from .store import Store

CONTENT_ID = re.compile(r"[0-9a-f]{16}")  # the form of summitry.records.content_id

# exit codes besides 0 (ok) and 2 (usage error, raised by click)
EXIT_INPUT_FAILED = 1
EXIT_DATABASE = 3

# Publication metadata of the bundled demo articles: `published` anchors their relative dates.

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

# --- options shared by several commands -----------------------------------

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


# --- output helpers --------------------------------------------------------

def _stdout() -> Console:
    return Console()


def _stderr() -> Console:
    return Console(stderr=True)


def _error(message: str, console: Console | None = None) -> None:
    """One line on stderr: `error: <message>` (never wrapped, never parsed as markup)."""
    line = " ".join(str(message).split())
    (console or _stderr()).print(Text(f"error: {line}", style="red"), soft_wrap=True)


def _fail(message: str, code: int) -> typer.Exit:
    _error(message)
    return typer.Exit(code)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _print_one(found: dict[str, Any] | None, json_output: bool, render, missing: str) -> None:
    """One record by id: JSON or its rendering; an unknown id is the input's error (exit 1)."""
    if found is None:
        raise _fail(missing, EXIT_INPUT_FAILED)
    if json_output:
        _print_json(found)
    else:
        render(found)


def _progress(console: Console) -> Progress:
    """A progress display on stderr, shown only when stderr is a terminal."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} articles"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


# --- reading, storing, extracting ----------------------------------------

def _parse_published(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD", param_hint="'--published'") from None


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _read_inputs(inputs: Iterable[str], **metadata: Any) -> Iterator[Article | Exception]:
    """Articles (or IngestErrors) from files, folders and http(s) URLs, in the order given.

    `metadata` (title, published, source, url) fills in what an input does not give.
    """
    from .ingest import IngestError, fetch_url, read_articles

    for item in inputs:
        if not _is_url(item):
            yield from read_articles([item], **metadata)
            continue
        article = fetch_url(item)
        if not isinstance(article, IngestError):
            missing = {k: v for k, v in metadata.items() if v is not None and getattr(article, k, None) is None}
            article = dataclasses.replace(article, **missing)
        yield article


@functools.lru_cache(maxsize=1)
def _extractor() -> Extractor:
    """One loaded pipeline per process (loading it costs about a second)."""
    from .extract import Extractor

    return Extractor()


def _readable(items: Iterable[Article | Exception], console: Console, errors: list[str]) -> Iterator[Article]:
    """The articles among `items`; each IngestError is reported on stderr and added to `errors`."""
    from .ingest import IngestError

    for item in items:
        if isinstance(item, IngestError):
            errors.append(str(item))
            _error(str(item), console)
        else:
            yield item


def _extract_records(items: Iterable[Article | Exception], batch_size: int,
                     errors: list[str]) -> Iterator[ArticleRecord]:
    """Records of the readable articles among `items`, in order, with a progress display."""
    with _progress(_stderr()) as progress:
        task = progress.add_task("Extracting", total=None)
        for _, record in _extractor().extract_many(_readable(items, progress.console, errors), batch_size=batch_size):
            yield record
            progress.advance(task)


@dataclasses.dataclass
class IngestSummary:
    read: int = 0
    new: int = 0
    already_stored: int = 0
    failed: int = 0
    extracted: int = 0
    statements: int = 0
    meetings: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)
    articles: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"articles: {self.read} read, {self.new} new, {self.already_stored} already stored, {self.failed} failed",
            f"records: {self.extracted} extracted (extractor {EXTRACTOR_VERSION}) with "
            f"{self.statements} statements and {self.meetings} meetings",
        ]


def _print_summary(summary: IngestSummary, url: str) -> None:
    console = _stdout()
    for line in [*summary.lines(), f"database: {_shown_url(url)}"]:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def _ingest(store: Store, items: Iterable[Article | Exception], batch_size: int) -> IngestSummary:
    """Store every article, extract the ones without a record of this extractor version, save the records.

    A database error names the article it happened on and ends the run (exit code 3);
    what was stored before it stays stored.
    """
    from .store import ConflictError, StoreError

    summary = IngestSummary()
    queued: set[str] = set()  # stored ids of the articles sent to the extractor
    pending_entries: deque[dict[str, Any]] = deque()  # their summary entries, in input order

    with _progress(_stderr()) as progress:
        task = progress.add_task("Ingesting", total=None)

        def to_extract() -> Iterator[Article]:
            for item in _readable(items, progress.console, summary.errors):
                summary.read += 1
                try:
                    article_id, is_new = store.add_article(item)
                except ConflictError as exc:  # this input's fault: report it and go on
                    summary.errors.append(f"{item.origin}: {exc}")
                    _error(f"{item.origin}: {exc}", progress.console)
                    continue
                except StoreError as exc:
                    raise StoreError(f"{item.origin}: {exc}") from exc
                summary.new += is_new
                summary.already_stored += not is_new
                entry = {"id": article_id, "title": item.title, "origin": item.origin, "new": is_new,
                         "extracted": False, "statements": None, "meetings": None}
                summary.articles.append(entry)
                if article_id in queued or store.has_record(article_id, EXTRACTOR_VERSION):
                    progress.advance(task)
                    continue
                queued.add(article_id)
                pending_entries.append(entry)
                yield item

        pending = to_extract()
        first = next(pending, None)
        if first is not None:  # load the pipeline only when there is something to extract
            progress.update(task, description="Extracting")
            # extract_many yields in input order, so the entries line up with the records
            for article, record in _extractor().extract_many(chain([first], pending), batch_size=batch_size):
                try:
                    store.save_record(record, article)
                except StoreError as exc:
                    raise StoreError(f"{article.origin}: {exc}") from exc
                pending_entries.popleft().update(
                    extracted=True, statements=len(record.statements), meetings=len(record.meetings))
                summary.extracted += 1
                summary.statements += len(record.statements)
                summary.meetings += len(record.meetings)
                progress.advance(task)
    summary.failed = len(summary.errors)
    return summary


def _shown_url(url: str) -> str:
    """The database URL with any password masked."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def _open_store(db: str | None) -> Iterator[Store]:
    """The store at `db`; a database error ends the command with one line on stderr and exit code 3."""
    from sqlalchemy.exc import SQLAlchemyError

    from .store import Store, StoreError

    store = None
    try:
        store = Store(db)
        yield store
    except (StoreError, SQLAlchemyError) as exc:
        raise _fail(f"database: {exc}", EXIT_DATABASE) from None
    finally:
        if store is not None:
            try:
                store.close()
            except Exception:  # noqa: BLE001 - closing must not hide the real outcome
                pass


# --- tables -----------------------------------------------------------------

def _minutes(row: dict[str, Any]) -> str:
    planned, actual = row.get("scheduled_minutes"), row.get("actual_minutes")
    if planned is None and actual is None:
        return ""
    return f"{'?' if planned is None else planned}/{'?' if actual is None else actual}"


def _short_id(article_id: str | None) -> str:
    """A content-hash id cut to its first 8 characters, as `show` accepts any unique prefix.

    Other ids (from JSONL inputs) are shown whole.
    """
    article_id = article_id or ""
    return article_id[:8] if CONTENT_ID.fullmatch(article_id) else article_id


def _speaker_cell(row: dict[str, Any]) -> Text:
    if row.get("speaker"):
        return Text(str(row["speaker"]))
    return Text(f"unnamed: {row.get('speaker_mention') or '?'}", style="italic")


def _two_lines(first: Any, second: Any) -> Text:
    cell = Text(str(first or ""))
    if second:
        cell.append(f"\n{second}", style="dim")
    return cell


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left", show_lines=True, box=box.SIMPLE_HEAD, pad_edge=False)


def _meetings_table(rows: list[dict[str, Any]], title: str = "Meetings") -> Table:
    table = _table(title)
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
            _two_lines(row.get("place"), row.get("occasion")),
            _two_lines(row.get("status"), row.get("format")),
            Text(_minutes(row)),
            Text(_short_id(row.get("article_id"))),
        )
    return table


def _statements_table(rows: list[dict[str, Any]], title: str = "Statements") -> Table:
    table = _table(title)
    table.add_column("Speaker", max_width=20, overflow="fold")
    table.add_column("Quote", ratio=1, overflow="fold")
    table.add_column("Kind\ncue", overflow="fold")
    table.add_column("Article", overflow="fold")
    for row in rows:
        table.add_row(_speaker_cell(row), Text(row.get("quote") or ""),
                      _two_lines(row.get("kind"), row.get("cue")), Text(_short_id(row.get("article_id"))))
    return table


def _print_rows(rows: list[dict[str, Any]], table: Table, what: str) -> None:
    console = _stdout()
    if rows:
        console.print(table)
    else:
        console.print(f"No {what} found.")


# --- show: the article text with its records marked --------------------------

STATEMENT_COLORS = ("cyan", "magenta", "green", "yellow", "blue", "bright_red")
MEETING_STYLE = "bold on grey23"
MEETING_MARKER_STYLE = "bold reverse"


def _statement_color(number: int) -> str:
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
        color = _statement_color(number)
        add([tuple(p) for p in st.get("parts") or []] or [(st.get("start"), st.get("end"))],
            f"underline {color}", Text(f"[{number}]", style=f"bold {color}"))
    for number, mt in enumerate(meetings, 1):
        add([(mt.get("evidence_start"), mt.get("evidence_end"))], MEETING_STYLE,
            Text(f"[M{number}]", style=MEETING_MARKER_STYLE))

    cuts = sorted({0, n} | {a for a, _, _ in spans} | {b for _, b, _ in spans})
    out = Text()
    for a, b in zip(cuts, cuts[1:]):
        styles = [style for s, e, style in spans if s <= a and b <= e]
        out.append(text[a:b], style=" ".join(styles) or None)
        for marker in markers.get(b, []):
            out.append_text(marker)
    return out


def _show_article(article: dict[str, Any]) -> None:
    console = _stdout()
    statements = article.get("statements") or []
    meetings = article.get("meetings") or []
    console.print(Text(str(article.get("title") or "(untitled)"), style="bold"))
    for key in ("id", "published", "source", "url", "origin"):
        if article.get(key):
            console.print(Text.assemble((f"{key}: ", "dim"), str(article[key])))
    console.print()
    console.print(marked_text(article.get("text") or "", statements, meetings))
    console.print()
    console.print(Text(f"Statements ({len(statements)})", style="bold underline"))
    for number, st in enumerate(statements, 1):
        line = Text.assemble((f"[{number}] ", f"bold {_statement_color(number)}"), _speaker_cell(st))
        if st.get("speaker") and st.get("speaker_mention") and st["speaker_mention"] != st["speaker"]:
            line.append(f" ({st['speaker_mention']})", style="dim")
        line.append(f" · {st.get('kind') or '?'}, {st.get('cue') or 'no cue'}", style="dim")
        console.print(line)
        console.print(Padding(Text(st.get("quote") or ""), (0, 0, 0, 4), expand=False))
    console.print()
    console.print(Text(f"Meetings ({len(meetings)})", style="bold underline"))
    for number, mt in enumerate(meetings, 1):
        facts = [mt.get("date") or "undated", mt.get("place"), mt.get("occasion"), mt.get("status"), mt.get("format")]
        minutes = _minutes(mt)
        line = Text.assemble((f"[M{number}]", MEETING_MARKER_STYLE), " ", " – ".join(mt.get("participants") or []))
        line.append(" · " + ", ".join(str(f) for f in facts if f), style="dim")
        if minutes:
            line.append(f" · minutes planned/actual {minutes}", style="dim")
        console.print(line)
        if mt.get("evidence"):
            console.print(Padding(Text(mt["evidence"]), (0, 0, 0, 4), expand=False))


# --- commands -----------------------------------------------------------------

@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(metavar="PATH", show_default=False,
                                               help="Files (.txt, .html, .jsonl), folders (read recursively) or http(s) URLs.")],
    title: TitleOption = None,
    published: PublishedOption = None,
    source: SourceOption = None,
    url: UrlOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
    batch_size: BatchOption = 16,
) -> None:
    """Read articles, store them, and extract and store their statements and meetings.

    Articles already in the database are not stored again, and an article whose record was
    made by the current extractor version is not extracted again, so ingesting the same
    files twice changes nothing. A file that cannot be read is reported on stderr as
    `error: <file>: <reason>` (`<file>:<line>` for JSONL) and the others are still stored;
    the exit code is then 1.

    Examples:

        $ summitry ingest articles/
        $ summitry ingest report.html --published 2018-07-16 --source "Daily Planet"
        $ summitry ingest https://example.org/news/summit.html --db sqlite:///summits.db
    """
    metadata = {"title": title, "published": _parse_published(published), "source": source, "url": url}
    with _open_store(db) as store:
        summary = _ingest(store, _read_inputs(paths, **metadata), batch_size)
        if json_output:
            _print_json({"database": _shown_url(store.url), **dataclasses.asdict(summary)})
        else:
            _print_summary(summary, store.url)
    if summary.failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


class OutputFormat(str, Enum):
    jsonl = "jsonl"


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(metavar="INPUT", show_default=False,
                                                help="JSONL file (one article a line), .txt/.html files, folders or URLs.")],
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format: one JSON record a line.")] = OutputFormat.jsonl,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="OUT", dir_okay=False,
                                                help="Write to OUT instead of stdout.")] = None,
    title: TitleOption = None,
    published: PublishedOption = None,
    source: SourceOption = None,
    url: UrlOption = None,
    batch_size: BatchOption = 16,
) -> None:
    """Extract records without touching the database: one JSON object per article.

    Each line is the record of one article in the format of docs/records.md
    ({"id", "statements", "meetings", ...}), with the article's id (the "id" of a
    JSONL line). Inputs that cannot be read are reported on stderr; the exit code is
    then 1.

    Examples:

        $ summitry extract dev_input.jsonl --format jsonl > pred.jsonl
        $ summitry extract articles/ -o records.jsonl
    """
    metadata = {"title": title, "published": _parse_published(published), "source": source, "url": url}
    try:
        sink = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    except OSError as exc:
        raise typer.BadParameter(f"cannot write {output}: {exc.strerror}", param_hint="'--output'") from None
    errors: list[str] = []
    try:
        for record in _extract_records(_read_inputs(inputs, **metadata), batch_size, errors):
            sink.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
            sink.flush()
    finally:
        if sink is not sys.stdout:
            sink.close()
    if errors:
        raise typer.Exit(EXIT_INPUT_FAILED)


@app.command()
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
    with _open_store(db) as store:
        rows = store.meetings(leader=leader, between=between, limit=limit)
    if json_output:
        _print_json(rows)
    else:
        _print_rows(rows, _meetings_table(rows), "meetings")


@app.command()
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
    with _open_store(db) as store:
        rows = store.statements(speaker=speaker, search=search, limit=limit)
    if json_output:
        _print_json(rows)
    else:
        _print_rows(rows, _statements_table(rows), "statements")


@app.command()
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
    with _open_store(db) as store:
        article = store.article(article_id)
    _print_one(article, json_output, _show_article,
               f"no article with id {article_id!r} (see `summitry meetings` or `summitry statements`)")


# --- link and meeting: canonical meetings across articles --------------------------------

FIELD_LABELS = {"date": "date", "place": "place", "occasion": "occasion", "status": "status",
                "format": "format", "scheduled_minutes": "minutes planned",
                "actual_minutes": "minutes actual", "others_present": "others present"}


def _link_lines(summary: dict[str, Any]) -> list[str]:
    return [
        f"canonical meetings: {summary['meetings']} ({summary['new_meetings']} new, "
        f"{summary['updated']} updated, {summary['merged']} merged into older ones, "
        f"{summary['removed']} removed)",
        f"meeting reports linked: {summary['linked_reports']} ({summary['reports_linked']} newly linked, "
        f"{summary['moved']} moved to another meeting)",
        f"commitment statuses set from later articles: {summary.get('statuses_set', 0)}",
    ]


def _canonical_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = _table(title)
    table.add_column("ID", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Participants", min_width=12, overflow="fold")
    table.add_column("Place\noccasion", min_width=8, overflow="fold")
    table.add_column("Status\nformat", min_width=9, overflow="fold")
    table.add_column("Reports (articles)\ndisputed", min_width=12, overflow="fold")
    for row in rows:
        evidence = Text(f"{row.get('reports', 0)} ({row.get('articles', 0)})")
        if row.get("disputed"):
            evidence.append("\n" + ", ".join(FIELD_LABELS.get(f, f) for f in row["disputed"]), style="yellow")
        table.add_row(
            Text(row["id"]), Text(row.get("date") or ""), Text("\n".join(row.get("participants") or [])),
            _two_lines(row.get("place"), row.get("occasion")), _two_lines(row.get("status"), row.get("format")),
            evidence,
        )
    return table


def _shown_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def _report_label(numbers: dict[str, int], source: dict[str, Any]) -> str:
    """"R2 8f4336db": the report's number in the list of reports below, and its article."""
    return f"R{numbers.get(source.get('report_id'), '?')} {_short_id(source.get('article_id'))}"


def _show_meeting(found: dict[str, Any]) -> None:
    console = _stdout()
    reports = found.get("reports") or []
    numbers = {report["id"]: n for n, report in enumerate(reports, 1)}
    heading = " – ".join(found.get("participants") or [])
    facts = [found.get("date") or "undated", found.get("place"), found.get("occasion"),
             found.get("status"), found.get("format")]
    line = Text.assemble((heading, "bold"), (" · " + ", ".join(str(f) for f in facts if f), "dim"))
    if _minutes(found):
        line.append(f" · minutes planned/actual {_minutes(found)}", style="dim")
    console.print(line)
    console.print(Text.assemble(("id: ", "dim"), found["id"]))
    if found.get("redirected_from"):
        console.print(Text(f"({found['redirected_from']} was merged into this meeting)", style="dim"))
    console.print()
    console.print(Text("Agreed by the reports", style="bold underline"))
    agreed = {k: v for k, v in (found.get("agreed") or {}).items() if k in FIELD_LABELS}
    for name, value in agreed.items():
        console.print(Text.assemble((f"{FIELD_LABELS[name]}: ", "dim"), _shown_value(value)))
    if not agreed:
        console.print(Text("nothing beyond the participants", style="dim"))
    disagreements = found.get("disagreements") or {}
    if disagreements:
        console.print()
        console.print(Text("Disagreements", style="bold underline"))
    for name, values in disagreements.items():
        console.print(Text(FIELD_LABELS.get(name, name), style="bold yellow"))
        for entry in values:
            sources = ", ".join(_report_label(numbers, s) for s in entry["reports"])
            console.print(Padding(Text.assemble((_shown_value(entry["value"]), "bold"),
                                                f" · {len(entry['reports'])} report(s): {sources}"),
                                  (0, 0, 0, 2), expand=False))
    console.print()
    console.print(Text(f"Reports ({len(reports)})", style="bold underline"))
    for number, report in enumerate(reports, 1):
        values = [report.get("date") or "undated", report.get("place"), report.get("status"), report.get("format")]
        line = Text.assemble((f"R{number} ", "bold"), _short_id(report.get("article_id")),
                             f" {report.get('article_title') or '(untitled)'}")
        line.append(f" · published {report.get('published') or '?'} · "
                    + ", ".join(str(v) for v in values if v), style="dim")
        if _minutes(report):
            line.append(f" · minutes planned/actual {_minutes(report)}", style="dim")
        console.print(line)
        if report.get("evidence"):
            offsets = f" [{report.get('evidence_start')}:{report.get('evidence_end')}]"
            console.print(Padding(Text.assemble(report["evidence"], (offsets, "dim")), (0, 0, 0, 4), expand=False))


@app.command()
def link(db: DbOption = None, json_output: JsonOption = False) -> None:
    """Link the meeting reports of all stored articles into canonical meetings.

    Reports of the same leaders, with compatible dates (the same day give or take one, or
    one date less precise than the other), the same place or occasion when both name one,
    and the same mode (phone calls apart from meetings in person) become one canonical
    meeting; every report stays linked to it as evidence, with the values it gives.

    Running it again changes nothing. After new articles are ingested it links their
    reports; a meeting keeps its id for good, and when new reports show two meetings to be
    one, the older id stays and the other redirects to it. The meetings new or changed in
    the run are listed; `summitry meeting ID` shows one with its sources.

    It also recomputes the contradictions of the meetings that changed, and rates
    commitments from the sentences of later articles (a person's rating is never
    overridden); it prints how many statuses it set.

    Examples:

        $ summitry ingest articles/ && summitry link
        $ summitry link --json
    """
    with _open_store(db) as store:
        summary = store.link_meetings()  # also refreshes the stored contradictions
        store.refresh_flags()  # flags of records saved before they were stored (writes only changes)
        changed = set(summary["changed"])
        rows = [row for row in store.canonical_meetings() if row["id"] in changed]
    if json_output:
        _print_json({"database": _shown_url(store.url), **summary})
        return
    console = _stdout()
    for line in [*_link_lines(summary), f"database: {_shown_url(store.url)}"]:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if rows:
        console.print()
        console.print(_canonical_table(rows, "Meetings new or changed in this run"))
        console.print("Next: [bold]summitry meeting ID[/bold] shows a meeting with its reports and their disagreements.")


@app.command()
def meeting(
    meeting_id: Annotated[str, typer.Argument(metavar="ID", help="A canonical meeting's id (m-...), as `summitry link` lists it.")],
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show a canonical meeting: the values its reports agree on, every disagreement with its
    sources, and each report with the sentence it rests on.

    The id of a meeting that was merged into another still works and shows the meeting it
    was merged into. An unknown id exits with code 1.

    Examples:

        $ summitry meeting m-5c1f0e9a2b
        $ summitry meeting m-5c1f0e9a2b --json
    """
    with _open_store(db) as store:
        found = store.canonical_meeting(meeting_id)
    _print_one(found, json_output, _show_meeting,
               f"no meeting with id {meeting_id!r} (run `summitry link` to link the stored reports)")


@app.command()
def demo(db: DbOption = None, batch_size: BatchOption = 16) -> None:
    """Ingest the bundled demo corpus and show the meetings and statements found in it.

    The demo corpus is two articles about the Trump-Putin meetings (a 2017 blog post on the
    Hamburg G20 meeting and a 2025 summary of their record). Running the demo again stores
    nothing new and shows the same tables.

    Examples:

        $ summitry demo
        $ summitry demo --db sqlite:///demo.db
    """
    from importlib.resources import as_file, files

    with as_file(files("summitry") / "data" / "demo") as folder:
        paths = sorted(Path(folder).glob("*.txt"))
        # the corpus's own metadata: publication dates anchor the articles' relative dates
        manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
        metadata = {name: {"published": date.fromisoformat(meta["published"]), "source": meta.get("source")}
                    for name, meta in manifest.items()}
        items = chain.from_iterable(_read_inputs([str(p)], **metadata.get(p.name, {})) for p in paths)
        with _open_store(db) as store:
            summary = _ingest(store, items, batch_size)
            ids = {entry["id"] for entry in summary.articles}
            meeting_rows = [row for row in store.meetings() if row.get("article_id") in ids]
            statement_rows = [row for row in store.statements() if row.get("article_id") in ids]
            _print_summary(summary, store.url)
    console = _stdout()
    console.print()
    _print_rows(meeting_rows, _meetings_table(meeting_rows, "Meetings in the demo corpus"), "meetings")
    console.print()
    _print_rows(statement_rows, _statements_table(statement_rows, "Statements in the demo corpus"), "statements")
    console.print()
    console.print("Next: [bold]summitry show ARTICLE_ID[/bold] shows an article with its records marked in the text.")
    if summary.failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


@app.command("eval")
def evaluate_command(
    gold: Annotated[Path, typer.Argument(metavar="GOLD.jsonl", exists=True, dir_okay=False,
                                         help="Gold records, one JSON object a line.")],
    input_path: Annotated[Path | None, typer.Option("--input", "-i", metavar="INPUT.jsonl", dir_okay=False,
                                                    help="Articles to extract. Default: GOLD with _gold replaced by _input.")] = None,
    json_output: JsonOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every miss, extra and wrong speaker on stderr.")] = False,
    batch_size: BatchOption = 16,
) -> None:
    """Extract the input articles and score the records against gold records.

    Scoring follows docs/records.md: statements match by a Dice overlap of their quote
    tokens >= 0.5 and count end-to-end only with the right speaker; meetings match by
    their participants' surnames and agreeing dates. The database is not touched.

    Examples:

        $ summitry eval ../shared/eval/dev_gold.jsonl
        $ summitry eval gold.jsonl --input articles.jsonl --json
    """
    from .evaluate import load_jsonl, score, summary_lines

    if input_path is None:
        if "_gold" not in gold.name:
            raise typer.BadParameter("give --input: the gold file name has no '_gold' to replace", param_hint="'--input'")
        input_path = gold.with_name(gold.name.replace("_gold", "_input"))
    if not input_path.is_file():
        raise typer.BadParameter(f"{input_path} does not exist", param_hint="'--input'")
    try:
        gold_records = load_jsonl(gold)
    except (ValueError, OSError) as exc:
        raise _fail(str(exc), EXIT_INPUT_FAILED) from None

    errors: list[str] = []
    pred = {record.id: record.to_dict()
            for record in _extract_records(_read_inputs([str(input_path)]), batch_size, errors)}

    log = (lambda line: _stderr().print(line, markup=False, highlight=False, soft_wrap=True)) if verbose else None
    figures = score(gold_records, pred, log)
    if json_output:
        _print_json(figures)
    else:
        console = _stdout()
        for line in summary_lines(figures):
            console.print(line, markup=False, highlight=False, soft_wrap=True)
    if errors:
        raise typer.Exit(EXIT_INPUT_FAILED)


# --- flags and serve -------------------------------------------------------------------


def _stored_flags(store, article_id: str | None, refresh: bool = False) -> list[dict[str, Any]]:
    """Stored fact flags of the article (a unique id prefix is enough) or of every article;
    with `refresh`, recomputed against the reference record first (`Store.refresh_flags`)."""
    full_id = None
    if article_id:
        article = store.article(article_id)
        if article is None:
            raise _fail(f"no stored article with id {article_id!r}", EXIT_INPUT_FAILED)
        full_id = article["id"]
    if refresh:
        store.refresh_flags(full_id)
    return store.fact_flags(article_id=full_id)


@app.command()
def flags(
    article_id: Annotated[str | None, typer.Option("--article", metavar="ID", help="Only this article.")] = None,
    json_output: JsonOption = False,
    db: DbOption = None,
    refresh: Annotated[bool, typer.Option("--refresh", help="Check the articles against the reference record again first.")] = False,
) -> None:
    """List fact flags: where a stored article contradicts the reference record.

    Each flag names the article (as briefings cite it), the claim and its offsets in the
    article, every reference entry it was checked against, and a plain explanation. Where the
    reference record has nothing on a pair, the flag says so (kind not_in_reference) instead
    of guessing.

    Examples:

        $ summitry flags
        $ summitry flags --article 4b1b574a --json
    """
    from .analysis import article_labels

    with _open_store(db) as store:
        rows = _stored_flags(store, article_id, refresh=refresh)
        # the whole id, or a long one's unique prefix: never an ambiguous 8 characters
        labels = article_labels(store, (row["article_id"] for row in rows))
    if json_output:
        _print_json(rows)
        return
    # One block per flag, not a table: explanations run to a paragraph, and a table's
    # columns would crop them at the terminal's width.
    out = _stdout()
    out.print(Text(f"Fact flags ({len(rows)})", style="bold"))
    for row in rows:
        out.print()
        out.print(Text.assemble((labels[row["article_id"]], "cyan"), "  ", (row["kind"], "bold"),
                                f"  [{row['start']}:{row['end']}] ", (f"“{row['claim']}”", "italic")))
        out.print(Padding(Text(row["explanation"]), (0, 0, 0, 2)))
        if row["reference_ids"]:
            out.print(Padding(Text("reference: " + ", ".join(row["reference_ids"]), style="dim"), (0, 0, 0, 2)))


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option(
        envvar="SUMMITRY_TOKEN", show_envvar=True,
        help="The write token reviewers log in with (at least 8 characters); "
             "without one, a token is generated and printed.")] = None,
) -> None:
    """Start the web app on the database: browse, search, export and review the record.

    Every page is also JSON (add .json to the URL); listings export as CSV. Reading needs
    no token. Reviewing (accept, correct or reject a record, rate a commitment) needs the
    write token: people log in at /login with it and their name, programs send it as
    `Authorization: Bearer ...`. Stop it with Ctrl-C.

    Examples:

        $ summitry serve
        $ summitry serve --db sqlite:///research.db --port 8080 --token "$(cat token.txt)"
    """
    from .web.auth import MIN_TOKEN_LENGTH
    from .web.serve import serve as run_server

    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise _fail(f"the write token must have at least {MIN_TOKEN_LENGTH} characters", EXIT_INPUT_FAILED)
    run_server(db, host=host, port=port, token=token, announce=lambda line: _stdout().print(line, markup=False, soft_wrap=True))


@app.command()
def version() -> None:
    """Print the versions of summitry and of its extractor.

    The extractor version is stored with every record, so records made by an older
    extractor can be told apart and re-extracted.

    Example:

        $ summitry version
    """
    _stdout().print(f"summitry {__version__} (extractor {EXTRACTOR_VERSION})", markup=False, highlight=False, soft_wrap=True)


# Commands kept in modules of their own: each registers itself on `app` when imported, so
# that importing either side first works (they use the helpers above).
from . import analysis_cli, commitments_cli, contradictions_cli  # noqa: E402,F401


def main() -> None:
    """Console entry point: `summitry ... | head` ends quietly when the reader closes the pipe."""
    try:
        app()
    except BrokenPipeError:
        # Python's documented recipe: point stdout at devnull so the exit flush cannot fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
