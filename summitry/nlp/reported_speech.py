"""Reported speech: who is said to have said what, before speakers are resolved.

Three passes over a parsed `Doc` whose quotations are known (`doc._.quotes`):

1. Direct quotes are attached to a speech verb by their attribution frame:
   the words right after the closing mark ('“...,” Trump tweeted') or right
   before the opening mark ('Pompeo replied: “...”').
2. Every other speech verb with content is reported speech: the content is
   the verb's complement (a clause, or an object with its predicate:
   "called the plan 'reckless'"), `mixed` when it holds a quotation.
   "According to X, ..." attributes the rest of the sentence to X.
3. Quotations left over that read as whole sentences continue the speaker
   before them (the next paragraph of a quoted speech, or the second half of
   '“A,” he said. “B.”', which joins the first as one statement).
   Short leftovers are scare quotes and are dropped.

Writes `doc._.speech_events`: a list of `SpeechEvent` in text order.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .doc_index import char_span, sentence_of, text_of
from .paragraphs import is_furniture
from .quotes import Quote, paragraph_spans
from .speech_lexicon import (
    CLAUSE_ONLY, CONTENT_PREPOSITIONS, NEEDS_PREDICATE, OBJECT_INFINITIVE, PREPOSITION_ONLY, SETTING_NOUNS,
    SHORT_CONTENT, SPEAKING_NOUNS,
    SPEECH_VERBS,
    UNNAMED_SOURCE_HEADS,
)

ISSUED = {"statement", "readout", "communique", "communiqué", "declaration", "letter", "report", "memo", "message"}
THE_PRESS = {"reporter", "reporters", "press", "journalist", "journalists", "newsman", "newsmen"}
# nouns of a stated view whose that-clause is the content ("repeated his claim that ...")
VIEW_NOUNS = {"view", "belief", "position", "claim", "assertion", "argument", "contention", "insistence",
              "assessment", "stance", "line", "charge", "accusation", "allegation", "warning", "promise", "pledge"}
EMPTY_OBJECTS = {"something", "anything", "nothing", "everything", "it", "this", "that", "much",
                 "little", "more", "point", "time", "story", "joke", "itself", "themselves", "himself", "herself"}
TRAILING = " \t\n,.;:\u00a0"
LEADING = " \t\n,;:\u00a0"
# how far (in tokens) an attribution frame may stand from its quotation
FRAME_REACH = 25
# quotations with fewer words than this, and no speech verb of their own, are scare quotes
MIN_QUOTE_WORDS = 4


@dataclass
class SpeechEvent:
    kind: str  # direct | indirect | mixed
    cue: str | None
    cue_i: int | None  # token index of the speech verb
    subject_i: int | None  # head token of the speaker's noun phrase; None: the speaker before continues
    parts: list[tuple[int, int]]  # character spans of the content
    paragraph: int
    label: tuple[int, int] | None = None  # a transcript's speaker label ("TRUMP:"), in characters

    @property
    def start(self) -> int:
        return self.parts[0][0]


if not Doc.has_extension("speech_events"):
    Doc.set_extension("speech_events", default=None)


def quote_token_index(doc: Doc) -> dict[int, Quote]:
    """Token index -> the quotation holding it (computed once per Doc)."""
    index = doc.user_data.get("summitry.quote_tokens")
    if index is None:
        index = {}
        for q in doc._.quotes or []:
            span = char_span(doc, q.start, q.end)
            for i in range(span.start, span.end) if span is not None else ():
                index[i] = q
        doc.user_data["summitry.quote_tokens"] = index
    return index


def quotes_from(quotes: list[Quote], start: int, end: int) -> list[Quote]:
    """The quotations (sorted by position, as `find_quotes` gives them) opening in [start, end):
    a bisection, so that a text full of quotation marks costs each verb only its own quotes."""
    starts = [q.start for q in quotes] if len(quotes) < 8 else _quote_starts(quotes)
    found = []
    for k in range(bisect_left(starts, start), len(quotes)):
        if quotes[k].start >= end:
            break
        found.append(quotes[k])
    return found


def _quote_starts(quotes: list[Quote]) -> list[int]:
    key = id(quotes)
    cached = _STARTS_CACHE.get(key)
    if cached is None or cached[0] is not quotes:
        _STARTS_CACHE.clear()  # one Doc at a time
        cached = _STARTS_CACHE[key] = (quotes, [q.start for q in quotes])
    return cached[1]


_STARTS_CACHE: dict[int, tuple[list[Quote], list[int]]] = {}


def holds_quotation(quotes: list[Quote], start: int, end: int) -> bool:
    """Reported speech holding a quotation is `mixed` (the closing mark may follow the end)."""
    return any(q.end <= end + 1 for q in quotes_from(quotes, start, end + 1))


def covered_test(spans: list[tuple[int, int]]):
    """A test 'is [a, b) inside one of these spans', answered by bisection on the spans sorted
    by start with the running maximum of their ends (linear set-up, logarithmic query)."""
    spans = sorted(spans)
    starts = [s for s, _ in spans]
    reach, best = [], -1
    for _, e in spans:
        best = max(best, e)
        reach.append(best)

    def covered(a: int, b: int) -> bool:
        k = bisect_right(starts, a) - 1
        return k >= 0 and reach[k] >= b

    return covered


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding blanks and punctuation, and quotation marks that do not pair up."""
    while start < end and text[start] in LEADING:
        start += 1
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    inner = text[start:end]
    if inner[:1] in "“\"" and inner.count("”") + inner.count('"') < 1 + (inner[:1] == '"'):
        start += 1
    inner = text[start:end]
    if inner[-1:] in "”\"" and inner.count("“") + inner.count('"') < 1 + (inner[-1:] == '"'):
        end -= 1
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    while start < end and text[start] in LEADING:
        start += 1
    return start, end


def goes_on(tok: Token) -> bool:
    """'“...,” she continued.' / '“...,” he went on, “...”': verbs that frame a quotation only
    bare, right beside it (not "continued the talks", "went on to win")."""
    if tok.pos_ != "VERB":
        return False
    lemma = tok.lemma_.lower()
    if lemma not in ("continue", "go", "conclude"):
        return False
    if any(c.dep_ in ("dobj", "xcomp", "ccomp", "prep", "attr") and c.i > tok.i for c in tok.children):
        return False
    return lemma != "go" or any(c.lower_ == "on" and c.dep_ in ("prt", "advmod") for c in tok.children)


# verbs whose infinitive did not happen: "declined to criticize", "failed to pledge", "refused to say"
NOT_DONE = frozenset({"decline", "refuse", "fail", "avoid", "neglect", "hesitate", "forget", "cease"})


# verbs and adjectives of intention: what follows them was not (yet) said
INTENT = frozenset({"want", "plan", "hope", "intend", "expect", "seek", "aim", "try", "wish", "determined",
                    "determine", "prepare", "eager", "keen", "likely", "going", "set", "scheduled", "due", "appear", "seem"})


def intended(verb: Token) -> bool:
    """'wants to tell Rell', 'was determined to use the visit to point out ...', 'appeared to
    promise': an infinitive under a word of intention or seeming (two steps up at most)."""
    tok = verb
    for _ in range(2):
        if not any(a.lower_ == "to" and a.dep_ == "aux" for a in tok.children) or tok.dep_ not in ("xcomp", "advcl"):
            return False
        tok = tok.head
        if tok.lemma_.lower() in INTENT or tok.lower_ in INTENT:
            return True
    return False


def by_agent(verb: Token) -> Token | None:
    """'was asked by Venn', 'as theorized by Ilse Marven': the one named after "by"."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None


def is_speech_verb(tok: Token) -> bool:
    if tok.pos_ not in ("VERB", "AUX") or tok.dep_ == "amod":
        return False
    lemma = tok.lemma_.lower()
    return lemma in SPEECH_VERBS or (lemma == "make" and any(c.lower_ == "clear" for c in tok.children))


class ReportedSpeechFinder:
    def __call__(self, doc: Doc) -> Doc:
        quotes: list[Quote] = doc._.quotes or []
        paragraphs = paragraph_spans(text_of(doc))
        in_quote = quote_token_index(doc)
        events: list[SpeechEvent] = []
        claimed: set[Quote] = set()
        cue_tokens: set[int] = set()
        for q in quotes:
            ev = self._direct(doc, q, in_quote)
            if ev is not None:
                events.append(ev)
                claimed.add(q)
                cue_tokens.add(ev.cue_i)
        events = merge_same_cue(events)
        blocked = {i for q in claimed for i in self._quote_tokens(doc, q)}
        according = self._according_to(doc, in_quote, quotes)
        according_sents = {sentence_of(doc[ev.cue_i]).start for ev in according}
        events += according
        for tok in doc:
            if in_quote.get(tok.i) or not is_speech_verb(tok):
                continue
            if sentence_of(tok).start in according_sents:
                continue  # nested attribution: the outer "according to" speaker is on record
            if tok.i in cue_tokens:
                # 'Venn said the border would reopen: “...”' / '“...,” she added, acknowledging the
                # weeks ahead would be hard': a clause of the verb's own, outside the quotation, is
                # a second statement (records.md: a reported clause followed by a quotation is two)
                ev = self._reported(doc, tok, blocked, quotes, clause_only=True)
                if ev is not None:
                    events.append(ev)
                continue
            ev = self._reported(doc, tok, blocked, quotes)
            if ev is not None:
                events.append(ev)
        events = drop_nested(doc, events)
        events += transcript_answers(doc, paragraphs, {ev.paragraph for ev in events})
        # each quotation left over is checked against the spans taken so far once (bisection), and
        # the speakers before it are followed with a cursor: linear in the number of quotations
        covered = covered_test([p for ev in events for p in ev.parts])
        continuing = Continuation(events)
        for q in quotes:
            if q not in claimed and not covered(q.start, q.end):
                self._continue_speaker(doc, q, continuing)
        furniture = {k for k, (a, b) in enumerate(paragraphs) if is_furniture(text_of(doc)[a:b])}
        events = [ev for ev in events if ev.paragraph not in furniture]
        events = drop_repeats(events)
        events.sort(key=lambda e: e.start)
        doc._.speech_events = events
        return doc

    # ---- pass 1: direct quotes -------------------------------------------------------------

    @staticmethod
    def _quote_tokens(doc: Doc, q: Quote) -> range:
        span = char_span(doc, q.start, q.end)
        return range(span.start, span.end) if span is not None else range(0)

    def _direct(self, doc: Doc, q: Quote, in_quote: dict[int, Quote]) -> SpeechEvent | None:
        words = text_of(doc)[q.start:q.end].split()
        if len(words) < 2:
            verb = self._answer(doc, q, in_quote)
            if verb is None:
                return None
            start, end = trim(text_of(doc), q.start, q.end)
            return SpeechEvent("direct", verb.text, verb.i, subject_of(verb), [(start, end)], q.paragraph)
        verb = self._frame_after(doc, q, in_quote) or self._frame_before(doc, q, in_quote)
        if verb is None:
            return None
        start, end = trim(text_of(doc), q.start, q.end)
        return SpeechEvent("direct", verb.text, verb.i, subject_of(verb), [(start, end)], q.paragraph)

    @staticmethod
    def _frame_after(doc: Doc, q: Quote, in_quote: dict[int, Quote]) -> Token | None:
        """'“...,” Trump tweeted' / '“...,” said Adam Schiff' / '“...?” he asked.'"""
        if q.close_mark is None or not opens_sentence(text_of(doc), q):
            return None
        inner_end = text_of(doc)[q.start:q.end].rstrip()
        after = text_of(doc)[q.close_mark + 1:q.close_mark + 3].lstrip()
        if not (inner_end[-1:] in ",?!—-–" or after[:1] in (",", "—")):
            return None
        mark = char_span(doc, q.close_mark, q.close_mark + 1)
        if mark is None:
            return None
        for tok in doc[mark.end:min(len(doc), mark.end + FRAME_REACH)]:
            if tok.i in in_quote or tok.text in ("“", '"') or (tok.is_sent_start and tok.i > mark.end):
                return None
            if is_speech_verb(tok) or goes_on(tok):
                return tok
            # a verb of the frame's own clause ends it; one inside the speaker's description
            # ("the official, who asked not to be named, said") does not
            if (tok.pos_ == "VERB" and tok.dep_ not in ("relcl", "acl", "amod", "xcomp")) or tok.text in (".", ";"):
                return None
        return None

    @staticmethod
    def _answer(doc: Doc, q: Quote, in_quote: dict[int, Quote]) -> Token | None:
        """'Venn said “Yes”.' / 'Rell replied: “No!”': a one-word answer right after its speech
        verb, ending the sentence (a one-word quotation inside narration is a scare quote)."""
        text = text_of(doc)
        word = text[q.start:q.end].strip()
        if q.close_mark is None or not word[:1].isupper():
            return None
        after = text[q.close_mark + 1:q.close_mark + 3].lstrip()
        if not (after[:1] in (".", "!", "?", "") or word[-1:] in ".!?"):
            return None
        mark = char_span(doc, q.open_mark, q.open_mark + 1)
        if mark is None or mark.start == 0:
            return None
        prev = doc[mark.start - 1]
        if prev.text in (":", ",") and prev.i > 0:
            prev = doc[prev.i - 1]
        return prev if is_speech_verb(prev) and prev.i not in in_quote else None

    @staticmethod
    def _frame_before(doc: Doc, q: Quote, in_quote: dict[int, Quote]) -> Token | None:
        """'Pompeo replied: “...”' / 'Trump said on Tuesday, “...”' / 'he said:\\n\\n“...”'"""
        i = q.open_mark - 1
        while i >= 0 and text_of(doc)[i].isspace():
            i -= 1
        if i < 0:
            return None
        punct = text_of(doc)[i]
        mark = char_span(doc, q.open_mark, q.open_mark + 1)
        if mark is None:
            return None
        if punct not in ":," and doc[mark.start - 1].lower_ == "that" and text_of(doc)[q.start:q.start + 1].isupper():
            # 'told reporters at a news conference that “This is a new day ...”': a whole sentence
            # quoted after "that" is the verb's direct quotation
            for tok in reversed(doc[max(0, mark.start - 12):mark.start - 1]):
                if tok.i in in_quote or tok.is_punct and tok.text != "," or tok.is_sent_start:
                    break
                if is_speech_verb(tok):
                    return tok
                if tok.pos_ == "VERB":
                    break
        if punct not in ":,":
            # a speech verb right before the mark: 'Trump tweeted “We will ...”' (a whole sentence,
            # not a phrase such as 'threaten “tough sanctions”')
            prev = doc[mark.start - 1] if mark.start > 0 else None
            sentence_like = text_of(doc)[q.start:q.start + 1].isupper() and len(text_of(doc)[q.start:q.end].split()) >= MIN_QUOTE_WORDS
            return prev if sentence_like and prev is not None and is_speech_verb(prev) and prev.i not in in_quote else None
        stop = mark.start - 1
        for tok in reversed(doc[max(0, stop - 40):stop]):
            # (the full stop of an abbreviation, "Col.", which the tagger reads as part of the name, goes on)
            if tok.i in in_quote or (tok.text in ("”", '"', ".", ";") and tok.tag_ != "NNP") or (tok.is_sent_start and tok.is_punct):
                return None
            if is_speech_verb(tok) or (goes_on(tok) and punct == ","):
                return tok
            if tok.is_sent_start:
                return None
        return None

    # ---- pass 2: reported speech -----------------------------------------------------------

    def _reported(self, doc: Doc, verb: Token, blocked: set[int], quotes: list[Quote],
                  clause_only: bool = False) -> SpeechEvent | None:
        agent = by_agent(verb)
        if agent is None and (verb.dep_ in ("auxpass",) or any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)):
            return None  # "was told", "is said to", "was then asked": the speaker is not named here
            # (but "was asked by Venn whether ...": the one named after "by" speaks)
        if any(c.dep_ == "neg" for c in verb.children):
            return None  # "would not say if ...", "did not explain why": nothing was said
        if verb.dep_ == "pcomp" and (verb.head.lower_ in ("than", "without") or (
                verb.head.lower_ == "of" and verb.head.i > 0 and doc[verb.head.i - 1].lower_ == "instead")):
            return None  # "rather than announcing ...", "without saying ...", "instead of saying ...": not said
        if intended(verb):
            return None  # "wants to tell", "was determined to use the visit to point out": not (yet) said
        if verb.dep_ == "xcomp" and (impersonal(verb.head) or verb.head.lemma_.lower() in NOT_DONE):
            # "it is hard to explain ...": nobody is reported to have explained; "declined to
            # criticize", "failed to pledge", "refused to say": nothing was said
            return None
        if verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl") and agent is None \
                and not any(c.dep_ in ("aux", "nsubj") for c in verb.children):
            return None  # "Asked whether he trusted him, Rell replied": Rell is the one asked
        subject = subject_of(verb)
        if subject is None or not plausible_speaker(doc, doc[subject]):
            return None
        span = self._content(doc, verb, blocked, clause_only)
        if span is None:
            return None
        start, end = trim(text_of(doc), span.start_char, span.end_char)
        if start >= end:
            return None
        # a quotation the content opens runs to its closing mark, over sentence breaks
        # ('remarked that this was merely “The first meeting. The main thing is this,”')
        running = [q for q in quotes_from(quotes, start, end) if end < q.end and q.close_mark is not None]
        if running:
            end = trim(text_of(doc), start, running[0].end)[1]
        kind = "mixed" if holds_quotation(quotes, start, end) else "indirect"
        if kind == "indirect" and len(text_of(doc)[start:end].split()) < (1 if verb.lemma_.lower() in SHORT_CONTENT else 3):
            return None
        return SpeechEvent(kind, verb.text, verb.i, subject, [(start, end)],
                           paragraph_of(text_of(doc), start))

    @staticmethod
    def _content(doc: Doc, verb: Token, blocked: set[int], clause_only: bool = False) -> Span | None:
        lemma = verb.lemma_.lower()
        if clause_only:
            clauses = [c for c in verb.rights if c.dep_ == "ccomp" and c.i not in blocked]
            if not clauses or any(i in blocked for i in range(clauses[0].left_edge.i, clauses[0].i + 1)):
                return None
            return content_span(doc, clauses[:1], blocked)
        if (verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)) \
                or (verb.dep_ == "parataxis" and not any(c.dep_ in ("ccomp", "dobj") for c in verb.children)):
            # "As TIME reported, X" / "X, he argued, while Y": the clause it interrupts is the content
            return parenthetical_content(doc, verb, blocked)
        if lemma == "make":  # "made clear that ...": the clause hangs on "clear"
            clear = next((c for c in verb.children if c.lower_ == "clear"), None)
            clauses = [c for c in (clear.children if clear is not None else []) if c.dep_ in ("ccomp", "csubj")]
            clauses += [c for c in verb.children if c.dep_ in ("ccomp", "csubj") and c.i > verb.i]
            if clauses:
                return content_span(doc, clauses[:1], blocked)
        rights = [c for c in verb.rights if c.i not in blocked]
        clauses = [c for c in rights if c.dep_ == "ccomp" or (c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"))]
        if len(clauses) > 1 and programme_name(clauses[0]):
            # "told CBS's “Face the Nation” that ...": the parser read the programme's name as a clause
            clauses = clauses[1:]
        if not clauses:
            # "The two sides have had no talks since March, Ushakov said.": content before the verb
            clauses = [c for c in verb.lefts if c.dep_ == "ccomp" and c.i not in blocked
                       and c.left_edge.i == sentence_of(verb).start + (1 if sentence_of(verb)[0].is_punct else 0)]
        if not clauses:
            # "said after a White House meeting that he supports ...": the parser hung the that-clause
            # on the setting as a relative clause; with a subject of its own it is the verb's content
            clauses = [g for c in rights if c.dep_ == "prep" and is_setting(c) for o in c.children if o.dep_ == "pobj"
                       for g in o.children if g.dep_ == "relcl" and any(m.dep_ == "mark" and m.lower_ == "that" for m in g.children)
                       and any(x.dep_ in ("nsubj", "nsubjpass") and x.lower_ not in ("that", "which", "who") for x in g.children)][:1]
        if not clauses:
            # "reasserted his view that ...", "repeated his claim that ...": the clause of the noun
            for c in rights:
                if c.dep_ == "dobj" and c.lemma_.lower() in VIEW_NOUNS:
                    clauses = [g for g in c.children if g.dep_ in ("acl", "ccomp", "relcl") and g.i > c.i and any(
                        m.dep_ == "mark" and m.lower_ == "that" for m in g.children)][:1]
        if not clauses and lemma in ("ask", "wonder", "question"):
            clauses = [c for c in rights if c.dep_ in ("advcl", "ccomp") and any(
                m.lower_ in ("whether", "if") for m in c.children)]
        if not clauses:
            final = final_attribution_content(doc, verb, blocked)
            if final is not None:
                return final
        if clauses:
            kids = clauses[:1]
            if kids[0].dep_ == "xcomp":
                # "urged Rell to sign", "pressed Venn to reopen": the one urged belongs to the content
                # (and "called on lawmakers to censure him": the ones called on)
                kids = ([c for c in rights if c.dep_ == "dobj" and c.i < kids[0].i][:1]
                        + [g for c in rights if c.dep_ == "prep" and c.lower_ == "on" and c.i < kids[0].i
                           for g in c.children if g.dep_ == "pobj"][:1] + kids)
            # "said he has reached a deal, is confident of another, and ...": the parser may hang
            # each clause of the content on the speech verb; those without a subject go on with it
            kids += [c for c in rights if c.dep_ == "ccomp" and c.i > clauses[0].i and c.i not in blocked
                     and not any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children)
                     and doc[c.left_edge.i - 1].text == ","]
            # "said that Trump had raised the issue, but “accepted ...”": the parser often hangs the
            # second half on the speech verb; it is still what was said
            # (not a conjunct framing another statement: "..., but then softened it by adding that ...")
            kids += [c for c in rights if c.dep_ == "conj" and c.i > clauses[0].i and c.pos_ in ("VERB", "AUX")
                     and not is_speech_verb(c) and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
                     and not any(is_speech_verb(g) for g in c.subtree)]
        elif lemma in CLAUSE_ONLY:
            return None
        else:
            # ("told reporters on Friday": the ones told, when they are the press, are no content)
            kids = [c for c in rights if (c.dep_ in ("dobj", "oprd", "attr", "acomp")
                                          and not (c.dep_ == "dobj" and c.lemma_.lower() in THE_PRESS))
                    or (c.dep_ == "xcomp" and c.pos_ in ("PROPN", "NOUN", "PRON")) or for_to_clause(c)
                    or (c.dep_ == "prep" and c.lower_ in CONTENT_PREPOSITIONS and not is_setting(c))]
            if not kids:
                return None
            # "called for the summit to be canceled": the infinitive after the object is content too
            kids += [c for c in rights if c.dep_ in ("advcl", "xcomp") and c.i > max(k.i for k in kids)
                     and any(a.lower_ == "to" and a.dep_ in ("aux", "auxpass") for a in c.children)]
            # "panned it as “shameful” and a “sign of weakness”": the parser may hang the second
            # predicate on the verb; a noun conjoined there goes on with the content
            kids += [c for c in rights if c.dep_ == "conj" and c.pos_ in ("NOUN", "ADJ") and c.i > max(k.i for k in kids)]
            if lemma in NEEDS_PREDICATE and not has_predicate(kids):
                return None
            if any(k.dep_ == "dobj" and k.lower_ in ("itself", "themselves", "himself", "herself") for k in kids):
                return None  # "a group calling itself X": a name, not a statement
            if lemma in OBJECT_INFINITIVE and not any(k.dep_ in ("advcl", "xcomp") for k in kids):
                return None
            if lemma in PREPOSITION_ONLY:
                kids = [k for k in kids if k.dep_ == "prep" and k.lower_ in PREPOSITION_ONLY[lemma]]
                if not kids:
                    return None
                return content_span(doc, [g for k in kids for g in k.children if g.dep_ in ("pobj", "pcomp")] or kids, blocked)
            if lemma == "accuse":
                # "accused Venn of delaying the treaty": what he is accused of is the content
                charge = next((g for k in kids for g in ([k] + list(k.children)) if g.dep_ == "prep" and g.lower_ == "of"), None)
                inner = [g for g in charge.children if g.dep_ in ("pobj", "pcomp")] if charge is not None else []
                if inner:
                    return content_span(doc, inner, blocked)
            objects = [k for k in kids if k.dep_ == "dobj"]
            if objects and all(k.lemma_.lower() in EMPTY_OBJECTS for k in objects) and not has_predicate(kids) \
                    and lemma != "deny":  # "Moscow denies this" is a denial on record
                return None
        return content_span(doc, kids, blocked)


    @staticmethod
    def _according_to(doc: Doc, in_quote: dict[int, Quote], quotes: list[Quote]) -> list[SpeechEvent]:
        events = []
        for tok in doc:
            if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to" or tok.i in in_quote:
                continue
            to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            phrase_start, phrase_end = tok.i, pobj.right_edge.i + 1
            sent = sentence_of(tok)
            before = doc[sent.start:phrase_start]
            after = doc[phrase_end:sent.end]
            # "The deal, according to X, commits both sides": the sentence around the attribution
            text = text_of(doc)
            parts = [trim(text, piece.start_char, piece.end_char) for piece in (before, after)
                     if sum(t.is_alpha for t in piece) >= 1]
            parts = [(a, b) for a, b in parts if b > a]
            if sum(t.is_alpha for t in before) + sum(t.is_alpha for t in after) < 3 or not parts:
                continue
            start, end = parts[0][0], parts[-1][1]
            kind = "mixed" if holds_quotation(quotes, start, end) else "indirect"
            events.append(SpeechEvent(kind, "according to", tok.i, pobj.i,
                                      parts, paragraph_of(text, start)))
        return events

    # ---- pass 3: quotations that continue a speaker ----------------------------------------

    @staticmethod
    def _continue_speaker(doc: Doc, q: Quote, continuing: "Continuation") -> None:
        start, end = trim(text_of(doc), q.start, q.end)
        if len(text_of(doc)[start:end].split()) < MIN_QUOTE_WORDS or not _reads_as_sentence(doc, q):
            return
        continuing.advance(q.start)
        prev = continuing.last
        if prev is None:
            return
        # '“A,” he said of a reporter who asked X. “B.”': B goes on with the quotation, not the aside
        quoting = continuing.quoting.get(q.paragraph)
        if quoting is not None:
            quoting.parts.append((start, end))  # one statement
            continuing.seen(quoting)
        elif q.paragraph - prev.paragraph in (0, 1):
            ev = SpeechEvent("direct", None, None, None, [(start, end)], q.paragraph)
            continuing.events.append(ev)
            continuing.seen(ev)


class Continuation:
    """The events before a point of the text, walked forward once: the one ending last, and by
    paragraph the direct quotation with a speaker ending last (what a leftover quotation continues)."""

    def __init__(self, events: list[SpeechEvent]) -> None:
        self.events = events
        self.order = sorted(events, key=lambda e: e.start)
        self.next = 0
        self.last: SpeechEvent | None = None
        self.quoting: dict[int, SpeechEvent] = {}

    def advance(self, offset: int) -> None:
        while self.next < len(self.order) and self.order[self.next].start < offset:
            self.seen(self.order[self.next])
            self.next += 1

    def seen(self, ev: SpeechEvent) -> None:
        if self.last is None or ev.parts[-1][1] > self.last.parts[-1][1]:
            self.last = ev
        if ev.kind == "direct" and ev.subject_i is not None:
            other = self.quoting.get(ev.paragraph)
            if other is None or ev.parts[-1][1] > other.parts[-1][1]:
                self.quoting[ev.paragraph] = ev


def content_span(doc: Doc, kids: list[Token], blocked: set[int]) -> Span | None:
    """The words of the content: the subtrees of `kids`, without a conjoined clause of
    narration or of another speech verb, without a leading "that", and ending where a direct
    quotation claimed by another verb begins."""
    start = min(k.left_edge.i for k in kids)
    end = max(k.right_edge.i for k in kids) + 1
    for k in kids[:1]:
        for c in k.children:
            # a conjoined clause with a subject of its own is narration, and a conjoined speech
            # verb ("said X and told him Y") is a statement of its own
            own_subject = (any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
                           or misparsed_subject(doc, c)) and not any(g.dep_ == "mark" for g in c.children)
            # (and so is a conjunct framing another statement: "..., but then softened it by adding")
            if c.dep_ == "conj" and c.i > k.i and (own_subject or is_speech_verb(c) or any(
                    is_speech_verb(g) and g.tag_ == "VBG" for g in c.subtree)):
                cc = [g for g in k.children if g.dep_ == "cc" and k.i < g.i < c.i]
                end = min(end, (cc[-1].i if cc else c.left_edge.i))
    # a leading "that"/"whether" is not content, nor a speech participle the parser put inside it
    # ("added, acknowledging the weeks would be hard"); a direct quote claimed by another verb
    # ends it, and so does a participial speech verb after a comma (", conceding that ..."), which
    # is a statement of its own
    if start < end and doc[start].tag_ == "VBG" and is_speech_verb(doc[start]):
        start += 1
    while start < end and (doc[start].lower_ in ("that", "whether", "if") and doc[start].dep_ in ("mark", "nsubj", "det", "complm")
                           or doc[start].lower_ == "for" and doc[start].dep_ == "mark"):
        start += 1
    for i in range(start + 3, end):
        if doc[i].tag_ == "VBG" and doc[i - 1].text == "," and is_speech_verb(doc[i]) \
                and doc[i].dep_ in ("advcl", "xcomp", "conj", "acl"):
            end = i - 1
            break
    for i in range(start, end):
        if i in blocked:
            end = i
            break
    # "questioning Beijing's policy, which treats the island as ...": a relative clause set off by
    # a comma at the end of the content describes, in the narrator's words; it is not what was said
    for t in doc[start:end]:
        if t.dep_ == "relcl" and t.left_edge.i - 1 > start + 1 and doc[t.left_edge.i - 1].text == "," \
                and doc[t.left_edge.i].lower_ in ("which", "who") and t.right_edge.i + 1 >= end:
            end = t.left_edge.i - 1
            break
    end = narrator_tail(doc, start, end)
    if end <= start:
        return None
    return doc[start:end]


# words that may stand between a comma and "after"/"before" in a time aside ("hours after")
TIME_ASIDE = frozenset({"hours", "hour", "days", "day", "weeks", "week", "months", "month", "minutes", "moments",
                        "shortly", "just", "only", "soon", "even", "a", "an", "one", "two", "three", "several",
                        "few", "some", "barely", "mere"})


def narrator_tail(doc: Doc, start: int, end: int) -> int:
    """Where the content ends before the narrator's words tacked on after a comma: a time aside
    ("..., hours after his proposal was criticised") or a comment in apposition ("..., a
    criticism that has added to tensions", "..., a claim it denies")."""
    for i in range(start + 3, end):
        if doc[i - 1].text != ",":
            continue
        k = i
        while k < end and k - i < 3 and (doc[k].lower_ in TIME_ASIDE or doc[k].like_num):
            k += 1
        if k > i and k < end and doc[k].lower_ in ("after", "before"):
            return i - 1
        t = doc[i]
        if t.lower_ in ("a", "an") and t.head.dep_ == "appos" and t.head.right_edge.i + 1 >= end \
                and t.head.left_edge.i == i and any(c.dep_ in ("relcl", "acl") for c in t.head.children):
            return i - 1
    return end


def opens_sentence(text: str, q: Quote) -> bool:
    """The quotation mark stands at the start of a sentence or paragraph, not inside narration."""
    before = text[max(0, q.open_mark - 200):q.open_mark]
    stripped = before.rstrip()
    return not stripped or "\n" in before[len(stripped):] or stripped[-1] in ".?!:”\""


def _reads_as_sentence(doc: Doc, q: Quote) -> bool:
    """The quotation is a sentence of its own ('... he said. “I think ...”'), rather than
    a phrase quoted inside narration."""
    return opens_sentence(text_of(doc), q) and text_of(doc)[q.start:q.start + 1].isupper()


def final_attribution_content(doc: Doc, verb: Token, blocked: set[int]) -> Span | None:
    """'..., the expulsions meant “there was no time”, Ushakov said.' / '..., said Ushakov.':
    an attribution closing the sentence after a comma reports all that comes before it,
    however the parser hung that together."""
    sent = sentence_of(verb)
    subject = nearest_subject(verb)
    if subject is None:
        return None
    frame_start = min(subject.left_edge.i, verb.i)
    frame_end = max(subject.right_edge.i, verb.i) + 1
    tail = [t for t in doc[frame_end:sent.end] if not (t.is_punct or t.is_space)]
    if tail or frame_start <= sent.start:
        return None
    k = frame_start - 1
    while k > sent.start and doc[k].text in ("”", '"', "’"):
        k -= 1
    if doc[k].text != ",":
        return None
    start = sent.start
    while start < k and (doc[start].is_punct or doc[start].is_space):
        start += 1
    if k - start < 3 or any(i in blocked for i in range(start, k)):
        return None
    return doc[start:k]


def misparsed_subject(doc: Doc, verb: Token) -> bool:
    """'X posed a threat and his top diplomat offered ...': the parser often hangs the second
    subject on the first object; a noun conjunct right before the verb is that subject."""
    prev = doc[verb.i - 1] if verb.i > 0 else None
    return prev is not None and prev.pos_ in ("NOUN", "PROPN") and prev.dep_ == "conj"


def parenthetical_content(doc: Doc, verb: Token, blocked: set[int]) -> Span | None:
    """'As TIME reported, the meeting was ...': what was reported is the clause the
    attribution hangs on, without the attribution."""
    clause = verb.head
    start, end = clause.left_edge.i, clause.right_edge.i + 1
    aside_start, aside_end = verb.left_edge.i, verb.right_edge.i + 1
    if aside_start == start:
        start = aside_end
    elif aside_end == end:
        end = aside_start
    elif verb.dep_ != "parataxis" and not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        return None
    else:
        # "X, officials say, and no evidence has surfaced": narration goes on after the aside
        # (a new clause after "and"/"but", or a time aside "hours after ..."); X is what was said
        k = aside_end
        while k < end and (doc[k].is_punct or doc[k].is_space):
            k += 1
        if k < end and (doc[k].dep_ == "cc" or narrator_tail(doc, max(start, k - 4), end) <= k):
            end = aside_start
    # else "X, he argued, while Y": the whole sentence, aside included, is what was reported
    if any(i in blocked for i in range(start, end)) or end - start < 3:
        return None
    return doc[start:end]


def impersonal(head: Token) -> bool:
    """'it is hard to ...', 'difficult to say': an adjective with no one as its subject ("she was
    keen to stress" has one)."""
    clause = head.head if head.pos_ == "ADJ" and head.dep_ == "acomp" else head
    if not (head.pos_ == "ADJ" or any(c.dep_ == "acomp" for c in clause.children)):
        return False
    subjects = [c for c in clause.children if c.dep_ in ("nsubj", "expl")]
    return not subjects or all(c.lower_ in ("it", "this", "that") for c in subjects)


def programme_name(tok: Token) -> bool:
    """A title the parser took for a clause: a named work, or a few capitalised words in quotation marks."""
    words = [t for t in tok.subtree if not t.is_punct]
    if tok.ent_type_ == "WORK_OF_ART" and len(words) <= 6:
        return True
    left, right = tok.left_edge, tok.right_edge
    doc = tok.doc
    quoted = (left.i > 0 and doc[left.i - 1].text in ("“", '"')) or left.text in ("“", '"')
    return quoted and len(words) <= 5 and all(t.is_title or t.is_stop for t in words) and tok.text[:1].isupper()


def for_to_clause(tok: Token) -> bool:
    """'called for the summit to be cancelled': a for-to clause (the parser's advcl with "for")."""
    return tok.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "for" for m in tok.children) and any(
        a.lower_ == "to" and a.dep_ in ("aux", "auxpass") for a in tok.children)


def has_predicate(kids: list[Token]) -> bool:
    """'called the plan “reckless”', 'praised Havana for ...', 'dismissed it as ...': the object
    comes with something said of it, not bare ('called his allies')."""
    if any(for_to_clause(c) for c in kids):
        return True
    if any(c.dep_ in ("oprd", "acomp", "attr") or (c.dep_ == "prep" and c.lower_ in ("as", "for", "of", "on"))
           for c in kids):
        return True
    # "dismissed the focus on meddling as “a syndrome”": the predicate may hang deeper in the object
    if any(t.lower_ == "as" and t.dep_ == "prep" or t.text in ("“", '"')
           for c in kids if c.dep_ == "dobj" for t in c.subtree):
        return True
    # ("blamed the tensions on his predecessors": "on" with something other than a date)
    return any(g.i > c.i and g.dep_ in ("oprd", "acomp", "xcomp", "ccomp", "amod", "prep") and
               (g.dep_ != "prep" or g.lower_ in ("as", "for", "of") or (g.lower_ == "on" and not is_setting(g)))
               for c in kids if c.dep_ == "dobj" for g in c.children)


def plausible_speaker(doc: Doc, head: Token) -> bool:
    """Someone who can say things: a named actor, a pronoun, a person or body described
    ("officials", "the Russian president", "state media"); not "an examination" or "the record"."""
    if head.lower_ in ("that", "this", "what", "which"):
        return False  # "That said, ...": an idiom, and "what was said" has no speaker
    if head.i in (doc._.mention_at or {}) or head.pos_ in ("PROPN", "PRON"):
        return True
    if head.is_upper and head.is_alpha and len(head.text) >= 2:
        return True  # "SLED said": an acronym the tagger took for a common noun names a body
    if any((c.dep_ == "prep" and c.lower_ == "from") or (c.dep_ == "acl" and by_agent(c) is not None)
           for c in head.children) and head.lemma_.lower() in ISSUED:
        return True  # "a readout from the White House said": words with their issuer
    words = {head.lemma_.lower(), head.lower_}  # "media" is lemmatised to "medium"
    if words & (SPEAKING_NOUNS | UNNAMED_SOURCE_HEADS):
        return True
    # "a monitor and two rebel officials said": a speaker among the conjoined
    return any(c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") and plausible_speaker(doc, c)
               for c in head.children)


def is_setting(prep: Token) -> bool:
    """'at a news conference', 'on Wednesday', 'to reporters': where or when, not what."""
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None:
        # "for “raping” the economy": a clause after the preposition is content
        return prep.lower_ not in ("as",) and not any(c.dep_ == "pcomp" for c in prep.children)
    if obj.ent_type_ in ("DATE", "TIME"):
        return True
    if any(c.dep_ in ("acl", "relcl") and any(a.lower_ == "to" and a.dep_ in ("aux", "auxpass") for a in c.children)
           for c in obj.children):
        return False  # "called for the summit to be cancelled": what is to happen to it is content
    return obj.lemma_.lower() in SETTING_NOUNS


def nearest_subject(verb: Token) -> Token | None:
    """The verb's subject; when the parser gives it two ('..., the expulsions meant X, Ushakov
    said'), the one next to the verb."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    return min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None


def subject_of(verb: Token) -> int | None:
    """Head token of the verb's speaker, following participles and conjoined verbs to theirs."""
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj"):
        # "X warned that Pyongyang “hasn't changed”, adding ...": the parser may hang the
        # participle inside the reported clause; the one adding is the one who spoke
        outer = next((a for a in verb.ancestors if is_speech_verb(a)), None)
        if outer is not None:
            return subject_of(outer)
    for step in range(5):
        outer = misattached_conj(verb)
        if outer is not None:
            verb = outer
            continue
        by = by_agent(verb)
        if by is not None:  # "as theorized by Angela Stent"
            return by.i
        c = nearest_subject(verb)
        if c is None and verb.tag_ == "VBD":
            # "May said ...": the parser takes the name for a modal; no modal stands before a past tense
            c = next((g for g in verb.children if g.dep_ == "aux" and g.tag_ == "MD" and g.is_title and g.i == verb.i - 1), None)
        if c is None and step:
            # "Venn was unmoved, asserting that ...": reached from a participle, the subject of
            # the clause it hangs on speaks, even a passive or adjectival one
            c = next((g for g in verb.children if g.dep_ == "nsubjpass"), None)
        if c is not None:
            if c.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                return verb.head.i
            return c.i
        if verb.dep_ == "relcl":
            return verb.head.i
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("PROPN", "NOUN"):
            return verb.head.i  # "Podesta, ..., calling Trump a “whack job”"
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
            if verb.head.lower_ == "for":
                # "criticized Venn for blaming ...", "Rell was praised for promising ...": the one
                # criticized or praised did the blaming or promising
                owner = verb.head.head
                if owner.pos_ in ("PROPN", "NOUN", "PRON"):
                    return owner.i
                target = next((g for g in owner.children if g.dep_ in ("dobj", "nsubjpass")), None)
                if target is not None:
                    return target.i
            verb = verb.head.head  # "by saying ...": the one who did the saying is the clause's subject
            continue
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in ("report", "say", "quote", "understand"):
            raised = next((c for c in verb.head.children if c.dep_ == "nsubjpass"), None)
            if raised is not None:  # "Kim is reported to have promised ..."
                return raised.i
        if verb.dep_ in ("conj", "advcl", "xcomp", "pcomp") and verb.head is not verb:
            verb = verb.head
            if verb.dep_ == "acomp" and verb.pos_ == "ADJ":
                verb = verb.head  # "officials were quick to point out": the subject of "were"
            continue
        return None
    return None


def misattached_conj(verb: Token) -> Token | None:
    """'Venn predicted that Norland would leave the pact and said the exit would be good': the
    parser often hangs the second speech verb on the verb of the reported clause; a finite verb
    without a subject of its own conjoined to a modal or non-finite verb there belongs with the
    outer speech verb, whose speaker it shares."""
    head = verb.head
    if verb.dep_ != "conj" or verb.tag_ not in ("VBD", "VBZ") or any(
            c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children):
        return None
    if head.dep_ != "ccomp" or not is_speech_verb(head.head):
        return None
    modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in head.children)
    non_finite = head.tag_ in ("VB", "VBG") or (head.tag_ == "VBN" and any(c.dep_ == "aux" for c in head.children))
    tense_breaks = (modal or non_finite) and not (verb.tag_ == "VBD" and head.tag_ == "VBN")
    return head.head if tense_breaks else None


# "TRUMP: We had a great meeting." / "PRESIDENT PUTIN (as translated): ..." / "Q: ..."
TRANSCRIPT_LABEL = re.compile(r"^((?:[A-Z][A-Z.'’-]+ ){0,3}[A-Z][A-Z.'’-]+)(?: \([^)]{0,40}\))?:\s+(?=\S)", re.M)


def transcript_answers(doc: Doc, paragraphs: list[tuple[int, int]], taken: set[int]) -> list[SpeechEvent]:
    """In a transcript each labelled paragraph is a direct statement of the labelled speaker.
    Only where the article reads as a transcript (two labelled paragraphs at least); a lone
    "WASHINGTON:" dateline is not one, nor are questions ("Q:", "QUESTION:")."""
    text = text_of(doc)
    found = []
    for k, (a, b) in enumerate(paragraphs):
        m = TRANSCRIPT_LABEL.match(text, a, b)
        if m and k not in taken and m.group(1) not in ("Q", "QUESTION", "REPORTER", "UPDATE", "NOTE", "EDITOR'S NOTE"):
            start, end = trim(text, m.end(), b)
            if end > start:
                found.append(SpeechEvent("direct", None, None, None, [(start, end)], k, label=(m.start(1), m.end(1))))
    return found if len(found) >= 2 else []


def merge_same_cue(events: list[SpeechEvent]) -> list[SpeechEvent]:
    """Quotations attributed by one verb are one statement with several parts."""
    by_cue: dict[int, SpeechEvent] = {}
    merged = []
    for ev in sorted(events, key=lambda e: e.start):
        first = by_cue.get(ev.cue_i)
        if first is not None and ev.kind == first.kind == "direct":
            first.parts.extend(ev.parts)
            continue
        by_cue[ev.cue_i] = ev
        merged.append(ev)
    return merged


def drop_repeats(events: list[SpeechEvent]) -> list[SpeechEvent]:
    """Two readings of the same words (a quotation taken both as the content of a speech verb
    and as a continued quotation) are one statement: the one with its own cue stays."""
    kept: dict[tuple[int, int], SpeechEvent] = {}
    for ev in events:
        key = ev.parts[0]
        other = kept.get(key)
        if other is None or (other.cue_i is None and ev.cue_i is not None):
            kept[key] = ev
    return list(kept.values())


def drop_nested(doc: Doc, events: list[SpeechEvent]) -> list[SpeechEvent]:
    """'Trump said he would tell Putin to stay out': the telling is part of what Trump said.
    But 'declined to reaffirm an assessment in which it said: “...”' frames a direct quote:
    there the direct quote is the statement and the frame goes."""
    def cue_at(ev):
        return doc[ev.cue_i].idx if ev.cue_i is not None else None

    # both tests by bisection (sorted cue offsets; spans sorted by start with the two largest ends
    # so far), so that a text with thousands of speech verbs stays linear
    direct_cues = sorted(c for c in (cue_at(o) for o in events if o.kind == "direct") if c is not None)
    spans = sorted((o.parts[0][0], o.parts[0][1], id(o)) for o in events if o.kind != "direct")
    starts = [s for s, _, _ in spans]
    top: list[tuple[tuple[int, int], tuple[int, int]]] = []  # ((end, id), (end, id)) best two so far
    first, second = (-1, 0), (-1, 0)
    for _, e, ident in spans:
        if e > first[0]:
            first, second = (e, ident), first
        elif e > second[0]:
            second = (e, ident)
        top.append((first, second))

    kept = []
    for ev in events:
        if ev.kind == "direct":
            kept.append(ev)
            continue
        (s, e) = ev.parts[0]
        k = bisect_left(direct_cues, s)
        frames_direct = k < len(direct_cues) and direct_cues[k] < e
        nested = False
        cue = cue_at(ev)
        if cue is not None:
            j = bisect_right(starts, cue) - 1
            if j >= 0:
                (e1, id1), (e2, _) = top[j]
                # the span reaching furthest among those opening at or before the cue, not counting ev
                nested = (e1 if id1 != id(ev) else e2) > cue
        if not (frames_direct or nested):
            kept.append(ev)
    return kept


NEWLINES = re.compile(r"\n+")


@lru_cache(maxsize=16)
def _paragraph_breaks(text: str) -> list[int]:
    # keyed on the text itself: components pass the one cached string of their Doc, whose
    # hash Python keeps, so a lookup costs nothing after the first
    return [m.start() for m in NEWLINES.finditer(text) if m.start() > 0]


def paragraph_of(text: str, offset: int) -> int:
    """Index of the paragraph (as `paragraph_spans` counts them) holding `offset`."""
    return bisect_left(_paragraph_breaks(text), offset)


@Language.factory("summitry_reported_speech")
def make_reported_speech_finder(nlp: Language, name: str):
    return ReportedSpeechFinder()
