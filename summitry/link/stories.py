"""One story, many copies: near-duplicate articles (a wire story republished with small edits).

Pure functions over texts, no I/O. An article's *fingerprint* is a MinHash signature of its
word shingles (datasketch) and the LSH band keys of that signature; the store keeps both, so
the LSH index lives in the database (table `story_bands`) and survives restarts, serves every
process (workers, the web app, `watch`) and both databases alike.

The rule: an article is a copy of a stored one when they share an LSH band (a candidate:
likely from an estimated Jaccard similarity of about 0.6 up) and the estimated Jaccard
similarity of their shingle sets is at least SAME_STORY. It then joins that article's story;
else it starts a story of its own (its story id is its own id). Texts shorter than MIN_WORDS
words get no fingerprint: a few sentences are too little evidence (two briefs about one
meeting share most of their words without being one story).

Copies are stored and shown; the counts that weigh reports (a meeting's consensus values and
status, its number of reports, contradictions, base rates) count a story once.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

NUM_PERM = 128
SEED = 1  # fixed: signatures stored by one run are compared with those of the next
SHINGLE_WORDS = 3
# LSH banding for candidates with an estimated Jaccard similarity of about 0.6 up (18 bands of
# 7 rows: a pair at 0.8 is a candidate with probability 0.99, at 0.5 with 0.13)
BANDS, ROWS = 18, 7
SAME_STORY = 0.8
MIN_WORDS = 50

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Fingerprint:
    signature: bytes  # NUM_PERM uint32 MinHash values
    bands: tuple[str, ...]  # "band number:hash of its rows"


def shingles(text: str) -> set[bytes]:
    """The text's word shingles: SHINGLE_WORDS consecutive words, case folded."""
    words = _WORD.findall(text.casefold())
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8")
            for i in range(len(words) - SHINGLE_WORDS + 1)}


def fingerprint(text: str) -> Fingerprint | None:
    """The text's MinHash signature and LSH band keys; None for a text under MIN_WORDS words."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    from datasketch import MinHash  # imported late: only ingest needs it

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch(sorted(shingles(text)))
    values = minhash.hashvalues.astype("<u4")
    bands = tuple(f"{i}:{hashlib.sha1(values[i * ROWS:(i + 1) * ROWS].tobytes()).hexdigest()[:16]}"
                  for i in range(BANDS))
    return Fingerprint(values.tobytes(), bands)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two texts' shingle sets, from their signatures."""
    va, vb = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    if len(va) != len(vb) or not len(va):
        return 0.0
    return float(np.count_nonzero(va == vb)) / len(va)


def same_story(a: bytes, b: bytes) -> bool:
    return similarity(a, b) >= SAME_STORY
