"""Precision of derived findings on real articles, from labels made by reading them.

    .venv/bin/python benchmarks/findings_precision.py --kind contradictions --db /tmp/corpus.db
    .venv/bin/python benchmarks/findings_precision.py --kind contradictions --db /tmp/corpus.db \
        --unlabelled /tmp/to_label.jsonl      # also write the findings without a label, to read

Recomputes the findings on a store (linked already: `summitry link`), matches them to the
labels in `tests/fixtures/findings/<kind>.jsonl` by key (article ids and character offsets
only), and prints, for each kind of finding, precision among the labelled ones at the default
threshold and among the candidates below it, and how many are not labelled. Unsure labels
are counted apart, not in the precision.

One function per kind of finding (`contradictions` here): each returns
`[(kind, key, confidence, finding as a dict)]`, and `main` does the rest.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "fixtures" / "findings"
SHOWN = 0.7  # the default threshold of the pipeline


# --- contradictions ---------------------------------------------------------------------

def contradiction_key(c: dict[str, Any]) -> str:
    """A finding's identity in labels: its kind, the field (facts) and its sides by article
    id and offsets (statements: the quote's; facts: each report's evidence), never text."""
    if c["kind"] == "statements":
        sides = sorted(f"{s['article_id']}:{s['start']}-{s['end']}" for s in c["sides"])
        return "statements|" + "|".join(sides)
    values: dict[str, list[str]] = {}
    for s in c["sides"]:
        values.setdefault(json.dumps(s.get("value")), []).append(
            f"{s['article_id']}:{s.get('start')}-{s.get('end')}")
    groups = sorted("+".join(sorted(v)) for v in values.values())
    return f"facts|{c['field_or_topic']}|" + "|".join(groups)


def contradictions(db: str) -> list[tuple[str, str, float, dict[str, Any]]]:
    """Every contradiction the current rules make on the store at `db` (a URL or a path),
    as (kind: statement_contradiction | fact_contradiction, key, confidence, finding)."""
    from summitry.pipeline.contradictions import find_contradictions
    from summitry.store import Store

    url = db if "://" in db else f"sqlite:///{db}"
    with Store(url) as store:
        found = find_contradictions(store)
    out, seen = [], set()
    for c in found:
        d = c.to_dict()
        kind = "statement_contradiction" if c.kind == "statements" else "fact_contradiction"
        key = contradiction_key(d)
        if (kind, key) in seen:  # one pair of statements about two meetings: one finding
            continue
        seen.add((kind, key))
        out.append((kind, key, c.confidence, d))
    return out


KINDS = {"contradictions": contradictions}


# --- the report ---------------------------------------------------------------------------

def load_labels(kind: str) -> dict[tuple[str, str], dict[str, Any]]:
    path = LABELS / f"{kind}.jsonl"
    labels = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                labels[(row["kind"], row["key"])] = row
    return labels


def summarise(findings, labels) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for kind in sorted({k for k, *_ in findings}):
        for band, test in (("shown", lambda c: c >= SHOWN), ("candidates", lambda c: c < SHOWN)):
            rows = [(key, conf) for k, key, conf, _ in findings if k == kind and test(conf)]
            counts = Counter(labels[(kind, key)]["label"] if (kind, key) in labels else "unlabelled"
                             for key, _ in rows)
            judged = counts["true"] + counts["false"]
            result[f"{kind} {band}"] = {
                "findings": len(rows), "true": counts["true"], "false": counts["false"],
                "unsure": counts["unsure"], "unlabelled": counts["unlabelled"],
                "precision": round(counts["true"] / judged, 3) if judged else None}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=sorted(KINDS), required=True)
    parser.add_argument("--db", required=True, help="a linked store (path or URL); work on a copy")
    parser.add_argument("--unlabelled", type=Path, help="write the unlabelled findings here (JSONL)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    findings = KINDS[args.kind](args.db)
    labels = load_labels(args.kind)
    result = summarise(findings, labels)
    stale = len({k for k in labels} - {(k, key) for k, key, *_ in findings})
    if args.unlabelled:
        with args.unlabelled.open("w", encoding="utf-8") as out:
            for kind, key, conf, finding in findings:
                if (kind, key) not in labels:
                    out.write(json.dumps({"kind": kind, "key": key, "confidence": conf,
                                          "finding": finding}, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps({"bands": result, "labels_not_found": stale}, indent=2))
        return 0
    for name, row in result.items():
        precision = "-" if row["precision"] is None else f"{row['precision']:.3f}"
        print(f"{name:40} {row['findings']:4} findings  true {row['true']:3}  false {row['false']:3}  "
              f"unsure {row['unsure']:3}  unlabelled {row['unlabelled']:3}  precision {precision}")
    print(f"labels not among these findings (made on another store, or by earlier rules): {stale}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
