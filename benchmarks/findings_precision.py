"""Precision of derived findings on real articles, from labels made by reading them (issue 10).

    .venv/bin/python benchmarks/findings_precision.py --kind contradictions --db /tmp/corpus.db
    .venv/bin/python benchmarks/findings_precision.py --kind flags --db /tmp/corpus.db --unlabelled /tmp/to_label.jsonl
    .venv/bin/python benchmarks/findings_precision.py --kind links --db /tmp/corpus.db
    .venv/bin/python benchmarks/findings_precision.py --kind ratings --db /tmp/corpus.db

Work on a copy of a linked store (`summitry link`). Labels are fixtures, one JSON object a line,
in tests/fixtures/findings/<kind>.jsonl; they name a finding by article ids and character
offsets only (never the article's words).

Findings (contradictions, flags, ratings): each kind is a function returning
`[(kind, key, confidence, finding as a dict)]`; the findings are recomputed with the current
rules, matched to the labels by key, and counted by band: shown (confidence at least the
pipeline's threshold) and candidates below it, with precision among the labelled ones (unsure
labels apart) and how many are not labelled (`--unlabelled` writes them out to be read).

ratings
    Key: "ARTICLE:START-END|EVIDENCE_ARTICLE:START-END|STATUS" (the commitment's action, the
    evidence sentence, the status the rules give). True when the evidence sentence is about the
    same commitment (same actors, same undertaking, later) and says what the status says.

links
    Labels: for each meeting report of five busy pairs (Trump-Putin, Trump-Kim, Obama-Putin,
    Trump-Xi, Bush-Putin) in the corpus store, `encounter`: the encounter it is about, read
    from the article (a reference record id, a slug for one the record does not list, "none"
    when the report is no encounter of the pair, "unsure"). Key: "ARTICLE:mN@START-END", the
    report's id and the offsets of its evidence sentence. Figures: snap precision (default and
    candidates), snap recall, and linking (pairwise, B-cubed, meetings per encounter) for the
    stored links and for the grouping the current rules make.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from datetime import datetime, timezone
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "fixtures" / "findings"
sys.path.insert(0, str(ROOT))

from summitry.link.linking import partition, snap_report  # noqa: E402
from summitry.link.reference import ReferenceRecord  # noqa: E402
from summitry.records import FINDING_THRESHOLD as SHOWN  # noqa: E402
from summitry.store import Store  # noqa: E402

NOT_AN_ENCOUNTER = ("none", "unsure")
NOW = datetime(2026, 12, 2, tzinfo=timezone.utc)  # when the recomputed ratings are made (not recorded)


def _store(db: str) -> Store:
    return Store(db if "://" in db else f"sqlite:///{db}")


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

    with _store(db) as store:
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




# --- fact flags ---------------------------------------------------------------------------

def flags(db: str) -> list[tuple[str, str, float, dict[str, Any]]]:
    """Every fact flag the current rules make on the store (recomputed from the stored
    reports, as `summitry flags --refresh` would), notices left out: (fact_flag, key
    "ARTICLE|KIND|START|END", confidence, flag)."""
    from summitry.pipeline import check_flags
    from summitry.store.rows import current_reports

    out = []
    with _store(db) as store:
        for article_id in store.article_ids():
            with store._transaction() as session:
                from summitry.store.models import ArticleRow

                row = session.get(ArticleRow, article_id)
                found = check_flags(row.id, row.text, row.published, current_reports(session, article_id))
            for f in found:
                if f.state != "notice":
                    out.append(("fact_flag", f.key, f.confidence, f.to_dict()))
    return out

# --- automatic ratings ------------------------------------------------------------------------

def rating_key(commitment, change) -> str:
    """A rating in labels: the commitment's action by article id and offsets, the evidence's
    citation ("ARTICLE:START-END") and the status the rules give."""
    article_id = commitment.id.rsplit(":", 1)[0]
    return f"{article_id}:{commitment.commitment.start}-{commitment.commitment.end}|{change.source}|{change.status}"


def ratings(db: str) -> list[tuple[str, str, float, dict[str, Any]]]:
    """Every automatic rating the current rules make on the store (as `summitry link` would on
    commitments no rule has rated yet; a person's ratings stay and stop the rules, as in the
    link run): (rating, key, confidence, rating)."""
    from summitry import EXTRACTOR_VERSION
    from summitry.link.commitments import CommitmentHistory, Tracked, linker_name, made_by_linker, plan_status_changes
    from summitry.pipeline.link import rating_confidence

    with _store(db) as store:
        tracked = [Tracked(t.id, t.commitment, t.published,
                           CommitmentHistory(tuple(c for c in t.history if not made_by_linker(c.by))))
                   for t in store.tracked_commitments()]
        earliest = min((t.published for t in tracked if t.published), default=None)
        articles = store.later_articles(earliest) if earliest else []
    by_id = {t.id: t for t in tracked}
    out = []
    for commitment_id, change in plan_status_changes(tracked, articles, linker_name(EXTRACTOR_VERSION), NOW):
        t = by_id[commitment_id]
        confidence = rating_confidence(change, t.commitment.confidence)
        out.append(("rating", rating_key(t, change), confidence, {
            "commitment_id": t.id, "actors": t.commitment.actors, "action": t.commitment.action,
            "commitment_start": t.commitment.start, "commitment_end": t.commitment.end,
            "commitment_published": str(t.published), "commitment_confidence": t.commitment.confidence,
            "status": change.status, "source": change.source, "rationale": change.rationale,
            "evidence": change.evidence}))
    return out


# --- links ------------------------------------------------------------------------------------

def links_precision(store: Store, labels: list[dict], reference: ReferenceRecord | None = None) -> dict:
    """The figures of the `links` kind (see the module docstring)."""
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



def report_key(report) -> str:
    """How a label names a meeting report ("ARTICLE:mN@START-END")."""
    return f"{report.id}@{report.evidence_start}-{report.evidence_end}"


KINDS = {"contradictions": contradictions, "flags": flags, "ratings": ratings}



# --- the report ---------------------------------------------------------------------------

def read_labels(kind: str) -> list[dict[str, Any]]:
    path = LABELS / f"{kind}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


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
    parser.add_argument("--kind", choices=sorted([*KINDS, "links"]), required=True)
    parser.add_argument("--db", required=True, help="a linked store (path or URL); work on a copy")
    parser.add_argument("--unlabelled", type=Path, help="write the unlabelled findings here (JSONL)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.kind == "links":
        with _store(args.db) as store:
            print(json.dumps(links_precision(store, read_labels("links")), indent=2))
        return 0
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
    sys.exit(main())
