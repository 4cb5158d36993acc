"""Canonical meetings and timeline entries per pair of leaders, on a linked store.

    .venv/bin/python benchmarks/pair_timelines.py --db sqlite:////tmp/copy.db [--pairs 12] [--json]
        [--pair "Donald Trump" "Vladimir Putin"] [-v]

For the pairs with the most canonical meetings (and any `--pair`), prints: the canonical
meetings of the two alone, how many of them cover a reference encounter (their reports snap
to it), how many the timeline marks suspect (held, in person, matching no encounter of a pair
the reference record lists in full), and the timeline's entries by source. `-v` lists each
pair's timeline. Read-only: link the store first (`summitry link --db ...`).

The figures say how many encounters the record claims; whether that is right is read from
the articles (the report of issue 10 has the table checked against them).
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

from summitry.analysis.pair import timeline
from summitry.link.reference import ReferenceRecord, same_people
from summitry.store import Store


def busiest_pairs(store: Store, limit: int) -> list[tuple[str, str]]:
    counts: Counter = Counter()
    for m in store.canonical_meetings():
        if len(m["participants"]) == 2:
            counts[tuple(sorted(m["participants"]))] += 1
    return [pair for pair, _ in counts.most_common(limit)]


def pair_figures(store: Store, a: str, b: str, reference: ReferenceRecord) -> dict:
    meetings = [m for m in store.canonical_meetings(between=(a, b)) if same_people((a, b), m["participants"])]
    entries = timeline(store, a, b, reference)
    record = [e for e in entries if e["source"] == "record"]
    return {
        "pair": [a, b],
        "meetings": len(meetings),
        "reports": sum(m["reports"] for m in meetings),
        "in_reference": len(reference.for_pair(a, b)),
        "covered": len({e["reference_id"] for e in record if e["reference_id"]}),
        "suspect": sum(1 for e in record if e.get("suspect")),
        "timeline": len(entries),
        "timeline_record": len(record),
        "timeline_reference_only": len(entries) - len(record),
        "entries": [{k: e.get(k) for k in ("date", "place", "occasion", "status", "format", "reports",
                                           "reference_id", "suspect")} for e in entries],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--pairs", type=int, default=12)
    parser.add_argument("--pair", nargs=2, action="append", default=[])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    reference = ReferenceRecord.load()
    with Store(args.db) as store:
        pairs = busiest_pairs(store, args.pairs)
        pairs += [tuple(p) for p in args.pair if tuple(sorted(p)) not in pairs]
        figures = [pair_figures(store, a, b, reference) for a, b in pairs]
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    print(f"{'pair':42} {'meetings':>8} {'reports':>7} {'covered':>7} {'suspect':>7} {'timeline':>8} {'ref only':>8}")
    for f in figures:
        print(f"{' - '.join(f['pair']):42} {f['meetings']:8} {f['reports']:7} {f['covered']:7} {f['suspect']:7} "
              f"{f['timeline']:8} {f['timeline_reference_only']:8}")
        if args.verbose:
            for e in f["entries"]:
                mark = " SUSPECT" if e["suspect"] else ""
                print(f"    {e['date'] or 'undated':12} {e['status']:9} {e['format'] or '':10} "
                      f"{(e['place'] or '')[:18]:18} {(e['occasion'] or '')[:28]:28} {e['reports']:3} "
                      f"{e['reference_id'] or ''}{mark}")


if __name__ == "__main__":
    main()
