"""Plain typed records: what flows between the stages.

`Article` comes out of ingest; `Statement` and `MeetingReport` come out of the
nlp stage (gathered in an `ArticleRecord`); the store persists all three.
Nothing here touches spaCy or the database. The JSON form of an
`ArticleRecord` is the output format of shared docs/records.md.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from . import EXTRACTOR_VERSION

# The values a record's fields may take: the extractor writes them, people's reviews are
# checked against them, and every listing offers them as choices.
STATEMENT_KINDS = ("direct", "indirect", "mixed")
MEETING_STATUSES = ("held", "planned", "proposed", "cancelled", "denied")
MEETING_FORMATS = ("summit", "bilateral", "sideline", "informal", "phone", "video", "multilateral")
# Derived findings (fact flags, contradictions, automatic ratings) with at least this confidence
# are shown as findings; the others wait in the review queue as candidates for a person.
FINDING_THRESHOLD = 0.7
# What became of a commitment (the promise-tracker statuses); the first until anyone rates it.
NOT_YET_RATED = "not_yet_rated"
IN_THE_WORKS = "in_the_works"
STALLED = "stalled"
COMPROMISE = "compromise"
KEPT = "kept"
BROKEN = "broken"
COMMITMENT_STATUSES = (NOT_YET_RATED, IN_THE_WORKS, STALLED, COMPROMISE, KEPT, BROKEN)


def content_id(text: str) -> str:
    """Stable article id from its content: the same text always gets the same id."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    id: str
    text: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    # where it was read from: a file path, or "path:line" for JSONL
    origin: str | None = None
    # SHA-256 of what was read (bytes of the file or page, the JSONL line) before decoding and
    # repair: the text itself is repaired (mojibake, see ingest.readers.repair_text)
    original_sha256: str | None = None
    # the content hash the text had before its mojibake was repaired, when repair changed it:
    # a database written before repair existed stored it under that hash
    unrepaired_hash: str | None = None

    @property
    def content_hash(self) -> str:
        return content_id(self.text)


@dataclass
class Statement:
    speaker: str | None  # canonical name, organisation name, or None for an unnamed source
    speaker_mention: str | None  # the words that name the speaker in the text
    quote: str
    kind: str  # direct | indirect | mixed
    cue: str | None  # the speech verb ("said", "according to")
    start: int
    end: int
    parts: list[list[int]] | None = None  # every [start, end] of a quote interrupted by its attribution
    mention_start: int | None = None
    mention_end: int | None = None
    sentence: str | None = None  # the source sentence (provenance)
    extractor_version: str = EXTRACTOR_VERSION
    confidence: float | None = None  # in [0, 1]: how firmly the text supports it; None: not measured

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None or k == "speaker"}


@dataclass
class MeetingReport:
    participants: list[str]  # canonical full names of the leaders, at least two
    date: str | None  # YYYY-MM-DD, YYYY-MM, YYYY or None
    place: str | None
    occasion: str | None
    status: str  # held | planned | proposed | cancelled | denied
    format: str | None  # summit | bilateral | sideline | informal | phone | video | multilateral
    scheduled_minutes: int | None = None
    actual_minutes: int | None = None
    others_present: list[str] = field(default_factory=list)
    evidence: str | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None
    extractor_version: str = EXTRACTOR_VERSION
    confidence: float | None = None  # in [0, 1]: how firmly the text supports it; None: not measured

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Commitment:
    actors: list[str]  # who commits: canonical names of people, organisations or countries; a joint one lists both
    action: str  # the committed content, without the modal ("not pursue the election meddling issue ...")
    polarity: str  # do | refrain
    kind: str  # agreed | promised | announced | pledged | offered
    due: str | None  # YYYY-MM-DD, YYYY-MM or YYYY when the text fixes one ("from Monday", "by 2032")
    cue: str | None  # the verb or noun that signals it ("agreed", "will", "said", "agreement")
    start: int  # offsets of `action` in the text
    end: int
    sentence: str | None = None  # the source sentence (provenance)
    meeting_hint: str | None = None  # place or occasion words near it ("G20 summit, Hamburg")
    actor_mention: str | None = None  # the words that name the actors in the text
    extractor_version: str = EXTRACTOR_VERSION
    confidence: float | None = None  # in [0, 1]: how firmly the text supports it; None: not measured

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ArticleRecord:
    id: str
    statements: list[Statement] = field(default_factory=list)
    meetings: list[MeetingReport] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    extractor_version: str = EXTRACTOR_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "extractor_version": self.extractor_version,
            "statements": [s.to_dict() for s in self.statements],
            "meetings": [m.to_dict() for m in self.meetings],
            "commitments": [c.to_dict() for c in self.commitments],
        }
