"""Clean text in (issue 14): mojibake repaired at the door, the original bytes' hash kept.

Invented texts only.
"""
from __future__ import annotations

import hashlib
import json

from summitry.ingest import read_articles
from summitry.ingest.readers import repair_text
from summitry.store import Store

# "’" encoded in UTF-8, read as cp1252, encoded again and read as cp1252 again: what real
# titles arrive as
BROKEN_APOSTROPHE = "\u2019".encode("utf-8").decode("cp1252").encode("utf-8").decode("cp1252")


def test_the_mojibake_of_the_issue_is_a_double_encoded_apostrophe():
    assert BROKEN_APOSTROPHE == "Ã¢â‚¬â„¢"
    assert repair_text(f"Venn{BROKEN_APOSTROPHE}s visit") == "Venn\u2019s visit"


def test_repair_keeps_good_text_as_it_came():
    for text in ("\u201cWe agreed,\u201d Venn said.", "Erdo\u011fan and M\u00fcller met",
                 "na\u00efve caf\u00e9 \ufb01ne", "line one\r\nline two", "AT&amp;T",
                 # accented letters before punctuation look like mojibake to a quick test, not to ftfy
                 "the caf\u00e9\u2019s owner", "Zo\u00eb\u2019s book", "S\u00e3o Paulo\u2019s mayor"):
        assert repair_text(text) == text
    assert repair_text("a\x00b") == "a\ufffdb"  # still cleaned character for character


def test_a_mojibake_title_and_text_are_stored_repaired(tmp_path, sqlite_url):
    row = {"id": "venn-rell", "title": f"Venn{BROKEN_APOSTROPHE}s talks with Rell",
           "text": f"President Arla Venn{BROKEN_APOSTROPHE}s talks with Tomas Rell went on for "
                   "two hours in Port Calder, a caf\u00c3\u00a9 owner said."}
    line = json.dumps(row, ensure_ascii=False).encode("utf-8")
    path = tmp_path / "broken.jsonl"
    path.write_bytes(line + b"\n")
    [article] = list(read_articles([path]))
    assert article.title == "Venn\u2019s talks with Rell"
    assert article.text.startswith("President Arla Venn\u2019s talks")
    assert "caf\u00e9 owner" in article.text
    assert article.original_sha256 == hashlib.sha256(line + b"\n").hexdigest()
    with Store(sqlite_url) as store:
        store.add_article(article)
        stored = store.article("venn-rell")
    assert stored["title"] == "Venn\u2019s talks with Rell"
    assert "Ã" not in stored["text"] and "Venn\u2019s talks" in stored["text"]
    assert stored["original_sha256"] == article.original_sha256


def test_a_plain_file_keeps_the_hash_of_its_bytes(tmp_path):
    data = f"Venn{BROKEN_APOSTROPHE}s visit\n\nPresident Arla Venn met Tomas Rell.\n".encode("cp1252")
    path = tmp_path / "visit.txt"
    path.write_bytes(data)
    [article] = list(read_articles([path]))
    assert article.title == "Venn\u2019s visit"
    assert article.original_sha256 == hashlib.sha256(data).hexdigest()


def test_an_article_stored_before_repair_is_found_again(tmp_path, sqlite_url):
    """A database written before texts were repaired holds the text as it came (cleaned only);
    reading the same input now gives the repaired text: it is the same article, not a conflict
    of ids (JSONL) nor a second copy (a .txt named by its text's hash)."""
    from dataclasses import replace

    from summitry.ingest.readers import clean_text
    from summitry.pipeline.ingest import ingest_articles
    from summitry.records import content_id

    text = f"President Arla Venn{BROKEN_APOSTROPHE}s talks with Tomas Rell went on for two hours."
    path = tmp_path / "old.jsonl"
    path.write_text(json.dumps({"id": "venn-old", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    [article] = list(read_articles([path]))
    assert article.unrepaired_hash == content_id(clean_text(text))
    as_stored_before = replace(article, text=clean_text(text), original_sha256=None, unrepaired_hash=None)
    with Store(sqlite_url) as store:
        store.add_article(as_stored_before)
        summary = ingest_articles(store, [article])
        assert summary.errors == [] and summary.already_stored == 1 and summary.new == 0
        assert len(store.article_ids()) == 1


def test_only_suspect_lines_are_repaired_and_fast():
    import time

    clean = "President Arla Venn met Tomas Rell in Port Calder. \u201cFine,\u201d said M\u00fcller.\n" * 20000
    started = time.perf_counter()
    assert repair_text(clean) == clean
    assert time.perf_counter() - started < 2  # ftfy over all of it takes about 10 s
    broken = clean + f"Venn{BROKEN_APOSTROPHE}s visit\n"
    assert repair_text(broken) == clean + "Venn\u2019s visit\n"
