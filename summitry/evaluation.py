"""Scoring of extracted records against hand-annotated gold records.

The rules are those of the shared `docs/records.md` (and of the reference
scorer `shared/eval/score.py`, whose figures this module reproduces exactly):

- statements match when the token multisets of their quotes have a Dice
  overlap of at least 0.5 (a gold `reported_clause` is an alternative to its
  quote), paired one-to-one, best first;
- a matched statement's speaker is right when it has the gold speaker's last
  name and first name or initial (or one of the gold `speaker_aliases`); an
  unnamed gold speaker (null) matches only null;
- end-to-end F1 counts a statement only when span and speaker are right;
- meetings match on the set of participants' last names and agreeing dates
  (within a day, or the same month / year where one side is less precise);
  status and place accuracy are measured among matched meetings.

    gold = load_jsonl("dev_gold.jsonl")
    pred = {rec.id: rec.to_dict() for _, rec in Extractor().extract_many(articles)}
    figures = score(gold, pred)
    figures["statements"]["end_to_end"]["f1"]
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

Log = Callable[[str], None]

# Words that are not part of a person's name when comparing speakers
# ("President Vladimir Putin" and "Vladimir Putin" are the same speaker).
TITLES = frozenset({
    "mr", "mrs", "ms", "dr", "sir", "president", "prime", "minister", "secretary",
    "state", "foreign", "sen", "senator", "rep", "gen", "general", "the", "former",
    "chancellor", "vice", "press", "spokesman", "spokeswoman", "adviser", "advisor",
    "national", "security", "russian", "us", "u", "s", "american", "chairman", "leader",
    "king", "queen", "pope", "emperor", "sheikh",
})
# Generational and regnal suffixes: "Abdullah II" is keyed on "abdullah", not "ii".
SUFFIXES = frozenset({"ii", "iii", "iv", "jr", "sr"})

STATEMENT_MATCH_THRESHOLD = 0.5
MEETING_MATCH_THRESHOLD = 0.5
# A more precisely dated gold meeting gets the first pick of equally good predictions.
_DATE_PRECISION_WEIGHT = {"day": 1.0, "month": 0.9, "year": 0.8, None: 0.75}


# --- text and names -------------------------------------------------------

def tokens(text: str | None) -> list[str]:
    """Lower-cased word tokens with accents removed: "Peña said" -> ["pena", "said"]."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.findall(r"\w+", folded)


def name_tokens(name: str | None) -> list[str]:
    """The tokens of a name without titles; all tokens if nothing else is left."""
    if not name:
        return []
    kept = [t for t in tokens(name.replace("'s", "")) if t not in TITLES]
    while len(kept) > 1 and kept[-1] in SUFFIXES:
        kept.pop()
    return kept or tokens(name)


def same_speaker(pred: str | None, gold: str | None, aliases: Sequence[str] = ()) -> bool:
    """Canonical-name match: same last name and same first name or first initial.

    A bare surname ("Putin") does not match "Vladimir Putin"; a null gold
    speaker (an unnamed source) matches only a null prediction.
    """
    if gold is None or pred is None:
        return gold is None and pred is None
    predicted = name_tokens(pred)
    if not predicted:
        return False
    for accepted in (gold, *aliases):
        expected = name_tokens(accepted)
        if not expected:
            continue
        if predicted == expected:
            return True
        if (len(predicted) > 1 and len(expected) > 1
                and predicted[-1] == expected[-1] and predicted[0][0] == expected[0][0]):
            return True
    return False


def dice(a: Sequence[str], b: Sequence[str]) -> float:
    """Dice coefficient of two token multisets."""
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    return 2.0 * common / (len(a) + len(b))


# --- dates ----------------------------------------------------------------

def parse_date(value: Any) -> tuple[str, Any] | None:
    """'2018-07-16' -> ('day', date); '2018-07' -> ('month', (2018, 7)); '2018' -> ('year', 2018)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        try:
            return ("day", date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            return None
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        return ("month", (int(m[1]), int(m[2])))
    if m := re.fullmatch(r"\d{4}", value):
        return ("year", int(value))
    return None


def _year(d: tuple[str, Any]) -> int:
    precision, value = d
    return {"day": lambda: value.year, "month": lambda: value[0], "year": lambda: value}[precision]()


def _month(d: tuple[str, Any]) -> tuple[int, int]:
    precision, value = d
    return (value.year, value.month) if precision == "day" else value


def dates_agree(pred: Any, gold: Any) -> bool:
    """An undated gold meeting agrees with any date; otherwise compare at the coarser precision."""
    g, p = parse_date(gold), parse_date(pred)
    if g is None:
        return True
    if p is None:
        return False
    if g[0] == p[0] == "day":
        return abs((g[1] - p[1]).days) <= 1
    if "year" in (g[0], p[0]):
        return _year(g) == _year(p)
    return _month(g) == _month(p)


def participants_key(names: Sequence[str] | None) -> frozenset[str]:
    """The set of the participants' last names."""
    return frozenset(toks[-1] for toks in map(name_tokens, names or []) if toks)


def participant_keys(name: str, aliases: Sequence[str] = ()) -> set[str]:
    """The last names under which one participant may be written (its gold aliases too)."""
    return {toks[-1] for toks in map(name_tokens, [name, *aliases]) if toks}


def same_participants(gold: dict, pred: dict) -> bool:
    """The gold and predicted participants are the same people: each gold participant matched
    one-to-one to a predicted last name, under its name or a gold alias."""
    aliases = gold.get("participants_aliases") or {}
    options = [o for o in (participant_keys(n, aliases.get(n, ())) for n in gold.get("participants") or []) if o]
    predicted = set(participants_key(pred.get("participants")))
    if len(options) != len(predicted):
        return False
    return _matching(options, lambda o: sorted(o & predicted)) == len(options)


def _matching(items: list, candidates: Callable[[Any], list]) -> int:
    """Size of a maximum one-to-one matching of items to their candidates (augmenting paths)."""
    owner: dict[Any, int] = {}

    def place(i: int, seen: set) -> bool:
        for c in candidates(items[i]):
            if c not in seen:
                seen.add(c)
                if c not in owner or place(owner[c], seen):
                    owner[c] = i
                    return True
        return False

    return sum(place(i, set()) for i in range(len(items)))


# --- matching and figures ---------------------------------------------------

def pair_best_first(n_gold: int, n_pred: int, similarity: Callable[[int, int], float],
                    threshold: float) -> list[tuple[int, int]]:
    """One-to-one (gold, pred) index pairs at or above `threshold`, best first.

    Ties go to the earlier gold item, then the earlier prediction.
    """
    candidates = sorted(
        (-s, gi, pi)
        for gi in range(n_gold)
        for pi in range(n_pred)
        if (s := similarity(gi, pi)) >= threshold
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return pairs


def pair_most(n_gold: int, n_pred: int, similarity: Callable[[int, int], float],
              threshold: float) -> list[tuple[int, int]]:
    """As many one-to-one (gold, pred) pairs at or above `threshold` as possible: a year-only
    gold meeting cannot take the only prediction a precisely dated one could use. Gold items
    with the best candidate choose first; each takes its best free prediction, and takes one
    from another gold item only when that one can move elsewhere (augmenting paths)."""
    edges = {gi: sorted((pi for pi in range(n_pred) if similarity(gi, pi) >= threshold),
                        key=lambda pi: -similarity(gi, pi)) for gi in range(n_gold)}
    owner: dict[int, int] = {}

    def place(gi: int, seen: set[int]) -> bool:
        free = [pi for pi in edges[gi] if pi not in owner]
        if free:
            owner[free[0]] = gi
            return True
        for pi in edges[gi]:
            if pi not in seen:
                seen.add(pi)
                if place(owner[pi], seen):
                    owner[pi] = gi
                    return True
        return False

    for gi in sorted(range(n_gold), key=lambda g: -max((similarity(g, p) for p in edges[g]), default=0)):
        place(gi, set())
    return sorted((gi, pi) for pi, gi in owner.items())


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn,
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _items(record: dict | None, key: str) -> list[dict]:
    return (record or {}).get(key) or []


def score_statements(gold: dict[str, dict], pred: dict[str, dict], log: Log) -> dict[str, Any]:
    tp = fp = fn = speaker_ok = direct_total = direct_found = 0
    for aid, gold_rec in gold.items():
        golds, preds = _items(gold_rec, "statements"), _items(pred.get(aid), "statements")
        # a mixed statement matches by its quoted words or by its whole reported clause
        gold_alternatives = [
            [tokens(g.get("quote"))] + ([tokens(g["reported_clause"])] if g.get("reported_clause") else [])
            for g in golds
        ]
        pred_tokens = [tokens(p.get("quote")) for p in preds]
        pairs = pair_best_first(
            len(golds), len(preds),
            lambda gi, pi: max(dice(alt, pred_tokens[pi]) for alt in gold_alternatives[gi]),
            STATEMENT_MATCH_THRESHOLD,
        )
        tp += len(pairs)
        fp += len(preds) - len(pairs)
        fn += len(golds) - len(pairs)
        for gi, pi in pairs:
            g, p = golds[gi], preds[pi]
            if same_speaker(p.get("speaker"), g.get("speaker"), g.get("speaker_aliases") or ()):
                speaker_ok += 1
            else:
                log(f"{aid}: speaker {p.get('speaker')!r} != gold {g.get('speaker')!r} "
                    f"for {(g.get('quote') or '')[:60]!r}")
        matched_gold = {gi for gi, _ in pairs}
        matched_pred = {pi for _, pi in pairs}
        for gi, g in enumerate(golds):
            if g.get("kind") == "direct":
                direct_total += 1
                direct_found += gi in matched_gold
            if gi not in matched_gold:
                log(f"{aid}: missed statement ({g.get('speaker')}): {(g.get('quote') or '')[:80]!r}")
        for pi, p in enumerate(preds):
            if pi not in matched_pred:
                log(f"{aid}: extra statement ({p.get('speaker')}): {(p.get('quote') or '')[:80]!r}")
    wrong_speaker = tp - speaker_ok
    figures = prf(tp, fp, fn)
    figures["speaker_accuracy"] = _ratio(speaker_ok, tp)
    figures["end_to_end"] = prf(speaker_ok, fp + wrong_speaker, fn + wrong_speaker)
    figures["direct_recall"] = _ratio(direct_found, direct_total)
    return figures


def _describe_meeting(m: dict) -> str:
    return f"{m.get('participants')} {m.get('date')} {m.get('place')} ({m.get('status')})"


def score_meetings(gold: dict[str, dict], pred: dict[str, dict], log: Log) -> dict[str, Any]:
    tp = fp = fn = status_ok = place_ok = place_total = 0
    for aid, gold_rec in gold.items():
        golds, preds = _items(gold_rec, "meetings"), _items(pred.get(aid), "meetings")
        def similarity(gi: int, pi: int) -> float:
            g, p = golds[gi], preds[pi]
            if not same_participants(g, p) or not dates_agree(p.get("date"), g.get("date")):
                return 0.0
            parsed = parse_date(g.get("date"))
            # among equally good candidates, prefer one that also agrees on date, status and place
            same_place = bool(set(tokens(g.get("place"))) & set(tokens(p.get("place"))))
            agreeing = ((g.get("date") == p.get("date")) + ((g.get("status") or "held") == (p.get("status") or "held"))
                        + same_place)
            return _DATE_PRECISION_WEIGHT[parsed[0] if parsed else None] + 0.01 * agreeing

        pairs = pair_most(len(golds), len(preds), similarity, MEETING_MATCH_THRESHOLD)
        tp += len(pairs)
        fp += len(preds) - len(pairs)
        fn += len(golds) - len(pairs)
        for gi, pi in pairs:
            g, p = golds[gi], preds[pi]
            status_ok += (g.get("status") or "held") == (p.get("status") or "held")
            if g.get("place"):
                place_total += 1
                place_ok += bool(set(tokens(g["place"])) & set(tokens(p.get("place"))))
        matched_gold = {gi for gi, _ in pairs}
        matched_pred = {pi for _, pi in pairs}
        for gi, g in enumerate(golds):
            if gi not in matched_gold:
                log(f"{aid}: missed meeting {_describe_meeting(g)}")
        for pi, p in enumerate(preds):
            if pi not in matched_pred:
                log(f"{aid}: extra meeting {_describe_meeting(p)}")
    figures = prf(tp, fp, fn)
    figures["status_accuracy"] = _ratio(status_ok, tp)
    figures["place_accuracy"] = _ratio(place_ok, place_total)
    return figures


def score(gold: dict[str, dict], pred: dict[str, dict], log: Log | None = None) -> dict[str, Any]:
    """Score predicted records against gold records, both keyed by article id.

    Returns the figures in the JSON shape of `score.py --json`. `log`, if given,
    is called with one line for every missed or extra item and wrong speaker.
    Articles that are only in `pred` are ignored.
    """
    log = log or (lambda _line: None)
    return {
        "articles": len(gold),
        "articles_without_prediction": len(set(gold) - set(pred)),
        "statements": score_statements(gold, pred, log),
        "meetings": score_meetings(gold, pred, log),
    }


def load_jsonl(path: str | Path) -> dict[str, dict]:
    """Records of a JSONL file keyed by their "id" (a later line with the same id wins).

    Raises ValueError naming the file and line for a line that is not a JSON
    object with an "id".
    """
    records: dict[str, dict] = {}
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not JSON: {exc}") from None
            if not isinstance(rec, dict) or "id" not in rec:
                raise ValueError(f"{path}:{lineno}: record has no 'id'")
            records[str(rec["id"])] = rec
    return records


def summary_lines(figures: dict[str, Any]) -> list[str]:
    """The figures as the three lines score.py prints."""
    s, m = figures["statements"], figures["meetings"]
    return [
        f"articles {figures['articles']} (without prediction: {figures['articles_without_prediction']})",
        f"statements  P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
        f"speaker acc {s['speaker_accuracy']:.3f}  end-to-end F1 {s['end_to_end']['f1']:.3f}  "
        f"direct recall {s['direct_recall']:.3f}",
        f"meetings    P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  "
        f"status acc {m['status_accuracy']:.3f}  place acc {m['place_accuracy']:.3f}",
    ]
