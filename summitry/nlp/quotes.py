"""Quotation spans, found on the characters of the text.

Works on characters rather than tokens because quotation marks are where the
parser is weakest, and because a quotation may run over sentences and
paragraphs. Handles straight and curly double quotes; a quote left open at the
end of a paragraph continues in the next paragraph when that one opens with a
quotation mark (the newspaper convention), giving one span per paragraph.

Writes `doc._.quotes`: a list of `Quote` sorted by position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from .doc_index import text_of

OPENING = "“„«"
CLOSING = "”»"
STRAIGHT = '"'
PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n(?=\s*[“\"])")


@dataclass(frozen=True)
class Quote:
    start: int  # first character inside the marks
    end: int  # one past the last character inside the marks
    open_mark: int  # offset of the opening mark
    close_mark: int | None  # offset of the closing mark; None when the paragraph ends open
    paragraph: int  # index of the paragraph holding it

    @property
    def continues(self) -> bool:
        """True when the quotation runs on into the next paragraph."""
        return self.close_mark is None


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines (or single
    newlines, which most plain-text news files use between paragraphs)."""
    spans, pos = [], 0
    for m in re.finditer(r"\n+", text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _is_opening_straight(text: str, i: int) -> bool:
    """A straight quote opens when it is not glued to a word on its left."""
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in ".,!?;:%)")


def find_quotes(text: str) -> list[Quote]:
    quotes: list[Quote] = []
    for p_index, (p_start, p_end) in enumerate(paragraph_spans(text)):
        open_at: int | None = None
        for i in range(p_start, p_end):
            ch = text[i]
            if ch in OPENING or (ch == STRAIGHT and open_at is None and _is_opening_straight(text, i)):
                if open_at is None:
                    open_at = i
                # a second opening mark inside an open quote: the first was never
                # closed (typo); restart from the later one
                elif ch in OPENING:
                    open_at = i
            elif ch in CLOSING or ch == STRAIGHT:
                if open_at is not None:
                    quotes.append(Quote(open_at + 1, i, open_at, i, p_index))
                    open_at = None
        if open_at is not None:
            quotes.append(Quote(open_at + 1, _rstrip(text, open_at + 1, p_end), open_at, None, p_index))
    return [q for q in quotes if q.end > q.start]


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)


@Language.factory("summitry_quotes")
def make_quote_finder(nlp: Language, name: str):
    def find(doc: Doc) -> Doc:
        doc._.quotes = find_quotes(text_of(doc))
        return doc

    return find
