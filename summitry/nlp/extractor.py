"""The nlp stage as a function: articles in, `ArticleRecord`s out.

This is the only module outside `summitry.nlp` that runs the spaCy pipeline;
everything downstream sees plain records. Long articles are cut at paragraph
breaks into pieces the parser handles in bounded memory, and the offsets of
what each piece yields are shifted back onto the whole text.
"""
from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from . import build_pipeline
from .link_cards import blank_link_cards
from ..records import Article, ArticleRecord, Commitment, MeetingReport, Statement

# spaCy's parser needs about 1 GB per 100,000 characters; pieces stay well below
PIECE_CHARS = 50_000


class Extractor:
    """Holds one loaded pipeline; reuse it across articles (loading costs a second or two)."""

    def __init__(self, actors_path: str | None = None, nlp: Language | None = None) -> None:
        self.nlp = nlp or build_pipeline(actors_path)

    def extract(self, article: Article) -> ArticleRecord:
        return next(iter(self.extract_many([article])))[1]

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[tuple[Article, ArticleRecord]]:
        """Yield (article, record) in input order; pieces of all articles share the batches."""
        def pieces() -> Iterator[tuple[Article, int, int, int, Doc]]:
            for article in articles:
                text = blank_link_cards(article.text)  # the same length: offsets stay the article's
                cuts = split_points(text)
                for n, (start, end) in enumerate(cuts):
                    doc = self.nlp.make_doc(text[start:end])
                    doc._.published = article.published
                    yield article, n, len(cuts), start, doc

        stream = pieces()
        meta: deque[tuple[Article, int, int, int]] = deque()

        def docs() -> Iterator[Doc]:
            for article, n, total, offset, doc in stream:
                meta.append((article, n, total, offset))
                yield doc

        record: ArticleRecord | None = None
        for doc in self.nlp.pipe(docs(), batch_size=batch_size):
            article, n, total, offset = meta.popleft()
            if n == 0:
                record = ArticleRecord(id=article.id)
            record.statements += [shift_statement(s, offset) for s in doc._.statements or []]
            record.meetings += [shift_meeting(m, offset) for m in doc._.meetings or []]
            record.commitments += [shift_commitment(c, offset) for c in doc._.commitments or []]
            if n == total - 1:
                yield article, record


def split_points(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """(start, end) pieces of at most about `limit` characters, cut after a paragraph break."""
    if len(text) <= limit:
        return [(0, len(text))]
    cuts, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        breaks = [m.end() for m in re.finditer(r"\n+", window)]
        end = start + (breaks[-1] if breaks and breaks[-1] > limit // 4 else
                       (window.rfind(" ") + 1 if window.rfind(" ") > 0 else limit))
        cuts.append((start, end))
        start = end
    cuts.append((start, len(text)))
    return cuts


def shift_statement(s: Statement, offset: int) -> Statement:
    if not offset:
        return s
    return replace(
        s, start=s.start + offset, end=s.end + offset,
        parts=[[a + offset, b + offset] for a, b in s.parts] if s.parts else None,
        mention_start=None if s.mention_start is None else s.mention_start + offset,
        mention_end=None if s.mention_end is None else s.mention_end + offset,
    )


def shift_commitment(c: Commitment, offset: int) -> Commitment:
    if not offset:
        return c
    return replace(c, start=c.start + offset, end=c.end + offset)


def shift_meeting(m: MeetingReport, offset: int) -> MeetingReport:
    if not offset or m.evidence_start is None:
        return m
    return replace(m, evidence_start=m.evidence_start + offset, evidence_end=m.evidence_end + offset)
