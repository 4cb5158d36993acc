"""Speakers: from the subject of a speech verb to a canonical name.

Resolution order for the head of the speaker's noun phrase:
1. a name ("Mr. Putin", "Secretary of State Rex Tillerson") -> its actor mention;
2. an apposition that names ("his counterpart, Sergei Lavrov") -> that name;
3. a pronoun ("he", "she", "it") -> the nearest fitting antecedent: a person who is
   the subject of the same or the previous sentence, else the previous speaker,
   else the nearest person mentioned;
4. a description of an office ("the Russian president", "the Kremlin spokesman")
   -> whoever held it on the article's date;
5. anything else (an unnamed official, critics, a group) -> no canonical speaker.

Writes `doc._.statements`: `summitry.records.Statement`s in text order.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .doc_index import char_span, sentence_of, text_of
from ..actors import Registry
from ..records import Statement
from .actors import ActorMention
from .names import clean_name, fold, name_words
from .reported_speech import SpeechEvent, is_speech_verb, paragraph_of, quote_token_index
from .speech_lexicon import UNNAMED_SOURCE_HEADS

MALE = {"he", "him", "his"}
FEMALE = {"she", "her"}
THING = {"it", "its"}
PLURAL = {"they", "them", "we"}

if not Doc.has_extension("statements"):
    Doc.set_extension("statements", default=None)


@dataclass
class Speaker:
    name: str | None
    kind: str | None = None  # person | organisation | country
    gender: str | None = None


class SpeakerResolver:
    def __init__(self, registry: Registry):
        self.registry = registry

    def __call__(self, doc: Doc) -> Doc:
        statements: list[Statement] = []
        previous: tuple[SpeechEvent, Speaker] | None = None
        for ev in doc._.speech_events or []:
            if ev.label is not None:
                speaker, mention_span = self._labelled(doc, ev.label), char_span(doc, *ev.label)
            elif ev.subject_i is None:
                if previous is None:
                    continue
                speaker, mention_span = previous[1], None
            else:
                np = noun_phrase(doc[ev.subject_i])
                speaker = self.resolve(doc, doc[ev.subject_i], previous)
                mention_span = np
            statements.append(self._statement(doc, ev, speaker, mention_span))
            previous = (ev, speaker)
        doc._.statements = statements
        return doc

    def _labelled(self, doc: Doc, label: tuple[int, int]) -> Speaker:
        """A transcript label ("TRUMP", "PRESIDENT PUTIN") -> the person named in the article or known."""
        words = text_of(doc)[label[0]:label[1]].title()
        for m in doc._.actor_mentions or []:
            if m.kind == "person" and name_words(m.canonical) and fold(name_words(words)[-1]) in {
                    fold(w) for w in name_words(m.canonical)}:
                return self._speaker(m)
        person = self.registry.person(words, doc._.published)
        return Speaker(person.name, "person", person.gender) if person else Speaker(clean_name(words))

    def _statement(self, doc: Doc, ev: SpeechEvent, speaker: Speaker, np: Span | None) -> Statement:
        text = text_of(doc)
        quote = " ".join(text[s:e] for s, e in ev.parts)
        sent = char_span(doc, ev.parts[0][0], ev.parts[0][1])
        sentence = sentence_of(sent[0]).text.strip() if sent is not None and len(sent) else None
        mention, m_start, m_end = (np.text, np.start_char, np.end_char) if np is not None else (None, None, None)
        return Statement(
            speaker=speaker.name, speaker_mention=mention, quote=quote, kind=ev.kind, cue=ev.cue,
            start=ev.parts[0][0], end=ev.parts[0][1],
            parts=[list(p) for p in ev.parts] if len(ev.parts) > 1 else None,
            mention_start=m_start, mention_end=m_end, sentence=sentence,
        )

    # ---- resolution --------------------------------------------------------------------------

    def resolve(self, doc: Doc, head: Token, previous) -> Speaker:
        if any(c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN") for c in head.children):
            return Speaker(None)  # "Ryan and Cornyn suggested": several people, no one speaker
        found = self._named(doc, head)
        if found is not None:
            return found
        lower = head.lower_
        if head.pos_ == "PRON" or lower in MALE | FEMALE | THING | PLURAL:
            return self._antecedent(doc, head, previous)
        return self._described(doc, head)

    @staticmethod
    def _mention(doc: Doc, tok: Token) -> ActorMention | None:
        k = (doc._.mention_at or {}).get(tok.i)
        return doc._.actor_mentions[k] if k is not None else None

    def _named(self, doc: Doc, head: Token) -> Speaker | None:
        """A name at the head of the phrase, else one in apposition ("The Press Secretary of the
        Russian President, Dmitry Peskov"), else a person's name compounded onto the head."""
        head_mention = self._mention(doc, head)
        if head_mention is not None and head_mention.kind == "person":
            return self._speaker(head_mention)
        appos = [c for c in head.children if c.dep_ == "appos"]
        for tok in appos + [g for c in appos for g in c.children if g.dep_ == "compound"]:
            m = self._mention(doc, tok)
            if m is not None and m.kind == "person":
                return self._speaker(m)
        if head_mention is not None:
            return self._speaker(head_mention)
        return None

    @staticmethod
    def _speaker(m: ActorMention) -> Speaker:
        return Speaker(m.canonical, m.kind, m.gender)

    def _antecedent(self, doc: Doc, pron: Token, previous) -> Speaker:
        lower = pron.lower_
        if lower in PLURAL:
            return Speaker(None)
        want_thing = lower in THING
        gender = "m" if lower in MALE else "f" if lower in FEMALE else None
        # people named inside quotations are spoken of, not speaking: "“President Putin denied
        # such involvement,” he said" is not Putin's
        quoted = quote_token_index(doc)
        mentions = [m for m in doc._.actor_mentions or [] if m.end <= pron.i and m.start not in quoted]

        def fits(m: ActorMention) -> bool:
            if want_thing:
                return m.kind in ("organisation", "country")
            return m.kind == "person" and (m.gender is None or gender is None or m.gender == gender)

        # "near": this paragraph and the one before; a speaker further back is not "he"
        text = text_of(doc)
        here = paragraph_of(text, pron.idx)
        near = [m for m in mentions if here - paragraph_of(text, m.start_char) <= 1
                and is_subject(doc[m.end - 1]) and fits(m)]
        recent = [m for m in mentions if m.start >= max(0, pron.i - 120) and fits(m)]
        spk = previous[1] if previous is not None and previous[1].name \
            and here - previous[0].paragraph <= 1 else None
        if spk is not None and not ((want_thing and spk.kind in ("organisation", "country")) or (
                not want_thing and spk.kind == "person" and (spk.gender in (None, gender) or gender is None))):
            spk = None
        # a known gender that agrees beats an unknown one; a subject nearby beats the last speaker
        for pool in ([m for m in near if m.gender == gender or want_thing], [spk] if spk and spk.gender == gender else [],
                     near, [spk] if spk else [], [m for m in recent if m.gender == gender], recent):
            if pool:
                found = pool[-1]
                return found if isinstance(found, Speaker) else self._speaker(found)
        return Speaker(None)

    def _described(self, doc: Doc, head: Token) -> Speaker:
        """'the Russian president', "Cuba's foreign minister", 'the Kremlin spokesman'."""
        if head.lemma_.lower() in UNNAMED_SOURCE_HEADS and not any(
                c.dep_ in ("compound", "amod", "poss") for c in head.children):
            return Speaker(None)
        phrase = description_text(head)
        on = doc._.published
        org = self.registry.organisation(phrase)
        if org is not None:  # "Russia's foreign affairs ministry", "the North's official news agency"
            return Speaker(org.name, "organisation")
        parsed = self.registry.parse_office(phrase)
        if parsed is None:
            return Speaker(None)
        country, office = parsed
        if country is not None:
            person = self.registry.holder(office, country, on)
        else:
            person = self._holder_mentioned(doc, office, on)
        if person is None:
            return Speaker(None)
        return Speaker(person.name, "person", person.gender)

    @staticmethod
    def _holder_mentioned(doc: Doc, office: str, on) -> object | None:
        """'the president' with no country: the holder of that office named most often here."""
        counts: dict[str, tuple[int, object]] = {}
        for m in doc._.actor_mentions or []:
            if m.person is not None and any(o.office == office for o in m.person.offices_on(on)):
                n, _ = counts.get(m.person.id, (0, None))
                counts[m.person.id] = (n + 1, m.person)
        if not counts:
            return None
        return max(counts.values(), key=lambda c: c[0])[1]


def is_subject(tok: Token) -> bool:
    """The subject of its sentence's main verb or of a speech verb: the people a following
    'he said' is about, not the subject of a clause reported inside ("he said Putin would ...")."""
    while tok.dep_ in ("compound", "flat", "appos") and tok.head is not tok:
        tok = tok.head
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = tok.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT") or is_speech_verb(verb)


def noun_phrase(head: Token) -> Span:
    """The speaker's words: the subject's subtree, without a relative clause or trailing comma."""
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    for c in head.rights:
        if c.dep_ in ("relcl", "acl") or (c.dep_ == "punct" and c.text in ("—", "–", "(")):
            end = min(end, c.left_edge.i)
    while end > start + 1 and doc[end - 1].is_punct:
        end -= 1
    while start < end - 1 and doc[start].is_punct:
        start += 1
    return doc[start:end]


def description_text(head: Token) -> str:
    """The words that describe an office: determiners, modifiers, the head and an 'of' phrase."""
    doc = head.doc
    left = [c for c in head.lefts if c.dep_ in ("det", "amod", "compound", "poss", "nmod")]
    start = min([c.left_edge.i for c in left] + [head.i])
    end = head.i + 1
    for c in head.rights:
        if c.dep_ == "prep" and c.lower_ == "of":
            end = c.right_edge.i + 1
    return doc[start:end].text


@Language.factory("summitry_speakers", default_config={"actors_path": None})
def make_speaker_resolver(nlp: Language, name: str, actors_path: str | None):
    return SpeakerResolver(Registry.load(actors_path))
