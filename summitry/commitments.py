"""What became of a commitment: statuses, their append-only history, and suggestions from later evidence.

The statuses follow PolitiFact's promise tracker:

    not_yet_rated   nothing is known yet (every commitment starts here)
    in_the_works    work towards it has begun
    stalled         postponed, delayed, put on hold
    compromise      partly done, scaled back
    kept            done
    broken          dropped, scrapped, abandoned, violated

A status is never edited: each change is a `StatusChange` with its evidence, rationale,
source, timestamp and author, appended to a `CommitmentHistory`; the current status is the
last change's. `suggest_status` proposes a change from a later sentence ("the ceasefire took
effect", "the cyber unit was dropped a day later") with rules simple enough to read in the
rationale it returns; the cross-article stage decides whether to record it.

Pure functions and immutable values: no database, no spaCy.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from .records import Commitment

NOT_YET_RATED = "not_yet_rated"
IN_THE_WORKS = "in_the_works"
STALLED = "stalled"
COMPROMISE = "compromise"
KEPT = "kept"
BROKEN = "broken"
STATUSES = (NOT_YET_RATED, IN_THE_WORKS, STALLED, COMPROMISE, KEPT, BROKEN)


@dataclass(frozen=True)
class StatusChange:
    status: str
    evidence: str  # the words the change rests on (a later sentence, or a person's note)
    rationale: str  # why the evidence means this status
    source: str | None  # where the evidence is: an article id with offsets, a URL; None for a person's judgement
    at: datetime  # when the change was made
    by: str  # who made it: a person, or the rule set ("rules-0.1.0")

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}; one of {', '.join(STATUSES)}")
        if not self.evidence.strip() or not self.rationale.strip():
            raise ValueError("a status change needs its evidence and its rationale")
        if not self.by.strip():
            raise ValueError("a status change needs the name of whoever made it")


@dataclass(frozen=True)
class CommitmentHistory:
    """The status changes of one commitment, oldest first. Adding returns a new history; nothing
    is ever edited or removed, so every past rating stays on record with its evidence."""
    changes: tuple[StatusChange, ...] = ()

    @property
    def status(self) -> str:
        return self.changes[-1].status if self.changes else NOT_YET_RATED

    @property
    def current(self) -> StatusChange | None:
        return self.changes[-1] if self.changes else None

    def add(self, change: StatusChange) -> CommitmentHistory:
        if self.changes and change.at < self.changes[-1].at:
            # the history is a log of when ratings were made: a change cannot predate the last one
            raise ValueError(f"a change made at {change.at} cannot follow one made at {self.changes[-1].at}")
        return CommitmentHistory(self.changes + (change,))

    def __len__(self) -> int:
        return len(self.changes)

    def __iter__(self):
        return iter(self.changes)


# ---- suggestions from later evidence ---------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    status: str
    pattern: re.Pattern
    meaning: str  # said in the rationale: what the matched words mean for the commitment


def _rx(words: str) -> re.Pattern:
    return re.compile(rf"\b(?:{words})\b", re.I)


NEGATED_BEFORE = re.compile(r"\b(?:not|never|n't|no longer|failed to|yet to)\s+(?:\w+\s+){0,2}$", re.I)
NOT_YET = re.compile(r"\b(?:not yet|yet to|still not|has not|have not|hasn't|haven't)\s+(?:\w+\s+){0,2}$", re.I)

# first match wins: the words of failure outrank those of progress ("talks began but collapsed")
RULES = (
    Rule(BROKEN, _rx(r"dropped|scrapped|abandoned|ditched|reneged|reversed|revoked|violated|broke down|"
                     r"collapsed|called off|cancell?ed|withdrew from|pulled out of|torn up|tore up|"
                     r"went back on|backtracked"), "the commitment was given up"),
    Rule(STALLED, _rx(r"postponed|delayed|stalled|put on hold|on hold|shelved|deadlocked|frozen|"
                      r"no progress|bogged down|pushed back|in limbo"), "the commitment is held up"),
    Rule(COMPROMISE, _rx(r"partly|partially|in part|scaled back|scaled down|watered down|reduced|"
                         r"a limited version|half"), "the commitment was carried out in part"),
    Rule(KEPT, _rx(r"t(?:ook|akes?|aken) effect|c(?:ame|ome) into force|entered into force|implemented|"
                   r"carried out|completed|fulfilled|delivered|took place|was held|were held|"
                   r"went ahead|kept (?:its|his|her|their) (?:promise|word|pledge)|honou?red"),
         "the commitment was carried out"),
    Rule(IN_THE_WORKS, _rx(r"began|begun|started|under way|underway|in progress|preparations|"
                           r"working on|first meeting|set up|was formed|were formed|launched|drafted"),
         "work towards the commitment has begun"),
)
# for a promise not to do something ("will not pursue", "stop the exercises"): doing it breaks
# the promise, and stopping or halting keeps it
REFRAIN_RULES = (
    Rule(BROKEN, _rx(r"resumed|went ahead with|continued|carried out|conducted|pursued|restarted"),
         "what was to be refrained from went on"),
    Rule(KEPT, _rx(r"halted|stopped|suspended|ended|ceased|called off|cancell?ed|dropped|scrapped"),
         "what was to be refrained from was stopped"),
)
STOPWORDS = frozenset("""
the a an of to in on at for with and or by from as into over its their his her this that these those
be is are was were will would not any further basis other own both two sides side issue
which there about after before said says they them while where when also been have has more
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december week weeks month months year years today tomorrow
""".split())  # dates are shared by unrelated sentences: they say nothing of what a sentence is about


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z-]+", text.lower()) if len(w) >= 4 and w not in STOPWORDS}


def about_same_thing(commitment: Commitment, sentence: str) -> str | None:
    """A word the later sentence shares with the commitment ("ceasefire", "cyber" in
    "cybersecurity"), by a common stem of at least five letters; None if they share none."""
    ours = content_words(commitment.action)
    for word in content_words(sentence):
        for own in ours:
            short, long_ = sorted((word.replace("-", ""), own.replace("-", "")), key=len)
            if len(short) >= 5 and long_.startswith(short) or (len(short) >= 5 and short[:6] == long_[:6]):
                return own
    return None


def suggest_status(commitment: Commitment, later_sentence_text: str) -> tuple[str, str] | None:
    """A status and its rationale from a later sentence about the commitment, or None when
    the sentence does not speak of it or says nothing of its fate.

    The sentence must share a word with the commitment's action (a crude check that it is about
    the same thing: the cross-article stage does the real matching). A negated signal of success
    ("the ceasefire never took effect") breaks the commitment, and "has not yet taken effect"
    stalls it."""
    shared = about_same_thing(commitment, later_sentence_text)
    if shared is None:
        return None
    rules = (REFRAIN_RULES + RULES) if commitment.polarity == "refrain" else RULES
    for rule in rules:
        m = rule.pattern.search(later_sentence_text)
        if m is None:
            continue
        status, meaning, words = rule.status, rule.meaning, m.group(0)
        before = later_sentence_text[:m.start()]
        negated = NEGATED_BEFORE.search(before)
        if status in (KEPT, IN_THE_WORKS) and negated:
            status = STALLED if NOT_YET.search(before) else BROKEN
            meaning = "it has not been carried out yet" if status == STALLED else "it was not carried out"
            words = later_sentence_text[negated.start():m.end()]
        return status, f'"{words}" about "{shared}": {meaning}'
    return None
