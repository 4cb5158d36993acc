"""Generated hostile inputs for ingest (issue 13): the kinds that once stopped a run or hung it,
mixed with good articles. Used by tests/test_hostile_input.py and benchmarks/fuzz_ingest.py.

Every input is invented here (no real article text). `make_batch(folder, n, seed)` writes n
inputs into `folder` and returns what it wrote: for each, its file name and whether it is a
good article that must be stored with its record (`good`), and for JSONL files the number of
good lines in them.
"""
from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from pathlib import Path

GOOD_SENTENCES = [
    "President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia in Port Calder on Tuesday.",
    "\u201cWe agreed to keep talking,\u201d Venn told reporters after the meeting.",
    "Rell said the two leaders had discussed the water treaty and the border crossings.",
    "Officials said a second summit could follow in the spring, in the Estovian capital.",
    "The Norland foreign ministry said the talks had been frank and useful.",
]


@dataclass
class Input:
    name: str
    kind: str
    good: int  # articles in it that must be stored with their record


def good_text(rng: random.Random) -> str:
    lines = rng.sample(GOOD_SENTENCES, k=rng.randint(2, len(GOOD_SENTENCES)))
    return f"Talks in Port Calder {rng.randint(0, 10**9)}\n\n" + " ".join(lines) + "\n"


def _jsonl_line(rng: random.Random, **fields) -> str:
    row = {"id": f"good-{rng.randint(0, 10**12)}", "title": "Talks", "published": "2031-03-11",
           "source": "Norland Herald", "url": None, "text": good_text(rng)}
    row.update(fields)
    return json.dumps(row)


def _write(folder: Path, name: str, data: bytes | str) -> None:
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(data)


def make_batch(folder: Path, n: int, seed: int = 13) -> list[Input]:
    """Write n inputs (about a third of them good) into `folder`."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Input] = []
    makers = list(_MAKERS)
    for i in range(n):
        kind = "good_txt" if i % 3 == 0 else rng.choice(makers)
        made.append(_MAKERS_ALL[kind](folder, f"{i:05d}", rng))
    return made


def _good_txt(folder, stem, rng):
    _write(folder, f"{stem}.txt", good_text(rng))
    return Input(f"{stem}.txt", "good_txt", 1)


def _deep_json(folder, stem, rng):
    depth = rng.choice([1000, 100_000])
    bad = "[" * depth + "]" * depth
    _write(folder, f"{stem}.jsonl", bad + "\n" + _jsonl_line(rng) + "\n")
    return Input(f"{stem}.jsonl", "deep_json", 1)


def _surrogates(folder, stem, rng):
    # escaped lone surrogates in the text and title (cleaned), and in an id (refused)
    line_ok = _jsonl_line(rng).replace('"title": "Talks"', '"title": "Talks \\ud800"').replace(
        "Port Calder", "Port \\udcff Calder", 1)
    line_bad_id = _jsonl_line(rng, id="bad-\udfff-id").replace("\udfff", "\\udfff")
    _write(folder, f"{stem}.jsonl", line_ok + "\n" + line_bad_id + "\n")
    return Input(f"{stem}.jsonl", "surrogates", 1)


def _nul(folder, stem, rng):
    _write(folder, f"{stem}.jsonl", _jsonl_line(rng, text=good_text(rng).replace(" met ", " met\u0000 ")) + "\n")
    return Input(f"{stem}.jsonl", "nul_in_jsonl", 1)


def _dates(folder, stem, rng):
    lines = [_jsonl_line(rng, published=rng.choice(["9999-12-31", "0001-01-01"])),
             _jsonl_line(rng, published="2031-13-45"), _jsonl_line(rng)]
    _write(folder, f"{stem}.jsonl", "\n".join(lines) + "\n")
    return Input(f"{stem}.jsonl", "bad_dates", 1)


def _malformed(folder, stem, rng):
    lines = ["{not json", "[1, 2]", json.dumps({"text": 42}), json.dumps({"text": ""}), _jsonl_line(rng)]
    _write(folder, f"{stem}.jsonl", "\n".join(lines) + "\n")
    return Input(f"{stem}.jsonl", "malformed_jsonl", 1)


def _binary(folder, stem, rng):
    _write(folder, f"{stem}.txt", bytes(rng.getrandbits(8) for _ in range(4096)))
    return Input(f"{stem}.txt", "random_bytes", 0)


def _pdf(folder, stem, rng):
    _write(folder, f"{stem}.txt", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nstream\nxref\n%%EOF\n")
    return Input(f"{stem}.txt", "pdf", 0)


def _empty(folder, stem, rng):
    _write(folder, f"{stem}.txt", rng.choice(["", "   \n\n", "12345 678 90"]))
    return Input(f"{stem}.txt", "empty", 0)


def _html_soup(folder, stem, rng):
    soup = "<html><body>" + "&amp;" * rng.randint(1000, 20000) + "<p>" + good_text(rng) + "</p>" + "<div>" * 500
    _write(folder, f"{stem}.html", soup)
    return Input(f"{stem}.html", "html_soup", 1)


def _latin1(folder, stem, rng):
    text = good_text(rng).replace("\u201c", '"').replace("\u201d", '"').replace("Norland", "Nørland")
    _write(folder, f"{stem}.txt", text.encode("latin-1"))
    return Input(f"{stem}.txt", "latin1", 1)


def _bad_name(folder, stem, rng):
    name = os.fsdecode(stem.encode() + b"-\xff\xfe.txt")
    _write(folder, name, good_text(rng))
    return Input(name, "non_utf8_name", 1)


def _device_link(folder, stem, rng):
    os.symlink(rng.choice(["/dev/zero", "/dev/urandom"]), folder / f"{stem}.txt")
    return Input(f"{stem}.txt", "device_link", 0)


def _fifo(folder, stem, rng):
    os.mkfifo(folder / f"{stem}.txt")
    return Input(f"{stem}.txt", "fifo", 0)


def _controls(folder, stem, rng):
    text = good_text(rng).replace(" ", " \x1b[31m", 2).replace("Venn", "Venn\x07", 1)
    _write(folder, f"{stem}.txt", text)
    return Input(f"{stem}.txt", "control_chars", 1)


_MAKERS = {"deep_json": _deep_json, "surrogates": _surrogates, "nul_in_jsonl": _nul, "bad_dates": _dates,
           "malformed_jsonl": _malformed, "random_bytes": _binary, "pdf": _pdf, "empty": _empty,
           "html_soup": _html_soup, "latin1": _latin1, "non_utf8_name": _bad_name, "device_link": _device_link,
           "fifo": _fifo, "control_chars": _controls}
_MAKERS_ALL = {"good_txt": _good_txt, **_MAKERS}


# --- texts that once made the extractor's work grow faster than the text (issue 13) ----------

def quote_storm(n: int) -> str:
    """n quotation marks' worth of leftover quotations, one per paragraph after a quoted speaker
    (each is checked as a continuation of the speakers before it), then a run of marks in one line."""
    paragraphs = ["Venn said: \u201cWe agreed to keep talking.\u201d"]
    paragraphs += [f"\u201cWord{i} goes on here." for i in range(n // 2)]
    paragraphs.append(" ".join(f"\u201cw{i} x\u201d" for i in range(n // 4)))
    return "\n".join(paragraphs) + "\n"


def without_sentence_ends(words: int) -> str:
    """One paragraph of `words` words with commas and speech verbs but no full stop."""
    return " ".join(f"word{i} talks" + (", Venn said the" if i % 7 == 0 else ",") for i in range(words // 2))
