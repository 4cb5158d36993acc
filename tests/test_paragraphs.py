"""Sentence starts set before the parser: paragraph breaks, datelines, over-long runs."""
from __future__ import annotations

import spacy

from summitry.nlp.paragraphs import forced_breaks, mark_paragraph_starts


def starts(text: str) -> list[str]:
    doc = mark_paragraph_starts(spacy.blank("en")(text))
    return [tok.text for tok in doc[1:] if tok.is_sent_start]


def test_a_paragraph_break_starts_a_sentence():
    assert starts("Leaders Meet In Norland\nThe two presidents met on Monday.") == ["The"]
    assert starts("First paragraph ends here.\n\nSecond one begins.") == ["Second"]


def test_a_dateline_ends_where_the_story_starts():
    assert starts("OSLOVIA (Wire) - The talks opened on Monday.") == ["The"]


def test_a_run_without_sentence_ends_is_cut_after_its_last_comma():
    words = ["word"] * 120 + [","] + ["word"] * 60
    doc = spacy.blank("en")(" ".join(words))
    assert forced_breaks(doc, set(), limit=150) == {121}
    # the tokens' texts given by the caller give the same answer
    assert forced_breaks(doc, set(), limit=150, texts=[t.text for t in doc]) == {121}


def test_no_break_within_ordinary_sentences():
    assert starts("The envoy said the talks went well. She left on Tuesday.") == []
