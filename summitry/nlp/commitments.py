"""Commitments: what the parties agreed, promised, pledged, offered or announced they will do.

Three signals, each a pass over the parsed `Doc`:

1. A commitment verb with its content: "agreed to restrain themselves ...", "Kim committed
   to work toward ...", "pledged that Estovia would not build ...", "promised a return
   visit", "the joint statement commits both sides to ...". A that-clause counts only when
   it speaks of the future ("announced that a cease-fire would serve as ..."): "agreed that
   the talks had been useful" is an opinion, not a promise.
2. The modal future of a party where the article reports someone else's words, not its
   own: inside the content of a statement ("Trump said the United States would stop
   military exercises") or in an ordinal list item under a sentence that announces the list
   ("the readout ... noted three major concessions. First, the U.S. will not pursue ...").
   The author's own "will" is a prediction and is left alone.
3. A noun of agreement that was reached ("reached an agreement to open ...", "signed a deal
   on ...", "came away with one agreement: a ceasefire ..."), or of a pledge someone gave
   ("reaffirmed the North's commitment to ...", "secured a promise from Kim to ...").

Hypotheticals ("if", "could", "might", "may"), questions, negated or hoped-for commitments
("refused to commit", "is expected to agree") and past acts yield nothing. Actors are
resolved with the speakers' resolver (`SpeakerResolver.resolve`); plural descriptions
("the presidents", "the two sides", "both countries") stand for the pair of leaders the
article is about.

Writes `doc._.commitments`: a list of `summitry.records.Commitment` in text order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..actors import Registry
from ..records import Commitment, Statement
from .doc_index import char_span, sentence_of, text_of
from .paragraphs import is_furniture
from .quotes import paragraph_spans
from .meetings import OCCASION, TRIGGER_NOUNS, leader_mentions, main_pair, normalise_occasion
from .reported_speech import is_speech_verb, nearest_subject, paragraph_of, subject_of, trim
from .speakers import FEMALE, MALE, SpeakerResolver, noun_phrase

# verb lemma -> kind of commitment it makes
CUE_KINDS = {
    "agree": "agreed", "commit": "pledged", "pledge": "pledged", "undertake": "pledged",
    "promise": "promised", "vow": "promised", "assure": "promised",
    "announce": "announced", "offer": "offered",
}
# a statement's cue verb -> the kind of a commitment found in its content
STATEMENT_KINDS = {**CUE_KINDS, "reaffirm": "pledged", "confirm": "announced"}
# objects that are themselves something to be done: "promised a return visit", "agreed a ceasefire"
COMMITMENT_NOUNS = frozenset("""
ceasefire cease-fire truce armistice visit talks summit meeting withdrawal pullout moratorium freeze
exchange release referendum election elections negotiations dialogue cooperation review inquiry investigation
commission committee group unit team channel hotline mechanism framework roadmap timetable plan
end halt suspension resumption return reopening opening closure removal lifting reduction dismantling
agreement deal treaty
""".split())
# nouns of something to be done, which can stand for the action ("committed to complete denuclearization")
ACT_NOUNS = COMMITMENT_NOUNS | frozenset({"denuclearization", "denuclearisation", "purchase", "purchases",
                                          "investment", "aid", "sanctions", "tariffs", "cuts", "transition"})
# "announced plans to ...": a noun whose to-infinitive is the commitment
INTENT_NOUNS = frozenset({"plan", "intention", "intent", "decision", "readiness", "commitment", "pledge", "promise"})
AGREEMENT_NOUNS = frozenset({"agreement", "deal", "accord", "pact", "understanding", "treaty", "compact"})
REACH_VERBS = frozenset({"reach", "sign", "strike", "seal", "conclude", "clinch", "finalize", "finalise",
                         "forge", "hammer", "announce", "agree", "secure", "produce", "yield"})
# "came away with an agreement", "emerged with a deal"
WITH_VERBS = frozenset({"come", "emerge", "walk", "leave", "return"})
# nouns of a pledge made by someone (their possessor, or "from" them) -> kind
PLEDGE_NOUNS = {"commitment": "pledged", "pledge": "pledged", "undertaking": "pledged", "promise": "promised",
                "vow": "promised", "assurance": "promised", "guarantee": "promised", "offer": "offered"}
# verbs under which such a noun was really given, not doubted or hoped for
AFFIRM_VERBS = frozenset({"reaffirm", "reiterate", "repeat", "confirm", "restate", "renew", "secure", "win",
                          "obtain", "get", "receive", "extract", "make", "give", "include", "contain", "announce"})
# subjects that speak for both parties: "the summit produced an agreement", "the joint statement commits"
JOINT_SOURCES = frozenset({"summit", "talks", "meeting", "statement", "readout", "declaration", "communique",
                           "communiqué"})
# verbs whose content is a promise to not do something
REFRAIN_VERBS = frozenset({"refrain", "restrain", "stop", "cease", "halt", "suspend", "abstain", "desist",
                           "forgo", "forego", "renounce", "end"})
FUTURE_MODALS = frozenset({"will", "would", "shall", "'ll", "wo"})  # "wo" is the "wo" of "won't"
HEDGE_MODALS = frozenset({"could", "might", "may", "should", "must", "can", "ca", "ought"})
# governors that turn what follows into a wish, an expectation or a refusal, not a commitment
NOT_COMMITTED = frozenset("""
refuse decline fail hope want wish expect seek try attempt aim consider discuss propose suggest urge
ask call demand press push pressure reject deny doubt question wonder fear likely unlikely able ready
willing prepare threaten warn think believe predict speculate guess get persuade convince force induce
encourage allow let help need
""".split())
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "once", "until", "provided"})
# main verbs of a modal future that describe a state, a fate, an attempt or a stance, not an undertaking
STATIVE = frozenset("""
be have seem remain become need want like love hate prefer know think believe see look feel face lose win
happen depend cost get mean try seek attempt hope wish expect disagree mind accept trust doubt consider
""".split())
HEDGE_ADVERBS = frozenset({"probably", "possibly", "perhaps", "maybe", "likely", "conceivably"})
# a speaker's "I'll tell you", "we will discuss it", "I'll take him at his word": the future of
# talking, deciding or looking into something is how a speaker goes on, not an undertaking
TALK_VERBS = frozenset("""
tell say talk speak discuss decide comment mention explain answer respond reply ask announce
look see consider study think bring follow take
""".split())
# words that stand for no party ("you agree to receive our newsletter", "no one will ever use a ladder")
NO_PARTY = frozenset({"you", "your", "yourself", "anyone", "anybody", "someone", "somebody", "everyone",
                      "everybody", "nobody", "one", "no", "none", "anything", "something", "this", "that"})
# speakers whose "X will ..." is a forecast about a party, not the party's word
OBSERVERS = frozenset("""
analyst expert observer critic commentator economist scholar researcher pundit strategist historian
professor columnist
""".split())
SUBORDINATORS = frozenset({"because", "although", "though", "whereas"})
WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})
# plural heads that stand for the two parties of the article ("the presidents", "both sides")
PAIR_HEADS = frozenset({"leader", "president", "side", "country", "nation", "government", "party",
                        "delegation", "man", "woman", "capital", "premier", "minister"})
PAIR_PRONOUNS = frozenset({"they", "them", "both"})
ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "firstly", "secondly",
                      "thirdly", "finally", "lastly", "next"})
# nouns of a sentence that announces a list of commitments ("noted three major concessions")
LIST_NOUNS = frozenset("""
concession agreement commitment pledge promise decision deliverable understanding undertaking
""".split())
WH_WORDS = frozenset({"which", "what", "who", "whom", "whose", "whichever", "whoever"})
# prepositions that put a date on what is to be done ("a ceasefire from Monday", "by 2032")
DEADLINE_PREPS = frozenset({"from", "by", "before", "until", "till", "starting", "beginning", "within", "in"})
BY_YEAR = re.compile(r"\b(?:by|before|until|from|in)\s+((?:19|20)\d{2})\b", re.I)
LIST_MAX_BACK = 6  # sentences between a list item and the sentence that announces the list


@dataclass
class Found:
    """A commitment before its actors are resolved: the tokens it rests on."""
    action_start: int  # token span of the action
    action_end: int
    polarity: str
    kind: str
    cue: str | None
    actor_heads: list[Token]
    speaker: Statement | None = None  # the statement it was said in, for "we" and "he"
    reported: bool = False  # read from a party's reported future (pass 3), not a commitment word


if not Doc.has_extension("commitments"):
    Doc.set_extension("commitments", default=None)


class CommitmentFinder:
    def __init__(self, registry: Registry):
        self.registry = registry
        self.resolver = SpeakerResolver(registry)

    def __call__(self, doc: Doc) -> Doc:
        found = self._cue_commitments(doc) + self._noun_commitments(doc)
        taken = {i for f in found for i in range(f.action_start, f.action_end)}
        found += [f for f in self._modal_commitments(doc) if f.action_start not in taken]
        furniture = furniture_paragraphs(doc)
        found = [f for f in found if paragraph_of(text_of(doc), doc[f.action_start].idx) not in furniture]
        # one commitment read twice ("announced an agreement to open ..." by its verb and its
        # noun): the reading that covers more of it stays
        found = [f for f in found if not any(
            g is not f and g.action_start <= f.action_start and f.action_end <= g.action_end
            and (g.action_end - g.action_start) > (f.action_end - f.action_start) for g in found)]
        commitments = []
        seen: set[tuple[int, int]] = set()
        for f in sorted(found, key=lambda f: f.action_start):
            c = self._record(doc, f)
            if c is not None and c.actors and (c.start, c.end) not in seen:
                seen.add((c.start, c.end))
                commitments.append(c)
        doc._.commitments = commitments
        return doc

    # ---- pass 1: commitment verbs ---------------------------------------------------------------

    def _cue_commitments(self, doc: Doc) -> list[Found]:
        found = []
        for tok in doc:
            lemma = tok.lemma_.lower()
            if lemma not in CUE_KINDS or tok.pos_ != "VERB" or tok.dep_ in ("amod", "auxpass") \
                    or (tok.dep_ == "acl" and tok.tag_ == "VBN"):
                continue  # "the agreed ceasefire", "the visit promised last year": no one commits here
            if any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children):
                continue  # "it was agreed that ...": who agreed is not said
            if is_question(sentence_of(tok)) or not committed(tok, cue=True):
                continue
            for f in self._cue_content(doc, tok, lemma):
                f.speaker = statement_at(doc, tok.idx)
                found.append(f)
        return found

    def _cue_content(self, doc: Doc, cue: Token, lemma: str) -> list[Found]:
        first = self._cue_content_first(doc, cue, lemma)
        if first is None:
            return []
        found = [first]
        # "agreed to engage in talks ... and to recover the remains": each infinitive is one
        # (the parser hangs the second on the first or on the cue)
        xcomp = next((c for c in cue.rights if c.dep_ == "xcomp" and is_infinitive(c)), None)
        if xcomp is None:
            return found
        for c in list(xcomp.rights) + [c for c in cue.rights if c.i > xcomp.i]:
            if c.dep_ == "conj" and is_infinitive(c):
                more = self._verb_action(doc, c, first.kind, cue, first.actor_heads)
                if more is not None:
                    found.append(more)
        return found

    def _cue_content_first(self, doc: Doc, cue: Token, lemma: str) -> Found | None:
        kind = CUE_KINDS[lemma]
        heads = cue_subject(doc, cue)
        kids = list(cue.rights)
        objects = [c for c in kids if c.dep_ == "dobj"]
        # "the joint statement commits both sides to ...": the parties are the object
        if lemma == "commit" and objects and party_like(doc, objects[0]):
            heads = [objects[0]]
        for c in kids:
            if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") and is_infinitive(c):
                return self._verb_action(doc, c, kind, cue, heads)
        return self._cue_clause_or_object(doc, cue, lemma, kind, heads, kids, objects)

    def _cue_clause_or_object(self, doc: Doc, cue: Token, lemma: str, kind: str, heads: list[Token],
                              kids: list[Token], objects: list[Token]) -> Found | None:
        for c in kids:
            if c.dep_ == "ccomp" and future_clause(c):
                return self._clause_action(doc, c, kind, cue, heads)
        for c in kids:
            if c.dep_ == "prep" and c.lower_ in ("to", "on", "upon"):
                obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is None or obj.ent_type_ in ("DATE", "TIME"):
                    continue  # "agreed on Wednesday" says when, not what
                if obj.pos_ == "VERB" or lemma in ("agree", "commit"):
                    return self._phrase_action(doc, obj, kind, cue, heads, deadline_of=cue)
        for obj in objects:
            if obj.lemma_.lower() in INTENT_NOUNS:
                inf = next((g for g in obj.children if g.dep_ in ("acl", "relcl") and is_infinitive(g)), None)
                if inf is not None:
                    return self._verb_action(doc, inf, kind, cue, heads)
            # "announced the inquiry", "announced the withdrawal": a decision made public, often
            # already acted on, not an undertaking (announced plans to ..., announced it would ... are)
            if obj.lemma_.lower() in COMMITMENT_NOUNS and lemma not in ("offer", "announce"):
                return self._phrase_action(doc, obj, kind, cue, heads, deadline_of=cue)
        return None

    def _verb_action(self, doc: Doc, verb: Token, kind: str, cue: Token | str, heads: list[Token]) -> Found | None:
        if not committed(verb, cue=False):
            return None
        start, end = action_bounds(verb)
        if end <= start:
            return None
        return Found(start, end, polarity_of(verb), kind, cue_text(cue), heads)

    def _clause_action(self, doc: Doc, clause: Token, kind: str, cue: Token, heads: list[Token]) -> Found | None:
        """A that-clause: when its subject is the one who commits ("vowed that he would ..."), the
        action is the verb phrase without the modal; else the whole clause ("announced that a
        cease-fire would serve as ...")."""
        subject = nearest_subject(clause)
        same_party = subject is not None and (subject.pos_ == "PRON" or (
            heads and self._names(doc, subject, None) == self._names(doc, heads[0], None)))
        if same_party:
            return self._verb_action(doc, clause, kind, cue, heads)
        if not committed(clause, cue=False):
            return None
        start, end = action_bounds(clause, keep_subject=True)
        return Found(start, end, polarity_of(clause), kind, cue_text(cue), heads)

    @staticmethod
    def _phrase_action(doc: Doc, head: Token, kind: str, cue: Token | str, heads: list[Token],
                       deadline_of: Token | None = None) -> Found | None:
        """A noun phrase ("a ceasefire from Monday", "a return visit") or a gerund ("to working ...").
        The parser often hangs the deadline on the verb ("agreed to a ceasefire | from Monday"):
        a deadline right after the phrase is part of it."""
        start, end = head.left_edge.i, head.right_edge.i + 1
        end = cut_commentary(head, end)
        for c in deadline_of.rights if deadline_of is not None else ():
            if c.dep_ == "prep" and c.lower_ in DEADLINE_PREPS and c.i == end and c.lower_ != "in":
                end = cut_commentary(c, c.right_edge.i + 1)
        if end <= start:
            return None
        polarity = polarity_of(head) if head.pos_ == "VERB" else "do"
        return Found(start, end, polarity, kind, cue_text(cue), heads)

    # ---- pass 2: agreement nouns ----------------------------------------------------------------

    def _noun_commitments(self, doc: Doc) -> list[Found]:
        found = []
        for tok in doc:
            lemma = tok.lemma_.lower()
            if tok.pos_ != "NOUN" or (lemma not in AGREEMENT_NOUNS and lemma not in PLEDGE_NOUNS) \
                    or is_question(sentence_of(tok)):
                continue
            f = self._agreement(doc, tok) if lemma in AGREEMENT_NOUNS else \
                self._pledge(doc, tok, PLEDGE_NOUNS[lemma]) if lemma in PLEDGE_NOUNS else None
            if f is not None:
                f.speaker = statement_at(doc, tok.idx)
                found.append(f)
        return found

    def _agreement(self, doc: Doc, noun: Token) -> Found | None:
        """"reached an agreement to open ...", "signed a deal on ...", "came away with one
        agreement: a ceasefire in ..."."""
        verb = reaching_verb(noun)
        if verb is None or not committed(verb, cue=True) or any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
            return None
        heads = cue_subject(doc, verb)
        inf = next((c for c in noun.children if c.dep_ in ("acl", "relcl") and is_infinitive(c)), None)
        if inf is not None:
            return self._verb_action(doc, inf, "agreed", noun, heads)
        about = next((c for c in list(noun.children) + list(verb.rights)
                      if c.dep_ == "prep" and c.lower_ in ("on", "to", "over")), None)
        obj = next((g for g in about.children if g.dep_ in ("pobj", "pcomp")), None) if about is not None else None
        if obj is not None:
            return self._phrase_action(doc, obj, "agreed", noun, heads)
        colon = noun.i + 1
        if colon < len(doc) and doc[colon].text == ":":
            sent = sentence_of(noun)
            end = sent.end
            while end > colon + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
                end -= 1
            if end > colon + 1:
                return Found(colon + 1, end, "do", "agreed", noun.text, heads)
        return None

    def _pledge(self, doc: Doc, noun: Token, kind: str) -> Found | None:
        """"reaffirmed the North's commitment to work toward ...", "secured a promise from Kim to
        shutter a site": a pledge noun with the party who gave it and what it is to."""
        verb = noun.head if noun.dep_ in ("dobj", "nsubjpass") else None
        if verb is None or verb.lemma_.lower() not in AFFIRM_VERBS or not committed(verb, cue=True):
            return None
        giver = next((c for c in noun.children if c.dep_ == "poss"), None)
        if giver is None:
            frm = next((c for c in list(noun.children) + list(verb.rights) if c.dep_ == "prep" and c.lower_ == "from"), None)
            giver = next((g for g in frm.children if g.dep_ == "pobj"), None) if frm is not None else None
        if giver is None or not party_like(doc, giver):
            return None
        inf = next((c for c in list(noun.children) + list(verb.rights)
                    if c.dep_ in ("acl", "relcl", "advcl", "xcomp") and is_infinitive(c)), None)
        if inf is not None:
            return self._verb_action(doc, inf, kind, noun, [giver])
        about = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("to", "of")), None)
        obj = next((g for g in about.children if g.dep_ in ("pobj", "pcomp")), None) if about is not None else None
        return self._phrase_action(doc, obj, kind, noun, [giver]) if obj is not None else None

    # ---- pass 3: the modal future of a party in reported words ---------------------------------

    def _modal_commitments(self, doc: Doc) -> list[Found]:
        found = []
        statements = doc._.statements or []
        for tok in doc:
            if tok.pos_ not in ("VERB",) or not has_future_modal(tok) or tok.lemma_.lower() in STATIVE \
                    or talking(tok):
                continue
            sent = sentence_of(tok)
            if is_question(sent) or not committed(tok, cue=False) or not undertaking(tok):
                continue
            subj = subject_of(tok)
            if subj is None or any(t.lower_ in WH_WORDS for t in doc[subj].subtree):
                continue  # "which side would enforce it": an open question, not a party
            context = self._reporting_context(doc, tok, sent, statements)
            if context is None:
                continue
            kind, cue, statement = context
            if statement is not None and predicted_by_observers(statement):
                continue  # "Xi will try to ..., analysts said": a forecast, not the party's word
            start, end = action_bounds(tok)
            if end <= start:
                continue
            found.append(Found(start, end, polarity_of(tok), kind, cue, [doc[subj]], statement, reported=True))
        return found

    def _reporting_context(self, doc: Doc, verb: Token, sent: Span, statements: list[Statement]):
        """(kind, cue, statement) when the verb reports a party's undertaking:
        the main verb of a statement's content, or of an ordinal list item under a sentence
        that announces commitments. None for the author's own words."""
        top = clause_top(verb)
        st = statement_at(doc, verb.idx)
        if st is not None and (top.dep_ == "ROOT" or (top.dep_ == "ccomp" and is_speech_verb(top.head))):
            if not about_meeting(doc, sent):
                return None
            return kind_of_cue(st.cue), st.cue, st
        if top.dep_ == "ROOT":
            intro = list_introducer(doc, sent)
            if intro is not None:
                return introducer_kind(intro), verb_cue(verb), None
        return None

    # ---- resolution and the record ------------------------------------------------------------

    def _record(self, doc: Doc, f: Found) -> Commitment | None:
        text = text_of(doc)
        span = doc[f.action_start:f.action_end]
        start, end = trim(text, span.start_char, span.end_char)
        if end - start < 3:
            return None
        if not verb_or_act(span) and (f.cue or "").lower() not in AGREEMENT_NOUNS:
            return None  # (a deal reached "on fishing quotas" is itself the act)  # "announced plans", "pledged Israel's security": no act to follow up
        actors, mention = [], None
        for head in f.actor_heads:
            for name in self._names(doc, head, f.speaker, f.kind):
                if name not in actors and self._party(doc, name):
                    actors.append(name)
            np = noun_phrase(head)
            mention = np.text
        sent = sentence_of(span[0])
        intro = list_introducer(doc, sent)  # a list item's occasion is named where the list begins
        hints = (sent, intro) if intro is not None else (sent,)
        return Commitment(
            actors=actors, action=text[start:end], polarity=f.polarity, kind=f.kind,
            due=due_date(doc, start, end), cue=f.cue, start=start, end=end,
            sentence=sent.text.strip(), meeting_hint=meeting_hint(doc, hints, span, self.registry),
            actor_mention=mention, confidence=commitment_confidence(f, span),
        )

    def _party(self, doc: Doc, name: str) -> bool:
        """A party that can commit: a leader, a government or an organisation of states. Known to
        the actor data (news outlets are not parties), or named in the article with a leader's
        title or as a country; not a handle ("@realDonaldTrump"), a desk or a stray capitalised
        phrase ("Email Sign")."""
        if "@" in name or "_" in name or " " not in name and any(c.isupper() for c in name[1:]) and name[:1].islower():
            return False
        org = self.registry.organisation(name)
        if org is not None:
            return org.kind != "media"
        if self.registry.person(name) is not None or self.registry.country(name) is not None:
            return True
        return any(m.canonical == name and (m.titled_leader or m.kind == "country")
                   for m in doc._.actor_mentions or []) \
            or any(e.label_ == "GPE" and re.sub(r"^the\s+", "", e.text, flags=re.I) == name for e in doc.ents) \
            or name in leaders_countries(doc)

    def _names(self, doc: Doc, head: Token, speaker: Statement | None, kind: str | None = None) -> list[str]:
        """Canonical names for a subject: each conjunct ("Venn and Rell"), the article's pair for
        a plural description ("the presidents", "the two sides"), the speaker for "I", "we" and
        a "he" inside their own words, else the speakers' resolver, else the entity's own words."""
        names: list[str] = []
        for tok in [head] + conjuncts(head):
            for name in self._one_name(doc, tok, speaker, kind):
                if name not in names:
                    names.append(name)
        return names

    def _one_name(self, doc: Doc, tok: Token, speaker: Statement | None, kind: str | None) -> list[str]:
        lower = tok.lower_
        if lower in NO_PARTY or any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
            return []
        if stands_for_pair(tok) or joint_source(tok):
            return article_pair(doc, sentence_of(tok))
        if speaker is not None and speaker.speaker and inside_statement(tok, speaker):
            if lower in ("i", "me"):
                return [speaker.speaker]
            if lower == "we":
                # a leader's "we agreed" after talks speaks for both sides of them
                pair = article_pair(doc, sentence_of(tok))
                return pair if kind == "agreed" and speaker.speaker in pair else [speaker.speaker]
            if lower in MALE | FEMALE and gender_fits(doc, speaker.speaker, lower):
                return [speaker.speaker]
        if lower in PAIR_PRONOUNS:
            pair = article_pair(doc, sentence_of(tok))
            if pair and (pair_named_near(doc, tok, pair) or pair_described_before(doc, tok)):
                return pair
            return []
        k = (doc._.mention_at or {}).get(tok.i)
        if k is not None:  # a name: asked here, since the resolver takes "A and B" for no one speaker
            return [doc._.actor_mentions[k].canonical]
        found = self.resolver.resolve(doc, tok, None).name
        if found:
            return [found]
        if tok.ent_type_ in ("GPE", "NORP", "ORG", "PERSON"):
            ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
            if ent is not None:
                return [re.sub(r"^the\s+", "", ent.text, flags=re.I)]
        return []


# ---- syntax helpers ---------------------------------------------------------------------------


def is_question(sent: Span) -> bool:
    return sent.text.rstrip().rstrip("”\"’'").rstrip().endswith("?")


def is_infinitive(verb: Token) -> bool:
    return verb.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def has_future_modal(verb: Token) -> bool:
    aux = [c for c in verb.children if c.dep_ == "aux"]
    if any(a.lower_ == "have" for a in aux):
        return False  # "would have stopped": what did not happen
    return any(a.lower_ in FUTURE_MODALS for a in aux) and not any(a.lower_ in HEDGE_MODALS for a in aux)


def future_clause(clause: Token) -> bool:
    """A that-clause about the future ("would serve", "will not build", "there would be no more
    tests"); "agreed that the talks had been useful" is an opinion, "announced that the summit
    was over" a fact."""
    existential = any(c.dep_ == "expl" for c in clause.children)
    return has_future_modal(clause) and (clause.lemma_.lower() not in STATIVE or existential)


def reaching_verb(noun: Token) -> Token | None:
    """The verb by which an agreement was reached: its governor as object ("reached an
    agreement"), or through "with" ("came away with one agreement")."""
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in REACH_VERBS:
        return noun.head
    if noun.dep_ == "pobj" and noun.head.lower_ == "with" and noun.head.head.lemma_.lower() in WITH_VERBS:
        return noun.head.head
    return None


def kind_of_cue(cue: str | None) -> str:
    """The kind of a commitment reported by a statement's verb ("pledged" -> pledged; "said" ->
    announced: a party's stated intention)."""
    word = (cue or "").split()[0].lower() if cue else ""
    for lemma, kind in STATEMENT_KINDS.items():
        if word.startswith(lemma.rstrip("e")):
            return kind
    return "announced"


def committed(tok: Token, cue: bool) -> bool:
    """Not hedged, negated, conditional or merely hoped for. A cue verb must be plain: "would
    agree", "will promise" and "did not agree" commit nobody yet. The chain of governors up to
    the clause that reports it must not be a wish, an expectation or a refusal."""
    own = list(tok.children)
    if any(c.dep_ == "aux" and c.lower_ in HEDGE_MODALS or c.lower_ in HEDGE_ADVERBS for c in own):
        return False
    if cue and (any(c.dep_ == "neg" for c in own) or any(c.dep_ == "aux" and c.lower_ in FUTURE_MODALS for c in own)):
        return False
    node = tok
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in node.children):
            return False
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
               for c in node.children):
            return False
        if node is not tok and node.lemma_.lower() in NOT_COMMITTED:
            return False
        if node is not tok and any(c.dep_ == "aux" and c.lower_ in HEDGE_MODALS for c in node.children):
            return False
        if wh_fronted(node):
            return False  # "what exercises Trump had promised to halt": which ones is the question
        if node.dep_ in ("ROOT",) or node.head is node or (node is not tok and is_speech_verb(node)):
            return True
        node = node.head
    return True


def leaders_countries(doc: Doc) -> set[str]:
    """The words after a titled leader's "of" ("President Arla Venn of Norland"): a country the
    parser may not know as one."""
    found = set()
    for m in doc._.actor_mentions or []:
        if m.titled_leader and m.end + 1 < len(doc) and doc[m.end].lower_ == "of":
            tok = doc[m.end + 1]
            if tok.lower_ == "the" and m.end + 2 < len(doc):
                tok = doc[m.end + 2]
            if tok.pos_ == "PROPN":
                found.add(doc[tok.left_edge.i if tok.left_edge.i > m.end else tok.i:tok.i + 1].text)
    return found


def talking(verb: Token) -> bool:
    """The future of talking or looking into something ("I'll tell you", "we will discuss it",
    "I'll bring that up", "I'll take him at his word"): not something to be done for the other side."""
    lemma = verb.lemma_.lower()
    if lemma not in TALK_VERBS:
        return False
    if lemma in ("bring", "follow"):
        return any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children)
    if lemma == "take":
        return any(c.dep_ == "prep" and c.lower_ == "at" for c in verb.children)
    return True


def verb_or_act(action: Span) -> bool:
    """The action is a verb phrase ("withdraw its boats"), a clause ("a hotline would open"), or a
    noun of something to be done ("a ceasefire", "a return visit", "talks on ..."), and more than
    one word."""
    words = [t for t in action if not (t.is_punct or t.is_space)]
    if len(words) < 2:
        return False
    if any(t.pos_ in ("VERB", "AUX") for t in words):
        return True
    return any(t.pos_ in ("NOUN", "PROPN") and (t.lemma_.lower() in ACT_NOUNS or t.lower_ in ACT_NOUNS)
               for t in words)


#: how firmly the text supports a commitment (see `commitment_confidence`)
FIRM, REPORTED, RESOLVED = 0.9, 0.75, 0.15


def commitment_confidence(f: Found, action: Span) -> float:
    """0.9 for a commitment verb or noun with its content ("agreed to", "pledged that",
    "reached an agreement to"); 0.75 for a party's future reported in a statement or a list
    ("Trump said the U.S. would ..."), which may be a forecast or a manner of speaking; 0.15
    less when the one who commits is a pronoun resolved from the context ("he", "we"), and
    0.1 less for an action with no verb ("a ceasefire"). Below 0.7 (records.FINDING_THRESHOLD)
    the ratings of it wait for a person."""
    score = REPORTED if f.reported else FIRM
    if any(h.pos_ == "PRON" for h in f.actor_heads):
        score -= RESOLVED
    if not any(t.pos_ in ("VERB", "AUX") for t in action):
        score -= 0.1
    return round(max(0.0, score), 2)


def wh_fronted(verb: Token) -> bool:
    """A wh-word object before the verb ("what exercises ... to halt", "which side would enforce")."""
    return any(c.i < verb.i and c.dep_ not in ("nsubj", "nsubjpass") and
               (c.tag_ in WH_TAGS or any(g.tag_ in WH_TAGS and g.dep_ == "det" for g in c.children))
               for c in verb.children)


def undertaking(verb: Token) -> bool:
    """A modal future that undertakes something: not a state ("will be"), a passive ("sanctions
    would be lifted": nobody named undertakes it), a progressive ("we'll be talking about Syria":
    topics, not acts), or the second half of a dare ("Give me a list and I will release them")."""
    if verb.lemma_.lower() in STATIVE or any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return False
    if verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children):
        return False
    top = clause_top(verb)
    imperative = top is not verb and top.tag_ == "VB" and not any(
        c.dep_ in ("nsubj", "aux") for c in top.children)
    return not imperative


def predicted_by_observers(st: Statement) -> bool:
    words = re.findall(r"[a-z]+", (st.speaker_mention or "").lower())
    return st.speaker is None and any(w.rstrip("s") in OBSERVERS for w in words)


def cue_subject(doc: Doc, cue: Token) -> list[Token]:
    """The one who commits: the verb's subject, or for a gerund the party right before it
    ("in addition to North Korea committing to ...", which the parser often hangs elsewhere)."""
    if cue.tag_ == "VBG" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children) and cue.i > 0:
        prev = doc[cue.i - 1]
        if prev.pos_ in ("PROPN", "NOUN") and party_like(doc, prev):
            return [prev]
    subj = subject_of(cue)
    return [doc[subj]] if subj is not None else []


def clause_top(verb: Token) -> Token:
    """The first verb of a chain of conjoined verbs: "will not pursue ... and will instead cooperate"."""
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head
    return verb


def after_modal(verb: Token) -> Token:
    """The first word of the action: past the subject and the modal, keeping a negation after it
    ("will not pursue" -> "not pursue"); "to" of an infinitive is dropped too."""
    aux = [c for c in verb.children if c.dep_ == "aux" and c.i < verb.i]
    start = max((a.i for a in aux), default=verb.i - 1) + 1
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i]
    start = max([start] + [s.right_edge.i + 1 for s in subj])
    doc = verb.doc
    while start < verb.i and (doc[start].is_punct or doc[start].lower_ in ("instead", "also", "then")
                              and doc[start].dep_ == "advmod" and doc[start + 1].dep_ != "neg"):
        start += 1
    return doc[min(start, verb.i)]


def action_bounds(verb: Token, keep_subject: bool = False) -> tuple[int, int]:
    """Token span of the verb's phrase: without the subject (unless asked), a leading
    "that"/"to", a conjoined clause that commits separately, and the author's commentary
    after a comma (", bringing an end to ...", ", without indicating ...")."""
    start = verb.left_edge.i if keep_subject else after_modal(verb).i
    doc = verb.doc
    while start < verb.i and (doc[start].lower_ in ("that", "to") and doc[start].dep_ in ("mark", "aux")
                              or doc[start].is_punct):
        start += 1
    end = cut_commentary(verb, verb.right_edge.i + 1)
    return start, end


def cut_commentary(head: Token, end: int) -> int:
    for c in head.rights:
        comma_before = c.i > 0 and head.doc[c.i - 1].text in (",", ";", "—", "–", "-")
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and (
                has_future_modal(c) or is_infinitive(c) or any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)):
            cc = [g for g in head.children if g.dep_ == "cc" and head.i < g.i < c.i]
            end = min(end, cc[-1].i if cc else c.left_edge.i)
        elif comma_before and (c.dep_ in ("advcl", "npadvmod", "relcl", "parataxis", "conj")
                               or (c.dep_ == "prep" and c.lower_ in ("without", "despite", "amid", "after"))):
            end = min(end, c.left_edge.i)
        elif c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in SUBORDINATORS for m in c.children):
            end = min(end, c.left_edge.i)  # "..., because the former adversaries would benefit"
    doc = head.doc
    while end > head.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return end


def polarity_of(verb: Token) -> str:
    """refrain: "will not pursue", "vowed never to recognise", "agreed to restrain themselves"."""
    negated = any(c.dep_ == "neg" or c.lower_ in ("never",) for c in verb.children) or any(
        c.dep_ in ("dobj", "attr") and any(g.dep_ == "det" and g.lower_ == "no" for g in c.children)
        for c in verb.children)  # "there would be no more tests"
    refrains = verb.lemma_.lower() in REFRAIN_VERBS
    return "refrain" if negated != refrains else "do"


def cue_text(cue: Token | str) -> str:
    return cue if isinstance(cue, str) else cue.text


def verb_cue(verb: Token) -> str:
    """The modal that signals a list item's commitment ("will"; "won't" and "'ll" read as "will")."""
    modal = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ in FUTURE_MODALS), None)
    if modal is None:
        return verb.text
    return "will" if modal.lower_ in ("wo", "'ll") else modal.lower_


def conjuncts(head: Token) -> list[Token]:
    out, frontier = [], [head]
    while frontier:
        tok = frontier.pop()
        for c in tok.children:
            if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN", "PRON"):
                out.append(c)
                frontier.append(c)
    return out


# ---- parties ----------------------------------------------------------------------------------


def party_like(doc: Doc, tok: Token) -> bool:
    return stands_for_pair(tok) or tok.i in (doc._.mention_at or {}) or tok.ent_type_ in ("GPE", "ORG", "NORP", "PERSON")


def stands_for_pair(tok: Token) -> bool:
    """"the presidents", "the two sides", "both countries", "the leaders": plural, and a word
    for a party."""
    if tok.lemma_.lower() not in PAIR_HEADS or tok.tag_ not in ("NNS", "NNPS"):
        return False
    return any(c.lower_ in ("the", "both", "two") for c in tok.lefts)


def article_pair(doc: Doc, sent: Span) -> list[str]:
    """The two leaders the article is about (as the meetings component finds them); failing
    that, the two leaders named in this paragraph and the one before."""
    leaders = leader_mentions(doc, doc._.published)
    order = {}
    for m in leaders:
        order.setdefault(m.canonical, m.start)
    pair = main_pair(leaders)
    if pair is None:
        text = text_of(doc)
        here = paragraph_of(text, sent.start_char)
        near = {m.canonical for m in leaders if here - paragraph_of(text, m.start_char) in (0, 1)}
        pair = frozenset(near) if len(near) == 2 else None
    return sorted(pair, key=lambda n: order[n]) if pair else []


def pair_named_near(doc: Doc, tok: Token, pair: list[str]) -> bool:
    text = text_of(doc)
    here = paragraph_of(text, tok.idx)
    named = {m.canonical for m in doc._.actor_mentions or [] if m.start < tok.i
             and here - paragraph_of(text, m.start_char) in (0, 1)}
    return set(pair) <= named


def joint_source(tok: Token) -> bool:
    """"the summit", "the talks", "the joint statement": a source that speaks for both parties."""
    lemma = tok.lemma_.lower()
    if lemma not in JOINT_SOURCES and tok.lower_ not in JOINT_SOURCES:
        return False
    return lemma in ("summit", "talks", "talk", "meeting") or any(c.lower_ == "joint" for c in tok.lefts)


def pair_described_before(doc: Doc, tok: Token) -> bool:
    """"The two leaders reached an agreement, and they signed a deal": "they" after a
    description of the pair in this sentence or the one before."""
    sent = sentence_of(tok)
    start = sentence_of(doc[sent.start - 1]).start if sent.start > 0 else 0
    return any(stands_for_pair(t) for t in doc[start:tok.i])


def gender_fits(doc: Doc, name: str, pronoun: str) -> bool:
    want = "m" if pronoun in MALE else "f"
    genders = {m.gender for m in doc._.actor_mentions or [] if m.canonical == name}
    return not genders - {None} or want in genders


# ---- statements, lists and meetings ---------------------------------------------------------


def furniture_paragraphs(doc: Doc) -> set[int]:
    """Headlines, captions and link lines: page furniture, whose verbs commit nobody
    ("Norland and Estovia agree on ceasefire")."""
    text = text_of(doc)
    return {k for k, (a, b) in enumerate(paragraph_spans(text)) if is_furniture(text[a:b])}


def statement_at(doc: Doc, offset: int) -> Statement | None:
    for st in doc._.statements or []:
        if any(s <= offset < e for s, e in (st.parts or [[st.start, st.end]])):
            return st
    return None


def inside_statement(tok: Token, st: Statement) -> bool:
    return any(s <= tok.idx < e for s, e in (st.parts or [[st.start, st.end]]))


def ordinal_item(sent: Span) -> bool:
    """"First, the U.S. will ...", "Second, the presidents agreed ...": a numbered list item."""
    words = [t for t in sent if not (t.is_space or t.is_punct)]
    return len(words) > 3 and words[0].lower_ in ORDINALS and words[0].i + 1 < len(sent.doc) \
        and sent.doc[words[0].i + 1].text in (",", ":")


def list_introducer(doc: Doc, sent: Span) -> Span | None:
    """The sentence before a run of list items that announces them ("the readout ... noted three
    major concessions", "the two leaders agreed on four points:")."""
    prev = sent
    for _ in range(LIST_MAX_BACK):
        if not ordinal_item(prev):
            return None
        if prev.start == 0:
            return None
        prev = sentence_of(doc[prev.start - 1])
        while prev.start > 0 and not any(not t.is_space for t in prev):
            prev = sentence_of(doc[prev.start - 1])
        if not ordinal_item(prev):
            lemmas = {t.lemma_.lower() for t in prev}
            return prev if lemmas & (LIST_NOUNS | set(CUE_KINDS)) else None
    return None


def introducer_kind(intro: Span) -> str:
    lemmas = [t.lemma_.lower() for t in intro]
    for lemma in lemmas:
        if lemma in CUE_KINDS:
            return CUE_KINDS[lemma]
        if lemma in ("agreement", "understanding"):
            return "agreed"
        if lemma in ("pledge", "commitment", "undertaking"):
            return "pledged"
        if lemma == "promise":
            return "promised"
    return "announced"  # a readout's or a statement's list of concessions


def about_meeting(doc: Doc, sent: Span) -> bool:
    """Reported future acts count where the article reports an encounter, or the paragraph
    speaks of one: a leader's plans in general are not a summit's commitments."""
    if doc._.meetings:
        return True
    text = text_of(doc)
    here = paragraph_of(text, sent.start_char)
    start = text.rfind("\n", 0, text.rfind("\n", 0, sent.start_char)) if here else 0
    window = char_span(doc, max(0, start), sent.end_char)
    return window is not None and any(t.lemma_.lower() in TRIGGER_NOUNS for t in window)


def due_date(doc: Doc, start: int, end: int) -> str | None:
    """A date inside the action ("from Monday", "in September", "by 2032"), read as the future."""
    for d in doc._.dates or []:
        if start <= d.start < end:
            return d.future_value
    # the dates component leaves out bounds ("by 2032"); for a commitment a bound is its deadline
    m = BY_YEAR.search(text_of(doc), start, end)
    return m.group(1) if m else None


def meeting_hint(doc: Doc, sentences: tuple[Span, ...], action: Span, registry: Registry) -> str | None:
    """Occasion and place words of the sentence ("G20 summit, Hamburg"), else the meeting noun
    it speaks of ("the meeting"); not the words of the action itself ("a return visit")."""
    parts: list[str] = []
    for sent in sentences:
        m = OCCASION.search(sent.text)
        if m and normalise_occasion(m) not in parts:
            parts.append(normalise_occasion(m))
        for ent in sent.ents:
            root = ent.root
            if ent.label_ in ("GPE", "FAC", "LOC") and root.dep_ == "pobj" and root.head.lower_ in ("in", "at"):
                country = registry.country(ent.text)
                place = re.sub(r"^the\s+", "", ent.text, flags=re.I)
                inside = action.start_char <= ent.start_char < action.end_char
                if (country is None or place in country.capitals) and place not in parts and not inside:
                    parts.append(place)
    if parts:
        return ", ".join(parts)
    for sent in sentences:
        trig = next((t for t in sent if TRIGGER_NOUNS & {t.lemma_.lower(), t.lower_} and t.pos_ == "NOUN"
                     and not action.start <= t.i < action.end), None)
        if trig is not None:
            head = trig.head if trig.dep_ == "compound" else trig  # "the summit statement"
            return doc[head.left_edge.i:head.i + 1].text
    return None


@Language.factory("summitry_commitments", default_config={"actors_path": None})
def make_commitment_finder(nlp: Language, name: str, actors_path: str | None):
    return CommitmentFinder(Registry.load(actors_path))
