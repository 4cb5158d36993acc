"""Findings on real articles against labels read from the articles (issue 10).

    .venv/bin/python benchmarks/findings_precision.py --kind links --db sqlite:////tmp/copy.db [--json] [-v]

Each kind is one function, `<kind>_precision(store, labels)`, so that the parts written for
the kinds of issue 10 merge into one script. Labels are fixtures, one JSON object a line,
in tests/fixtures/findings/<kind>.jsonl; they identify a finding by article id and character
offsets only (never the article's words).

links
    Labels: for each meeting report of five busy pairs (Trump-Putin, Trump-Kim, Obama-Putin,
    Trump-Xi, Bush-Putin) in the corpus store, `encounter`: the encounter it is about, read
    from the article (a reference record id, a slug for one the record does not list, "none"
    when the report is no encounter of the pair, "unsure"). Key: "ARTICLE:mN@START-END", the
    report's id and the offsets of its evidence sentence.
    Figures, recomputed with the current rules:
      - snaps: reports the linker snaps to a known encounter (`linking.snap_reports`), true
        when the label is that encounter; precision among labelled ones, at the default
        threshold (0.7) and for the candidates below it;
      - snap recall: of the labelled reports about a listed encounter, the share snapped to it;
      - linking, on the labelled reports about a real encounter: pairs of reports put in one
        meeting against pairs about one encounter (precision, recall), B-cubed, and how many
        meetings hold each encounter's reports; for the store's stored links (whatever rules
        linked it) and for the grouping the current rules make.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from summitry.link.linking import partition, snap_report
from summitry.link.reference import ReferenceRecord
from summitry.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "findings"
NOT_AN_ENCOUNTER = ("none", "unsure")


def load_labels(kind: str, path: Path | None = None) -> list[dict]:
    path = path or FIXTURES / f"{kind}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def report_key(report) -> str:
    """How a label names a meeting report: its id (article id and position in the article's
    record) and the offsets of its evidence ("ARTICLE:mN@START-END"; two reports may rest on
    one sentence)."""
    return f"{report.id}@{report.evidence_start}-{report.evidence_end}"


# --- links ------------------------------------------------------------------------------------

def links_precision(store: Store, labels: list[dict], reference: ReferenceRecord | None = None) -> dict:
    reference = reference or ReferenceRecord.load()
    gold = {label["key"]: label["encounter"] for label in labels}
    state = store.link_state()
    reports = {report_key(r): r for r in state.reports}
    labelled = {key: reports[key] for key in gold if key in reports}
    known = {e.id for e in reference.encounters} | {n.id for n in reference.non_events}

    snaps = {"default": Counter(), "candidates": Counter()}
    snapped_right, listed = 0, 0
    wrong = []
    for key, report in sorted(labelled.items()):
        found = snap_report(report, reference)
        truth = gold[key]
        if truth in known:
            listed += 1
        if found is None:
            continue
        verdict = "unsure" if truth == "unsure" else "true" if truth == found.encounter.id else "false"
        snaps["default" if found.confident else "candidates"][verdict] += 1
        if found.confident and verdict == "true" and truth in known:
            snapped_right += 1
        if verdict == "false":
            wrong.append({"key": key, "snapped": found.encounter.id, "gold": truth,
                          "confidence": found.confidence, "reason": found.reason})
    unlabelled = sum(1 for key, r in reports.items() if key not in gold
                     and (s := snap_report(r, reference)) is not None and s.confident)

    real = {key: truth for key, truth in gold.items() if key in labelled and truth not in NOT_AN_ENCOUNTER}
    stored_links = store.report_meeting_ids()
    stored = {key: stored_links.get(labelled[key].id) for key in real}
    grouped = {}
    for index, group in enumerate(partition(state.reports, reference)):
        for r in group:
            grouped[r.id] = index
    recomputed = {key: grouped.get(labelled[key].id) for key in real}
    return {
        "labelled_reports": len(labelled), "labels_not_in_store": len(gold) - len(labelled),
        "snaps_default": _precision(snaps["default"]), "snaps_candidates": _precision(snaps["candidates"]),
        "snap_recall": round(snapped_right / listed, 3) if listed else None, "listed_reports": listed,
        "snaps_unlabelled": unlabelled, "wrong_snaps": wrong,
        "linking_stored": _clustering(real, stored), "linking_rules": _clustering(real, recomputed),
    }


def _precision(counts: Counter) -> dict:
    judged = counts["true"] + counts["false"]
    return {"true": counts["true"], "false": counts["false"], "unsure": counts["unsure"],
            "precision": round(counts["true"] / judged, 3) if judged else None}


def _clustering(gold: dict[str, str], predicted: dict[str, object]) -> dict:
    """Pairwise and B-cubed scores of `predicted` (key -> meeting) against `gold` (key -> encounter)."""
    keys = sorted(gold)
    same_gold = {pair for pair in combinations(keys, 2) if gold[pair[0]] == gold[pair[1]]}
    same_pred = {pair for pair in combinations(keys, 2)
                 if predicted[pair[0]] is not None and predicted[pair[0]] == predicted[pair[1]]}
    both = len(same_gold & same_pred)
    by_gold, by_pred = defaultdict(set), defaultdict(set)
    for key in keys:
        by_gold[gold[key]].add(key)
        by_pred[predicted[key] if predicted[key] is not None else ("alone", key)].add(key)
    b_precision = sum(len(by_pred[_p(predicted, k)] & by_gold[gold[k]]) / len(by_pred[_p(predicted, k)])
                      for k in keys) / len(keys)
    b_recall = sum(len(by_pred[_p(predicted, k)] & by_gold[gold[k]]) / len(by_gold[gold[k]]) for k in keys) / len(keys)
    meetings = {encounter: len({_p(predicted, k) for k in members}) for encounter, members in by_gold.items()}
    return {"reports": len(keys), "encounters": len(by_gold),
            "pairwise_precision": round(both / len(same_pred), 3) if same_pred else None,
            "pairwise_recall": round(both / len(same_gold), 3) if same_gold else None,
            "bcubed_precision": round(b_precision, 3), "bcubed_recall": round(b_recall, 3),
            "meetings_per_encounter": round(sum(meetings.values()) / len(meetings), 2),
            "split_encounters": {e: n for e, n in sorted(meetings.items()) if n > 1}}


def _p(predicted: dict, key: str):
    return predicted[key] if predicted[key] is not None else ("alone", key)


KINDS = {"links": links_precision}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=sorted(KINDS), required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--labels", type=Path, default=None, help="default: tests/fixtures/findings/KIND.jsonl")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    with Store(args.db) as store:
        figures = KINDS[args.kind](store, load_labels(args.kind, args.labels))
    if not args.verbose:
        figures = {k: v for k, v in figures.items() if k != "wrong_snaps"}
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
