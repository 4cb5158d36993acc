"""Actor mentions: people, organisations and countries named in the text.

Each mention gets a canonical name: the reference data's name for known people
("Mr. Putin" -> "Vladimir Putin"), otherwise the fullest form of the name in
the same article ("Schiff" -> "Adam Schiff"). Bare surnames of known people are
accepted only where they cannot be ordinary words (the month "May", the
"moon"): a title or honorific before them, the full name earlier in the
article, or the entity recogniser calling them a person.

Writes `doc._.actor_mentions` (list of `ActorMention`, in text order) and
`doc._.mention_at` (token index -> index into that list).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..actors import Person, Registry
from .names import clean_name, fold, honorific_gender, name_words, TITLE_WORDS

OFFICE_HEADS = {"president", "premier", "chancellor", "minister", "leader", "king", "queen", "spokesman",
                "spokeswoman", "spokesperson", "secretary", "adviser", "advisor", "chairman", "diplomat"}
NOT_ONE_HOLDER = {"each", "every", "any", "all", "no", "some", "another", "former", "previous", "past",
                  "future", "next", "successive", "late", "ex", "then", "new", "other", "both", "many"}
# words that open a sentence and are never a first name
LEADING_WORDS = {"though", "although", "but", "and", "as", "while", "when", "if", "so", "yet", "after", "before",
                 "because", "since", "meanwhile", "still", "then", "also", "even", "now", "later", "earlier"}
MONTHS_AND_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
}


@dataclass
class ActorMention:
    start: int  # token offsets
    end: int
    start_char: int
    end_char: int
    text: str
    kind: str  # person | organisation | country
    canonical: str
    gender: str | None = None
    person: Person | None = None
    country: str | None = None  # country code, for organisations and countries
    titled_leader: bool = False  # named with a leader's title ("President Arla Venn of Norland")
    namesake: bool = False  # a bare surname kept from the known person of that name ("Mrs Trump")

    def is_leader(self, on: date | None) -> bool:
        return self.titled_leader or (self.person is not None and self.person.is_leader_on(on))


for _name in ("actor_mentions", "mention_at", "published"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


LEADER_TITLES = {"president", "premier", "chancellor", "king", "queen", "emir", "sultan", "taoiseach"}


def has_leader_title(span: Span) -> bool:
    """'President Arla Venn', 'Prime Minister Rell', 'Venn, the president of Norland': a leader
    by title, for people the reference data does not know. Not 'Vice President', 'Deputy
    Prime Minister' or a president of a company."""
    doc = span.doc
    before = [t.lower_ for t in doc[max(0, span.start - 4):span.start]]
    words = " ".join(before)
    titled = bool(re.search(r"\b(president|premier|chancellor|king|queen|emir|sultan|prime minister|supreme leader)$", words))
    if not titled:
        appos = [c for c in span.root.children if c.dep_ == "appos"]
        titled = any(a.lemma_.lower() in LEADER_TITLES or (a.lower_ == "minister" and any(
            l.lower_ == "prime" for l in a.lefts)) for a in appos)
        words = " ".join(t.lower_ for a in appos for t in a.subtree)
    return titled and not re.search(r"\b(vice|deputy|former vice|company|bank|university|club|federation)\b", words)


class ActorMentionFinder:
    def __init__(self, nlp: Language, registry: Registry):
        self.registry = registry
        self.name_matcher = PhraseMatcher(nlp.vocab)
        self.org_matcher = PhraseMatcher(nlp.vocab)
        names = {n for p in registry.people for n in (p.name, *p.aliases)}
        self.name_matcher.add("PERSON", [nlp.make_doc(n) for n in sorted(names)])
        org_names = {n for o in registry.organisations for n in (o.name, *o.aliases)}
        self.org_matcher.add("ORG", [nlp.make_doc(n) for n in sorted(org_names)])
        self.surnames = {fold(p.surname): p for p in registry.people}

    def __call__(self, doc: Doc) -> Doc:
        on = doc._.published
        persons = self._person_spans(doc)
        persons = [self._with_first_name(doc, span, on, persons) for span in persons]
        mentions = [self._person_mention(doc, span, on) for span in persons]
        mentions = self._adopt_known_surnames(mentions)
        mentions = self._canonicalise_unknown(mentions)
        mentions = self._namesakes(mentions)
        taken = {i for m in mentions for i in range(m.start, m.end)}
        mentions += self._surname_mentions(doc, mentions, taken, on)
        taken = {i for m in mentions for i in range(m.start, m.end)}
        mentions += self._described_mentions(doc, taken, on)
        taken = {i for m in mentions for i in range(m.start, m.end)}
        mentions += self._other_mentions(doc, taken)
        mentions.sort(key=lambda m: m.start)
        titled = {m.canonical for m in mentions if m.titled_leader}
        for m in mentions:
            m.titled_leader = m.titled_leader or (m.kind == "person" and m.canonical in titled)
        doc._.actor_mentions = mentions
        doc._.mention_at = {i: k for k, m in enumerate(mentions) for i in range(m.start, m.end)}
        return doc

    def _person_spans(self, doc: Doc) -> list[Span]:
        spans = [doc[s:e] for _, s, e in self.name_matcher(doc)]
        spans += [e for e in doc.ents if e.label_ == "PERSON" and any(t.is_title or t.is_upper for t in e)]
        spans = [self._trim(span) for span in spans]
        return filter_spans([s for s in spans if s is not None])

    def _with_first_name(self, doc: Doc, span: Span, on: date | None, spans: list[Span]) -> Span:
        """A known surname found alone ("Trump") right after a first name the recogniser left out
        ("Eric Trump"): when that first name is not the known person's, the two words name someone
        else, and a different first name blocks the surname match."""
        if len(span) != 1 or any(s.start <= span.start - 1 < s.end for s in spans):
            return span
        first = self._other_first_name(doc, span[0], on)
        return doc[first.i:span.end] if first is not None else span

    def _other_first_name(self, doc: Doc, tok, on: date | None, earlier: ActorMention | None = None):
        """The token before a known surname when it is a first name, and not that person's (the
        known person's, or the one named in full earlier: "Naghmeh Abedini" after "Saeed Abedini")."""
        if tok.i == 0:
            return None
        prev = doc[tok.i - 1]
        # (the recogniser may take the two words for a nationality or group: one span with the surname)
        one_entity = prev.ent_type_ in ("NORP", "ORG") and tok.ent_type_ == prev.ent_type_ and tok.ent_iob_ == "I"
        if not (prev.pos_ == "PROPN" and prev.is_title and prev.is_alpha and (prev.ent_type_ in ("", "PERSON") or one_entity)
                and fold(prev.text) not in TITLE_WORDS and fold(prev.text) not in self.surnames
                and fold(prev.text) not in MONTHS_AND_DAYS and not prev.whitespace_.count("\n")):
            return None
        if earlier is not None and earlier.person is None:
            words = name_words(earlier.canonical)
            return prev if len(words) > 1 and fold(words[0]) != fold(prev.text) else None
        if self.registry.person(tok.text, on) is None or self.registry.person(f"{prev.text} {tok.text}", on) is not None:
            return None
        return prev

    @staticmethod
    def _trim(span: Span) -> Span | None:
        """Drop titles, possessives and punctuation the recogniser included."""
        start, end = span.start, span.end
        doc = span.doc
        while start < end and (fold(doc[start].text).rstrip(".") in TITLE_WORDS or not doc[start].is_alpha
                               or fold(doc[start].text) in LEADING_WORDS):
            start += 1  # ("Though Trump", "But Putin": the recogniser took a sentence's first word in)
        while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
            end -= 1
        if start >= end or not any(t.is_alpha and t.text[:1].isupper() for t in doc[start:end]):
            return None
        return doc[start:end]

    def _person_mention(self, doc: Doc, span: Span, on: date | None) -> ActorMention:
        person = self.registry.person(span.text, on)
        gender = person.gender if person else None
        gender = honorific_gender([t.text for t in doc[max(0, span.start - 2):span.start]]) or gender
        canonical = person.name if person else clean_name(span.text)
        if canonical.isupper():  # "RELL" in a transcript label or a headline
            canonical = canonical.title()
        return ActorMention(span.start, span.end, span.start_char, span.end_char, span.text,
                            "person", canonical, gender, person, titled_leader=has_leader_title(span))

    @staticmethod
    def _adopt_known_surnames(mentions: list[ActorMention]) -> list[ActorMention]:
        """"Mr Kim" after "Kim Jong-un": a bare surname is the known person named in full here."""
        known = {fold(m.person.surname): m for m in mentions if m.person is not None}
        for m in mentions:
            words = name_words(m.text)
            if m.person is None and len(words) == 1 and fold(words[0]) in known:
                source = known[fold(words[0])]
                m.person, m.canonical = source.person, source.canonical
                m.gender = m.gender or source.gender
        return mentions

    @staticmethod
    def _canonicalise_unknown(mentions: list[ActorMention]) -> list[ActorMention]:
        """People not in the reference data: a bare surname takes the fullest name with the same
        last word. A name with a first name keeps its own: "Rahul Gandhi" after "Sonia Gandhi"
        is someone else, not the fuller form of a name seen before."""
        fullest: dict[str, str] = {}
        for m in mentions:
            words = name_words(m.canonical)
            if m.person is None and words:
                key = fold(words[-1])
                if len(words) > len(fullest.get(key, "").split()):
                    fullest[key] = " ".join(words)
        names = FullNames(mentions)
        for m in mentions:
            words = name_words(m.canonical)
            if m.person is None and len(words) == 1:
                m.canonical = names.nearest(m, m.gender) or fullest[fold(words[-1])]
        return mentions

    @staticmethod
    def _namesakes(mentions: list[ActorMention]) -> list[ActorMention]:
        """"Mrs Trump" is not the male leader Trump: an honorific whose gender differs from the
        known person's makes the mention someone else with that surname, the nearest fitting
        full name in the article ("Melania Trump"), else a bare surname."""
        names = FullNames(mentions)
        for m in mentions:
            if m.person is None or m.gender is None or m.person.gender is None or m.gender == m.person.gender:
                continue
            m.person, m.titled_leader = None, False
            m.canonical = names.nearest(m, m.gender) or name_words(m.text)[-1]
            m.namesake = len(m.canonical.split()) == 1
        return mentions

    def _surname_mentions(self, doc: Doc, mentions: list[ActorMention], taken: set[int],
                          on: date | None) -> list[ActorMention]:
        """Bare surnames ("Putin", "Mr Kim") of people named in full here or known to the reference data."""
        # (several people of one surname: the known one, else the first named; an honorific's
        # gender picks among them below)
        named_here: dict[str, ActorMention] = {}
        full_names = FullNames(mentions)
        for m in mentions:
            if m.kind == "person" and name_words(m.canonical):
                key = fold(m.person.surname if m.person else name_words(m.canonical)[-1])
                if key not in named_here or (named_here[key].person is None and m.person is not None):
                    named_here[key] = m
        found = []
        for tok in doc:
            # ("May said": the tagger's modal before a past tense is a name)
            modal_name = tok.tag_ == "MD" and tok.i + 1 < len(doc) and doc[tok.i + 1].tag_ == "VBD"
            if tok.i in taken or not tok.text[:1].isupper() or (tok.tag_ not in ("NNP", "NNPS", "NN") and not modal_name):
                continue
            key = fold(tok.text)
            earlier = named_here.get(key)
            if tok.tag_ == "NN" and earlier is None:
                continue  # a capitalised common noun ("Trump" tagged as one) counts only after the full name
            before = [t.text for t in doc[max(0, tok.i - 2):tok.i]]
            titled = honorific_gender(before) is not None or (tok.i > 0 and fold(doc[tok.i - 1].text).rstrip(".") in TITLE_WORDS)
            first = self._other_first_name(doc, tok, on, earlier)
            if first is not None:
                # "Igor Putin": a first name the recogniser missed, not the known Putin's
                found.append(ActorMention(first.i, tok.i + 1, first.idx, tok.idx + len(tok.text),
                                          doc[first.i:tok.i + 1].text, "person", f"{first.text} {tok.text}"))
                continue
            said_gender = honorific_gender(before)
            if earlier is not None and said_gender and earlier.gender and earlier.gender != said_gender:
                # "Mrs Venn" after "Arla Venn" and "Tomas Venn": the one of that gender
                probe = ActorMention(tok.i, tok.i + 1, tok.idx, tok.idx, tok.text, "person", tok.text, said_gender)
                other = full_names.nearest(probe, said_gender)
                earlier = next((x for x in mentions if x.canonical == other), None) if other else None
                if earlier is None:
                    continue
            if earlier is not None:
                person, canonical, gender = earlier.person, earlier.canonical, earlier.gender
            elif key in self.surnames and key not in MONTHS_AND_DAYS and (
                    titled or tok.ent_type_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")):
                person = self.registry.person(tok.text, on)
                if person is None or (said_gender and person.gender and person.gender != said_gender):
                    continue  # "Mrs Trump" is not the male leader of that name
                canonical, gender = person.name, person.gender
            else:
                continue
            gender = honorific_gender(before) or gender
            found.append(ActorMention(tok.i, tok.i + 1, tok.idx, tok.idx + len(tok.text), tok.text,
                                      "person", canonical, gender, person))
        return found

    def _described_mentions(self, doc: Doc, taken: set[int], on: date | None) -> list[ActorMention]:
        """Office holders named by description: "the Russian president", "Taiwan's president"."""
        found = []
        for chunk in doc.noun_chunks:
            root = chunk.root
            if root.i in taken or root.lemma_.lower() not in OFFICE_HEADS:
                continue
            if any(t.lower_ in NOT_ONE_HOLDER for t in chunk if t.i < root.i):
                continue  # "each U.S. president", "the former president": not one person on that date
            parsed = self.registry.parse_office(chunk.text)
            if not parsed or parsed[0] is None:
                continue
            person = self.registry.holder(parsed[1], parsed[0], on)
            if person is None:
                continue
            start = max(chunk.start, min((i for i in range(chunk.start, root.i + 1) if i not in taken), default=root.i))
            span = doc[start:root.i + 1]
            found.append(ActorMention(span.start, span.end, span.start_char, span.end_char, span.text,
                                      "person", person.name, person.gender, person))
        return found

    def _other_mentions(self, doc: Doc, taken: set[int]) -> list[ActorMention]:
        spans = [doc[s:e] for _, s, e in self.org_matcher(doc)]
        spans += [e for e in doc.ents if e.label_ in ("ORG", "GPE", "NORP")]
        found = []
        for span in filter_spans(spans):
            if any(i in taken for i in range(span.start, span.end)):
                continue
            org = self.registry.organisation(span.text)
            if org is not None:
                found.append(ActorMention(span.start, span.end, span.start_char, span.end_char, span.text,
                                          "organisation", org.name, None, None, org.country))
                continue
            country = self.registry.country(span.text) if span.label_ in ("GPE", "NORP") else None
            if country is not None:
                found.append(ActorMention(span.start, span.end, span.start_char, span.end_char, span.text,
                                          "country", country.name, None, None, country.code))
            elif span.label_ == "ORG":
                name = span.text[4:] if span.text.lower().startswith("the ") else span.text
                found.append(ActorMention(span.start, span.end, span.start_char, span.end_char, span.text,
                                          "organisation", name))
        return found


class FullNames:
    """The people named in full in a text (first name and surname as written), by surname: a bare
    surname looks up the nearest fitting one in time proportional to the few names sharing it."""

    def __init__(self, mentions: list[ActorMention]) -> None:
        self.by_key: dict[str, dict[str, tuple[ActorMention, list[int]]]] = {}
        for x in mentions:
            words = name_words(x.canonical)
            if x.kind != "person" or len(name_words(x.text)) < 2 or len(words) < 2 or fold(words[0]) == fold(words[-1]):
                continue
            people = self.by_key.setdefault(fold(words[-1]), {})
            people.setdefault(x.canonical, (x, []))[1].append(x.start)

    def nearest(self, m: ActorMention, gender: str | None = None, not_person: str | None = None) -> str | None:
        """The canonical name of the nearest other full name with m's last name, of a gender that
        fits (the one named before m first, else the first one after)."""
        words = name_words(m.text)
        if not words:
            return None
        best_before, best_after = None, None
        for canonical, (x, starts) in self.by_key.get(fold(words[-1]), {}).items():
            if (gender and x.gender and x.gender != gender) or (
                    gender and x.person is not None and x.person.gender not in (None, gender)):
                continue
            if not_person is not None and x.person is not None and x.person.id == not_person:
                continue
            k = bisect_left(starts, m.start)
            if k > 0 and (best_before is None or starts[k - 1] > best_before[0]):
                best_before = (starts[k - 1], canonical)
            if k < len(starts) and starts[k] != m.start and (best_after is None or starts[k] < best_after[0]):
                best_after = (starts[k], canonical)
        pick = best_before or best_after
        return pick[1] if pick else None


@Language.factory("summitry_actors", default_config={"actors_path": None})
def make_actor_mention_finder(nlp: Language, name: str, actors_path: str | None):
    return ActorMentionFinder(nlp, Registry.load(actors_path))
