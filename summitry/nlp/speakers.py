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

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .doc_index import char_span, sentence_of, text_of
from .paragraphs import is_furniture
from .quotes import paragraph_spans
from ..actors import Registry
from ..records import Statement
from .actors import ActorMention
from .names import TITLE_WORDS, clean_name, fold, name_words, strip_possessive
from .reported_speech import SpeechEvent, by_agent, is_speech_verb, paragraph_of, quote_token_index
from .speech_lexicon import CLAUSE_ONLY, NEEDS_PREDICATE, UNNAMED_SOURCE_HEADS

# role words that name the same kind of post ("the spokesman" after "spokeswoman X" is not her,
# but "the party's spokesperson" after "party spokesman X" is him)
ROLE_KEYS = {w: "spokes" for w in ("spokesman", "spokeswoman", "spokesperson")}
ROLE_KEYS.update({w: w for w in ("ambassador", "researcher", "analyst", "professor", "chairman", "chairwoman",
                                 "director", "envoy", "negotiator", "economist", "senator", "governor",
                                 "mayor", "commander", "editor", "historian", "strategist", "lawmaker")})

# words that carry someone's words: their issuer is the speaker
DOCUMENT_NOUNS = {"statement", "letter", "communique", "communiqué", "declaration", "tweet", "post", "message",
                  "note", "memo", "op-ed", "editorial", "report", "readout"}

FIGURE_NOUNS = {"figure", "data", "estimate", "poll", "survey", "count", "tally", "assessment", "account"}

MALE = {"he", "him", "his"}
FEMALE = {"she", "her"}
THING = {"it", "its"}
PLURAL = {"they", "them", "we"}
INDEFINITE = {"some", "many", "others", "few", "someone", "anyone", "several", "most"}

if not Doc.has_extension("statements"):
    Doc.set_extension("statements", default=None)


@dataclass
class Speaker:
    name: str | None
    kind: str | None = None  # person | organisation | country
    gender: str | None = None
    # how the name was found: name | pronoun | description | previous | label | none
    how: str = "name"


# Confidence of a statement: where its words come from (quotation marks are the firmest) and
# how sure the attribution is (a cue verb, then how the speaker was found). Hand-set steps in
# [0, 1], ordered as records.md's evidence: a direct quote with a named speaker and a speech verb
# above a pronoun-resolved one above indirect speech without a clear verb.
KIND_BASE = {"direct": 0.95, "mixed": 0.88, "indirect": 0.82}
SPEAKER_PENALTY = {"name": 0.0, "label": 0.05, "description": 0.08, "pronoun": 0.12,
                   "previous": 0.15, "none": 0.1, "namesake": 0.2}
# verbs that report speech only in some uses ("called", "described", "noted"): less sure
WEAK_CUES = NEEDS_PREDICATE | CLAUSE_ONLY | {"according to"}


def statement_confidence(kind: str, cue_lemma: str | None, how: str, words: int) -> float:
    value = KIND_BASE.get(kind, 0.8) - SPEAKER_PENALTY.get(how, 0.1)
    if cue_lemma is None:
        value -= 0.05  # a quotation continuing the speaker before it, or a transcript answer
    elif cue_lemma in WEAK_CUES:
        value -= 0.07
    if kind != "direct" and words < 5:
        value -= 0.05  # a short fragment
    return round(min(1.0, max(0.05, value)), 2)


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
                speaker, mention_span = Speaker(previous[1].name, previous[1].kind, previous[1].gender, "previous"), None
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
                return self._speaker(m, doc)
        person = self.registry.person(words, doc._.published)
        return Speaker(person.name, "person", person.gender, "label") if person else Speaker(clean_name(words), how="label")

    def _statement(self, doc: Doc, ev: SpeechEvent, speaker: Speaker, np: Span | None) -> Statement:
        text = text_of(doc)
        quote = " ".join(text[s:e] for s, e in ev.parts)
        sent = char_span(doc, ev.parts[0][0], ev.parts[0][1])
        sentence = sentence_of(sent[0]).text.strip() if sent is not None and len(sent) else None
        mention, m_start, m_end = (np.text, np.start_char, np.end_char) if np is not None else (None, None, None)
        cue_lemma = None if ev.cue_i is None else (
            "according to" if ev.cue == "according to" else doc[ev.cue_i].lemma_.lower())
        how = speaker.how if speaker.name else "none"
        return Statement(
            speaker=speaker.name, speaker_mention=mention, quote=quote, kind=ev.kind, cue=ev.cue,
            start=ev.parts[0][0], end=ev.parts[0][1],
            parts=[list(p) for p in ev.parts] if len(ev.parts) > 1 else None,
            mention_start=m_start, mention_end=m_end, sentence=sentence,
            confidence=statement_confidence(ev.kind, cue_lemma, how, len(quote.split())),
        )

    # ---- resolution --------------------------------------------------------------------------

    def resolve(self, doc: Doc, head: Token, previous) -> Speaker:
        if head.lemma_.lower() in DOCUMENT_NOUNS and head.dep_ in ("dobj", "pobj"):
            # "Venn released a statement declaring ...", "issued a letter which charged ...": the
            # one who issued the words speaks
            verb = head.head if head.dep_ == "dobj" else head.head.head
            issuer = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if issuer is not None and issuer.i != head.i:
                head = issuer
        if head.lemma_.lower() in DOCUMENT_NOUNS:
            # "a statement from the Kremlin", "a readout issued by the White House": its issuer speaks
            issuer = next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "from"
                           for g in c.children if g.dep_ == "pobj"), None)
            issuer = issuer or next((by_agent(c) for c in head.children if c.dep_ == "acl" and by_agent(c) is not None), None)
            if issuer is not None and issuer.pos_ in ("PROPN", "NOUN"):
                head = issuer
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner is not None and head.lemma_.lower() in DOCUMENT_NOUNS | FIGURE_NOUNS and owner.pos_ in ("PROPN", "NOUN"):
            head = owner  # "according to Nato's latest figures", "the ministry's statement said"
        if any(c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN") for c in head.children) or joint_subject(head):
            return Speaker(None)  # "Ryan and Cornyn suggested": several people, no one speaker
        publication = self._editors_of(doc, head)
        if publication is not None:
            return publication
        found = self._named(doc, head)
        if found is not None:
            return found
        lower = head.lower_
        if lower in INDEFINITE:
            return Speaker(None)  # "which some panned as ...", "others said": no one named
        if head.pos_ == "PRON" or lower in MALE | FEMALE | THING | PLURAL:
            found = self._antecedent(doc, head, previous)
            return Speaker(found.name, found.kind, found.gender, "pronoun")
        found = self._described(doc, head)
        if found.name is None and head.pos_ == "PROPN":
            return unknown_name(doc, head) or found
        return Speaker(found.name, found.kind, found.gender, "description")

    def _editors_of(self, doc: Doc, head: Token) -> Speaker | None:
        """'the editors of the Calder Gazette wrote', then 'the editors said': a publication's
        editors (or editorial board) speak as the publication."""
        if not is_editors(head):
            return None
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is None:
            if not any(c.lower_ in ("the", "its", "their") for c in head.lefts):
                return None
            # "the editors" after "the editors of X": the publication named with them before
            earlier = [t for t in doc[max(0, head.i - ROLE_REACH):head.i] if is_editors(t) and any(
                c.dep_ == "prep" and c.lower_ == "of" for c in t.children)]
            if not earlier:
                return None
            of = next(c for c in earlier[-1].children if c.dep_ == "prep" and c.lower_ == "of")
        for t in of.subtree:
            m = self._mention(doc, t)
            if m is not None and m.kind == "organisation":
                return Speaker(m.canonical, "organisation", None, "description")
        # a title the recogniser did not take for an organisation: its proper nouns
        words = [t.text for t in of.subtree if t.pos_ == "PROPN" and t.text[:1].isupper()]
        return Speaker(" ".join(words), "organisation", None, "description") if words else None

    @staticmethod
    def _mention(doc: Doc, tok: Token) -> ActorMention | None:
        k = (doc._.mention_at or {}).get(tok.i)
        return doc._.actor_mentions[k] if k is not None else None

    def _named(self, doc: Doc, head: Token) -> Speaker | None:
        """A name at the head of the phrase, else one in apposition ("The Press Secretary of the
        Russian President, Dmitry Peskov"), else a person's name compounded onto the head."""
        head_mention = self._mention(doc, head)
        if head_mention is not None and head_mention.kind == "person":
            return self._speaker(head_mention, doc)
        appos = [c for c in head.children if c.dep_ == "appos"]
        for tok in appos + [g for c in appos for g in c.children if g.dep_ == "compound"]:
            m = self._mention(doc, tok)
            if m is not None and m.kind == "person":
                return self._speaker(m, doc)
        if head_mention is not None:
            return self._speaker(head_mention, doc)
        return None

    @staticmethod
    def _speaker(m: ActorMention, doc: Doc) -> Speaker:
        name = m.canonical
        if m.namesake:
            # "Mrs Trump" with only the male leader of that name in the article: someone not named
            # in full (a guess, and not the leader)
            return Speaker(name, m.kind, m.gender, "namesake")
        if m.kind in ("person", "organisation") and m.person is None and len(name.split()) == 1:
            name = fullest_name(doc, name) or name  # "said An Gang" where the recogniser saw "Gang"
        return Speaker(name, m.kind, m.gender)

    def _antecedent(self, doc: Doc, pron: Token, previous, depth: int = 0) -> Speaker:
        lower = pron.lower_
        if lower in PLURAL:
            return Speaker(None)
        want_thing = lower in THING
        gender = "m" if lower in MALE else "f" if lower in FEMALE else None
        # people named inside quotations are spoken of, not speaking: "“President Putin denied
        # such involvement,” he said" is not Putin's
        quoted = quote_token_index(doc)
        # (within a bounded look back: a pronoun refers to someone of the last paragraphs, and
        # the bound keeps a long text linear)
        # and so are people named in what someone is reported to have said: after "he said he found
        # it hard to believe Putin would ...", a next "he told ABC" is not Putin
        # and people in page furniture ("Venn answers questions – video", a caption) are not "he"
        spoken_of = reported_tokens(doc)
        furniture = furniture_paragraphs(doc)
        text = text_of(doc)
        mentions = [m for m in mentions_before(doc, pron.i, ROLE_REACH)
                    if m.start not in quoted and m.start not in spoken_of
                    and paragraph_of(text, m.start_char) not in furniture]

        # a name in the pronoun's own clause is someone else: in "he urged Trump to ...", "he" is not
        # Trump; nor, in the fallback, is someone named only inside the last speaker's description
        # ("Evans Revere, a diplomat who served under President Bush, said ... he said")
        objects = [c for c in pron.head.children if c.dep_ in ("dobj", "dative", "iobj") and c.i not in quoted]
        others = {m.canonical for m in (self._mention(doc, t) for c in objects for t in (c, *c.children)
                                        if t.dep_ in ("dobj", "dative", "iobj", "compound", "flat", "appos"))
                  if m is not None and m.kind == "person"}
        if previous is not None and previous[0].subject_i is not None and previous[0].subject_i < pron.i:
            described = noun_phrase(doc[previous[0].subject_i])
            inside = {m.canonical for m in mentions if described.start <= m.start < described.end
                      and not (m.start <= previous[0].subject_i < m.end)}
        else:
            inside = set()

        def fits(m: ActorMention) -> bool:
            if m.canonical in others:
                return False
            if want_thing:
                return m.kind in ("organisation", "country")
            return m.kind == "person" and (m.gender is None or gender is None or m.gender == gender)

        # "near": this paragraph and the one before; a speaker further back is not "he". Among the
        # subjects there (and any subject earlier in the pronoun's own sentence: "Even if Venn
        # does so, he has said ...") and the last speaker, the nearest that fits wins: a person
        # just introduced by name, not the most prominent leader of the article
        text = text_of(doc)
        here = paragraph_of(text, pron.idx)
        sent_start = sentence_of(pron).start
        # (paragraphs of page furniture between do not count: a caption line is not a paragraph of the story)
        def apart(k: int) -> int:
            return here - k - sum(1 for f in furniture if k < f < here)

        near = [m for m in mentions if apart(paragraph_of(text, m.start_char)) <= 1 and fits(m) and (
            is_subject(doc[m.end - 1]) or (m.start >= sent_start and doc[m.end - 1].dep_ in ("nsubj", "nsubjpass")))]
        recent = [m for m in mentions if m.start >= max(0, pron.i - 120) and fits(m)]
        candidates: list[tuple[int, Speaker]] = [(m.end - 1, self._speaker(m, doc)) for m in near]
        last = previous[0] if previous is not None and apart(previous[0].paragraph) <= 1 else None
        last_at = None if last is None else (last.subject_i if last.subject_i is not None else last.cue_i)
        spk = previous[1] if last is not None and previous[1].name else None
        if spk is not None and last_at is not None and (
                (want_thing and spk.kind in ("organisation", "country")) or (
                not want_thing and spk.kind == "person" and (spk.gender in (None, gender) or gender is None))):
            candidates.append((last_at, spk))
        candidates = [c for c in candidates if c[0] < pron.i]
        # "He even defended Kim over ... “...,” he said": the same pronoun as subject of the
        # sentence before is the same person; it goes on with whoever that one was
        chained = self._chained(doc, pron, previous, depth) if gender else None
        if chained is not None and chained[1].name:
            candidates.append(chained)
        pick = max(candidates, key=lambda c: c[0]) if candidates else None
        # "a Norland official told Reuters ... He said": the unnamed person just quoted, nearer
        # than anyone named, is still unnamed
        if (last is not None and previous[1].name is None and not want_thing and last.subject_i is not None
                and last.subject_i < pron.i and (pick is None or last.subject_i > pick[0])
                and unnamed_person(doc[last.subject_i])
                and sentence_of(doc[last.subject_i]).start >= previous_sentence_start(doc, pron)):
            return Speaker(None)
        if pick is not None:
            return pick[1]
        recent = [m for m in recent if m.canonical not in inside]
        for pool in ([m for m in recent if m.gender == gender], recent):
            if pool:
                return self._speaker(pool[-1], doc)
        return Speaker(None)

    def _chained(self, doc: Doc, pron: Token, previous, depth: int) -> tuple[int, Speaker] | None:
        """The nearest subject pronoun of the same gender in this sentence or the one before,
        resolved in turn (a chain of two or three "he"s at most)."""
        if depth >= 2:
            return None
        start = previous_sentence_start(doc, pron)
        same = MALE if pron.lower_ in MALE else FEMALE
        quoted = quote_token_index(doc)
        for tok in reversed(doc[start:pron.i]):
            if tok.lower_ in same and tok.dep_ in ("nsubj", "nsubjpass") and tok.i not in quoted and is_subject(tok):
                return tok.i, self._antecedent(doc, tok, previous, depth + 1)
        return None

    def _described(self, doc: Doc, head: Token) -> Speaker:
        """'the Russian president', "Cuba's foreign minister", 'the Kremlin spokesman'."""
        if any(c.lower_ in ("the", "this", "that") or c.dep_ == "poss" for c in head.lefts):
            # a definite description points back: "the spokesman" after "party spokesman Omer Vell"
            role = self._role_mentioned(doc, head)
            if role is not None:
                return role
        if head.lemma_.lower() in UNNAMED_SOURCE_HEADS and not any(
                c.dep_ in ("compound", "amod", "poss") for c in head.children):
            return Speaker(None)
        phrase = description_text(head)
        on = doc._.published
        org = self.registry.organisation(phrase) or self._news_agency(doc, head)
        if org is not None:  # "Russia's foreign affairs ministry", "the North's official news agency"
            return Speaker(org.name, "organisation")
        parsed = self.registry.parse_office(phrase)
        if parsed is None:
            return Speaker(None)
        country, office = parsed
        if country is not None:
            person = self.registry.holder(office, country, on) or self._holder_mentioned(doc, office, on, country)
        else:
            person = self._holder_mentioned(doc, office, on)
        if person is None:
            # "the spokesman for the party" after "party spokesman Omar Vell": the person named
            # nearest before with the same role word
            return self._role_mentioned(doc, head) or Speaker(None)
        return Speaker(person.name, "person", person.gender)

    def _news_agency(self, doc: Doc, head: Token):
        """"the official Xinhua news agency" -> Xinhua; "China's official news agency", "Iran's
        state news agency" -> the news agency of that country, when the actor data knows one."""
        if head.lemma_.lower() != "agency" or not any(c.lower_ in ("news", "press") for c in head.lefts):
            return None
        words = list(head.doc[head.left_edge.i:head.i])
        for t in words:
            m = self._mention(doc, t)
            if m is not None and m.kind == "organisation" and self.registry.organisation(m.canonical) is not None:
                return self.registry.organisation(m.canonical)
        for k, t in enumerate(words):
            # the country's name or adjective, of one to three words ("North Korea's", "South Korean")
            country = next((c for n in (3, 2, 1) if t.text[:1].isupper() and k + n <= len(words)
                            for c in [self.registry.country(strip_possessive(" ".join(w.text for w in words[k:k + n])))]
                            if c is not None), None)
            if country is None:
                continue
            agencies = [o for o in self.registry.organisations if o.kind == "media" and o.country == country.code
                        and any("agency" in n.lower() for n in (o.name, *o.aliases))]
            return agencies[0] if len(agencies) == 1 else None
        return None

    def _role_mentioned(self, doc: Doc, head: Token) -> Speaker | None:
        role = ROLE_KEYS.get(head.lemma_.lower())
        if role is None or any(c.lower_ in ("a", "an", "another", "one") for c in head.lefts):
            return None  # "a spokesman" is someone not named
        best = None
        # the mentions of the last few paragraphs only (a bounded look back keeps it linear)
        for m in mentions_before(doc, head.i, ROLE_REACH):
            if m.kind != "person":
                continue
            window = list(doc[max(0, m.start - 4):m.start]) + list(doc[m.end:min(len(doc), m.end + 6)])
            if any(ROLE_KEYS.get(t.lemma_.lower()) == role for t in window):
                best = m
        return self._speaker(best, doc) if best is not None else None

    @staticmethod
    def _holder_mentioned(doc: Doc, office: str, on, country: str | None = None) -> object | None:
        """'the president' with no country, or 'the US president' in an article without a date:
        the holder of that office named most often here."""
        # once per office and Doc (plain strings in user_data: the person's id)
        cache = doc.user_data.setdefault("summitry.holder_mentioned", {})
        key = f"{office}|{on}|{country}"
        if key not in cache:
            found = SpeakerResolver._count_holders(doc, office, on, country)
            cache[key] = (found.id if found is not None else None, found)
        return cache[key][1]

    @staticmethod
    def _count_holders(doc: Doc, office: str, on, country: str | None) -> object | None:
        counts: dict[str, tuple[int, object]] = {}
        for m in doc._.actor_mentions or []:
            if m.person is not None and any(
                    (o.office == office or (office == "leader" and o.is_leader)) and country in (None, o.country)
                    for o in m.person.offices_on(on)):
                n, _ = counts.get(m.person.id, (0, None))
                counts[m.person.id] = (n + 1, m.person)
        if not counts:
            return None
        return max(counts.values(), key=lambda c: c[0])[1]


NAME_STOP = {"the", "a", "an", "and", "but", "or", "if", "as", "in", "on", "at", "for", "when", "while",
             "after", "before", "then", "so", "yet", "of", "by", "with", "from", "to", "mr", "mrs", "ms"}


def fullest_name(doc: Doc, word: str) -> str | None:
    """A one-word name the article also gives in full: with a first name before it ("... said
    An Gang" where only "Gang" was recognised; a sentence-initial capital is not a name), or as
    the first word of a run of proper nouns ("Larry" after "Larry Abramson", "the Times" after
    "The New York Times"); the form seen most often."""
    cache = doc.user_data.setdefault("summitry.fullest_name", {})
    if word not in cache:
        cache[word] = _fullest_name(doc, word)
    return cache[word]


def _fullest_name(doc: Doc, word: str) -> str | None:
    index = doc.user_data.get("summitry.tokens_by_text")
    if index is None:  # built once per Doc, so that each name costs only its own occurrences
        index = doc.user_data["summitry.tokens_by_text"] = {}
        for t in doc:
            index.setdefault(t.text, []).append(t.i)
    seen: dict[str, int] = {}
    for i in index.get(word, ()):
        tok = doc[i]
        run = [tok]
        while run[0].i > 0 and doc[run[0].i - 1].pos_ == "PROPN" and doc[run[0].i - 1].is_title \
                and not doc[run[0].i - 1].whitespace_.count("\n") and fold(doc[run[0].i - 1].text) not in TITLE_WORDS:
            run.insert(0, doc[run[0].i - 1])
        while run[-1].i + 1 < len(doc) and doc[run[-1].i + 1].pos_ == "PROPN" and doc[run[-1].i + 1].is_title \
                and not run[-1].whitespace_.count("\n") and doc[run[-1].i + 1].is_alpha:
            run.append(doc[run[-1].i + 1])
        if len(run) > 1 and len(run) <= 4:
            key = " ".join(t.text for t in run)
            seen[key] = seen.get(key, 0) + 1
        if tok.i == 0:
            continue
        prev = doc[tok.i - 1]
        # a capital inside a sentence on a word that is not a title is a name, even "An"
        if (prev.is_title and prev.is_alpha and not prev.is_sent_start and prev.pos_ in ("PROPN", "DET", "NOUN", "ADJ")
                and fold(prev.text) not in ("the", "mr", "mrs", "ms", "dr") and fold(prev.text) not in TITLE_WORDS
                and prev.ent_type_ in ("", "PERSON") and not prev.whitespace_.count("\n")):
            key = f"{prev.text} {word}"
            seen[key] = seen.get(key, 0) + 1
    return max(seen, key=seen.get) if seen else None


def unknown_name(doc: Doc, head: Token) -> Speaker | None:
    """A speaker the actor data and the recogniser missed, named by proper nouns: "Beatrice
    Fihn, executive director of ..., said" -> the person; "Reuters said" -> the outlet. The
    name is the head with the proper nouns compounded onto it; one word is widened to the
    fullest form in the article. Titles ("Ambassador", "Sen.") are not part of it."""
    if head.pos_ != "PROPN" or not head.text[:1].isupper() or not head.is_alpha:
        return None
    words = [head]
    for c in sorted((c for c in head.lefts if c.dep_ in ("compound", "flat")), key=lambda t: -t.i):
        if c.i == words[0].i - 1 and c.pos_ == "PROPN" and c.text[:1].isupper():
            words.insert(0, c)
    while len(words) > 1 and fold(words[0].text).rstrip(".") in TITLE_WORDS | NAME_STOP:
        words.pop(0)
    if fold(words[0].text) in NAME_STOP or fold(words[0].text).rstrip(".") in TITLE_WORDS:
        return None
    # "Revere, a former senior diplomat, said": a name described as a person is one
    described = len(words) == 1 and head.ent_type_ in ("", "PERSON") and any(
        c.dep_ == "appos" and c.lemma_.lower() in PERSON_NOUNS for c in head.children)
    if head.ent_type_ not in ("PERSON", "ORG") and not described and (len(words) == 1 or head.ent_type_ in (
            "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "DATE", "TIME")):
        return None  # "the West", "Brussels": places and groups are not one speaker here
    name = " ".join(t.text for t in words)
    is_person = described or head.ent_type_ == "PERSON" or (
        len(words) >= 2 and head.ent_type_ not in ("ORG", "GPE", "NORP", "FAC", "LOC"))
    if len(words) == 1:
        name = fullest_name(doc, name) or name
    return Speaker(name, "person" if is_person else "organisation")


def furniture_paragraphs(doc: Doc) -> set[int]:
    """Indices of the paragraphs that are page furniture (captions, link lines, headlines)."""
    found = doc.user_data.get("summitry.furniture")
    if found is None:
        text = text_of(doc)
        # (and a paragraph that is one aside in brackets: "(Also on the site: Venn seeks ...)")
        found = doc.user_data["summitry.furniture"] = {
            k for k, (a, b) in enumerate(paragraph_spans(text))
            if is_furniture(text[a:b]) or (text[a:b].strip()[:1] in "([" and text[a:b].strip()[-1:] in ")]")}
    return found


def reported_tokens(doc: Doc) -> set[int]:
    """Tokens of reported speech (indirect and mixed content), with the rest of the sentence
    after a cue that opens its content (the parser often ends the content too early)."""
    found = doc.user_data.get("summitry.reported_tokens")
    if found is None:
        found = set()
        for ev in doc._.speech_events or []:
            if ev.kind == "direct":
                # "adding that Yongbyon, “while very big, ...”": the words between the cue and the
                # quotation are reported too
                if ev.cue_i is not None and ev.subject_i is not None:
                    first = char_span(doc, *ev.parts[0])
                    if first is not None and ev.cue_i < first.start and first.start - ev.cue_i < 12:
                        found.update(range(ev.cue_i + 1, first.start))
                continue
            for a, b in ev.parts:
                span = char_span(doc, a, b)
                if span is None:
                    continue
                end = span.end
                if ev.cue_i is not None and ev.cue_i < span.start:
                    # to the full stop (the parser may end a sentence at a closing quotation mark)
                    end = max(end, sentence_of(span[0]).end)
                    while end < len(doc) and end - span.end < 60 and doc[end - 1].text not in (".", "?", "!") \
                            and "\n" not in doc[end - 1].whitespace_ and not doc[end - 1].is_space:
                        end += 1
                found.update(i for i in range(span.start, end) if i != ev.subject_i)
        doc.user_data["summitry.reported_tokens"] = found
    return found


def is_editors(tok: Token) -> bool:
    return tok.lower_ == "editors" or (tok.lemma_.lower() == "board" and any(c.lower_ == "editorial" for c in tok.lefts))


def joint_subject(head: Token) -> bool:
    """'Ryan and Senate No2 John Cornyn said' (the parser hung the first name on the second as a
    modifier): an "and" joining names before the head is a group, not one speaker. Not inside a
    possessive ("Bosnia and Herzegovina's president")."""
    poss = {t.i for c in head.lefts if c.dep_ == "poss" for t in c.subtree}
    return any(t.dep_ == "cc" and t.lower_ in ("and", "&") and t.i not in poss and t.head.pos_ in ("PROPN", "NOUN")
               for t in head.doc[head.left_edge.i:head.i])


# nouns that describe one person ("a former diplomat", "the group's director")
PERSON_NOUNS = frozenset(set(ROLE_KEYS) | {
    "diplomat", "official", "adviser", "advisor", "spokesman", "spokeswoman", "spokesperson", "minister",
    "secretary", "expert", "analyst", "fellow", "scholar", "lawyer", "attorney", "activist", "executive",
    "president", "chief", "head", "founder", "member", "officer", "aide", "author", "journalist", "reporter",
    "correspondent", "columnist", "lawmaker", "politician", "leader", "director", "partner", "consultant"})


def previous_sentence_start(doc: Doc, tok: Token) -> int:
    """Token index where the sentence before `tok`'s sentence starts (its own when it is the first)."""
    start = sentence_of(tok).start
    return sentence_of(doc[start - 1]).start if start > 0 else start


ROLE_REACH = 400  # tokens


def mentions_before(doc: Doc, i: int, reach: int) -> list[ActorMention]:
    """Actor mentions ending at or before token i and starting within `reach` tokens of it."""
    mentions = doc._.actor_mentions or []
    starts = doc.user_data.get("summitry.mention_starts")
    if starts is None or len(starts) != len(mentions):
        starts = doc.user_data["summitry.mention_starts"] = [m.start for m in mentions]
    lo, hi = bisect_left(starts, i - reach), bisect_right(starts, i)
    return [m for m in mentions[lo:hi] if m.end <= i]


def unnamed_person(tok: Token) -> bool:
    """'a senior official', 'the diplomat', 'one source': a single person not named."""
    return tok.tag_ == "NN" and tok.lemma_.lower() in UNNAMED_SOURCE_HEADS and tok.lemma_.lower() not in (
        "people", "many", "some", "few", "others", "member")


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
