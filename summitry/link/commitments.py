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
last change's. `rate` (and `suggest_status`) reads a later sentence ("the ceasefire took
effect", "the cyber unit was dropped a day later") with rules simple enough to name in the
rationale. `plan_status_changes` decides which ratings `summitry link` appends: from articles
published after the commitment's, naming its actors, never over a person's rating, never twice
(the rules are at the end of this module).

Pure functions and immutable values: no database, no spaCy.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from ..records import BROKEN, COMPROMISE, IN_THE_WORKS, KEPT, NOT_YET_RATED, STALLED, Commitment
from ..records import COMMITMENT_STATUSES as STATUSES


@dataclass(frozen=True)
class StatusChange:
    status: str
    evidence: str  # the words the change rests on (a later sentence, or a person's note)
    rationale: str  # why the evidence means this status
    source: str | None  # where the evidence is: an article id with offsets, a URL; None for a person's judgement
    at: datetime  # when the change was made
    by: str  # who made it: a person, or the rule set ("rules-0.1.0")
    # how sure the rules are of an automatic change (`rating_confidence`); None for a person's.
    # Not part of the record: it decides whether the change is made or waits for a person.
    confidence: float | None = field(default=None, compare=False)

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
    name: str  # named in the rationale, so that a reader can tell which rule made a change
    status: str
    pattern: re.Pattern
    meaning: str  # said in the rationale: what the matched words mean for the commitment


def _rx(words: str) -> re.Pattern:
    return re.compile(rf"\b(?:{words})\b", re.I)


NEGATED_BEFORE = re.compile(r"\b(?:not|never|n't|no longer|failed to|yet to)\s+(?:\w+\s+){0,2}$", re.I)
NOT_YET = re.compile(r"\b(?:not yet|yet to|still not|has not|have not|hasn't|haven't)\s+(?:\w+\s+){0,2}$", re.I)
# A possibility is no evidence of anything ("if the ceasefire collapses", "could be launched").
HYPOTHETICAL_BEFORE = re.compile(r"\b(?:if|unless|whether|could|might|may|would)\b", re.I)
# Success announced for the future has not happened ("will take effect", "expected to be set
# up"), and neither has success agreed or promised ("agreed to set up"): an infinitive right
# before the words. Failure announced for the future has ("the reopening will be delayed").
FUTURE_BEFORE = re.compile(r"\b(?:will|'ll|shall|going to|is to|are to|expects?|expected|plans?|planned|"
                           r"hopes?|aims?|intends?|due to|set to)\s+(?:\w+\s+){0,5}$|\bto\s+(?:be\s+)?$|"
                           r"\bto\s+(?:have|get)\s+(?:\w+\s+){0,4}$|"
                           # "to bypass Congress and have the wall built": a causative with its object, a purpose
                           r"\b(?:have|get)\s+(?:the|a|an|its|their|his|her)\s+(?:\w+\s+){0,3}$", re.I)
# Part of it done, the rest to come ("only 12 of the 40 fishermen", "one of the two crossings",
# "so far"): work is under way, not finished.
PARTIAL = re.compile(r"\b(?:only|just)\s+(?:\d+|one|two|three|four|five|some|a few|half)\s+of\b|\bso far\b|"
                     r"\b(?:one|two|three|four|\d+)\s+of\s+the\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\b",
                     re.I)

# first match wins: the words of failure outrank those of progress ("talks began but collapsed")
RULES = (
    # "dropped out (of the race)" is a person quitting, not an undertaking given up
    Rule("given-up", BROKEN, _rx(r"dropped(?! out\b)|scrapped|abandoned|ditched|reneged|reversed|revoked|violated|broke down|"
                                 r"collapsed|called off|cancell?ed|withdrew from|pulled out of|torn up|tore up|"
                                 r"went back on|backtracked"), "the commitment was given up"),
    Rule("held-up", STALLED, _rx(r"postponed|delayed|stalled|put on hold|on hold|shelved|deadlocked|frozen|"
                                 r"no progress|bogged down|pushed back|in limbo"), "the commitment is held up"),
    # ("in part because", "half of Americans" say nothing of a commitment's fate)
    Rule("in-part", COMPROMISE, _rx(r"partly|partially|in part(?! (?:because|due|to|by|for|on)\b)|scaled back|scaled down|watered down|reduced|"
                                    r"a limited version|only half"), "the commitment was carried out in part"),
    Rule("carried-out", KEPT, _rx(r"t(?:ook|akes?|aken) effect|c(?:ame|ome) into force|entered into force|implemented|"
                                  r"carried out|completed|fulfilled|delivered|took place|was held|were held|"
                                  r"went ahead|kept (?:its|his|her|their) (?:promise|word|pledge)|honou?red"),
         "the commitment was carried out"),
    Rule("begun", IN_THE_WORKS, _rx(r"began|begun|started|under way|underway|in progress|preparations|"
                                    r"working on|first meeting|set up|was formed|were formed|launched|drafted"),
         "work towards the commitment has begun"),
)
# for a promise not to do something ("will not pursue", "stop the exercises"): doing it breaks
# the promise, and stopping or halting keeps it
REFRAIN_RULES = (
    Rule("refrain-went-on", BROKEN, _rx(r"resumed|went ahead with|continued|carried out|conducted|pursued|restarted"),
         "what was to be refrained from went on"),
    Rule("refrain-stopped", KEPT, _rx(r"halted|stopped|suspended|ended|ceased|called off|cancell?ed|dropped|scrapped"),
         "what was to be refrained from was stopped"),
)
STOPWORDS = frozenset("""
the a an of to in on at for with and or by from as into over its their his her this that these those
be is are was were will would not any further basis other own both two sides side issue
which there about after before said says they them while where when also been have has more
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december week weeks month months year years today tomorrow
""".split())  # dates are shared by unrelated sentences: they say nothing of what a sentence is about


def content_words(text: str) -> list[str]:
    """The words that can tell what a text is about, in text order (each once)."""
    words = (w for w in re.findall(r"[a-z][a-z-]+", text.lower()) if len(w) >= 4 and w not in STOPWORDS)
    return list(dict.fromkeys(words))


def _same_stem(a: str, b: str) -> bool:
    short, long_ = sorted((a.replace("-", ""), b.replace("-", "")), key=len)
    return len(short) >= 5 and (long_.startswith(short) or short[:6] == long_[:6])


def about_same_thing(commitment: Commitment, sentence: str, leave_out: frozenset[str] = frozenset()) -> str | None:
    """A word the later sentence shares with the commitment ("ceasefire", "cyber" in
    "cybersecurity"), by a common stem of at least five letters; None if they share none.
    `leave_out` are words of the action that do not count (its own verb, for the rule that
    reads the verb)."""
    ours = [w for w in content_words(commitment.action) if w not in leave_out]
    for word in content_words(sentence):  # in text order, so that the answer is always the same
        for own in ours:
            if _same_stem(word, own):
                return own
    return None


# ---- the commitment's own verb, done --------------------------------------------------------

# "Norland released the fishermen" for "release all Estovian fishermen": the commitment's own
# verb in the past says it was done. Words of one group stand for each other ("the commission
# was formed" for "set up a commission").
VERB_GROUPS = (
    frozenset({"set up", "form", "establish", "create", "launch"}),
    frozenset({"open", "reopen"}),
    frozenset({"release", "free"}),
)
IRREGULAR_PAST = {
    "withdraw": ("withdrew", "withdrawn"), "hold": ("held",), "send": ("sent",), "build": ("built",),
    "set up": ("set up",), "pay": ("paid",), "make": ("made",), "give": ("gave", "given"),
    "meet": ("met",), "take": ("took", "taken"), "keep": ("kept",), "sign": ("signed",),
    "lift": ("lifted",), "begin": ("began", "begun"), "hand over": ("handed over",),
}
# verbs are lower case: "to Norland" is no verb ("to" is left out: it is mostly a preposition)
_MODAL_VERB = re.compile(r"\b(?:will|would|shall)\s+((?:set|hand)\s+(?:up|over)|[a-z]+)\b")
_LEADING_VERB = re.compile(r"^\s*(?:(?:not|never)\s+)?((?:set|hand)\s+(?:up|over)|[a-z]+)\b")
_NOT_VERBS = STOPWORDS | {"new", "joint", "annual", "more", "all", "each", "every", "some", "no"}


def own_verb(action: str) -> str | None:
    """The verb of the commitment's action: its first word ("release all fishermen"), or the
    word after a modal in it ("a hotline would open in July"); None for a bare noun phrase."""
    m = _MODAL_VERB.search(action) or _LEADING_VERB.match(action)
    if m is None:
        return None
    verb = " ".join(m.group(1).lower().split())
    return None if verb in _NOT_VERBS else verb


def past_forms(verb: str) -> set[str]:
    """"release" -> {"released"}, "stop" -> {"stopped"}, "withdraw" -> {"withdrew", "withdrawn"}."""
    if verb in IRREGULAR_PAST or " " in verb:
        return set(IRREGULAR_PAST.get(verb, ()))
    if verb.endswith("e"):
        return {verb + "d"}
    if verb.endswith("y") and verb[-2:-1] not in ("a", "e", "i", "o", "u"):
        return {verb[:-1] + "ied"}
    if re.fullmatch(r"[^aeiou]*[aeiou][bdglmnprt]", verb):  # one syllable ending in a consonant: "stop"
        return {verb + verb[-1] + "ed"}
    return {verb + "ed"}


def _own_verb_rule(commitment: Commitment) -> Rule | None:
    verb = own_verb(commitment.action)
    if verb is None:
        return None
    verbs = next((g for g in VERB_GROUPS if verb in g), frozenset({verb}))
    forms = sorted({f for v in verbs for f in past_forms(v)}, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms) + r")\b", re.I)
    if commitment.polarity == "refrain" and verb in STOPPING_VERBS and not NEGATED_ACTION.match(commitment.action):
        # "suspend the exercises" refrains by its own verb: "the exercises were suspended" keeps it
        return Rule("own-verb-done", KEPT, pattern, "what was to be refrained from was stopped")
    if commitment.polarity == "refrain":
        return Rule("own-verb-done", BROKEN, pattern, "what was to be refrained from was done")
    return Rule("own-verb-done", KEPT, pattern, "what was committed to was done")


_SUBJECT = re.compile(r"\s*(?:The\s+|the\s+)?([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)")


def another_party_acts(commitment: Commitment, text: str, m: re.Match) -> bool:
    """The clause of the words of fate begins with a known country or person who is not one of
    the commitment's actors (nor a leader of an actor country): someone else did it."""
    clause = re.split(r"[,;:—–]\s|\band\s", text[:m.start()])[-1]
    # the clause's subject, or the name right before the words ("a year after the United
    # States pulled out of the accord": the clause begins with "about", the actor is the US)
    return any(_other_party(commitment, found.group(1))
               for found in (_SUBJECT.match(clause), _SUBJECT_BEFORE.search(clause)) if found is not None)


# a name right before the words of fate, with at most auxiliaries or adverbs between
_SUBJECT_BEFORE = re.compile(r"\b([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)\s+"
                             r"(?:(?:has|have|had|was|were|also|then|later|finally|formally|quickly)\s+)*$")


def _other_party(commitment: Commitment, name: str) -> bool:
    """`name` is a known country or person who is none of the commitment's actors (nor a
    leader of an actor country)."""
    from ..actors import Registry

    if any(f in name or name in f for actor in commitment.actors for f in actor_forms(actor)):
        return False
    registry = Registry.load()
    country = registry.country(name)
    person = registry.person(name)
    if country is None and person is None:
        return False
    codes = {c.code for a in commitment.actors if (c := registry.country(a)) is not None}
    if person is not None and codes and person.countries_on(None) & codes:
        return False  # "Trump cancelled the exercises" for a commitment of the United States
    return True


# verbs whose doing is itself the refraining (the extractor's refrain verbs)
STOPPING_VERBS = frozenset({"refrain", "restrain", "stop", "cease", "halt", "suspend", "abstain", "desist",
                            "forgo", "forego", "renounce", "end", "freeze"})
NEGATED_ACTION = re.compile(r"^\s*(?:not|never|n't)\b", re.I)
# "the deal limited Iran to ...", "the agreement requires": the terms restated, not news of them
TERMS_BEFORE = re.compile(r"\b(?:deal|agreement|accord|pact|treaty|plan|law|statement|declaration)\s+(?:\w+\s+){0,2}$",
                          re.I)


# ---- rating one sentence ------------------------------------------------------------------

@dataclass(frozen=True)
class Rating:
    """What a later sentence says of a commitment's fate, and why."""
    status: str
    rule: str
    words: str  # the words of the sentence the rule read
    topic: str  # the word of the commitment the sentence shares, nearest to the rule's words
    meaning: str
    shared: tuple[str, ...] = ()  # every content word of the action the sentence shares (by stem)

    @property
    def rationale(self) -> str:
        also = [w for w in self.shared if w != self.topic]
        about = f'"{self.topic}"' + (f' (also {", ".join(also)})' if also else "")
        return f'rule {self.rule}: "{self.words}" about {about}: {self.meaning}'


def _rules_for(commitment: Commitment) -> list[Rule]:
    own = _own_verb_rule(commitment)
    if commitment.polarity == "refrain":
        return [*REFRAIN_RULES, *([own] if own else []), *RULES]
    failure = [r for r in RULES if r.status in (BROKEN, STALLED, COMPROMISE)]
    success = [r for r in RULES if r.status in (KEPT, IN_THE_WORKS)]
    return [*failure, *([own] if own else []), *success]


def rate(commitment: Commitment, later_sentence_text: str) -> Rating | None:
    """What a later sentence says of the commitment, or None when it does not speak of it or
    says nothing of its fate.

    The sentence must share a word with the commitment's action (`about_same_thing`: a crude
    check that it is about the same thing; the caller does the rest of the matching), and that
    word must stand within NEAR_WORDS words of the rule's words, so that the words of fate are
    about it ("the ceasefire took effect"), not about something else in a long sentence
    ("discussions ... ended"). The first rule whose words occur decides (failure before
    progress), then:
    - a possibility ("if", "could", "would" before the words) is no evidence: None;
    - success in the future ("will take effect", "expected to be set up") has not happened: None;
    - negated success breaks the commitment ("never took effect"), or stalls it when it is
      only not yet done ("has not yet taken effect");
    - success in part ("only 12 of the 40 were released", "so far") is work in progress.
    """
    for rule in _rules_for(commitment):
        m = rule.pattern.search(later_sentence_text)
        if m is None:
            continue
        verb = frozenset(content_words(own_verb(commitment.action) or ""))
        if rule.name != "own-verb-done" and any(_same_word(w, v) for w in content_words(m.group(0)) for v in verb):
            continue  # "delayed" for "delay the mandate" is the action done, not held up: the own verb's rule reads it
        # the verb itself does not make the sentence about the commitment ("Venn released a statement")
        leave_out = verb if rule.name == "own-verb-done" else frozenset()
        if another_party_acts(commitment, later_sentence_text, m):
            continue  # "Hungary has built two fences on its southern border": not the actor's wall
        if rule.name == "own-verb-done" and TERMS_BEFORE.search(later_sentence_text[:m.start()]):
            continue  # the terms restated ("the nuclear deal limited Iran to ..."), not news of them
        if rule.name == "own-verb-done" and _other_particle(commitment.action, later_sentence_text, m):
            continue  # "hackers took over a feed" for "take on the militants": another phrasal verb
        if rule.name == "begun" and _begins_another_activity(commitment.action, later_sentence_text, m):
            continue  # "started talking about the wall", "began to vote": what began is not the commitment
        topic = _topic_near(commitment, later_sentence_text, m, leave_out)
        if topic is None:
            continue
        found = _qualified(rule, m, later_sentence_text, topic)
        if found is None:
            return None
        # how much of the commitment the words around the match share (its verb never counts)
        return replace(found, shared=shared_words(commitment, _around(later_sentence_text, m), verb))
    return None


# particles that make another verb of the same one ("took over", "took part" are not "take on")
PARTICLES = frozenset("over up off out down away back part place".split())
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")
_BEGIN_WORDS = frozenset({"began", "begun", "started"})


def _other_particle(action: str, text: str, m: re.Match) -> bool:
    """The past form is followed by a particle the action's verb does not have ("took over"
    for "take on", "set off" ...): a different phrasal verb, not the commitment done."""
    after = _NEXT_WORD.match(text, m.end())
    if after is None or after.group(1) not in PARTICLES:
        return False
    verb = own_verb(action) or ""
    own = re.search(rf"\b{re.escape(verb.split()[0])}\s+([a-z]+)\b", action.lower()) if verb else None
    return own is None or own.group(1) != after.group(1)


def _begins_another_activity(action: str, text: str, m: re.Match) -> bool:
    """"began"/"started" followed by an activity ("started talking", "began to vote",
    "started agitating") that is none of the action's words: something else began."""
    if m.group(0).lower() not in _BEGIN_WORDS:
        return False
    after = re.match(r"\s+(?:to\s+([a-z]+)|([a-z]+ing))\b", text[m.end():])
    if after is None:
        return False
    activity = after.group(1) or after.group(2)
    return not any(_same_stem(activity, w) or activity.startswith(w[:4]) and len(w) >= 4
                   for w in content_words(action))


#: the words either side of the words of fate in which the shared words are counted
AROUND_WORDS = 12


def _around(text: str, m: re.Match) -> str:
    before = text[:m.start()].split()[-AROUND_WORDS:]
    after = text[m.end():].split()[:AROUND_WORDS]
    return " ".join([*before, m.group(0), *after])


# words of diplomacy that any two sentences about a pair of leaders share: they do not tell
# that a sentence is about the same undertaking ("further cooperation", "the talks")
GENERIC = frozenset("""
along against between among through under within without across toward towards upon
first last next other such very well just only even still every some many much most
make made making take taking continue ensure sure basis official officially jointly
president presidents leader leaders minister ministers government governments country countries
nation nations state states united people world international national new
talk talks meeting meetings summit summits discuss discussion discussions relations relationship
work working cooperate cooperation help support
already currently once than until since part full great major place give call himself herself
itself themselves similar think thinks thought know want like good best better really never always
again soon later early recent recently possible potential future past certain several another
each whole around back away down there here what when where which while would could should
administration administrations office according congress congressional senate house party parties
election elections campaign economic economy large took change changes negotiate negotiates
negotiators negotiation negotiations political policy policies
""".split())  # (the last lines: words of any political story, read on the corpus store's wrong ratings)


def shared_words(commitment: Commitment, sentence: str, leave_out: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The content words of the commitment's action that the sentence uses too (by a common
    stem), in the action's order: not the actors' own names (the sentence was chosen for
    naming them), not words any diplomatic sentence uses ("talks", "cooperation"), not
    `leave_out`. Two or more tell that the sentence speaks of the same undertaking; one
    ("ceasefire") may be another ceasefire."""
    ours = topic_words(commitment, leave_out)
    theirs = [w for w in content_words(sentence) if w not in GENERIC]
    return tuple(own for own in ours if any(_same_word(word, own) for word in theirs))


def _one_per_stem(words: list[str]) -> list[str]:
    """The words, each stem once: "tariff" and "tariffs" in one action are one topic, not two
    (two forms of one word made a sentence about any tariffs look like the same undertaking)."""
    kept: list[str] = []
    for w in words:
        if not any(_same_word(w, k) for k in kept):
            kept.append(w)
    return kept


def topic_words(commitment: Commitment, leave_out: frozenset[str] = frozenset()) -> list[str]:
    """The words of the action that tell what is to be done: content words, not names (the
    actors', and any word capitalised inside the action: "Russia", "American", "Obama" are
    parties and places, shared by every article about them), not words of every diplomatic
    sentence, not `leave_out`."""
    names = {w.lower() for actor in commitment.actors for w in re.findall(r"[A-Za-z][A-Za-z-]+", actor)}
    names |= {m.group(0).lower() for m in re.finditer(r"(?<!^)(?<![.!?]\s)\b[A-Z][A-Za-z-]+", commitment.action.strip())}
    return _one_per_stem([w for w in content_words(commitment.action)
                          if w not in leave_out and w not in GENERIC and w not in names])


def _same_word(a: str, b: str) -> bool:
    """One word, or one stem: "dams" and "dam", "ceasefire" and "cease-fire", "cyber" and "cybersecurity"."""
    return a.rstrip("s") == b.rstrip("s") or _same_stem(a, b)


#: how many words may stand between the words of fate and the word naming the commitment
NEAR_WORDS = 8
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _topic_near(commitment: Commitment, text: str, m: re.Match, leave_out: frozenset[str]) -> str | None:
    """The commitment's word that the sentence uses nearest to the match, if near enough."""
    ours = topic_words(commitment, leave_out)
    words = list(_WORD.finditer(text))
    first = next((i for i, w in enumerate(words) if w.end() > m.start()), len(words))
    last = next((i for i in range(len(words) - 1, -1, -1) if words[i].start() < m.end()), first)
    best = None
    for i, w in enumerate(words):
        word = w.group(0).lower()
        if m.start() <= w.start() < m.end():
            continue  # the rule's own words
        gap = first - i - 1 if i < first else i - last - 1
        own = next((o for o in ours if _same_stem(word, o)), None)
        if own is not None and gap <= NEAR_WORDS and (best is None or gap < best[0]):
            best = (gap, own)
    return best[1] if best else None


def _qualified(rule: Rule, m: re.Match, text: str, topic: str) -> Rating | None:
    """The rule's rating, read with the words around the match (see `rate`)."""
    before = text[:m.start()]
    clause = re.split(r"[;:,]\s", before)[-1]
    if HYPOTHETICAL_BEFORE.search(clause):
        return None
    success = rule.status in (KEPT, IN_THE_WORKS) and rule.name not in ("refrain-stopped",)
    if success and FUTURE_BEFORE.search(before):
        return None
    negated = NEGATED_BEFORE.search(before)
    if negated and rule.name == "own-verb-done" and rule.status == BROKEN:
        return None  # "did not hold exercises": a promise to refrain, not (yet) broken, is no news
    if success and negated:
        status = STALLED if NOT_YET.search(before) else BROKEN
        meaning = "it has not been carried out yet" if status == STALLED else "it was not carried out"
        return Rating(status, "not-yet" if status == STALLED else "negated-success",
                      text[negated.start():m.end()], topic, meaning)
    if rule.status == KEPT and rule.name != "refrain-stopped" and (partial := PARTIAL.search(text)):
        return Rating(IN_THE_WORKS, "partial-progress", f"{partial.group(0)} ... {m.group(0)}", topic,
                      "part of it was done, the rest is still to come")
    return Rating(rule.status, rule.name, m.group(0), topic, rule.meaning)


def suggest_status(commitment: Commitment, later_sentence_text: str) -> tuple[str, str] | None:
    """A status and its rationale from a later sentence about the commitment (see `rate`)."""
    found = rate(commitment, later_sentence_text)
    return (found.status, found.rationale) if found else None


# ---- status changes from later evidence: what `summitry link` appends --------------------------
#
# For each current commitment, the sentences of articles published after its own that name one
# of its actors and share a word with it are rated with `rate`, oldest publication first. A
# rating becomes a status change when it changes the status. The rules that keep the history
# honest (see `changes_from_later_evidence`):
# - a person's rating stands: when the last change was not made by the linker, nothing is added;
# - evidence already on record for the commitment (the same source, or the same words) is not
#   added again, so a second run adds nothing;
# - evidence published before the evidence of the last change is not added: the history stays in
#   the order the evidence was published, and an old article read late cannot undo a newer one;
# - progress words ("began", "launched") never follow an outcome on record (kept, broken,
#   compromise): they say less than what is already known.

LINKER = "summitry link"


def linker_name(rules_version: str) -> str:
    """The author of the changes the linker makes: "summitry link (rules rules-0.2.0)"."""
    return f"{LINKER} (rules {rules_version})"


def made_by_linker(by: str) -> bool:
    return by == LINKER or by.startswith(LINKER + " (")


_CITATION = re.compile(r"^(?P<article>\S+):(?P<start>\d+)-(?P<end>\d+)$")


def cite(article_id: str, start: int, end: int) -> str:
    """Where evidence is: "ARTICLE_ID:START-END" (character offsets in the article's text)."""
    return f"{article_id}:{start}-{end}"


def parse_citation(source: str | None) -> tuple[str, int, int] | None:
    m = _CITATION.match(source or "")
    return (m["article"], int(m["start"]), int(m["end"])) if m else None


@dataclass(frozen=True)
class LaterArticle:
    id: str
    published: date
    text: str


@dataclass(frozen=True)
class Evidence:
    """A sentence of a stored article, with where it is."""
    article_id: str
    published: date
    start: int
    end: int
    text: str
    # the sentence itself names one of the commitment's actors (False: only the sentence
    # before it does, "... Venn and Rell met in May. The ceasefire has collapsed.")
    actor_named: bool = True

    @property
    def source(self) -> str:
        return cite(self.article_id, self.start, self.end)

    @property
    def order(self) -> tuple[date, str, int]:
        """Publication order (then article id and position, so that the order is total)."""
        return self.published, self.article_id, self.start


@dataclass(frozen=True)
class Tracked:
    """A stored commitment as the linker sees it: the commitment, when its article was
    published, and its status history so far."""
    id: str
    commitment: Commitment
    published: date | None
    history: CommitmentHistory = CommitmentHistory()


# a sentence ends at . ! ? (with closing quotes) before a capital, or at a line break
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Col|Lt|St|Jr|Sr|No|vs)|\b[A-Z])\.$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, without surrounding white space; a plain punctuation cut
    that does not end a sentence after "Mr." or an initial."""
    spans, begin = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.group(0) != "\n" and _ABBREVIATION.search(text, max(0, m.start() - 5), m.start() + 1):
            continue
        spans.append((begin, m.end()))
        begin = m.end()
    spans.append((begin, len(text)))
    trimmed = []
    for start, end in spans:
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        start, end = start + lead, start + len(chunk.rstrip())
        if end > start:
            trimmed.append((start, end))
    return trimmed


def actor_forms(actor: str) -> tuple[str, ...]:
    """The words that name an actor in an article: the name and its aliases, a person's surname
    ("Venn" for "Arla Venn"; the actor registry's surname for a known person, "Kim" for "Kim
    Jong Un"), a country's other names and capital ("U.S.", "Washington")."""
    from ..actors import Registry

    registry = Registry.load()
    person = registry.person(actor)
    country = registry.country(actor)
    if person is not None and person.name == actor:
        found = [actor, *person.aliases, person.surname]
    elif country is not None and country.name == actor:
        found = [actor, *country.aliases, *country.capitals]
    else:
        words = actor.split()
        surname = words[-1] if len(words) > 1 and words[-1][:1].isupper() else None
        found = [actor, surname or actor]
    # two-letter forms ("US") stand for other words too often ("us")
    return tuple(f for f in dict.fromkeys(found) if len(f) >= 3)


def _stem_keys(text: str) -> set[str]:
    """Keys under which two words that `about_same_thing` would match always meet: they share
    their first five letters."""
    return {w.replace("-", "")[:5] for w in content_words(text) if len(w.replace("-", "")) >= 5}


def changes_from_later_evidence(tracked: Tracked, evidence: Iterable[Evidence], published_of: dict[str, date],
                                by: str, at: datetime) -> list[StatusChange]:
    """The status changes to append to one commitment's history from later evidence (sentences
    already matched to its actors; `published_of` gives the publication date of any stored
    article, to place the evidence of past changes in time). Pure; the rules are above."""
    history = tracked.history
    if tracked.published is None:
        return []  # without a date there is no "later"
    if history.current is not None and not made_by_linker(history.current.by):
        return []  # a person's rating stands: the linker never overrides it
    recorded = {c.source for c in history if c.source} | {_normal(c.evidence) for c in history}
    placed = [(published_of[p[0]], p[0], p[1]) for c in history
              if (p := parse_citation(c.source)) is not None and p[0] in published_of]
    floor = max(placed, default=None)
    status = history.status
    moment = max(at, history.current.at) if history.current is not None else at
    changes = []
    for ev in sorted(evidence, key=lambda e: e.order):
        if ev.published <= tracked.published or (floor is not None and ev.order <= floor):
            continue
        if ev.source in recorded or _normal(ev.text) in recorded:
            continue
        if len(ev.text.split()) > LONGEST_SENTENCE:
            continue  # run-on text (link lists, captions glued together): no sentence to read
        if about_the_past(ev.text, tracked.published):
            continue  # a later article's look back ("in 2014 the talks collapsed") is no news of it
        rating = rate(tracked.commitment, ev.text)
        if rating is None or rating.status == status:
            continue
        if len(rating.shared) < min(2, len(topic_words(tracked.commitment))):
            continue  # one word in common ("tariffs", "the program") is no sign of the same commitment
        if rating.status == IN_THE_WORKS and status in (KEPT, BROKEN, COMPROMISE):
            continue
        changes.append(StatusChange(rating.status, ev.text, rating.rationale, ev.source, moment, by,
                                    confidence=evidence_confidence(rating, ev, tracked.published)))
        status = rating.status
    return changes


LONGEST_SENTENCE = 80  # words

_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def about_the_past(sentence: str, made: date) -> bool:
    """The sentence dates what it tells before the commitment was made: it names a year, and
    every year it names is earlier than the commitment's."""
    years = [int(y) for y in _YEAR.findall(sentence)]
    return bool(years) and max(years) < made.year


#: evidence published this many days after the commitment or more is less surely about it:
#: a year on, "the talks collapsed" is as likely another round of them
STALE_DAYS = 366


def evidence_confidence(rating: Rating, ev: Evidence, made: date) -> float:
    """How sure a rating from one later sentence is, in [0, 1] (shown from
    `records.FINDING_THRESHOLD`, 0.7; below it a person decides):
    0.85 when the sentence names an actor and shares two topic words with the action (three
    or more: 0.9); one shared word (for an action with one topic word: "a truce") 0.5; the actor
    named only in the sentence before -0.2 (it may be about someone else); the commitment's own verb as the rule (the vaguest
    reading) -0.05; evidence a year or more later -0.1, two years or more -0.2."""
    score = 0.85 if len(rating.shared) >= 2 else 0.5  # one: the action has no other topic word ("a truce")
    if len(rating.shared) >= 3:
        score += 0.05
    if not ev.actor_named:
        score -= 0.2
    if rating.rule == "own-verb-done":
        score -= 0.05
    if (ev.published - made).days >= 2 * STALE_DAYS:
        score -= 0.2  # two years on: more likely another round of it than news of this one
    elif (ev.published - made).days >= STALE_DAYS:
        score -= 0.1
    return round(max(0.0, min(1.0, score)), 2)


def plan_status_changes(tracked: Iterable[Tracked], articles: Iterable[LaterArticle], by: str,
                        at: datetime) -> list[tuple[str, StatusChange]]:
    """(commitment id, change) for every change the linker appends, commitment by commitment
    and, for each, in the order of the evidence's publication.

    The evidence for a commitment: the sentences of articles published after its own article
    that share a word with its action, where the sentence or the one before it names one of
    its actors (full name, alias or surname; a country by its names or capital), and the
    article names every one of them (a joint commitment is followed up by an article about
    both parties). Sentences are indexed by the first letters of their words, so each
    commitment reads only the few sentences that can be about it."""
    tracked = [t for t in tracked if t.published is not None]
    if not tracked:
        return []
    earliest = min(t.published for t in tracked)
    forms = {actor: actor_forms(actor) for t in tracked for actor in t.commitment.actors}
    all_forms = sorted({f for fs in forms.values() for f in fs}, key=len, reverse=True)
    if not all_forms:
        return []
    naming = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in all_forms) + r")(?![\w-])")
    published_of: dict[str, date] = {}
    named_in: dict[str, set[str]] = {}  # article id -> the name forms it uses
    near: dict[tuple[str, int], tuple[set[str], set[str]]] = {}  # sentence -> forms in it, in the one before
    index: dict[str, list[Evidence]] = {}
    for article in articles:
        published_of[article.id] = article.published
        if article.published <= earliest:
            continue
        names = set(naming.findall(article.text))
        if not names:
            continue
        named_in[article.id] = names
        before: set[str] = set()
        for start, end in sentence_spans(article.text):
            ev = Evidence(article.id, article.published, start, end, " ".join(article.text[start:end].split()))
            here = set(naming.findall(ev.text))
            near[(article.id, start)] = (here, before)
            before = here
            for key in _stem_keys(ev.text):
                index.setdefault(key, []).append(ev)
    planned = []
    for t in tracked:
        actor_sets = [set(forms[actor]) for actor in t.commitment.actors]
        own_forms = set().union(*actor_sets) if actor_sets else set()
        candidates = set()
        for key in _stem_keys(t.commitment.action):
            for ev in index.get(key, ()):
                if ev.published <= t.published or not all(named_in[ev.article_id] & s for s in actor_sets):
                    continue
                here, before = near[(ev.article_id, ev.start)]
                if here & own_forms:
                    candidates.add(ev)
                elif before & own_forms:
                    candidates.add(replace(ev, actor_named=False))
        for change in changes_from_later_evidence(t, candidates, published_of, by, at):
            planned.append((t.id, change))
    return planned


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()
