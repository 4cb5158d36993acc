"""benchmarks/heldout/materialise.py: the held-out sets rebuild from the news sample exactly.

The gold is stored as offsets only; these checks make sure that, read against the shared news
sample, every offset lands on the annotated words (a quote restored from its offsets is the
text at those offsets, inside the article) and that the sets stay apart. Without the sample
beside the checkout the round-trip tests are skipped; the format checks run everywhere.
"""
from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "benchmarks" / "heldout"
SAMPLE = ROOT.parent / "shared" / "corpus" / "news-sample" / "articles.jsonl.gz"
DEV_GOLD = ROOT.parent / "shared" / "eval" / "dev_gold.jsonl"

spec = importlib.util.spec_from_file_location("heldout_materialise", HELDOUT / "materialise.py")
materialise = importlib.util.module_from_spec(spec)
spec.loader.exec_module(materialise)

# what restore() adds from the text: the offsets files must never carry these (no article text)
TEXT_KEYS = {"quote", "speaker_mention", "reported_clause", "evidence", "text"}


def offsets_lines(name: str) -> list[dict]:
    return materialise.load_gold(HELDOUT / name)


@pytest.mark.parametrize("name", ["gold_offsets.jsonl", "gold_offsets_2.jsonl"])
def test_offsets_files_hold_no_article_text(name):
    for g in offsets_lines(name):
        assert not TEXT_KEYS & set(g), g["id"]
        for item in g["statements"] + g["meetings"]:
            assert not TEXT_KEYS & set(item), (g["id"], item)
        assert len(g["text_sha256"]) == 64


def test_second_set_is_disjoint_from_the_first_and_from_the_dev_set():
    first = {g["id"] for g in offsets_lines("gold_offsets.jsonl")}
    second = [g["id"] for g in offsets_lines("gold_offsets_2.jsonl")]
    assert len(second) == len(set(second)) >= 10
    assert not first & set(second)
    if DEV_GOLD.is_file():
        with DEV_GOLD.open(encoding="utf-8") as fh:
            dev = {json.loads(line)["id"] for line in fh if line.strip()}
        assert not dev & set(second)


def test_second_set_records_are_well_formed():
    kinds = {"direct", "indirect", "mixed"}
    statuses = {"held", "planned", "proposed", "cancelled", "denied"}
    for g in offsets_lines("gold_offsets_2.jsonl"):
        for st in g["statements"]:
            assert st["kind"] in kinds and st["cue"] and " " not in st["cue"], (g["id"], st)
            assert st["start"] < st["end"] and st["mention_start"] < st["mention_end"]
            if st["kind"] == "mixed":
                assert st["reported_clause_start"] <= st["start"] < st["reported_clause_end"]
        for mt in g["meetings"]:
            assert len(mt["participants"]) >= 2 and mt["status"] in statuses, (g["id"], mt)
            assert mt["evidence_start"] < mt["evidence_end"]


def test_unknown_set_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        materialise.main([str(tmp_path / "out"), "--set", "3"])
    assert exc.value.code == 2


def test_changed_article_text_is_refused(tmp_path, capsys):
    """A sample whose text differs from the annotated one stops with an error, not shifted offsets."""
    gold = offsets_lines("gold_offsets_2.jsonl")
    fake = tmp_path / "sample.jsonl.gz"
    with gzip.open(fake, "wt", encoding="utf-8") as fh:
        for g in gold:
            fh.write(json.dumps({"id": g["id"], "title": "t", "published": None, "source": "s",
                                 "url": None, "text": "not the annotated text"}) + "\n")
    with pytest.raises(SystemExit) as exc:
        materialise.main([str(tmp_path / "out"), "--set", "2", "--sample", str(fake)])
    assert exc.value.code == 2
    assert "SHA-256 differs" in capsys.readouterr().err


def test_missing_sample_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        materialise.main([str(tmp_path / "out"), "--set", "2", "--sample", str(tmp_path / "none.gz")])
    assert exc.value.code == 2
    assert "news sample not found" in capsys.readouterr().err


needs_sample = pytest.mark.skipif(not SAMPLE.is_file(), reason="shared news sample not beside the checkout")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for which in ("1", "2", "all"):
        d = tmp_path_factory.mktemp(f"heldout{which}")
        assert materialise.main([str(d), "--set", which]) == 0
        out[which] = d
    return out


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@needs_sample
@pytest.mark.parametrize("which", ["1", "2"])
def test_materialised_gold_round_trips(built, which):
    inputs = {a["id"]: a for a in read_jsonl(built[which] / "input.jsonl")}
    gold = read_jsonl(built[which] / "gold.jsonl")
    expected = offsets_lines("gold_offsets.jsonl" if which == "1" else "gold_offsets_2.jsonl")
    assert [g["id"] for g in gold] == [g["id"] for g in expected] == list(inputs)
    for g, off in zip(gold, expected):
        text = inputs[g["id"]]["text"]
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == off["text_sha256"]
        assert len(g["statements"]) == len(off["statements"])
        for st in g["statements"]:
            parts = st.get("parts") or [[st["start"], st["end"]]]
            assert st["quote"] == " ".join(text[a:b] for a, b in parts)
            assert [st["start"], st["end"]] == parts[0]
            assert st["quote"].strip() and st["quote"] == st["quote"].strip(), (g["id"], st["quote"])
            assert st["speaker_mention"] == text[st["mention_start"]:st["mention_end"]]
            if "reported_clause" in st:
                assert st["quote"].split()[0] in st["reported_clause"] or st.get("parts")
        for mt in g["meetings"]:
            assert mt["evidence"] == text[mt["evidence_start"]:mt["evidence_end"]]


@needs_sample
def test_default_set_is_the_first(tmp_path, built):
    assert materialise.main([str(tmp_path)]) == 0
    assert read_jsonl(tmp_path / "gold.jsonl") == read_jsonl(built["1"] / "gold.jsonl")


@needs_sample
def test_all_is_both_sets_in_order(built):
    both = read_jsonl(built["all"] / "gold.jsonl")
    assert both == read_jsonl(built["1"] / "gold.jsonl") + read_jsonl(built["2"] / "gold.jsonl")
    assert len(read_jsonl(built["all"] / "input.jsonl")) == len(both)
