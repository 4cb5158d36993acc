"""Cached look-ups on a parsed Doc.

`Doc.text` rebuilds the string on every access, `Token.sent` checks the whole
document's annotation and `Doc.char_span` scans the tokens; each is linear in
the length of the document, and the components ask them once per quotation or
verb. These helpers compute each once per Doc (in `doc.user_data`), which keeps
a long article linear instead of quadratic.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Span, Token

_TEXT, _SENTS, _STARTS = "summitry.text", "summitry.sentence_of_token", "summitry.token_starts"


def text_of(doc: Doc) -> str:
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def sentence_of(tok: Token) -> Span:
    """The sentence holding the token (the parser's sentences; call after the parser)."""
    doc = tok.doc
    index = doc.user_data.get(_SENTS)
    if index is None:
        index = []
        for sent in doc.sents:
            index.extend([(sent.start, sent.end)] * len(sent))
        doc.user_data[_SENTS] = index
    start, end = index[tok.i]
    return doc[start:end]


def char_span(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens covering characters [start, end), widened to whole tokens; None if empty."""
    starts = doc.user_data.get(_STARTS)
    if starts is None:
        starts = doc.user_data[_STARTS] = [t.idx for t in doc]
    if not starts or end <= start:
        return None
    first = max(0, bisect_right(starts, start) - 1)
    last = bisect_left(starts, end)
    if first >= last:
        return None
    return doc[first:last]
