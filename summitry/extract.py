"""The nlp stage as a function: articles in, `ArticleRecord`s out.

This is the only module outside `summitry.nlp` that runs the spaCy pipeline;
everything downstream sees plain records.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from .records import Article, ArticleRecord


class Extractor:
    """Holds one loaded pipeline; reuse it across articles (loading costs ~1 s)."""

    def __init__(self) -> None:
        self.nlp = None  # filled in by the nlp stage

    def extract(self, article: Article) -> ArticleRecord:
        return next(iter(self.extract_many([article])))[1]

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[tuple[Article, ArticleRecord]]:
        for article in articles:
            yield article, ArticleRecord(id=article.id)
