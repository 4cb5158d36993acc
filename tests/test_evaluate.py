"""summitry.evaluate: the scoring rules of docs/records.md, and agreement with shared/eval/score.py."""
from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from summitry.evaluation import (
    dates_agree,
    load_jsonl,
    participants_key,
    same_speaker,
    score,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV_GOLD = SHARED / "eval" / "dev_gold.jsonl"
SCORE_PY = SHARED / "eval" / "score.py"


def st(quote, speaker="Alda Morvane", kind="direct", **extra):
    return {"quote": quote, "speaker": speaker, "kind": kind, **extra}


def mt(participants, date=None, place=None, status="held"):
    return {"participants": participants, "date": date, "place": place, "status": status}


def rec(statements=(), meetings=()):
    return {"statements": list(statements), "meetings": list(meetings)}


# --- statements ---------------------------------------------------------------

def test_gold_against_itself_is_perfect():
    gold = {"a": rec([st("we will open the border crossings"), st("talks were useful", None, "indirect")],
                     [mt(["Alda Morvane", "Tomas Kell"], "2021-03-03", "Lindholm")])}
    figures = score(gold, copy.deepcopy(gold))
    s, m = figures["statements"], figures["meetings"]
    assert (s["f1"], s["speaker_accuracy"], s["end_to_end"]["f1"], s["direct_recall"]) == (1.0, 1.0, 1.0, 1.0)
    assert (m["f1"], m["status_accuracy"], m["place_accuracy"]) == (1.0, 1.0, 1.0)
    assert figures["articles"] == 1 and figures["articles_without_prediction"] == 0


def test_statement_match_needs_dice_of_one_half():
    gold = {"a": rec([st("one two three four")])}
    half = score(gold, {"a": rec([st("one two five six")])})["statements"]  # 2*2/(4+4) = 0.5
    assert half["tp"] == 1
    below = score(gold, {"a": rec([st("one five six seven")])})["statements"]  # 2*1/8 = 0.25
    assert (below["tp"], below["fp"], below["fn"]) == (0, 1, 1)


def test_tokens_fold_case_accents_and_punctuation():
    gold = {"a": rec([st("Peña said: “NO deal!”")])}
    assert score(gold, {"a": rec([st("pena said no deal")])})["statements"]["tp"] == 1


def test_pairs_are_one_to_one_best_first():
    gold = {"a": rec([st("alpha beta gamma delta"), st("alpha beta gamma epsilon zeta")])}
    # the prediction is closest to the second gold statement; the first one stays unmatched
    pred = {"a": rec([st("alpha beta gamma epsilon zeta"), st("unrelated words entirely here")])}
    s = score(gold, pred)["statements"]
    assert (s["tp"], s["fp"], s["fn"]) == (1, 1, 1)
    # two predictions cannot both take the same gold statement
    pred = {"a": rec([st("alpha beta gamma delta"), st("alpha beta gamma delta")])}
    s = score(gold, pred)["statements"]
    assert (s["tp"], s["fp"], s["fn"]) == (2, 0, 0)  # the second takes the other gold one (Dice 0.67)


def test_reported_clause_is_an_alternative_match():
    gold = {"a": rec([st("a historic mistake", kind="mixed",
                         reported_clause="the treaty was “a historic mistake” that Ostrelia would regret")])}
    by_quote = score(gold, {"a": rec([st("a historic mistake")])})["statements"]
    by_clause = score(gold, {"a": rec([st("the treaty was a historic mistake that Ostrelia would regret")])})["statements"]
    assert by_quote["tp"] == by_clause["tp"] == 1


@pytest.mark.parametrize(("pred", "gold", "aliases", "expected"), [
    ("Alda Morvane", "Alda Morvane", (), True),
    ("President Alda Morvane", "Alda Morvane", (), True),   # titles are not part of the name
    ("A. Morvane", "Alda Morvane", (), True),               # first initial is enough
    ("Morvane", "Alda Morvane", (), False),                 # a bare surname is not canonical
    ("Elin Morvane", "Alda Morvane", (), False),
    ("Alda Kell", "Alda Morvane", (), False),
    (None, None, (), True),                                  # unnamed matches only unnamed
    ("Alda Morvane", None, (), False),
    (None, "Alda Morvane", (), False),
    ("Veskarian Presidency", "Alda Morvane", ("Veskarian Presidency",), True),
    ("Presidency", "Presidency", (), True),                  # one-word organisation names
])
def test_same_speaker(pred, gold, aliases, expected):
    assert same_speaker(pred, gold, aliases) is expected


def test_end_to_end_counts_a_statement_only_with_the_right_speaker():
    gold = {"a": rec([st("one two three", "Alda Morvane"), st("four five six", "Tomas Kell", "indirect"),
                      st("seven eight nine", None, "direct")])}
    pred = {"a": rec([st("one two three", "Alda Morvane"), st("four five six", "Kell", "indirect"),
                      st("ten eleven twelve", "Tomas Kell")])}
    s = score(gold, pred)["statements"]
    assert (s["tp"], s["fp"], s["fn"]) == (2, 1, 1)
    assert s["speaker_accuracy"] == 0.5
    assert (s["end_to_end"]["tp"], s["end_to_end"]["fp"], s["end_to_end"]["fn"]) == (1, 2, 2)
    assert s["end_to_end"]["f1"] == round(2 * (1 / 3) * (1 / 3) / (2 / 3), 4)
    assert s["direct_recall"] == 0.5  # one of the two direct gold statements was found


def test_log_reports_misses_extras_and_wrong_speakers():
    gold = {"a": rec([st("one two three"), st("four five six")], [mt(["Alda Morvane", "Tomas Kell"], "2021-03")])}
    pred = {"a": rec([st("one two three", "Kell"), st("seven eight")], [mt(["Alda Morvane", "Ivo Renn"], "2021-03")])}
    lines = []
    score(gold, pred, lines.append)
    assert any("speaker 'Kell' != gold 'Alda Morvane'" in line for line in lines)
    assert any("missed statement" in line and "four five six" in line for line in lines)
    assert any("extra statement" in line and "seven eight" in line for line in lines)
    assert any("missed meeting" in line for line in lines) and any("extra meeting" in line for line in lines)


def test_missing_articles_count_as_misses():
    gold = {"a": rec([st("one two three")]), "b": rec([st("four five six")])}
    figures = score(gold, {"a": rec([st("one two three")]), "zzz": rec([st("extra")])})
    assert figures["articles_without_prediction"] == 1
    assert (figures["statements"]["tp"], figures["statements"]["fp"], figures["statements"]["fn"]) == (1, 0, 1)


# --- meetings -------------------------------------------------------------------

@pytest.mark.parametrize(("pred", "gold", "expected"), [
    ("2021-03-03", "2021-03-03", True),
    ("2021-03-04", "2021-03-03", True),   # within a day
    ("2021-03-05", "2021-03-03", False),
    ("2021-03", "2021-03-03", True),      # month against day: same month
    ("2021-03-30", "2021-03", True),
    ("2021-04", "2021-03", False),
    ("2021", "2021-03-03", True),         # year against anything: same year
    ("2022-03-03", "2021", False),
    (None, "2021-03", False),             # a dated gold meeting needs a date
    ("2021-03", None, True),              # an undated gold meeting agrees with any date
    ("soon", None, True),
    ("2021-02-30", "2021-02", False),     # not a date
])
def test_dates_agree(pred, gold, expected):
    assert dates_agree(pred, gold) is expected


def test_participants_compare_by_surname_set():
    assert participants_key(["President Alda Morvane", "Tomas Kell"]) == participants_key(["Kell", "A. Morvane"])
    assert participants_key(["Alda Morvane", "Tomas Kell"]) != participants_key(["Alda Morvane", "Ivo Renn"])


def test_meeting_match_status_and_place_accuracy():
    gold = {"a": rec(meetings=[mt(["Alda Morvane", "Tomas Kell"], "2021-03-03", "Lindholm"),
                               mt(["Alda Morvane", "Ivo Renn"], "2020-11", "Sarvik", "planned"),
                               mt(["Tomas Kell", "Ivo Renn"], "2019", None)])}
    pred = {"a": rec(meetings=[mt(["Kell", "Morvane"], "2021-03-02", "Lindholm, Veskaria"),
                               mt(["Alda Morvane", "Ivo Renn"], "2020-11-20", "Oster", "held"),
                               mt(["Tomas Kell", "Ivo Renn"], "2018", None)])}
    m = score(gold, pred)["meetings"]
    assert (m["tp"], m["fp"], m["fn"]) == (2, 1, 1)
    assert m["status_accuracy"] == 0.5
    assert m["place_accuracy"] == 0.5


def test_precisely_dated_gold_meeting_picks_first():
    # One prediction fits both an undated and a dated gold meeting: the dated one gets it.
    gold = {"a": rec(meetings=[mt(["Alda Morvane", "Tomas Kell"], None, status="planned"),
                               mt(["Alda Morvane", "Tomas Kell"], "2021-03-03")])}
    pred = {"a": rec(meetings=[mt(["Alda Morvane", "Tomas Kell"], "2021-03-03")])}
    lines = []
    m = score(gold, pred, lines.append)["meetings"]
    assert (m["tp"], m["fn"], m["status_accuracy"]) == (1, 1, 1.0)
    assert lines == ["a: missed meeting ['Alda Morvane', 'Tomas Kell'] None None (planned)"]


def test_load_jsonl(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "x", "statements": []}\n\n{"id": 7, "meetings": []}\n', encoding="utf-8")
    assert set(load_jsonl(good)) == {"x", "7"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n{"id": \n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        load_jsonl(bad)
    no_id = tmp_path / "noid.jsonl"
    no_id.write_text('{"statements": []}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"noid\.jsonl:1: record has no 'id'"):
        load_jsonl(no_id)


# --- agreement with the reference scorer on the dev set ----------------------------

needs_dev_set = pytest.mark.skipif(not (DEV_GOLD.is_file() and SCORE_PY.is_file()),
                                   reason="shared/eval (dev_gold.jsonl, score.py) is not beside the checkout")


def perturb(gold: dict[str, dict], seed: int) -> dict[str, dict]:
    """A plausible imperfect prediction made from the gold: drops, wrong speakers, cut quotes, shifted dates."""
    rng = random.Random(seed)
    pred = {}
    for aid, record in gold.items():
        if rng.random() < 0.1:
            continue  # no prediction for this article
        statements = []
        for s in copy.deepcopy(record.get("statements", [])):
            roll = rng.random()
            if roll < 0.15:
                continue  # missed
            if roll < 0.25 and s.get("speaker"):
                s["speaker"] = s["speaker"].split()[-1]  # bare surname: wrong
            elif roll < 0.32:
                s["speaker"] = None if s.get("speaker") else "Alda Morvane"
            elif roll < 0.45:
                words = s.get("quote", "").split()
                s["quote"] = " ".join(words[: max(1, len(words) * rng.choice((3, 5, 7)) // 10)])
            if rng.random() < 0.5:
                s.pop("reported_clause", None)  # the prediction has only a quote
            statements.append(s)
        if rng.random() < 0.3:
            statements.append({"speaker": "Tomas Kell", "quote": "an extra statement nobody made", "kind": "direct"})
        rng.shuffle(statements)
        meetings = []
        for m in copy.deepcopy(record.get("meetings", [])):
            roll = rng.random()
            if roll < 0.15:
                continue
            date = m.get("date")
            if roll < 0.3 and date and len(date) == 10:
                day = int(date[8:])
                m["date"] = f"{date[:8]}{min(28, max(1, day + rng.choice((-2, -1, 1, 2)))):02d}"
            elif roll < 0.4 and date:
                m["date"] = date[:7] if len(date) >= 7 else str(int(date[:4]) + 1)
            elif roll < 0.5:
                m["status"] = rng.choice(["held", "planned", "proposed", "cancelled"])
            elif roll < 0.6:
                m["place"] = rng.choice([None, "Lindholm"])
            elif roll < 0.65:
                m["participants"] = m.get("participants", [])[:1] + ["Ivo Renn"]
            meetings.append(m)
        pred[aid] = {"id": aid, "statements": statements, "meetings": meetings}
    return pred


def run_score_py(gold_path: Path, pred: dict[str, dict], tmp_path: Path) -> tuple[dict, list[str]]:
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pred.values()), encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCORE_PY), str(gold_path), str(pred_path), "--json", "--verbose"],
                          capture_output=True, text=True, check=True, encoding="utf-8")
    return json.loads(done.stdout), done.stderr.splitlines()


@needs_dev_set
def test_dev_gold_against_itself_scores_one_everywhere():
    gold = load_jsonl(DEV_GOLD)
    figures = score(gold, copy.deepcopy(gold))
    s, m = figures["statements"], figures["meetings"]
    assert s["tp"] > 0 and m["tp"] > 0
    for value in (s["precision"], s["recall"], s["f1"], s["speaker_accuracy"], s["direct_recall"],
                  s["end_to_end"]["f1"], m["precision"], m["recall"], m["f1"], m["status_accuracy"],
                  m["place_accuracy"]):
        assert value == 1.0


@needs_dev_set
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_figures_equal_score_py_on_perturbed_predictions(seed, tmp_path):
    gold = load_jsonl(DEV_GOLD)
    pred = perturb(gold, seed)
    lines: list[str] = []
    ours = score(gold, pred, lines.append)
    theirs, their_lines = run_score_py(DEV_GOLD, pred, tmp_path)
    assert ours["statements"]["f1"] < 1.0 and ours["meetings"]["f1"] < 1.0  # the perturbation did bite
    assert ours == theirs
    assert lines == their_lines
