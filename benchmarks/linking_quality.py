"""Linking quality: canonical meetings from the fixture articles against a gold assignment.

    .venv/bin/python benchmarks/linking_quality.py [MANIFEST ...] [--one-at-a-time] [--json] [-v]

Runs the real pipeline (the extractor, the store in a temporary SQLite file, and `link`) on
the articles of gold manifests: by default tests/fixtures/linking/manifest.json (fictional
articles about fictional leaders) and samples.json beside it (the two sample articles of the
demo corpus). A manifest holds the gold: the encounters ("meetings") and, for each article,
its publication date and the encounters it reports.

Each extracted report is matched to a gold encounter of its own article: the same leaders
and, when the article reports several encounters of those leaders, the one whose date fits
(then the one with the same place). Reports that match none (wrong leaders) are extraction
errors: counted and left out of the scores. Gold encounters that no report matches are
extraction misses: counted too. Linking is then scored on the matched reports:
  - pairwise: pairs of reports put in the same canonical meeting, against pairs in the same
    gold encounter (precision, recall, F1);
  - B-cubed: per report, the share of its canonical meeting that is its gold encounter
    (precision) and of its gold encounter that is its canonical meeting (recall), averaged;
  - exact meetings: gold encounters whose reports form exactly one canonical meeting;
  - two naive baselines on the same reports: one meeting per pair of leaders, and one per
    pair and month (an undated report alone).
`--one-at-a-time` ingests and links the articles one by one (in manifest order) instead of
all at once; the figures must be the same.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path

from summitry.ingest import IngestError, read_articles
from summitry.link.linking import dates_fit, normal_text
from summitry.nlp.extractor import Extractor
from summitry.pipeline import link_meetings
from summitry.records import Article
from summitry.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "linking"
# the fictional articles, and the two sample articles of the demo corpus
MANIFESTS = (FIXTURES / "manifest.json", FIXTURES / "samples.json")


@dataclass
class Fixture:
    """The articles (in manifest order) and the gold."""

    articles: list[tuple[str, Article]]  # (file name, article)
    encounters: dict[str, dict]  # gold encounter key -> its description
    reported: dict[str, list[dict]]  # file name -> {"meeting": key, "evidence"?: words} it reports
    sets: dict[str, list[str]]  # manifest name -> its file names


def load_fixture(manifests: Iterable[Path] = MANIFESTS) -> Fixture:
    """Articles and gold from manifests; a manifest's "folder" (relative to it) holds its files."""
    fixture = Fixture([], {}, {}, {})
    for manifest_path in manifests:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        folder = (manifest_path.parent / manifest.get("folder", ".")).resolve()
        clashes = set(manifest["meetings"]) & set(fixture.encounters) | set(manifest["articles"]) & set(fixture.reported)
        if clashes:
            raise SystemExit(f"{manifest_path}: names used by another manifest: {sorted(clashes)}")
        fixture.encounters.update(manifest["meetings"])
        fixture.sets[manifest_path.stem] = list(manifest["articles"])
        for name, meta in manifest["articles"].items():
            fixture.articles.append((name, _read(folder / name, meta)))
            fixture.reported[name] = [e if isinstance(e, dict) else {"meeting": e} for e in meta["meetings"]]
    return fixture


def _read(path: Path, meta: dict) -> Article:
    items = list(read_articles([str(path)], published=date.fromisoformat(meta["published"]),
                               source=meta.get("source")))
    if len(items) != 1 or isinstance(items[0], IngestError):
        raise SystemExit(f"cannot read {path}: {items}")
    return items[0]


def ingest(store: Store, extractor: Extractor, articles: Iterable[Article]) -> None:
    """What `summitry ingest` does for each article: store it, extract it, save its record."""
    articles = list(articles)
    for article in articles:
        store.add_article(article)
    for article, record in extractor.extract_many(articles):
        store.save_record(record, article)


def build(store: Store, extractor: Extractor, fixture: Fixture, one_at_a_time: bool = False) -> None:
    """Ingest the fixture and link: all at once, or ingest + link after every article."""
    articles = [article for _, article in fixture.articles]
    batches = [[a] for a in articles] if one_at_a_time else [articles]
    for batch in batches:
        ingest(store, extractor, batch)
        link_meetings(store)


def predicted_meetings(store: Store) -> dict[str, str]:
    """report id -> canonical meeting id, for every linked report."""
    return {report["id"]: listed["id"]
            for listed in store.canonical_meetings()
            for report in store.canonical_meeting(listed["id"])["reports"]}


def _surnames(names: Iterable[str]) -> frozenset[str]:
    return frozenset(name.split()[-1].casefold() for name in names)


def gold_assignment(store: Store, fixture: Fixture, names: Iterable[str] | None = None
                    ) -> tuple[dict[str, str | None], list[str]]:
    """(report id -> gold encounter key, or None for a report of no gold encounter;
    the gold encounters of articles that no report matched, as "file: key")."""
    assignment: dict[str, str | None] = {}
    missed = []
    wanted = set(names) if names is not None else None
    for name, article in fixture.articles:
        if wanted is not None and name not in wanted:
            continue
        expected = fixture.reported[name]
        found = set()
        for report in store.article(article.id)["meetings"]:
            key = _match(report, [(e, fixture.encounters[e["meeting"]]) for e in expected])
            assignment[report["id"]] = key
            found.add(key)
        missed += [f"{name}: {e['meeting']}" for e in expected if e["meeting"] not in found]
    return assignment, missed


def _match(report: dict, expected: list[tuple[dict, dict]]) -> str | None:
    """The gold encounter an extracted report is about: the same leaders, then the date that
    fits (or the only encounter of those leaders), then the same place; an entry with
    "evidence" needs those words in the report's."""
    same_leaders = [(entry["meeting"], e) for entry, e in expected
                    if _surnames(e["participants"]) == _surnames(report["participants"])
                    and entry.get("evidence", "") in (report.get("evidence") or "")]
    dated = [(k, e) for k, e in same_leaders if dates_fit(e["date"], report["date"])]
    if not dated and len(same_leaders) == 1:
        dated = same_leaders  # a wrong date, but no other encounter of these leaders to be about
    placed = [(k, e) for k, e in dated
              if normal_text(e.get("place")) and normal_text(e.get("place")) == normal_text(report["place"])]
    chosen = placed or dated
    return chosen[0][0] if chosen else None


def _pairs(clusters: dict[str, str]) -> set[frozenset[str]]:
    members = defaultdict(list)
    for item, cluster in clusters.items():
        members[cluster].append(item)
    return {frozenset(pair) for group in members.values() for pair in combinations(sorted(group), 2)}


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 1.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float | int]:
    """Pairwise and B-cubed precision/recall/F1 of `predicted` against `gold` (report -> cluster),
    over the reports both assign, and the gold clusters recovered exactly."""
    items = sorted(set(predicted) & set(gold))
    pred = {i: predicted[i] for i in items}
    true = {i: gold[i] for i in items}
    pred_pairs, true_pairs = _pairs(pred), _pairs(true)
    both = len(pred_pairs & true_pairs)
    pairwise_p, pairwise_r = _ratio(both, len(pred_pairs)), _ratio(both, len(true_pairs))
    pred_members, true_members = defaultdict(set), defaultdict(set)
    for i in items:
        pred_members[pred[i]].add(i)
        true_members[true[i]].add(i)
    b3_p = sum(len(pred_members[pred[i]] & true_members[true[i]]) / len(pred_members[pred[i]]) for i in items)
    b3_r = sum(len(pred_members[pred[i]] & true_members[true[i]]) / len(true_members[true[i]]) for i in items)
    b3_p, b3_r = _ratio(b3_p, len(items)), _ratio(b3_r, len(items))
    exact = sum(1 for members in true_members.values() if members in [set(m) for m in pred_members.values()])
    return {
        "reports": len(items), "gold_pairs": len(true_pairs), "predicted_pairs": len(pred_pairs),
        "pairwise_precision": pairwise_p, "pairwise_recall": pairwise_r, "pairwise_f1": _f1(pairwise_p, pairwise_r),
        "bcubed_precision": b3_p, "bcubed_recall": b3_r, "bcubed_f1": _f1(b3_p, b3_r),
        "gold_meetings": len(true_members), "predicted_meetings": len(pred_members), "exact_meetings": exact,
    }


def evaluate(store: Store, fixture: Fixture, names: Iterable[str] | None = None) -> dict:
    """The figures for a store holding the linked fixture (or the articles `names` of it)."""
    names = list(names) if names is not None else [name for name, _ in fixture.articles]
    predicted = predicted_meetings(store)
    assignment, missed = gold_assignment(store, fixture, names)
    matched = {report: key for report, key in assignment.items() if key is not None}
    unmatched = sorted(report for report, key in assignment.items() if key is None)
    figures = score(predicted, matched)
    baselines = {label: score(_baseline(store, fixture, names, key), matched) for label, key in BASELINES.items()}
    return {**figures, "articles": len(names), "baselines": baselines,
            "expected_reports": sum(len(fixture.reported[name]) for name in names),
            "extracted_reports": len(assignment), "unmatched_reports": len(unmatched),
            "missed_reports": len(missed), "missed": missed, "unmatched": unmatched,
            "canonical_meetings": len({predicted[r] for r in assignment if r in predicted}),
            "errors": _errors(predicted, matched)}


# Naive groupings of the same reports, to show what the linking rules add.
BASELINES = {
    "same leaders": lambda r: _surnames(r["participants"]),
    "same leaders and month": lambda r: (_surnames(r["participants"]), (r["date"] or r["id"])[:7]),
}


def _baseline(store: Store, fixture: Fixture, names: list[str], key) -> dict[str, str]:
    wanted = set(names)
    return {r["id"]: repr(key(r)) for name, article in fixture.articles if name in wanted
            for r in store.article(article.id)["meetings"]}


def _errors(predicted: dict[str, str], gold: dict[str, str]) -> list[str]:
    """Each report whose canonical meeting differs from its gold encounter's usual one."""
    usual: dict[str, str] = {}
    for key in set(gold.values()):
        meetings = [predicted[r] for r in sorted(gold) if gold[r] == key and r in predicted]
        if meetings:
            usual[key] = max(set(meetings), key=meetings.count)
    return [f"{report}: gold {key}, linked to {predicted.get(report)} (most of {key} is in {usual.get(key)})"
            for report, key in sorted(gold.items()) if predicted.get(report) != usual.get(key)]


def _print(label: str, figures: dict) -> None:
    print(f"{label}: {figures['articles']} articles; gold encounter reports: {figures['expected_reports']}; "
          f"extracted reports: {figures['extracted_reports']} "
          f"({figures['missed_reports']} gold reports missed by the extractor, "
          f"{figures['unmatched_reports']} extracted reports of no gold encounter)")
    print(f"  linking, on the {figures['reports']} extracted reports matched to gold "
          f"({figures['gold_pairs']} gold pairs, {figures['predicted_pairs']} linked pairs):")
    print(f"    pairwise  P {figures['pairwise_precision']:.3f}  R {figures['pairwise_recall']:.3f}  "
          f"F1 {figures['pairwise_f1']:.3f}")
    print(f"    B-cubed   P {figures['bcubed_precision']:.3f}  R {figures['bcubed_recall']:.3f}  "
          f"F1 {figures['bcubed_f1']:.3f}")
    print(f"    gold encounters: {figures['gold_meetings']}; canonical meetings holding them: "
          f"{figures['predicted_meetings']}; recovered exactly: {figures['exact_meetings']}; "
          f"canonical meetings from these articles: {figures['canonical_meetings']}")
    for name, baseline in figures["baselines"].items():
        print(f"    baseline '{name}': pairwise P {baseline['pairwise_precision']:.3f}  "
              f"R {baseline['pairwise_recall']:.3f}  F1 {baseline['pairwise_f1']:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manifests", nargs="*", type=Path, default=list(MANIFESTS), metavar="MANIFEST",
                        help="gold manifests (default: the fictional fixture and the demo samples)")
    parser.add_argument("--one-at-a-time", action="store_true", help="ingest and link article by article")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and linking errors")
    args = parser.parse_args(argv)

    fixture = load_fixture(args.manifests)
    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/linking.db") as store:
        build(store, Extractor(), fixture, one_at_a_time=args.one_at_a_time)
        results = {"all": evaluate(store, fixture)}
        if len(fixture.sets) > 1:
            results |= {name: evaluate(store, fixture, names) for name, names in fixture.sets.items()}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for label, figures in results.items():
        _print(label, figures)
    if args.verbose:
        for line in results["all"]["missed"]:
            print(f"  missed by the extractor: {line}", file=sys.stderr)
        for line in results["all"]["unmatched"]:
            print(f"  extracted, no gold encounter: {line}", file=sys.stderr)
        for line in results["all"]["errors"]:
            print(f"  linking: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
