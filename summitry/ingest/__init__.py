"""Ingest: files, folders and URLs -> `Article` records (the first stage of the data flow).

    readers.py  files and folders: plain text, HTML (trafilatura), JSONL; decoding cascade
    fetch.py    http(s) URLs

Bad input never raises: every problem comes back as an `IngestError`, a one-line message
naming the input (and line, for JSONL), in the place of the article it would have been.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

from ..records import Article
from .fetch import fetch_url
from .readers import MAX_BYTES, IngestError, read_articles

__all__ = ["MAX_BYTES", "IngestError", "fetch_url", "is_url", "read_articles", "read_inputs"]


def is_url(value: str) -> bool:
    """An http(s) URL (the scheme in any case: "HTTP://" too), not a path."""
    return value[:8].lower().startswith(("http://", "https://"))


def read_inputs(inputs: Iterable[str], *, allow_private: bool = False,
                **metadata: Any) -> Iterator[Article | IngestError]:
    """Articles (or IngestErrors) from files, folders and http(s) URLs, in the order given.

    `metadata` (title, published, source, url) fills in what an input does not give;
    `allow_private` lets URLs reach loopback and private addresses (see `fetch`).
    """
    for item in inputs:
        if not is_url(item):
            yield from read_articles([item], **metadata)
            continue
        article = fetch_url(item, allow_private=allow_private)
        if not isinstance(article, IngestError):
            missing = {k: v for k, v in metadata.items() if v is not None and getattr(article, k, None) is None}
            article = dataclasses.replace(article, **missing)
        yield article
