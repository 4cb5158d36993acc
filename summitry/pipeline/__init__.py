"""The pipeline: the stages run in order over the store.

    ingest.py          articles in, stored records out (`ingest_articles`, `extract_records`)
    link.py            the link run: canonical meetings, then contradictions, flags, ratings
    contradictions.py  contradictions gathered from the store and stored
    review.py          a person's verdict and what follows from it (`review.review`)

The command line, the web app and distributed workers call these; the rules they run live
in `summitry.nlp` (extraction) and `summitry.link` (linking, checks); `summitry.store`
persists.
"""
from .contradictions import (
           find_contradictions,
           refresh_contradictions,
           update_contradictions,
)
from .ingest import IngestSummary, extract_records, extractor, ingest_articles
from .link import check_flags, link_meetings, rate_commitments, refresh_flags

__all__ = ["IngestSummary", "check_flags", "extract_records", "extractor", "find_contradictions",
           "ingest_articles", "link_meetings", "rate_commitments", "refresh_contradictions", "refresh_flags",
           "update_contradictions"]
