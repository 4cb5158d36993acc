"""Contradictions between accounts of the same meeting: pure functions over records.

A contradiction is two accounts of the same canonical meeting, held by different people or
outlets, about the same proposition, that cannot both be true. Each one carries a
`confidence` in [0, 1] (how clearly the rule fired, times how sure the records it rests on
are; at `SHOWN_CONFIDENCE` or above it is shown, below it is a candidate for a person) and a
`reason`: one plain sentence naming who says what ("Sergei Lavrov says Trump accepted Putin's
assurances ...; Rex Tillerson says Trump did not actually accept Putin's personal assurance
..."; "Reuters gives the length of the meeting as 2 hours; Politico gives 30 minutes."). The
sides keep article, speaker or report, text and offsets, for the two sentences side by side.

**Statements.** Each statement is read into *claims*: a predicate (a verb; the adjective or
noun of "was productive" / "was a success"; a light verb with its noun, "had no contacts",
"played a role", "held office") with its subject and object, and its polarity ("not",
"never", "no agreement was reached", "refused to accept", "denied that ...", an indirect
statement whose cue is "denied"). Only what the statement asserts is a claim: not a clause
under a modal ("would accept") or a condition ("if"), a wish, plan or request ("wants to
meet", "urged"), a question, a clause describing a noun ("assurances that Russia did not
..."), an infinitive or a fragment without a tense ("to produce her emails", "Trump losing
next year"), nor a frame around another clause ("denied that X": X is the claim).
Two claims are one proposition when they have the same predicate (or antonyms: accept /
reject, admit / deny, support / oppose ...) and the same arguments: where both sides give a
subject, their heads share a name or noun ("Trump" ~ "Donald Trump"; "the president" and
"others" differ; "I" is the speaker, so two speakers' "I" differ); where both give an
object, likewise ("Putin's assurances" ~ "Putin's personal assurance"; a general head such as
"the issue of" compares what follows it); the same preposition must not name different
things ("agreed on Syria" / "on Ukraine"); and at least one argument is matched by words,
not only by pronouns. They contradict with opposite polarity (or antonyms with the same
one). Sharing words is not enough: "we will see" and "I did not see the report" share no
proposition. Strength: 1.0 both arguments matched; 0.85 the object matched against a
passive ("Syria was not discussed"); 0.6 one argument unsaid or a pronoun; 0.5 pronouns or
general words on both sides. An evaluation ("the talks were productive" / "were not") is a
difference of opinion: rule `opinion`, below the shown threshold.
Who may contradict whom: two named speakers who are different people, in one article or two
(Lavrov and Tillerson are reported in one article); an unnamed source against anyone in
another article. Not: a speaker against himself (in one article one account; across articles
a change of position or two reports of one statement), nor an unnamed source against anyone
of its own article (the article's voice, or a source it cannot tell apart).

**Facts.** Reports linked to one canonical meeting, from different articles, whose values of
a field cannot both be true (`Store.canonical_meeting(id)["disagreements"]`), each pair
judged on its own. Not contradictions: format labels (summit, bilateral, sideline, informal,
multilateral: one encounter seen from different sides; phone and video are both remote);
attendee lists (an article names whom it names); a planned or proposed status next to an
outcome, or a cancellation or denial published before the meeting's date next to its holding
(changes over time); dates one inside the other; lengths within a quarter or 20 minutes
(`LENGTH_MARGIN`: "two hours" / "more than two hours"); places or occasions one of which
names the other ("Helsinki" / "the Presidential Palace in Helsinki"). Candidates at most,
because extraction and linking errors explain them far more often than two outlets that
disagree: dates a day apart (time zones, "yesterday"), two or three days apart (a summit of
several days), the same day of another year (a year resolved wrongly), months apart (two
encounters linked); places and occasions; planned lengths (plans change). A value the
report's evidence sentence does not show (no duration in it, no word of the place, no
cancellation word for "cancelled") lowers the confidence: it was read from elsewhere or
misread.

Statements are parsed with the project's spaCy model (tagger, parser, lemmatizer; only the
statements of meetings with two account holders, each text once, in one batch); `parse` can
be given to use another parser. Everything else is plain rules over records, deterministic.

A meeting's contradictions depend only on its own reports and on the statements of the
articles that report it, so they can be computed for some meetings with the same result as
for the whole store: `summitry.pipeline.contradictions` gathers each meeting's accounts from
the store and recomputes only the meetings a link run changed.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from itertools import combinations
from typing import Any

from ..records import FINDING_THRESHOLD
from .linking import contains

RULES_VERSION = "contradictions-2"
SHOWN_CONFIDENCE = FINDING_THRESHOLD  # findings at or above are shown by default; below, candidates for review

# --- words ----------------------------------------------------------------------------

# Verbs that say nothing checkable by themselves (speech, thought, light verbs).
LIGHT_PREDICATES = frozenset("""
    be do say tell ask add note think know see look let go come get mean seem believe feel guess
    hope expect want need like make take put try call keep give write tweet report claim insist
    suggest explain argue describe remark stress state speak talk continue begin start happen
    become remain appear sound understand remember
""".split())
# A predicate under one of these is negated ("refused to accept", "denied that ... interfered").
NEGATIVE_FRAMES = frozenset("refuse decline fail deny reject dismiss avoid neglect".split())
# A predicate under one of these is not asserted: a wish, a plan, a request, a promise.
NON_ASSERTIVE_FRAMES = frozenset("""
    want hope try plan expect seek intend propose ask urge need aim promise pledge vow threaten
    agree offer wish prepare like love prefer would consider demand call push press encourage
    invite suggest recommend allow let help begin start continue plan schedule set attempt
    struggle wait decide order tell warn
""".split())
# Frames through which the inner clause is still the speaker's assertion.
ASSERTIVE_FRAMES = frozenset("""
    say tell claim insist note add stress state explain report confirm acknowledge admit
    believe think know say argue write tweet show prove mean find realize understand recall
    remember reveal disclose announce indicate suggest
""".split())
FRAMES = NEGATIVE_FRAMES | NON_ASSERTIVE_FRAMES | ASSERTIVE_FRAMES
# Verbs whose object noun says what is claimed ("had no contacts", "played a role", "held
# office"): the verb and the noun together are the predicate, and who has, plays or holds it
# must then be the same on both sides.
LIGHT_VERBS = frozenset("have play hold make take give get".split())
# Statement cues that deny the reported clause, and cues whose clause is not an assertion.
DENIAL_CUES = frozenset("deny denied denies denying reject rejected rejects dismiss dismissed refute refuted".split())
NON_ASSERTIVE_CUES = frozenset("""
    ask asked asks asking urge urged urges urging pledge pledged pledges vow vowed vows promise
    promised promises threaten threatened threatens demand demanded demands propose proposed
    agree agreed hope hoped hopes want wanted wants call called calls calling invite invited
    wonder wondered question questioned
""".split())
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "until", "once"})
NEGATIVE_ARGUMENTS = frozenset({"nothing", "nobody", "none", "noone", "neither"})
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"})
# Nouns too general to make two objects the same ("the issue" ~ "the issue of sanctions"?).
GENERIC = frozenset("""
    issue thing matter question topic subject way lot part kind sort point time fact people
    something anything everything one any some this that it what which who all other
    number case area aspect side sides term terms word words moment day year
    mr mrs ms president leader leaders minister prime official officials counterpart
""".split())
# Nouns that name the encounter itself: one subject whatever the article calls it.
MEETING_WORDS = frozenset("""
    meeting meetings talk talks summit summits encounter sit-down
""".split())
# Names and adjectives of one country or side (a few, where articles alternate).
SAME_NAME = {"russian": "russia", "moscow": "russia", "kremlin": "russia", "american": "america",
             "u.s.": "america", "us": "america", "washington": "america", "united": "america",
             "states": "america", "chinese": "china", "beijing": "china", "korean": "korea",
             "pyongyang": "korea", "ukrainian": "ukraine", "kiev": "ukraine", "kyiv": "ukraine",
             "syrian": "syria", "iranian": "iran", "tehran": "iran", "british": "britain",
             "uk": "britain", "london": "britain", "german": "germany", "berlin": "germany",
             "french": "france", "paris": "france", "nato": "nato", "european": "europe", "eu": "europe",
             "election": "election", "elections": "election"}
# Antonymous predicates (lemmas): asserting both is a contradiction.
ANTONYMS: tuple[tuple[str, str], ...] = (
    ("admit", "deny"), ("confirm", "deny"), ("acknowledge", "deny"), ("accept", "reject"),
    ("accept", "refuse"), ("agree", "disagree"), ("approve", "reject"), ("support", "oppose"),
    ("include", "exclude"), ("succeed", "fail"), ("lift", "impose"), ("increase", "decrease"),
    ("increase", "reduce"), ("win", "lose"), ("allow", "ban"), ("allow", "forbid"),
    ("strengthen", "weaken"), ("improve", "worsen"), ("raise", "avoid"), ("hold", "cancel"),
    ("productive", "unproductive"), ("productive", "fruitless"), ("success", "failure"),
    ("positive", "negative"), ("friendly", "hostile"), ("constructive", "unconstructive"),
    ("successful", "unsuccessful"), ("warm", "cold"), ("welcome", "reject"), ("agree", "refuse"),
)
_ANTONYM_OF: dict[str, set[str]] = {}
for _a, _b in ANTONYMS:
    _ANTONYM_OF.setdefault(_a, set()).add(_b)
    _ANTONYM_OF.setdefault(_b, set()).add(_a)
# Evaluations: two accounts that disagree on these differ in opinion, not in fact.
EVALUATIVE = frozenset("""
    productive unproductive fruitless success failure disaster positive negative friendly hostile
    constructive unconstructive successful unsuccessful warm cold good bad great excellent
    terrible useful useless frank candid cordial tense substantive substantial historic
    important significant fine wonderful beautiful strong weak tough fair unfair right wrong
    helpful honest open serious surprising disappointing encouraging interesting clear
""".split())
# Adjectives that state a fact rather than an opinion ("was not aware", "was present").
FACTUAL = frozenset("""
    aware present absent true false ready willing able unable responsible involved alone
    real possible impossible unaware informed prepared finished complete over
""".split())


# --- reading statements into claims ------------------------------------------------------

@dataclass(frozen=True)
class Arg:
    """A subject or an object as the rules compare it."""

    head: frozenset[str] = frozenset()  # the head noun or name with its compounds ("donald", "trump")
    rest: frozenset[str] = frozenset()  # possessors, "of" phrases, names in modifiers ("putin")
    open: bool = False  # a pronoun or general words only: it could be anyone or anything
    generic: frozenset[str] = frozenset()  # the general words of an open argument ("presidents")
    person: str = ""  # the speaker, when the argument is "I" (or "we") in their own words

    @property
    def given(self) -> bool:
        return bool(self.head or self.rest)

    @property
    def present(self) -> bool:
        return self.given or self.open

    @property
    def words(self) -> frozenset[str]:
        return self.head | self.rest


NO_ARG = Arg()


@dataclass(frozen=True)
class Claim:
    """One predicate of a statement with its arguments, as the statement asserts or denies it."""

    predicate: str  # lemma: "accept", "productive"
    negated: bool
    subject: Arg
    object: Arg  # the direct object, or the subject of a passive
    obliques: tuple[tuple[str, frozenset[str]], ...]  # (preposition, content words)
    text: str  # the clause, as written (for the reason)
    evaluative: bool = False
    passive: bool = False


def normalise(text: str) -> str:
    """Quotation marks out, straight apostrophes (the model tokenises "didn’t" badly)."""
    text = (text or "").replace("’", "'").replace("‘", "'")
    text = re.sub(r"[“”\"]", "", text)
    return re.sub(r"\s+", " ", text).strip()


Parse = Callable[[list[str]], list[Any]]  # texts -> spaCy Docs (tagged, parsed, lemmatised)


@lru_cache(maxsize=1)
def _model():
    import spacy

    from ..nlp import MODEL

    return spacy.load(MODEL, exclude=["senter", "ner"])


def default_parse(texts: list[str]) -> list[Any]:
    """The project's model, without its entity recogniser: a few milliseconds a statement."""
    return list(_model().pipe(texts, batch_size=64))


def _word(token) -> str:
    w = token.text.lower() if token.pos_ == "PROPN" else token.lemma_.lower()
    w = re.sub(r"'s?$", "", w)
    if w in MEETING_WORDS:
        return "<meeting>"
    return SAME_NAME.get(w, w)


def _content(token) -> str:
    """A token's word if it can identify an argument, else ""."""
    if token.pos_ not in ("NOUN", "PROPN", "NUM") and not (token.pos_ == "ADJ" and _word(token) in NAMES):
        return ""
    w = _word(token)
    return "" if w in GENERIC or len(w) < 2 else w


NAMES = frozenset(SAME_NAME.values())
RELATIVE = frozenset({"who", "which", "that", "whom"})


def speaker_words(speaker: str) -> frozenset[str]:
    """What "I" stands for: a named speaker's last name (as the others name them: "Lavrov"),
    or an unnamed source's own key."""
    if not speaker or speaker.startswith("article:"):
        return frozenset({"@" + (speaker or "speaker")})
    return frozenset({SAME_NAME.get(speaker.split()[-1].lower(), speaker.split()[-1].lower())})


def _arg(head, speaker: str) -> Arg:
    low = head.lower_
    if low in RELATIVE and head.head.dep_ == "relcl":
        head = head.head.head  # "others who attended": the others
        low = head.lower_
    if head.pos_ == "PRON" or low in ("this", "that", "these", "those"):
        if low in FIRST_PERSON:
            return Arg(speaker_words(speaker), person=speaker)
        return Arg(open=True)
    heads, rest, generic = set(), set(), set()
    for t in [head, *(c for c in head.children if c.dep_ == "conj")]:
        w = _content(t)
        if w:
            heads.add(w)
        elif t.pos_ in ("NOUN", "PROPN"):
            generic.add(_word(t))
        for c in t.children:
            if c.dep_ in ("compound", "flat") and _content(c):
                # a name's parts are its head ("Donald Trump"); a noun's are modifiers ("tax rate")
                (heads if c.pos_ == "PROPN" and t.pos_ == "PROPN" else rest).add(_content(c))
            elif c.dep_ in ("poss", "nmod", "amod", "appos"):
                for g in c.subtree:
                    if g.lower_ in FIRST_PERSON:
                        rest |= speaker_words(speaker)
                    elif _content(g):
                        rest.add(_content(g))
            elif c.dep_ == "prep" and c.lower_ == "of":
                for g in c.subtree:
                    if _content(g):
                        rest.add(_content(g))
    return Arg(frozenset(heads), frozenset(rest - heads), open=not heads and not rest,
               generic=frozenset(generic))


def _merge(args: list[Arg]) -> Arg:
    if not args:
        return NO_ARG
    heads = frozenset().union(*(a.head for a in args))
    rest = frozenset().union(*(a.rest for a in args))
    generic = frozenset().union(*(a.generic for a in args))
    person = args[0].person if len(args) == 1 else ""
    return Arg(heads, rest - heads, open=not heads and not rest, generic=generic, person=person)


def _negative_argument(token) -> bool:
    return token.lower_ in NEGATIVE_ARGUMENTS or any(
        c.dep_ == "det" and c.lower_ in ("no", "neither") for c in token.children)


def _has_neg(token) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never") for c in token.children)


def _is_modal(token) -> bool:
    return any(c.dep_ in ("aux", "auxpass") and (c.tag_ == "MD" or c.lower_ in ("'ll", "wo", "ca"))
               for c in token.children)


def _finite(clause) -> bool:
    """Whether a clause has a tense of its own or shares one ("had raised ..., but accepted"),
    or is the infinitive under a frame ("refused to accept")."""
    for _ in range(6):
        if clause.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
                c.dep_ in ("aux", "auxpass") and c.lower_ != "to" for c in clause.children):
            return True
        if clause.dep_ in ("conj", "xcomp") and clause.head.i != clause.i:
            clause = clause.head
            continue
        return False
    return False


def _conditional(token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in token.children)


def _span_text(tokens: Iterable) -> str:
    tokens = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc[tokens[0].i: tokens[-1].i + 1].text.strip(" ,;:-")


_CUT = frozenset({"conj", "cc", "advcl", "parataxis", "punct", "mark", "relcl", "dep", "npadvmod",
                  "intj", "discourse", "vocative", "appos", "preconj"})
MAX_CLAUSE_WORDS = 30


def _clause_text(pred, inherited_subject: list) -> str:
    """The words of a clause without its coordinated or subordinate clauses; a subject it
    shares with the clause it is coordinated with is put in front ("Trump ... but accepted
    X" -> "Trump accepted X")."""
    out = [pred]
    for child in pred.children:
        if child.dep_ not in _CUT:
            out.extend(child.subtree)
    text = _span_text(out)
    if inherited_subject:
        subject = " ".join(_span_text(t.subtree) for t in inherited_subject)
        text = f"{subject} {text}"
    words = text.split()
    if len(words) > MAX_CLAUSE_WORDS:
        text = " ".join(words[:MAX_CLAUSE_WORDS]) + " ..."
    return text


def claims(doc, speaker: str = "", cue: str | None = None, kind: str | None = None,
           span: tuple[int, int] | None = None) -> list[Claim]:
    """The claims of one parsed statement (see the module's docstring); with `span`, those
    whose predicate is inside these character offsets of the text."""
    if cue and cue.lower() in NON_ASSERTIVE_CUES:
        return []
    denied = bool(cue) and cue.lower() in DENIAL_CUES and kind != "direct"
    found: list[Claim] = []
    for sent in doc.sents:
        if "?" in sent.text:
            continue
        for token in sent:
            if span is not None and not span[0] <= token.idx < span[1]:
                continue
            claim = _claim(token, speaker, denied)
            if claim is not None:
                found.append(claim)
    return found


def _predicate_of(token):
    """(predicate token, the copula it hangs on or None) if `token` heads a clause."""
    if token.pos_ == "VERB" and token.dep_ not in ("amod", "compound", "aux", "auxpass", "nmod"):
        if token.lemma_.lower() == "be":
            return None
        return token, None
    if token.pos_ in ("ADJ", "NOUN") and token.dep_ in ("acomp", "attr") and token.head.lemma_.lower() == "be":
        return token, token.head
    return None


def _claim(token, speaker: str, denied: bool) -> Claim | None:
    found = _predicate_of(token)
    if found is None:
        return None
    pred, copula = found
    clause = copula or pred  # the token that carries the clause's aux, neg, subject, dep
    lemma = pred.lemma_.lower()
    if lemma in LIGHT_PREDICATES and copula is None and not (
            lemma in LIGHT_VERBS and any(c.dep_ == "dobj" and c.pos_ == "NOUN" for c in pred.children)):
        return None
    if copula is None and any(c.dep_ in ("ccomp", "xcomp") for c in pred.children) and lemma in FRAMES:
        return None  # "denied that ...", "refused to ...": the clause inside is the claim
    negated = _has_neg(pred) or (copula is not None and _has_neg(copula))
    if _is_modal(clause) or _conditional(clause):
        return None
    if clause.dep_ in ("acl", "pcomp", "pobj", "csubj", "advcl", "amod"):
        return None  # describes a noun or sets a circumstance: not asserted as such
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children) and not (
            clause.dep_ == "xcomp" and clause.head.lemma_.lower() in NEGATIVE_FRAMES):
        return None  # "to produce her emails", "right to cancel": an aim or a judgement, not a fact
    if not _finite(clause):
        return None  # "Trump losing to Democrats", "often paying": a fragment, not a statement of fact
    # walk up the clause chain: frames, modals and conditions above it
    top = clause
    subject_from = clause
    for _ in range(6):
        dep, head = top.dep_, top.head
        if head.i == top.i or dep not in ("conj", "xcomp", "ccomp"):
            break
        if _is_modal(head) or _conditional(head):
            return None
        if head.dep_ in ("acl", "pcomp", "pobj", "csubj", "advcl", "amod"):
            return None
        if dep == "conj":
            top = head
            continue
        frame = head.lemma_.lower()
        if frame in NEGATIVE_FRAMES:
            if _has_neg(head):
                return None  # "did not deny that ...": neither asserted nor denied
            negated = not negated
        elif frame in ASSERTIVE_FRAMES or frame == "be":
            if _has_neg(head):
                return None  # "did not say that ...": not the statement's claim
        elif frame in NON_ASSERTIVE_FRAMES or dep == "ccomp":
            return None  # a wish, a plan, a request; or an unknown frame: do not guess
        if dep == "xcomp" and subject_from.i == clause.i:
            subject_from = head  # "Putin refused to accept": Putin accepts or not
        top = head
    if denied and top.dep_ == "ROOT":
        negated = not negated
    # arguments
    subj_tokens = [c for c in clause.children if c.dep_ in ("nsubj", "expl", "csubj")]
    passive = any(c.dep_ == "nsubjpass" for c in clause.children)
    obj_tokens = [c for c in pred.children if c.dep_ in ("dobj", "dative", "oprd")]
    if copula is None:
        obj_tokens += [c for c in clause.children if c.dep_ in ("nsubjpass", "attr")]
        subj_tokens += [g for c in clause.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if not subj_tokens and not passive:
        walk = clause
        for _ in range(4):  # conj and xcomp share the subject of their head
            if walk.dep_ not in ("conj", "xcomp") or walk.head.i == walk.i:
                break
            walk = walk.head
            subj_tokens = [c for c in walk.children if c.dep_ == "nsubj"]
            if subj_tokens:
                break
        if not subj_tokens and clause.dep_ == "relcl":
            subj_tokens = [clause.head]
    if any(t.dep_ in ("expl", "csubj") for t in subj_tokens):
        return None  # "there was no agenda", "what he said was true": not about someone
    for t in subj_tokens + obj_tokens:
        if _negative_argument(t):
            negated = not negated
    subject = _merge([_arg(t, speaker) for t in subj_tokens])
    obj_tokens = [t for t in obj_tokens if t.pos_ not in ("VERB", "AUX")]
    obliques = []
    prep_heads = [pred]
    if copula is None and lemma in LIGHT_VERBS and len(obj_tokens) == 1 and obj_tokens[0].pos_ == "NOUN" \
            and obj_tokens[0].dep_ == "dobj":
        # "had no contacts with", "played a role in", "held office": the noun is the predicate
        noun = obj_tokens[0]
        lemma = f"{lemma} {_word(noun)}"
        rest = _arg(noun, speaker).rest
        obj = Arg(rest=rest) if rest else NO_ARG
        prep_heads.append(noun)
    else:
        obj = _merge([_arg(t, speaker) for t in obj_tokens])
    for c in (c for head in prep_heads for c in head.children):
        if c.dep_ == "prep":
            for g in c.children:
                if g.dep_ == "pobj":
                    if _negative_argument(g):
                        negated = not negated
                    words = _arg(g, speaker).words
                    if words:
                        obliques.append((c.lower_, frozenset(words)))
    inherited = [t for t in subj_tokens if t.head.i != clause.i]
    text = _clause_text(clause, inherited)
    if top.i != clause.i and top.lemma_.lower() in NEGATIVE_FRAMES and subject_from.i != clause.i:
        text = _clause_text(top, [])  # "Putin refused to accept the proposal"
    evaluative = lemma in EVALUATIVE or (copula is not None and pred.pos_ == "ADJ" and lemma not in FACTUAL)
    return Claim(lemma, negated, subject, obj, tuple(sorted(obliques)), text, evaluative, passive)


# --- comparing claims ---------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    rule: str  # negation | antonym | opinion
    strength: float  # how clearly: 1.0 both arguments matched by words
    a: Claim
    b: Claim


def same_argument(a: Arg, b: Arg) -> str:
    """"same" (the heads share a word; or, where a head is general, the words do), "clash"
    (both given, nothing shared), "open" (one is a pronoun, general, or missing)."""
    if a.person and b.person and a.person.lower() != b.person.lower():
        return "clash"  # two speakers each saying "I" (Bill and Hillary Clinton are two people)
    if a.head and b.head:
        return "same" if a.head & b.head else "clash"
    if a.given and b.given:
        return "same" if a.words & b.words else "clash"
    if a.generic & b.generic:
        return "alike"  # the same general word: "the presidents" / "the two presidents"
    if a.generic and b.generic:
        return "clash"  # "the president" / "others"
    return "open"


def compare(a: Claim, b: Claim) -> Match | None:
    """How two claims contradict each other, if they do."""
    if a.predicate == b.predicate:
        if a.negated == b.negated:
            return None
        rule = "negation"
    elif b.predicate in _ANTONYM_OF.get(a.predicate, ()):
        if a.negated != b.negated:
            return None
        rule = "antonym"
    else:
        return None
    subject = same_argument(a.subject, b.subject)
    obj = same_argument(a.object, b.object)
    if not a.object.present and not b.object.present and a.obliques and b.obliques:
        # no object on either side: what the prepositions name stands in ("agreed on a
        # joint patrol" / "did not agree to a joint patrol")
        obj = same_argument(Arg(rest=frozenset().union(*(w for _, w in a.obliques))),
                            Arg(rest=frozenset().union(*(w for _, w in b.obliques))))
        if obj == "clash":
            return None
        if obj == "same":
            a_obl = b_obl = {}
    if "clash" in (subject, obj):
        return None
    # the same preposition with different words: "agreed on Syria" / "did not agree on Ukraine"
    a_obl, b_obl = dict(a.obliques), dict(b.obliques)
    for prep in set(a_obl) & set(b_obl):
        if not a_obl[prep] & b_obl[prep]:
            return None
    if subject != "same" and obj != "same":
        if "alike" in (subject, obj):  # general words only ("the leaders"): a candidate at most
            return Match(("opinion" if a.evaluative or b.evaluative else rule), 0.5, a, b)
        return None  # a shared predicate, pronouns and general words only: not one proposition
    if a.object.present or b.object.present or obj == "same":  # about something
        if obj == "same" and subject == "same":
            strength = 1.0
        elif obj == "same" and (a.passive or b.passive) and not (a.subject.given and b.subject.given):
            strength = 0.85  # "Syria was not discussed" / "they discussed Syria": the object carries it
        elif a.subject.given or b.subject.given:
            strength = 0.6  # who or what is not said on one side ("he", "did not accept it")
        else:
            strength = 0.5  # what only: who is a pronoun or unsaid on both sides
    else:
        if subject != "same":
            return None
        strength = 1.0
    if a.evaluative or b.evaluative:
        rule = "opinion"
    return Match(rule, strength, a, b)


# --- the record -----------------------------------------------------------------------

@dataclass
class Contradiction:
    kind: str  # statements | facts
    meeting_id: str
    field_or_topic: str  # statements: the proposition in words; facts: the field
    sides: list[dict[str, Any]] = field(default_factory=list)
    rule: str = ""
    explanation: str = ""  # the same sentence as `reason` (the name stored and shown today)
    confidence: float = 0.0
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def shown(self) -> bool:
        return self.confidence >= SHOWN_CONFIDENCE


def _surnames(participants: Iterable[str]) -> set[str]:
    return {n.split()[-1].lower() for n in participants if n and n.split()}


def _statement_side(article: dict, s: dict) -> dict[str, Any]:
    return {"article_id": article["id"], "article_title": article.get("title"),
            "source": article.get("source"), "statement_id": s["id"], "speaker": s.get("speaker"),
            "speaker_mention": s.get("speaker_mention"), "text": s.get("quote"),
            "start": s.get("start"), "end": s.get("end")}


def holder(article: dict, s: dict) -> tuple[str, bool]:
    """Whose account a statement is: (key, named). A named speaker is the same person in any
    article; an unnamed source is its article's."""
    if s.get("speaker"):
        return "person:" + s["speaker"].lower(), True
    return "article:" + article["id"], False


def may_contradict(art_a: dict, a: dict, art_b: dict, b: dict) -> bool:
    """Whether two statements are accounts of different holders (see the module docstring)."""
    key_a, named_a = holder(art_a, a)
    key_b, named_b = holder(art_b, b)
    if key_a == key_b:
        return False
    if art_a["id"] == art_b["id"] and not (named_a and named_b):
        return False
    return True


def statement_confidence(s: dict) -> float:
    """A statement's own confidence: the extractor's when the record has one; else from its
    evidence (a named speaker and a whole clause are surer than an unnamed source or a
    fragment)."""
    if isinstance(s.get("confidence"), (int, float)):
        return float(s["confidence"])
    value = 0.9 if s.get("speaker") else 0.75
    if len((s.get("quote") or "").split()) < 5:
        value -= 0.1
    return value


def speaker_name(article: dict, s: dict) -> str:
    if s.get("speaker"):
        return s["speaker"]
    mention = (s.get("speaker_mention") or "").strip()
    outlet = article.get("source") or "an article"
    if mention and mention.lower() not in ("he", "she", "they", "it"):
        return f"{mention[0].upper()}{mention[1:]} ({outlet})"
    return f"An unnamed source ({outlet})"


def meetings_of_statement(statement: dict, meeting_ids: list[str], meetings: dict[str, dict]) -> list[str]:
    """The canonical meetings a statement is about, among the `meeting_ids` its article's
    reports are linked to: the one meeting when there is one, else those whose leaders its
    sentence or quote names."""
    if len(meeting_ids) == 1:
        return list(meeting_ids)
    said = f"{statement.get('sentence') or ''} {statement.get('quote') or ''}".lower()
    return [i for i in meeting_ids if i in meetings and any(re.search(rf"\b{re.escape(n)}\b", said)
                                                            for n in _surnames(meetings[i]["participants"]))]


RULE_CONFIDENCE = {"negation": 0.9, "antonym": 0.85, "opinion": 0.5}


_LOWER_FIRST = frozenset("you he she they we it this that these those the a an there his her their our its".split())


def _in_sentence(clause: str) -> str:
    """A clause put after "says": "You supported the war" -> "you supported the war"."""
    first, _, rest = clause.partition(" ")
    return (first.lower() + (" " + rest if rest else "")) if first.lower() in _LOWER_FIRST else clause


def _reason(art_a: dict, a: dict, art_b: dict, b: dict, match: Match) -> str:
    who_a, who_b = speaker_name(art_a, a), speaker_name(art_b, b)
    if who_a == who_b:
        who_a += f" in {art_a.get('source') or 'one article'}"
        who_b += f" in {art_b.get('source') or 'another'}"
    first = f"{who_a} says {_in_sentence(match.a.text)}; {who_b} says {_in_sentence(match.b.text)}"
    if match.rule == "opinion":
        return first + " (a difference of opinion)."
    return first + "."


def statement_context(s: dict) -> tuple[str, tuple[int, int]] | None:
    """A mixed statement's sentence and where its quote is in it, when the quote may be only
    the words in quotation marks ("accepted Putin's assurances"): its subject is outside."""
    quote = normalise(s.get("quote") or "")
    sentence = normalise(s.get("sentence") or "")
    if s.get("kind") == "mixed" and quote and len(sentence) > len(quote):
        at = sentence.find(quote)
        if at >= 0:
            return sentence, (at, at + len(quote))
    return None


def with_subjects(own: list[Claim], around: list[Claim]) -> list[Claim]:
    """The claims read from a quote, each without a subject given the subject the same
    predicate has when the whole sentence is read (the quote's own reading is kept otherwise:
    long sentences are parsed less reliably)."""
    out = []
    for claim in own:
        if not claim.subject.present:
            for other in around:
                if (other.predicate, other.negated, other.object) == (claim.predicate, claim.negated, claim.object) \
                        and other.subject.present:
                    claim = other
                    break
        out.append(claim)
    return out


def statement_rule(a: str, b: str, parse: Parse | None = None, *, speakers: tuple[str, str] = ("a", "b"),
                   cues: tuple[str | None, str | None] = (None, None),
                   kinds: tuple[str | None, str | None] = (None, None)) -> Match | None:
    """The strongest way two statement texts contradict each other, or None."""
    doc_a, doc_b = (parse or default_parse)([normalise(a), normalise(b)])
    return best_match(claims(doc_a, speakers[0], cues[0], kinds[0]), claims(doc_b, speakers[1], cues[1], kinds[1]))


def best_match(ca: Sequence[Claim], cb: Sequence[Claim]) -> Match | None:
    best = None
    for x in ca:
        for y in cb:
            m = compare(x, y)
            if m is not None and (best is None or (RULE_CONFIDENCE[m.rule] * m.strength
                                                   > RULE_CONFIDENCE[best.rule] * best.strength)):
                best = m
    return best


def statement_contradictions(accounts: dict[str, list[tuple[dict, dict]]],
                             parse: Parse | None = None) -> list[Contradiction]:
    """Contradicting pairs among each meeting's accounts ({meeting id: [(article, statement)]},
    in the order they were gathered), meetings by id. At most one contradiction per pair of
    statements and meeting (the strongest)."""
    parse = parse or default_parse
    # each statement read once
    keyed: dict[tuple, list[Claim]] = {}
    wanted = []
    for items in accounts.values():
        if len({holder(article, s)[0] for article, s in items}) < 2:
            continue  # one holder only: no pair to compare, nothing to read
        for article, s in items:
            key = _claims_key(article, s)
            if key not in keyed:
                keyed[key] = []
                wanted.append((key, s))
    if wanted:
        contexts = [statement_context(s) for _, s in wanted]
        docs = iter(parse([normalise(s.get("quote") or "") for _, s in wanted]
                          + [text for text, _ in filter(None, contexts)]))
        quote_docs = [next(docs) for _ in wanted]
        for (key, s), doc, context in zip(wanted, quote_docs, contexts):
            keyed[key] = claims(doc, key[1], s.get("cue"), s.get("kind"))
        for (key, s), context in zip(wanted, contexts):
            if context is not None:
                around = claims(next(docs), key[1], s.get("cue"), s.get("kind"), span=context[1])
                keyed[key] = with_subjects(keyed[key], around)
    found = []
    for meeting_id, items in sorted(accounts.items()):
        for (art_a, a), (art_b, b) in combinations(items, 2):
            if not may_contradict(art_a, a, art_b, b):
                continue
            match = best_match(keyed.get(_claims_key(art_a, a), ()), keyed.get(_claims_key(art_b, b), ()))
            if match is None:
                continue
            records = min(statement_confidence(a), statement_confidence(b))
            confidence = round(RULE_CONFIDENCE[match.rule] * match.strength * (0.6 + 0.4 * records), 2)
            reason = _reason(art_a, a, art_b, b, match)
            topic = _topic(match)
            found.append(Contradiction("statements", meeting_id, topic,
                                       [{**_statement_side(art_a, a), "claim": match.a.text},
                                        {**_statement_side(art_b, b), "claim": match.b.text}],
                                       match.rule, reason, confidence, reason))
    return found


def _claims_key(article: dict, s: dict) -> tuple:
    """What a statement's claims depend on; [1] is who "I" is."""
    who = s.get("speaker") or holder(article, s)[0]
    return (s.get("quote") or "", who, s.get("cue"), s.get("kind"))


def _topic(match: Match) -> str:
    """The proposition in words: the clause of the side that asserts it ("Trump accepted
    Putin's assurances ..."); for antonyms, the first side's."""
    if match.rule != "antonym" and match.a.negated and not match.b.negated:
        return match.b.text
    return match.a.text


# --- facts ------------------------------------------------------------------------------

FINAL_STATUSES = frozenset({"held", "cancelled", "denied"})
IGNORED_FIELDS = frozenset({"format", "others_present"})
# Two lengths are compatible when within this share of the longer one, or within 20 minutes
# ("two hours" / "more than two hours" / "2 hours 15 minutes").
LENGTH_MARGIN = 0.25
LENGTH_SLACK_MINUTES = 20
FIELD_WORDS = {"date": "date", "place": "place", "occasion": "occasion", "status": "outcome",
               "scheduled_minutes": "planned length", "actual_minutes": "length"}


def _fold(text: str | None) -> str:
    text = (text or "").lower().replace("-", "").replace(".", "")
    text = re.sub(r"\b(the|summit|meeting|in|at|of|city|capital)\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _names_other(a: str, b: str) -> bool:
    """One place or occasion names the other ("Helsinki" in "the Presidential Palace in
    Helsinki"; "G20" in "the G-20 summit")."""
    fa, fb = _fold(a), _fold(b)
    if not fa or not fb:
        return True
    return fa in fb or fb in fa or bool(set(fa.split()) & set(fb.split()))


def _names_whole(value: str, report: dict) -> bool:
    """The report's evidence sentence names every word of `value` too: the article puts the
    two values together ("the Korean Demilitarized Zone at Panmunjom"), so for it they are one
    place or occasion seen at two scales, not two accounts."""
    words = [w for w in re.findall(r"[a-z0-9]+", _fold(value)) if len(w) >= 3]
    evidence = set(re.findall(r"[a-z0-9]+", _fold(report.get("evidence"))))
    return bool(words) and all(w in evidence for w in words)


def _minutes_compatible(a: int, b: int) -> bool:
    return abs(a - b) <= max(LENGTH_SLACK_MINUTES, LENGTH_MARGIN * max(a, b))


def _days_apart(a: str, b: str) -> int | None:
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
    except (TypeError, ValueError):
        return None


def _published(r: dict) -> date | None:
    try:
        return date.fromisoformat(r.get("published") or "")
    except ValueError:
        return None


def _minutes_words(m: int) -> str:
    if m % 60 == 0:
        return f"{m // 60} hour{'s' * (m != 60)}"
    if m > 60:
        return f"{m // 60} h {m % 60} min"
    return f"{m} minutes"


def _value_words(name: str, value: Any) -> str:
    if name.endswith("_minutes") and isinstance(value, int):
        return _minutes_words(value)
    return str(value)


def _report_confidence(r: dict) -> float:
    if isinstance(r.get("confidence"), (int, float)):
        return float(r["confidence"])
    return 0.85 if r.get("evidence") else 0.7


_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_STATUS_WORDS = {
    "cancelled": r"\b(cancel|call(ed|s|ing)? off|scrap|postpon|pull(ed|s)? out|scuttl|nix|axed)",
    "denied": r"\b(den(y|ied|ies|ial)|never (met|happened|took place)|did ?n[o']t (meet|happen|take place)|"
              r"no (such )?meeting|not meet)",
    "held": r"\b(met|meets|held|sat down|talks|visit(ed)?|shook hands|greeted|spoke|hosted)\b",
}
_DURATION = re.compile(r"\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|"
                       r"thirty|forty|forty-five|fifty|ninety|half|several)[\s-]+(and[\s-]a[\s-]half[\s-]+)?"
                       r"(minute|hour)", re.I)
_RELATIVE_DAY = re.compile(r"\b(yesterday|today|tonight|last night|(mon|tues|wednes|thurs|fri|satur|sun)day)\b", re.I)


def supported(name: str, value: Any, report: dict) -> bool:
    """Whether a report's evidence sentence carries the value it gives (a word of the place,
    the month or day of the date, a length, a word of the outcome): a value the evidence does
    not show is often read from another sentence, or misread."""
    evidence = (report.get("evidence") or "").lower()
    if not evidence:
        return False
    if name == "status":
        return bool(re.search(_STATUS_WORDS.get(str(value), r"$^"), evidence))
    if name == "date":
        parts = str(value).split("-")
        if len(parts) >= 2 and _MONTHS[int(parts[1]) - 1] in evidence:
            return True
        if len(parts) == 3 and (re.search(rf"\b{int(parts[2])}(st|nd|rd|th)?\b", evidence)
                                or _RELATIVE_DAY.search(evidence)):
            return True
        return len(parts) == 1 and parts[0] in evidence
    if name.endswith("_minutes"):
        return bool(_DURATION.search(evidence))
    words = [w for w in re.findall(r"[a-z0-9]+", _fold(str(value))) if len(w) >= 3]
    folded = _fold(evidence)
    return any(w in folded for w in words)


def _pair_verdict(name: str, va: Any, ra: dict, vb: Any, rb: dict, meeting: dict) -> tuple[str, float] | None:
    """(rule, strength) if two reports' values of one field cannot both be true."""
    if name in IGNORED_FIELDS:
        return None
    if name == "status":
        if va not in FINAL_STATUSES or vb not in FINAL_STATUSES or va == vb:
            return None
        if "held" not in (va, vb):
            return ("status", 0.6)  # cancelled against denied: close to one another
        other, r_other = (vb, rb) if va == "held" else (va, ra)
        held_on = meeting.get("date")
        published = _published(r_other)
        if published is None or not held_on:
            return ("status", 0.55)
        if published.isoformat()[: len(held_on)] < held_on:
            return None  # reported cancelled or denied before the day: a change, not a contradiction
        return ("status", 0.9)
    if name == "date":
        if contains(str(va), str(vb)) or contains(str(vb), str(va)):
            return None  # "2019-02" and "2019-02-28": one is only less precise
        if str(va)[4:] == str(vb)[4:] and str(va)[4:]:
            return ("date", 0.35)  # the same day of another year: a year resolved wrongly
        days = _days_apart(str(va), str(vb))
        if days is None:
            return ("date", 0.5)  # months or years that do not contain each other
        if days <= 1:
            return ("date", 0.4)  # a day apart: time zones, "yesterday" read against the wrong day
        if days <= 3:
            return ("date", 0.6)  # a summit of several days, each report giving one of them
        # weeks apart: two accounts of when it was; months apart: more often two encounters
        return ("date", 0.8 if days <= 31 else 0.5)
    if name in ("place", "occasion"):
        if _names_other(str(va), str(vb)):
            return None
        if _names_whole(str(vb), ra) or _names_whole(str(va), rb):
            return None  # one account names both ("the DMZ at Panmunjom"): one place inside the other
        return (name, 0.7)
    if name in ("actual_minutes", "scheduled_minutes"):
        if not isinstance(va, int) or not isinstance(vb, int) or _minutes_compatible(va, vb):
            return None
        # planned lengths change before a meeting; a length misread from a plan is common
        return (name, 0.9 if name == "actual_minutes" else 0.5)
    return None


def fact_contradictions(meeting: dict, articles: dict[str, dict] | None = None) -> list[Contradiction]:
    """Incompatible facts among the reports of one canonical meeting (`Store.canonical_meeting`):
    for each field, the strongest pair of values from different articles that cannot both be
    true, with every report that gives either value as a side. `articles` ({id: {"source":
    ...}}) names the outlets in the reason."""
    articles = articles or {}
    found = []
    for name, groups in (meeting.get("disagreements") or {}).items():
        best = None
        for ga, gb in combinations(groups, 2):
            for ra in ga["reports"]:
                for rb in gb["reports"]:
                    if ra["article_id"] == rb["article_id"] or \
                            (ra.get("story_id") or ra["article_id"]) == (rb.get("story_id") or rb["article_id"]):
                        continue  # one article (or copies of one story) giving two values is its own account
                    verdict = _pair_verdict(name, ga["value"], ra, gb["value"], rb, meeting)
                    if verdict is None:
                        continue
                    rule, strength = verdict
                    shown = supported(name, ga["value"], ra) + supported(name, gb["value"], rb)
                    strength *= (0.55, 0.75, 1.0)[shown]
                    records = min(_report_confidence(ra), _report_confidence(rb))
                    confidence = round(strength * (0.6 + 0.4 * records) + 0.05 * (strength >= 0.9), 2)
                    if best is None or confidence > best[0]:
                        best = (confidence, rule, ga, gb)
        if best is None:
            continue
        confidence, rule, ga, gb = best
        sides = [{"article_id": r["article_id"], "article_title": r.get("article_title"),
                  "report_id": r["report_id"], "speaker": None, "value": g["value"],
                  "text": r.get("evidence"), "start": r.get("evidence_start"),
                  "end": r.get("evidence_end")}
                 for g in (ga, gb) for r in g["reports"]]
        reason = _fact_reason(name, ga, gb, articles)
        found.append(Contradiction("facts", meeting["id"], name, sides, f"disagreement:{name}",
                                   reason, min(confidence, 1.0), reason))
    return found


def _accounts(group: dict, articles: dict[str, dict]) -> tuple[str, bool]:
    """Who gives a value: its outlets (or article titles), and whether they are several."""
    outlets = {}
    for r in group["reports"]:
        outlet = (articles.get(r["article_id"]) or {}).get("source") or r.get("article_title") or "an article"
        outlets.setdefault(outlet, set()).add(r.get("story_id") or r["article_id"])  # copies once
    names = list(outlets)
    if len(names) == 1:
        n = len(outlets[names[0]])
        return names[0] + (f" ({n} articles)" if n > 1 else ""), n > 1
    shown = ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
    return shown, True


_STATUS_WORDS_SHOWN = {"held": "took place", "cancelled": "was cancelled", "denied": "did not take place"}


def _date_words(value: str) -> str:
    parts = str(value).split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1].capitalize()} {parts[0]}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1].capitalize()} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return str(value)


def _fact_reason(name: str, ga: dict, gb: dict, articles: dict[str, dict]) -> str:
    """The reason of a fact contradiction: "Reuters says the meeting took place; Politico says
    it did not take place", "Reuters and The Guardian give the length of the meeting as
    2 hours; Politico gives 30 minutes"."""
    (who_a, many_a), (who_b, many_b) = _accounts(ga, articles), _accounts(gb, articles)
    if who_a == "an article":
        who_a = "One article"
    if who_b == who_a or who_b == "an article":
        who_b = "another article" if not many_b else "other articles"
    if name == "status":
        return (f"{who_a} {'say' if many_a else 'says'} the meeting {_STATUS_WORDS_SHOWN.get(ga['value'], ga['value'])}; "
                f"{who_b} {'say' if many_b else 'says'} it {_STATUS_WORDS_SHOWN.get(gb['value'], gb['value'])}.")
    what = FIELD_WORDS.get(name, name.replace("_", " "))
    shown = _date_words if name == "date" else (lambda v: _value_words(name, v))
    return (f"{who_a} {'give' if many_a else 'gives'} the {what} of the meeting as {shown(ga['value'])}; "
            f"{who_b} {'give' if many_b else 'gives'} {shown(gb['value'])}.")
