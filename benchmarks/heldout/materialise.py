"""Rebuild the held-out evaluation set from the news sample: input and gold records.

    python benchmarks/heldout/materialise.py OUT_DIR [--sample PATH] [--set 1|2|all]

The project stores no article text. `gold_offsets.jsonl` (set 1, 16 articles) and
`gold_offsets_2.jsonl` (set 2, 14 articles) beside this file hold the gold annotations as
character offsets only; `--set` chooses which (default 1, the original set, so existing
commands and figures keep their meaning; `all` writes both, set 1 first); this script reads the chosen articles from the news
sample (default `../shared/corpus/news-sample/articles.jsonl.gz`, relative to the checkout) and
writes into OUT_DIR:

- `input.jsonl`: the articles in the input format of docs/records.md
  (`id`, `title`, `published`, `source`, `url`, `text`);
- `gold.jsonl`: the gold records with `quote`, `speaker_mention`, `reported_clause` and
  `evidence` restored from their offsets, ready for `shared/eval/score.py`.

A statement whose quote is interrupted has `parts` (`[[start, end], ...]`); its `quote` is the
parts' texts joined by single spaces, and `start`/`end` are those of the first part.

Each gold line carries the SHA-256 of its article's text, so a changed or different sample is
refused rather than scored against shifted offsets. Standard library only.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path
from typing import NoReturn

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parents[1]
DEFAULT_SAMPLE = CHECKOUT.parent / "shared" / "corpus" / "news-sample" / "articles.jsonl.gz"
GOLD_OFFSETS = HERE / "gold_offsets.jsonl"
GOLD_SETS = {"1": (GOLD_OFFSETS,), "2": (HERE / "gold_offsets_2.jsonl",),
             "all": (GOLD_OFFSETS, HERE / "gold_offsets_2.jsonl")}
INPUT_FIELDS = ("id", "title", "published", "source", "url", "text")


def fail(message: str) -> NoReturn:
    print(f"materialise: error: {message}", file=sys.stderr)
    sys.exit(2)


def load_gold(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_set(which: str) -> list[dict]:
    """The gold records of one set (or of all), refusing an article listed twice."""
    gold = [g for path in GOLD_SETS[which] for g in load_gold(path)]
    ids = [g["id"] for g in gold]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        fail(f"article(s) listed in more than one gold line: {', '.join(dupes)}")
    return gold


def load_articles(sample: Path, wanted: set[str]) -> dict[str, dict]:
    if not sample.is_file():
        fail(f"news sample not found: {sample}\n"
             "  The held-out set is built from the shared news sample "
             "(shared/corpus/news-sample/articles.jsonl.gz beside the checkout);\n"
             "  pass its location with --sample PATH.")
    found: dict[str, dict] = {}
    try:
        with gzip.open(sample, "rt", encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                article = json.loads(line)
                if article.get("id") in wanted:
                    found[article["id"]] = article
    except (OSError, EOFError, json.JSONDecodeError) as exc:
        fail(f"cannot read the news sample {sample}: {exc}")
    missing = sorted(wanted - found.keys())
    if missing:
        fail(f"{len(missing)} article(s) of the held-out set are not in {sample}: {', '.join(missing)}")
    return found


def span(text: str, start: int, end: int, what: str, article_id: str) -> str:
    if not (0 <= start < end <= len(text)):
        fail(f"{article_id}: {what} offsets [{start}, {end}] fall outside the text")
    return text[start:end]


def restore(record: dict, text: str) -> dict:
    aid = record["id"]
    statements = []
    for st in record["statements"]:
        out = dict(st)
        parts = st.get("parts") or [[st["start"], st["end"]]]
        out["quote"] = " ".join(span(text, a, b, "quote", aid) for a, b in parts)
        out["speaker_mention"] = span(text, st["mention_start"], st["mention_end"], "mention", aid)
        if "reported_clause_start" in st:
            out["reported_clause"] = span(text, st["reported_clause_start"],
                                          st["reported_clause_end"], "reported clause", aid)
        statements.append(out)
    meetings = []
    for mt in record["meetings"]:
        out = dict(mt)
        out["evidence"] = span(text, mt["evidence_start"], mt["evidence_end"], "evidence", aid)
        meetings.append(out)
    return {"id": aid, "statements": statements, "meetings": meetings}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="directory to write input.jsonl and gold.jsonl into")
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE,
                        help=f"the news sample (default: {DEFAULT_SAMPLE})")
    parser.add_argument("--set", dest="which", choices=sorted(GOLD_SETS), default="1",
                        help="which held-out set: 1 (the original 16 articles, default), "
                             "2 (the second set of 14) or all")
    args = parser.parse_args(argv)

    gold = load_set(args.which)
    articles = load_articles(args.sample, {g["id"] for g in gold})
    for g in gold:
        digest = hashlib.sha256(articles[g["id"]]["text"].encode("utf-8")).hexdigest()
        if digest != g["text_sha256"]:
            fail(f"{g['id']}: the article text in {args.sample} is not the annotated one "
                 "(SHA-256 differs); offsets would not fit")

    args.out_dir.mkdir(parents=True, exist_ok=True)
    with (args.out_dir / "input.jsonl").open("w", encoding="utf-8") as fh:
        for g in gold:
            article = articles[g["id"]]
            fh.write(json.dumps({k: article.get(k) for k in INPUT_FIELDS}, ensure_ascii=False) + "\n")
    with (args.out_dir / "gold.jsonl").open("w", encoding="utf-8") as fh:
        for g in gold:
            fh.write(json.dumps(restore(g, articles[g["id"]]["text"]), ensure_ascii=False) + "\n")
    n_st = sum(len(g["statements"]) for g in gold)
    n_mt = sum(len(g["meetings"]) for g in gold)
    print(f"wrote {args.out_dir / 'input.jsonl'} and {args.out_dir / 'gold.jsonl'} (set {args.which}): "
          f"{len(gold)} articles, {n_st} statements, {n_mt} meetings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
