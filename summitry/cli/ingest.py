"""`summitry ingest`, `extract`, `demo` and `eval`: articles in, records out."""
from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date
from enum import Enum
from itertools import chain
from pathlib import Path
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Annotated

import typer

from ..ingest import read_inputs
from .options import (AllowPrivateOption, BatchOption, DbOption, JsonOption, NoGateOption, PublishedOption,
                      SourceOption, TitleOption, UrlOption, parse_published)
from .output import (EXIT_INPUT_FAILED, EXIT_USAGE, fail, open_store, print_error, print_json, print_rows, progress_display,
                     next_step, shown_url, stderr, stdout)
from .records import meetings_table, statements_table

if TYPE_CHECKING:  # heavy modules are imported where they are used, so that --help stays fast
    from ..pipeline import IngestSummary
    from ..records import Article, ArticleRecord
    from ..store import Store


def ingest_with_progress(store: Store, items: Iterable[Article | Exception], batch_size: int,
                         use_gate: bool = True) -> IngestSummary:
    """`pipeline.ingest_articles` with a progress display and errors on stderr."""
    from ..pipeline import ingest_articles

    with progress_display(stderr()) as progress:
        task = progress.add_task("Ingesting", total=None)
        return ingest_articles(store, items, batch_size,
                               on_error=lambda message: print_error(message, progress.console),
                               on_article=lambda: progress.advance(task),
                               on_stage=lambda stage: progress.update(task, description=stage),
                               use_gate=use_gate)


def ingest_in_parallel(db_url: str, items: Iterable[Article | Exception], workers: int, scheduler: str | None, *,
                       use_gate: bool = True) -> IngestSummary:
    """`pipeline.shards.ingest_sharded` on N local processes or a Dask cluster, with a
    progress display and errors on stderr."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from ..pipeline.shards import DaskRunner, ProcessRunner, ingest_sharded

    with progress_display(stderr()) as progress:
        task = progress.add_task("Extracting in parallel", total=None)
        callbacks = dict(on_error=lambda message: print_error(message, progress.console),
                         on_article=lambda: progress.advance(task), use_gate=use_gate)
        if scheduler:
            try:
                from distributed import Client

                client = Client(scheduler, timeout="20s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise fail(f"cannot reach the Dask scheduler {scheduler}: {exc}", EXIT_USAGE) from None
            with client:
                n = max(1, len(client.scheduler_info().get("workers", {})))
                return ingest_sharded(db_url, items, DaskRunner(client), workers=n, **callbacks)
        # spawn: the workers start clean (no copy of this process's threads and open database)
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            return ingest_sharded(db_url, items, ProcessRunner(pool), workers=workers, **callbacks)


def records_with_progress(items: Iterable[Article | Exception], batch_size: int,
                          errors: list[str], use_gate: bool = True) -> Iterator[ArticleRecord]:
    """`pipeline.extract_records` with a progress display and errors on stderr."""
    from ..pipeline import extract_records

    with progress_display(stderr()) as progress:
        task = progress.add_task("Extracting", total=None)
        yield from extract_records(items, batch_size, errors,
                                   on_error=lambda message: print_error(message, progress.console),
                                   on_article=lambda: progress.advance(task), use_gate=use_gate)


def print_summary(summary: IngestSummary, url: str) -> None:
    console = stdout()
    for line in [*summary.lines(), f"database: {shown_url(url)}"]:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


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
    allow_private: AllowPrivateOption = False,
    no_gate: NoGateOption = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, metavar="N",
        help="Extract in N processes on this machine (each loads the pipeline once; the cores you have "
             "is a good N).")] = 1,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", metavar="ADDRESS",
        help="Extract on the workers of a Dask distributed cluster (e.g. tcp://10.0.0.5:8786); they write "
             "to --db, which must be a database they reach (PostgreSQL when they run elsewhere).")] = None,
) -> None:
    """Read articles, store them, and extract and store their statements and meetings.

    Articles already in the database are not stored again, and an article whose record was
    made by the current extractor version is not extracted again, so ingesting the same
    files twice changes nothing. A file that cannot be read is reported on stderr as
    `error: <file>: <reason>` (`<file>:<line>` for JSONL) and the others are still stored;
    the exit code is then 1.

    With `--workers N` or `--scheduler`, articles go in shards of 16 to the workers, each
    storing its articles with their records; a shard run twice (after a killed worker, or
    the command run again) stores nothing twice.

    Examples:

        $ summitry ingest articles/
        $ summitry ingest report.html --published 2018-07-16 --source "Daily Planet"
        $ summitry ingest https://example.org/news/summit.html --db sqlite:///summits.db
        $ summitry ingest archive/ --workers 2
        $ summitry ingest archive/ --scheduler tcp://10.0.0.5:8786 --db postgresql+psycopg://desk@db/summitry
    """
    metadata = {"title": title, "published": parse_published(published), "source": source, "url": url}
    with open_store(db) as store:
        items = read_inputs(paths, allow_private=allow_private, **metadata)
        if workers > 1 or scheduler:
            summary = ingest_in_parallel(store.url, items, workers, scheduler, use_gate=not no_gate)
        else:
            summary = ingest_with_progress(store, items, batch_size, use_gate=not no_gate)
        if json_output:
            print_json({"database": shown_url(store.url), **dataclasses.asdict(summary)})
        else:
            print_summary(summary, store.url)
            if summary.extracted:
                next_step("link", "links the meeting reports of all stored articles into canonical meetings "
                          "(the cross-article record: contradictions, fact flags, commitment statuses).")
    if summary.failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


class OutputFormat(str, Enum):
    jsonl = "jsonl"


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
    allow_private: AllowPrivateOption = False,
    no_gate: NoGateOption = False,
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
    metadata = {"title": title, "published": parse_published(published), "source": source, "url": url}
    try:
        sink = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    except OSError as exc:
        raise typer.BadParameter(f"cannot write {output}: {exc.strerror}", param_hint="'--output'") from None
    errors: list[str] = []
    try:
        for record in records_with_progress(read_inputs(inputs, allow_private=allow_private, **metadata),
                                            batch_size, errors, use_gate=not no_gate):
            sink.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
            sink.flush()
    finally:
        if sink is not sys.stdout:
            sink.close()
    if errors:
        raise typer.Exit(EXIT_INPUT_FAILED)


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
        items = chain.from_iterable(read_inputs([str(p)], **metadata.get(p.name, {})) for p in paths)
        with open_store(db) as store:
            summary = ingest_with_progress(store, items, batch_size)
            ids = {entry["id"] for entry in summary.articles}
            meeting_rows = [row for row in store.meetings() if row.get("article_id") in ids]
            statement_rows = [row for row in store.statements() if row.get("article_id") in ids]
            print_summary(summary, store.url)
    console = stdout()
    console.print()
    print_rows(meeting_rows, meetings_table(meeting_rows, "Meetings in the demo corpus"), "meetings")
    console.print()
    print_rows(statement_rows, statements_table(statement_rows, "Statements in the demo corpus"), "statements")
    console.print()
    next_step("show ARTICLE_ID", "shows an article with its records marked in the text.")
    if summary.failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


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
    from ..evaluation import load_jsonl, score, summary_lines

    if input_path is None:
        if "_gold" not in gold.name:
            raise typer.BadParameter("give --input: the gold file name has no '_gold' to replace", param_hint="'--input'")
        input_path = gold.with_name(gold.name.replace("_gold", "_input"))
    if not input_path.is_file():
        raise typer.BadParameter(f"{input_path} does not exist", param_hint="'--input'")
    try:
        gold_records = load_jsonl(gold)
    except (ValueError, OSError) as exc:
        raise fail(str(exc), EXIT_INPUT_FAILED) from None

    errors: list[str] = []
    pred = {record.id: record.to_dict()
            for record in records_with_progress(read_inputs([str(input_path)]), batch_size, errors)}

    log = (lambda line: stderr().print(line, markup=False, highlight=False, soft_wrap=True)) if verbose else None
    figures = score(gold_records, pred, log)
    if json_output:
        print_json(figures)
    else:
        console = stdout()
        for line in summary_lines(figures):
            console.print(line, markup=False, highlight=False, soft_wrap=True)
    if errors:
        raise typer.Exit(EXIT_INPUT_FAILED)
