"""Analysis over the stored record: read-only functions of a pair of leaders.

    pair.py      timeline (stored meetings and reference encounters), commitment base rates,
                 cooperation scores and their trend, citations of articles and reference entries
    briefing.py  a Markdown briefing in which every sentence cites the records it rests on

They read through the `Store`'s queries and write nothing.
"""
from .briefing import brief, pair_flags
from .pair import (article_cite, article_labels, base_rates, citations, cited_articles, cooperation_scores,
                   pair_commitments, rate_sentence, ref_cite, score_events, timeline, timeline_csv, timeline_js,
                   timeline_json, trend, unique_prefix)

__all__ = ["article_cite", "article_labels", "base_rates", "brief", "citations", "cited_articles",
           "cooperation_scores", "pair_commitments", "pair_flags", "rate_sentence", "ref_cite", "score_events",
           "timeline", "timeline_csv", "timeline_js", "timeline_json", "trend", "unique_prefix"]
