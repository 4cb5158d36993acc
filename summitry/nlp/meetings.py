"""Leader encounters: who met whom, when, where, on what occasion, in what form.

A meeting is reported by a trigger ("met", "summit", "talks", "phone call", "shook hands",
"received", "the G20 in Hamburg") with at least two national leaders around it. Each trigger
is a *mention*, built around the event:

- participants come from the trigger's syntax (subject and object of "met", "between A and B",
  "A's talks with B"), leaving out clauses about something else ("who argued with X",
  "succeeding X"); a list on the counterpart side makes one meeting each ("will meet A and
  B", "the leaders of Japan and Germany", resolved by office and date); failing syntax, the
  two leaders of the sentence near the trigger, or the pair the article is about ("their
  summit"). A subject that names someone else ("the Queen greeted A and B", "a minister's
  visit") makes no meeting of the leaders around it; participants must hold a leader office
  at the encounter's date;
- date and place are those attached to the trigger or the verbs carrying it ("is expected to
  meet ... in Los Cabos", "a 2011 meeting at the White House"), never another verb's ("landed
  in Brussels before the meeting"); a summit inside another trigger's phrase is its occasion;
- status comes from tense, modality, negation and cancellation words around the trigger, and a
  date after publication makes it planned.

Mentions of the same leaders that agree on date, place and form (in person or by phone) are
merged into one `MeetingReport` per article, its status from the strongest evidence, so that
"their meeting", "the summit" and "the talks in Helsinki" become one record; each report
carries a confidence from the strength of its evidence. The article's wire dateline and the
city an occasion is named with elsewhere place encounters the sentence leaves unplaced.

Writes `doc._.meetings`: a list of `summitry.records.MeetingReport`.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .doc_index import char_span, sentence_of, text_of
from ..actors import Registry
from ..records import MeetingReport
from .actors import ActorMention
from .names import fold
from .durations import scheduled_and_actual_minutes

TRIGGER_NOUNS = frozenset("""
meeting summit talks encounter call sit-down chat session conversation visit handshake
tete-a-tete tête-à-tête bilateral get-together gathering dinner phone telephone conference trip
""".split())
TRIGGER_VERBS = frozenset("meet talk speak call phone telephone host visit greet welcome sit invite hold join shake receive "
                          "apologize apologise".split())
OCCASION = re.compile(
    r"\b(G-?20|G-?7|G-?8|Group of (?:20|Seven|Eight|7|8)|APEC)(?:\s+(summit|meeting|forum|gathering|leaders'? meeting))?"
    r"|\b(ASEAN|NATO|BRICS|East Asia|EU|European Union|SCO|Shanghai Cooperation Organi[sz]ation)\s+(summit|leaders'? meeting)"
    r"|\b((?:UN|U\.N\.|United Nations) General Assembly|World Economic Forum|Davos)"
    r"|\bstate visit\b|\binter-Korean summit\b",
    re.I)
MULTILATERAL = re.compile(r"G-?20|G-?7|G-?8|Group of|APEC|ASEAN|NATO|BRICS|East Asia|General Assembly|Forum|Davos|Shanghai", re.I)
CANCELLED = re.compile(r"\b(cancel+ed|cancel+ing|cancels?|called off|calls? off|scrapped|scrap|axed)\b", re.I)
PLURAL_PAIR = re.compile(r"\b(the two (leaders|presidents|men|sides)|both (leaders|men|presidents)|their|the leaders)\b", re.I)
# Countries outside the reference data and regions: never the place of a meeting
REGIONS = frozenset("""
europe asia africa america americas scandinavia balkans caucasus iraq syria afghanistan iran libya
yemen lebanon jordan egypt scotland england wales ireland crimea donbas gaza kosovo serbia poland
hungary belarus moldova
""".split()) | {"middle east", "latin america", "west bank", "north korea", "south korea", "soviet union"}
# Seats of government stand for their city: the place of a meeting is a city
VENUE_CITY = {"white house": "Washington", "oval office": "Washington", "kremlin": "Moscow",
              "elysee palace": "Paris", "elysee": "Paris", "downing street": "London",
              "blue house": "Seoul", "zhongnanhai": "Beijing", "great hall of the people": "Beijing",
              "chancellery": "Berlin", "camp david": "Camp David", "palace of the revolution": "Havana",
              "buckingham palace": "London", "blair house": "Washington", "akasaka palace": "Tokyo",
              "cheong wa dae": "Seoul", "novo-ogaryovo": "Moscow", "bocharov ruchei": "Sochi",
              "rashtrapati bhavan": "New Delhi", "hyderabad house": "New Delhi", "palazzo chigi": "Rome",
              "rideau hall": "Ottawa", "bellevue palace": "Berlin"}
# subjects that make an encounter someone else's
NON_LEADER_NOUNS = {"friend", "official", "officials", "minister", "ministers", "diplomat", "diplomats", "aide",
                    "aides", "envoy", "envoys", "delegation", "secretary", "adviser", "advisers", "negotiator",
                    "negotiators", "lawmaker", "lawmakers", "senator", "senators", "spokesman", "spokeswoman"}
MOTION_VERBS = {"travel", "go", "head", "fly", "come", "return", "arrive", "jet", "leave", "depart"}
NEAR_TOKENS = 30
# subject heads that may stand for leaders ("the two leaders met", "the president greeted")
LEADERISH = {"leader", "president", "premier", "minister", "chancellor", "man", "side", "pair", "two", "both",
             "counterpart", "head", "host", "guest", "delegation", "country", "nation", "government", "ally"}
# triggers that imply an encounter without naming one ("apologized to May", "her Washington trip")
IMPLICIT_TRIGGERS = {"apologize", "apologise", "trip"}
# bodies whose meetings are internal ("a Cabinet meeting", "a staff call")
INTERNAL_BODIES = {"cabinet", "staff", "caucus", "board", "party", "campaign", "committee", "team",
                   "planning", "budget", "town", "town-hall", "fundraising", "donor", "shareholder"}
# verbs whose object is an audience, not an encounter ("told a gathering of world leaders")
AUDIENCE_VERBS = {"tell", "address", "urge", "warn", "remind", "assure", "lecture"}
EARLIER = re.compile(r"\b(last|previous|a|one|two|three) (year|month|years|months) (ago|earlier)\b|\b(last|previous) (year|month)\b", re.I)
# nouns that name a leader as the other party ("a meeting with his counterpart")
LEADER_NOUNS = {"leader", "president", "premier", "minister", "chancellor", "counterpart", "head", "host", "king",
                "prince", "emir", "monarch"}
# words that make a list of leaders the party to one encounter, not several
JOINT = re.compile(r"\b(three-way|trilateral|four-way|multilateral|joint(ly)?|together|all three|all four|trio)\b", re.I)
PHONE = re.compile(r"\b(phone|telephone|call(ed|s|ing)?|spoke by)\b", re.I)


@dataclass
class MeetingMention:
    participants: frozenset[str]
    trigger: Token
    span: Span  # the stretch of the sentence this trigger owns (evidence)
    date: str | None = None
    place: str | None = None
    occasion: str | None = None
    status: str = "held"
    format: str | None = None

    past: bool = False  # told as having happened: a past-tense verb, or a date well before publication
    linked: bool = False  # the participants are tied to the trigger by syntax, not inferred from the sentence or article
    named: bool = False  # every participant is named in the trigger's sentence (not "he", "their", the article's pair)

    @property
    def by_phone(self) -> bool:
        return self.format in ("phone", "video")

    future: bool = False  # told as still to come, in so many words ("will meet", "invited him to")
    supporting: bool = False  # only the article's pair at a gathering: joins a report, never makes one
    earlier: bool = False  # told as a past occasion ("last year") that the text leaves undated


if not Doc.has_extension("meetings"):
    Doc.set_extension("meetings", default=None)


def leader_mentions(doc: Doc, on: date | None) -> list[ActorMention]:
    # a leader is someone who has held a leader office (by then or later: a
    # 2025 article may speak of a 2017 meeting, a 2001 article of a future president);
    # computed once per Doc (asked for every trigger)
    cached = doc.user_data.get("summitry.leader_mentions")
    if cached is None or cached[0] is not doc._.actor_mentions:
        glued = {t.i for t in doc if GLUED_TOKEN.match(t.text)} | link_list_tokens(doc)
        found = [m for m in doc._.actor_mentions or [] if m.kind == "person" and m.is_leader(None)
                 and not GLUED.search(m.text) and not any(i in glued for i in range(m.start - 1, m.end + 3))
                 and not other_office_title(doc, m) and not DATE_WORD.search(m.text)]
        cached = doc.user_data["summitry.leader_mentions"] = (doc._.actor_mentions, found)
    return cached[1]


# a recogniser slip: a name run into a date word ("Trump Sunday", "Putin Monday")
DATE_WORD = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
                       r"June|July|August|September|October|November|December)\b")
# a recogniser slip: a name glued to the next word of a link list or a date ("TrumpTrump says",
# "PutinMonday"), not a mention of a leader
GLUED = re.compile(r"[a-z][A-Z][a-z]")
# a glued token ("TrumpTrump", "PutinMonday") makes the names beside it part of the same slip
# (a link list: "President Trump Donald John TrumpTrump faces ..."); not "McConnell", "DeSantis"
GLUED_TOKEN = re.compile(r"^(?!Mc|Mac|De|La|Le|Di|Da|Van|Von|O')[A-Z][a-z]+[A-Z][a-z]+")


def other_office_title(doc: Doc, mention: ActorMention) -> bool:
    """A former leader named by the office he holds now ("NATO Secretary General Jens
    Stoltenberg"): not a leader in this story."""
    before = {t.lower_ for t in doc[max(mention.start - 3, 0):mention.start]}
    return bool(before & {"secretary", "secretary-general", "secretary-generals"})


def link_list_tokens(doc: Doc) -> set[int]:
    """Tokens of an inline list of links after a name ("President Trump Donald John
    TrumpTrump faces high stakes in meeting with X ... MORE"): a glued token opens headlines
    of other stories, closed by "MORE"; their meetings and names are not this story's."""
    cached = doc.user_data.get("summitry.link_lists")
    if cached is None:
        cached = set()
        for t in doc:
            if GLUED_TOKEN.match(t.text):
                close = next((u.i for u in doc[t.i + 1:t.i + 80] if u.text == "MORE"), None)
                if close is not None:
                    cached.update(range(max(t.i - 3, 0), close + 1))
        doc.user_data["summitry.link_lists"] = cached
    return cached


def someone_else_since(doc: Doc, leader: ActorMention, pron: Token, gender: str) -> bool:
    """A person who is no leader is named between the leader and the pronoun, in the
    pronoun's sentence or the one before ("Kushner brokered a meeting ... Since then, he has
    met world leaders"): the pronoun is more likely theirs."""
    start = pron.sent.start
    previous = doc[start - 1].sent.start if start > 0 else start
    for m in doc._.actor_mentions or []:
        if m.kind != "person" or not (leader.end <= m.start < pron.i and m.start >= previous):
            continue
        if m.is_leader(None) or m.gender not in (None, gender) or m.canonical == leader.canonical:
            continue
        if m.person is not None or len(m.text.split()) >= 2:
            return True
    return False


def leaders_before(doc: Doc, i: int) -> list[ActorMention]:
    skip = link_list_tokens(doc)
    return [m for m in doc._.actor_mentions or [] if m.end <= i and m.kind == "person" and m.is_leader(None)
            and not GLUED.search(m.text) and m.start not in skip]


def pair_named_nearby(doc: Doc, sent: Span, pair: frozenset[str]) -> bool:
    """Both leaders of the article's pair are named in this paragraph or the one before it."""
    text = text_of(doc)
    paragraph_start = text.rfind("\n", 0, sent.start_char)  # -1 in the first paragraph
    previous_end = len(text[:max(paragraph_start, 0)].rstrip())
    window_start = text.rfind("\n", 0, previous_end) + 1 if paragraph_start > 0 else 0
    named = {m.canonical for m in doc._.actor_mentions or [] if window_start <= m.start_char < sent.end_char}
    return pair <= named


def main_pair(leaders: list[ActorMention]) -> frozenset[str] | None:
    """The two leaders the article is about: the two named most often (each at least twice)."""
    counts: dict[str, int] = {}
    for m in leaders:
        counts[m.canonical] = counts.get(m.canonical, 0) + 1
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:2]
    if len(top) == 2 and top[1][1] >= 2:
        return frozenset(name for name, _ in top)
    return None


class MeetingFinder:
    def __init__(self, registry: Registry):
        self.registry = registry
        # set by _participants for the mentions it is making
        self.supporting = False  # only the article's pair at a gathering
        self.listed = False  # one of several counterparts listed with a plural trigger
        self.traveller: str | None = None  # set by _country_leaders: who travels to the countries

    def __call__(self, doc: Doc) -> Doc:
        on = doc._.published
        leaders = leader_mentions(doc, on)
        pair = main_pair(leaders)
        mentions: list[MeetingMention] = []
        for sent in doc.sents:
            mentions += self._sentence_mentions(doc, sent, leaders, pair)
        doc._.meetings = merge(doc, mentions, pair)
        # "the G-7 summit in Biarritz" once, "at the Group of Seven summit in France" elsewhere:
        # an occasion's city, named anywhere in the article, is the place of meetings held there
        venues = self._occasion_places(doc)
        for report in doc._.meetings:
            if report.place is None and report.occasion and report.format not in ("phone", "video"):
                report.place = venues.get(report.occasion.lower())
        city = dateline_city(text_of(doc))
        if city and on is not None:
            # "HANOI (Reuters) -": an encounter held within a day or two of the story (or told
            # with no date at all), with no place of its own, is where the reporter filed from
            for report in doc._.meetings:
                if report.place is None and report.status == "held" and report.format not in ("phone", "video") \
                        and (report.date is None or near_day(report.date, on)):
                    report.place = city
        if on is not None:
            # news reports its encounters when they happen: an encounter the article dates
            # nowhere is placed in the month of publication, as precisely as that fixes it
            for report in doc._.meetings:
                if report.date is None and report.status in ("held", "planned"):
                    report.date = on.strftime("%Y-%m")
        doc._.meetings = [r for r in doc._.meetings if self._leaders_then(doc, r)]
        return doc

    def _occasion_places(self, doc: Doc) -> dict[str, str]:
        places: dict[str, str] = {}
        text = text_of(doc)
        for m in OCCASION.finditer(text):
            span = char_span(doc, m.start(), m.end())
            key = normalise_occasion(m).lower()
            if span is None or key in places:
                continue
            place = self._attached_place(span[-1], {span[-1].i}, sentence_of(span[-1]))
            if place:
                places[key] = place
        return places

    def _leaders_then(self, doc: Doc, report: MeetingReport) -> bool:
        """Drop participants who held no leader office at the time of the encounter (a
        former prime minister as NATO's secretary general); a president-elect still counts.
        The time is the encounter's date, else the publication date, else any time."""
        when = report.date or (doc._.published.isoformat() if doc._.published else None)
        if when is None:
            return True
        people = {m.canonical: m.person for m in doc._.actor_mentions or [] if m.person is not None}
        keep = [name for name in report.participants
                if people.get(name) is None or (leader_in_period(people[name], when)
                                                and not self._reigns_only(people[name]))]
        if len(keep) < 2:
            return False
        report.participants = keep
        return True

    def _reigns_only(self, person) -> bool:
        """A monarch who reigns without governing (the British Queen, the Spanish King): every
        leader office of theirs is a throne where the country's leader is someone else."""
        offices = [o for o in person.offices if o.is_leader]
        if not offices or any(o.office != "monarch" for o in offices):
            return False
        return all((c := self.registry.countries.get(o.country)) is not None and c.leader_office not in (None, "monarch")
                   for o in offices)

    # ---- one sentence ------------------------------------------------------------------------

    def _sentence_mentions(self, doc: Doc, sent: Span, leaders: list[ActorMention],
                           pair: frozenset[str] | None) -> list[MeetingMention]:
        if sent.text.count(" | ") >= 2:
            return []  # "The Money: ... | Dems ramp up ... | Judge hints ...": a strip of headlines
        triggers = self._triggers(sent)
        if not triggers:
            return []
        in_sent = [m for m in leaders if sent.start <= m.start < sent.end]
        found = []
        trigger_ids = {t.i for t, _ in triggers}
        # "meet on the sidelines of the G-20 summit": the summit is the meeting's occasion, so
        # the meeting's stretch runs over it (its place, its date); it makes a mention of its
        # own only when the trigger it hangs on makes none
        governors = {t.i: subsumed(t, trigger_ids) for t, _ in triggers}
        main = [t for t in triggers if governors[t[0].i] is None]
        made: set[int] = set()
        for todo in (main, triggers):
            for k, trig in enumerate(todo):
                if todo is triggers and (governors[trig[0].i] is None or governors[trig[0].i] in made):
                    continue
                # the words a trigger owns: up to the next trigger, then back to the previous one
                after = doc[trig[0].i:todo[k + 1][0].i if k + 1 < len(todo) else sent.end]
                before = doc[sent.start if k == 0 else todo[k - 1][0].i + 1:trig[0].i]
                # leaders named as another trigger's party ("discussed at the summit during a news
                # conference with May") are not this trigger's by proximity
                claimed = {i for t, _ in triggers if t.i != trig[0].i for i in counterpart_tokens(t)} - core_subtree(trig[0])
                people = self._participants(doc, trig[0], in_sent, sent, pair, speaker_of=self._speaker_of_quote(doc, trig[0]),
                                            occasion=trig[1], claimed=claimed)
                tied = self._linked_leaders(doc, trig[0], in_sent) if people else set()
                for group in people:
                    mention = self._describe(doc, trig, group, (after, before), sent)
                    mention.linked = group <= tied
                    mention.named = group <= {m.canonical for m in in_sent}
                    mention.supporting = self.supporting
                    if self.listed or not refers_to_several(mention):
                        found.append(mention)
                        made.add(trig[0].i)
        return found

    def _triggers(self, sent: Span) -> list[tuple[Token, str | None]]:
        """Trigger tokens in order, each with the occasion it names (if it is one)."""
        triggers: list[tuple[Token, str | None]] = []
        occasion_spans = []
        for m in OCCASION.finditer(sent.text):
            span = char_span(sent.doc, sent.start_char + m.start(), sent.start_char + m.end())
            if span is not None:
                occasion_spans.append((span, normalise_occasion(m)))
        covered = {t.i for span, _ in occasion_spans for t in span}
        for span, occ in occasion_spans:
            triggers.append((span[-1], occ))
        skip = link_list_tokens(sent.doc)
        triggers = [t for t in triggers if t[0].i not in skip]
        for tok in sent:
            if tok.i in covered or tok.i in skip:
                continue
            lemma = tok.lemma_.lower()
            # "talks" is lemmatised to "talk"; the plural is the meeting, "a talk" is a speech
            noun = tok.lower_ if tok.lower_ == "talks" else lemma
            # "a bilateral set for Saturday": the adjective used as a noun
            as_noun = tok.pos_ in ("NOUN", "PROPN") or (tok.lower_ == "bilateral" and tok.dep_ in (
                "nsubj", "nsubjpass", "dobj", "pobj"))
            if (as_noun and noun in TRIGGER_NOUNS and self._meeting_noun(tok)) or (
                    tok.pos_ == "VERB" and lemma in TRIGGER_VERBS and self._meeting_verb(tok)):
                triggers.append((tok, None))
        triggers.sort(key=lambda t: t[0].i)
        return triggers

    def _meeting_noun(self, tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        if any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
            return False  # "no preparatory conversations since March": not an encounter
        if lemma in ("meeting", "session", "call") and any(
                c.dep_ in ("compound", "amod") and c.lemma_.lower() in INTERNAL_BODIES for c in tok.children):
            return False  # "said during a Cabinet meeting": a government's own meeting, no encounter
        if lemma in ("gathering", "session", "conference") and tok.dep_ == "dobj" \
                and tok.head.lemma_.lower() in AUDIENCE_VERBS:
            return False  # "told a gathering of world leaders, including A and B": an audience
        if lemma == "conference":  # "a news conference with X": a joint appearance
            return any(c.lower_ in ("with",) for c in tok.children) or any(
                c.lower_ == "joint" for c in tok.lefts)
        if lemma == "call" and any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children):
            return False  # "Trump's calls for Russia to be readmitted": a demand, not a phone call
        if lemma in ("phone", "telephone"):
            return tok.head.lemma_.lower() in ("call", "conversation") or any(c.lemma_ == "call" for c in tok.children)
        if lemma == "visit":
            return any(c.dep_ == "prep" and c.lower_ in ("to", "with") for c in tok.children) \
                or self._capital_of_trip(tok) is not None
        if lemma == "trip":  # "her first Washington trip", "a trip to Moscow": to a seat of government
            return self._capital_of_trip(tok) is not None
        if lemma == "dinner":
            return any(c.lower_ == "with" for c in tok.children)
        return True

    @staticmethod
    def _meeting_verb(tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        objs = [c for c in tok.children if c.dep_ in ("dobj", "prep", "prt")]
        if lemma in ("talk", "speak"):
            return any(c.lower_ in ("with", "to", "by") for c in objs)
        if lemma in ("apologize", "apologise"):
            # "apologized to May for the furor": said to the leader's face, an encounter; not
            # "apologized for" alone, nor an apology to the public
            at = tok.doc._.mention_at or {}
            mentions = tok.doc._.actor_mentions or []
            return any(c.dep_ == "prep" and c.lower_ == "to" and any(
                g.dep_ == "pobj" and g.i in at and mentions[at[g.i]].kind == "person" for g in c.children) for c in objs)
        if lemma == "hold":
            # "held talks"; not "agreed to hold regular summits" (a habit, not an encounter)
            return any(c.dep_ == "dobj" and c.lemma_.lower() in TRIGGER_NOUNS and not (
                c.tag_ == "NNS" and c.lower_ not in ONE_ENCOUNTER_PLURALS) for c in tok.children)
        if lemma == "shake":  # "shook hands with"
            return any(c.dep_ == "dobj" and c.lemma_.lower() == "hand" for c in tok.children)
        if lemma == "receive":  # "received Rell at the palace"; not "received a letter"
            at = tok.doc._.mention_at or {}
            mentions = tok.doc._.actor_mentions or []
            return any(c.dep_ == "dobj" and (c.lower_ in ("him", "her") or (
                c.i in at and mentions[at[c.i]].kind == "person")) for c in tok.children)
        if lemma == "sit":
            return any(c.lower_ == "down" for c in tok.children)
        if lemma == "call":
            # "called Putin" (phoned); not "called the plan reckless" / "called for"
            return any(c.dep_ == "dobj" for c in tok.children) and not any(
                c.dep_ in ("oprd", "xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ in ("for", "on")) for c in tok.children)
        if lemma == "join":  # "were joined by Moon"
            return any(c.dep_ == "agent" for c in tok.children)
        if lemma == "invite" and any(c.dep_ == "xcomp" and c.lemma_.lower() not in TRIGGER_VERBS | {"come", "attend"}
                                     for c in tok.children):
            return False  # "invited the president to inspect the guard": not to an encounter
        if lemma in ("host", "greet", "welcome", "visit", "invite", "phone", "telephone"):
            return any(c.dep_ == "dobj" for c in tok.children)
        return True

    @staticmethod
    def _speaker_of_quote(doc: Doc, tok: Token) -> str | None:
        for st in doc._.statements or []:
            for s, e in (st.parts or [[st.start, st.end]]):
                if s <= tok.idx < e and st.speaker:
                    return st.speaker
        return None

    def _participants(self, doc: Doc, trig: Token, in_sent: list[ActorMention], sent: Span,
                      pair: frozenset[str] | None, speaker_of: str | None,
                      occasion: str | None = None, claimed: set[int] = frozenset()) -> list[frozenset[str]]:
        self.supporting = self.listed = False
        linked = self._linked_leaders(doc, trig, in_sent)
        if trig.lower_ == "talks":
            # "talks" are as often officials' negotiations ("stalled nuclear talks"): only when
            # the leaders are the parties named with them ("talks between A and B", "A held talks with B")
            return [frozenset(linked)] if len(linked) >= 2 else []
        # a multilateral summit ("during this weekend's G-7 summit") is no encounter of the
        # article's pair unless the sentence names them both or calls them "the two leaders":
        # it only lends its date and place to an encounter of theirs told elsewhere (`gathering`)
        # "Tomorrow I go to Helsinki for a meeting with Putin," tweeted a leader
        leaders = {m.canonical for m in leader_mentions(doc, None)}
        if speaker_of in leaders and any(t.lower_ in ("i", "me", "my", "we") for t in sent):
            linked.add(speaker_of)
        host = self._trip_host(doc, trig)
        if host and len(linked) < 2:
            linked |= set(host)
        gathering = bool(occasion and MULTILATERAL.search(occasion)) or (
            trig.pos_ == "NOUN" and trig.lemma_.lower() == "summit"
            and bool(MULTILATERAL.search(" ".join(t.text for t in trig.subtree if t.i < trig.i))))
        # "will head to St. Petersburg, Russia, for a G20 summit": the host country's leader is
        # no party of a multilateral summit
        by_country = set() if gathering else self._country_leaders(doc, trig, sent)
        if gathering:
            self.traveller = None
        linked |= by_country | ({self.traveller} if self.traveller else set())
        # "for bilateral meetings" with the leaders of the countries listed: one each, not a set
        self.listed = bool(by_country)
        if len(linked) < 2 and self._other_actor(doc, trig):
            return []  # "a friend had visited France", "the minister said during a visit to Beijing"
        if len(linked) < 2 and trig.pos_ != "VERB" and trig.lower_ in ("summit", "meeting") and any(
                t.i in {x.i for x in trig.lefts} and t.ent_type_ in ("ORG", "PRODUCT", "NORP") for t in trig.lefts) \
                and MULTILATERAL.search(" ".join(t.text for t in trig.lefts)) \
                and not (any(t.ent_type_ in ("GPE", "DATE") for t in trig.subtree) and any(
                    a.pos_ == "NOUN" and a.lemma_.lower() in ("encounter", "meeting", "talk") for a in trig.ancestors)):
            return []  # two leaders who were both at "the Nato summit" did not thereby meet
            # ("encounters such as ... the G20 summit in Osaka in June 2019" names one of theirs)
        # failing syntax, the two leaders of the sentence -- if they are near the trigger (in a
        # long run-on sentence, a link list or a caption strip, they are not its parties)
        side = counterpart_tokens(trig)
        if self._counterpart_named_otherwise(doc, trig) and not any(
                m.start in side for m in in_sent) and not (by_country or self.traveller):
            return []  # "met all three of them", "a meeting with business leaders": not the leaders around
        near = {m.canonical for m in in_sent if abs(m.start - trig.i) <= NEAR_TOKENS}
        everyone = {m.canonical for m in in_sent if m.start not in claimed} | (linked & {m.canonical for m in in_sent})
        names = linked if len(linked) >= 2 else linked | everyone if len(everyone) == 2 and everyone <= near | linked else linked
        if len(names) < 2 and pair and (names <= pair) and not self._counterpart_named_otherwise(doc, trig) and (
                PLURAL_PAIR.search(sent.text) or (names and trig.lower_ in ("summit", "meeting"))):
            names = set(pair)  # "their summit", or "Venn ... the summit" in a Venn-Rell story
            self.supporting = gathering and not PLURAL_PAIR.search(sent.text)
        if not names and pair and trig.lemma_.lower() in ("summit", "meeting", "encounter", "session") \
                and pair_named_nearby(doc, sent, pair):
            names = set(pair)
            self.supporting = gathering
        if len(names) < 2 or (len(names) > 2 and trig.lemma_.lower() in IMPLICIT_TRIGGERS):
            return []  # an apology or a trip is an encounter of two, or a guess too far
        caller = self._subject_leader(doc, trig, in_sent)
        if len(names) > 2 and PHONE.search(trig.text) and caller in names:
            # "he would call Abe and Moon": one call each, to those he calls
            called = {t.i for c in trig.children if c.dep_ == "dobj" for t in c.subtree}
            callees = sorted({m.canonical for m in in_sent if m.start in called} - {caller})
            return [frozenset({caller, other}) for other in callees]
        listed = ({m.canonical for m in in_sent if m.start in counterpart_tokens(trig)} | by_country) & names
        if trig.pos_ == "VERB" and names <= listed and (self._other_actor(doc, trig) or len(names) == 2):
            return []  # "the Queen greeted A and B", "he met leaders including A and B": each met the subject, not one another
        if len(names) > 2 and not JOINT.search(sent.text):
            # "X will meet with A and B", "X met the leaders of A, B and C": one encounter with
            # each of the listed leaders, not one three-way meeting
            listed = ({m.canonical for m in in_sent if m.start in counterpart_tokens(trig)} | by_country) & names
            hosts = names - listed
            if len(listed) >= 2 and len(hosts) == 1:
                host = next(iter(hosts))
                self.listed = True
                return [frozenset({host, other}) for other in sorted(listed)]
        if len(names) > 3 and not re.search(r"\b(three-way|trilateral|four-way|multilateral)\b", sent.text, re.I):
            return []  # a list of leaders, not the party to one encounter
        return [frozenset(names)]

    def _country_leaders(self, doc: Doc, trig: Token, sent: Span) -> set[str]:
        """Leaders named by their country: "met the leaders of Japan, India and Germany",
        "travels to Ireland and France for bilateral meetings" -- each the holder of the
        country's leading office on the publication date."""
        self.traveller = None
        on = doc._.published
        if on is None:
            return set()
        where: set[int] = set()
        side = counterpart_tokens(trig)
        if any(doc[i].lemma_.lower() in ("leader", "counterpart", "head") for i in side):
            where |= side
        has_own = any(m.kind == "person" and m.start in side for m in doc._.actor_mentions or [])
        traveller: str | None = None
        if trig.pos_ != "VERB" and trig.dep_ == "pobj" and trig.head.lower_ == "for" and not has_own:
            verb = trig.head.head
            if verb.lemma_.lower() in MOTION_VERBS:
                for c in verb.children:
                    if c.dep_ == "prep" and c.lower_ == "to":
                        where |= {t.i for t in c.subtree}
                # the one who travels meets them ("before Trump travels to X and Y for bilateral
                # meetings", even when "Trump travels" is taken for a noun phrase)
                for c in verb.children:
                    if c.dep_ in ("nsubj", "compound") and c.i < verb.i:
                        ids = {t.i for t in c.subtree}
                        traveller = next((m.canonical for m in leader_mentions(doc, on) if m.start in ids), None)
                        if traveller is None and c.lower_ in ("he", "she"):
                            before = leaders_before(doc, c.i)
                            traveller = before[-1].canonical if before else None
        found = set()
        for m in doc._.actor_mentions or []:
            if m.kind == "country" and m.start in where and m.country:
                person = self.registry.holder("leader", m.country, on)
                if person is not None:
                    found.add(person.name)
        self.traveller = traveller if found else None
        return found

    def _capital_of_trip(self, tok: Token) -> ActorMention | None:
        """The capital a trip or visit goes to ("her first Washington trip", "a visit to
        Moscow"): the actor mention of that capital, else None. A country ("a trip to France")
        is not enough: the trip may keep away from its government."""
        doc = tok.doc
        at = doc._.mention_at or {}
        mentions = doc._.actor_mentions or []
        spots = [c for c in tok.children if c.dep_ in ("compound", "nmod", "amod")]
        spots += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "to" for g in c.children if g.dep_ == "pobj"]
        for c in spots:
            m = mentions[at[c.i]] if c.i in at else None
            if m is not None and m.kind == "country" and m.country:
                country = self.registry.countries.get(m.country)
                if country is not None and fold(m.text) in {fold(x) for x in country.capitals}:
                    return m
        return None

    def _trip_host(self, doc: Doc, trig: Token) -> tuple[str, str] | None:
        """A leader's trip or visit to a capital is an encounter with the leader of that
        country: the traveller (the possessor, "her", or the clause's subject) and the host
        (who held the office on the publication date, else the one the article names)."""
        if trig.lemma_.lower() not in ("trip", "visit") or trig.pos_ == "VERB":
            return None
        capital = self._capital_of_trip(trig)
        if capital is None:
            return None
        traveller = None
        for c in list(trig.children) + [c for c in trig.head.children if c.dep_ == "nsubj" and trig.dep_ in ("dobj", "pobj")]:
            if c.dep_ not in ("poss", "nsubj"):
                continue
            ids = {t.i for t in c.subtree}
            traveller = next((m.canonical for m in leader_mentions(doc, None) if m.start in ids), None)
            if traveller is None and c.lower_ in ("his", "her", "he", "she"):
                gender = "m" if c.lower_ in ("his", "he") else "f"
                # "On her first Washington trip, Merkel ...": the clause's own subject first
                verb = next((a for a in trig.ancestors if a.pos_ in ("VERB", "AUX")), None)
                subject = next((s for s in verb.children if s.dep_ == "nsubj"), None) if verb is not None else None
                ids = {t.i for t in subject.subtree} if subject is not None else set()
                own = [m for m in leader_mentions(doc, None) if m.start in ids and m.gender in (None, gender)]
                before = own or [m for m in leaders_before(doc, c.i) if m.gender in (None, gender)]
                traveller = before[-1].canonical if before else None
        if traveller is None:
            return None
        on = doc._.published
        person = self.registry.holder("leader", capital.country, on) if on else None
        if person is not None:
            host = person.name
        else:
            # undated story: the leader of that country the article names most
            named = [m.canonical for m in leader_mentions(doc, None) if m.person is not None and any(
                o.is_leader and o.country == capital.country for o in m.person.offices)]
            host = max(named, key=named.count) if named else None
        if host is None or host == traveller:
            return None
        return traveller, host

    @staticmethod
    def _counterpart_named_otherwise(doc: Doc, trig: Token) -> bool:
        """The trigger names its other party, and it is not a leader: "a summit with military
        allies", "a meeting with business leaders" -- not the article's pair."""
        people = {m.start for m in doc._.actor_mentions or []}
        objects = [c for c in trig.children if c.dep_ == "dobj"] if trig.pos_ == "VERB" else []
        if any(o.pos_ in ("NOUN", "NUM") and o.lemma_.lower() not in LEADER_NOUNS | LEADERISH | TRIGGER_NOUNS | {"hand"}
               and not any(t.i in people for t in o.subtree) or o.lower_ == "all" for o in objects):
            return True  # "met all three of them", "greeted the crowd"
        for c in trig.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "to"):
                for obj in c.children:
                    if obj.dep_ == "pobj" and obj.pos_ == "NOUN" and obj.lemma_.lower() not in LEADER_NOUNS \
                            and not any(t.i in people for t in obj.subtree):
                        return True
                    # "a summit with multiple world leaders", "talking to separatist leaders": a
                    # group no name or country fixes
                    if obj.dep_ == "pobj" and obj.tag_ == "NNS" and obj.lemma_.lower() in LEADER_NOUNS \
                            and not any(t.i in people for t in obj.subtree):
                        return True
                    # "a great meeting with NATO", "a news conference with Vice President Pence":
                    # an organisation or a person who is no leader
                    inside = [m for m in doc._.actor_mentions or [] if obj.left_edge.i <= m.start <= obj.right_edge.i]
                    if obj.dep_ == "pobj" and inside and all(
                            m.kind == "organisation" or (m.kind == "person" and not m.is_leader(None)) for m in inside):
                        return True
        return False

    @staticmethod
    def _other_actor(doc: Doc, trig: Token) -> bool:
        """The encounter's subject is a person who is not a leader ("a friend, Jim, had visited
        France"; "Tillerson said during a visit to Beijing"): the leaders elsewhere in the
        sentence are not its parties."""
        node = trig
        for _ in range(4):
            subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                ids = {t.i for t in subj.subtree}
                people = [m for m in doc._.actor_mentions or [] if m.kind == "person" and m.start in ids]
                if people:
                    return not any(m.is_leader(None) for m in people)
                if any(m.start in ids for m in doc._.actor_mentions or []):
                    return False  # a country or a government stands for its leader here
                # "the Queen greeted Mr Trump", "a trade minister had visited": a subject that
                # names no leader and is no pronoun or "the two leaders"
                return subj.lemma_.lower() in NON_LEADER_NOUNS or (
                    subj.pos_ in ("NOUN", "PROPN") and subj.lemma_.lower() not in LEADERISH)
            if node.dep_ not in ("dobj", "pobj", "prep", "xcomp", "pcomp") or node.head is node:
                return False
            node = node.head
        return False

    @staticmethod
    def _linked_leaders(doc: Doc, trig: Token, in_sent: list[ActorMention]) -> set[str]:
        """Leaders syntactically tied to the trigger: its subtree, its clause's subject, a possessor."""
        tied: set[int] = core_subtree(trig)
        head = trig
        for _ in range(3):  # "held talks with", "had a meeting with", "agreed to meet"
            # "made the comments ahead of a meeting with X": "ahead" carries the prepositional phrase
            if head.dep_ == "ccomp" and any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON"
                                            for c in head.children):
                break  # "Merkel said Putin would be talking to X": the clause has its own party
            if (head.dep_ in ("dobj", "xcomp", "pobj", "prep", "attr", "nsubj", "ccomp", "conj")
                    or (head.dep_ == "advmod" and head.lower_ == "ahead")) and head.head is not head:
                head = head.head
                for c in head.children:
                    if c.dep_ in ("nsubj", "nsubjpass", "agent", "dobj"):
                        tied.update(core_subtree(c))
            else:
                break
        for c in trig.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                tied.update(core_subtree(c))
        names = {m.canonical for m in in_sent if m.start in tied}
        # "Bush hosted him": a pronoun stands for the nearest leader named before it
        for i in sorted(tied):
            pron = doc[i]
            if pron.lower_ in ("he", "him", "she", "her") and pron.dep_ in ("nsubj", "dobj", "pobj", "nsubjpass"):
                gender = "m" if pron.lower_ in ("he", "him") else "f"
                before = [m for m in leaders_before(doc, pron.i) if m.gender in (None, gender)]
                if pron.dep_ in ("dobj", "pobj"):
                    # "Bush hosted him": an object pronoun is not the clause's own subject
                    before = [m for m in before if m.canonical not in names]
                if before and not someone_else_since(doc, before[-1], pron, gender):
                    names.add(before[-1].canonical)  # a subject "he" may be the leader just named
            elif pron.lower_ in BARE_OFFICES and pron.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj") \
                    and (doc._.mention_at is None or pron.i not in doc._.mention_at):
                holder = bare_office_holder(doc, pron)
                if holder:
                    names.add(holder)
        return names

    @staticmethod
    def _subject_leader(doc: Doc, trig: Token, in_sent: list[ActorMention]) -> str | None:
        subj = next((c for c in trig.children if c.dep_ == "nsubj"), None)
        if subj is None:
            return None
        if subj.lower_ in ("he", "she"):
            before = leaders_before(doc, subj.i)
            return before[-1].canonical if before else None
        ids = {t.i for t in subj.subtree}
        return next((m.canonical for m in in_sent if m.start in ids), None)

    def _describe(self, doc: Doc, trig: tuple[Token, str | None], names: frozenset[str],
                  segments: tuple[Span, Span], sent: Span) -> MeetingMention:
        tok, occasion = trig
        mention = MeetingMention(names, tok, sent)
        mention.status = status_of(doc, tok, sent)
        trip = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "for" else None
        if mention.status == "held" and trip is not None and trip.lemma_.lower() in MOTION_VERBS \
                and trip.tag_ in ("VBZ", "VBP", "NNS") and tok.pos_ != "VERB":
            # "before he travels to X for meetings": a trip told in the present is still to come
            mention.status = "planned"
        context = {w.lemma_.lower() for w in status_context(tok)} | {w.lower_ for w in status_context(tok)}
        undone = mention.status in ("cancelled", "denied")
        # "the summit will not be held on June 12", "the meeting scheduled for June 12 was called off"
        future = mention.status in ("planned", "proposed") or (
            mention.status in ("cancelled", "denied") and bool(context & (PLAN_WORDS | {"schedule", "scheduled"})))
        whole = doc[segments[1].start:segments[0].end]
        mention.date = nearest_date(doc, tok, whole, future=future)
        if undone and not future and mention.date and doc._.published is not None:
            # "the summit will not be held on June 12": a date without a year, of an encounter
            # that did not take place, is the reading nearest the story (often still to come)
            ahead = nearest_date(doc, tok, whole, future=True)
            if ahead and ahead != mention.date and distance(ahead, doc._.published) < distance(mention.date, doc._.published):
                mention.date = ahead
        # "Last year, on her first Washington trip": with no publication date to fix it, still
        # another encounter than this week's
        mention.earlier = mention.date is None and bool(EARLIER.search(whole.text))
        anchors = trigger_anchors(tok)
        mention.place = self._attached_place(tok, anchors, sent) or \
            self._place(doc, tok, segments[0], sent, anchors) or self._place(doc, tok, segments[1], sent, anchors)
        near = OCCASION.search(segments[0].text)
        mention.occasion = occasion or (normalise_occasion(near) if near else None)
        if mention.status == "held" and dated_after(mention.date, doc._.published):
            # "meets with him on Thursday", "for a Monday meeting" in a Tuesday article: still to come
            mention.status = "planned"
            mention.date = nearest_date(doc, tok, whole, future=True)
        mention.past = mention.status == "held" and (told_in_past(tok) or dated_before(mention.date, doc._.published))
        # "the scheduled chat" or "the planned summit" may well have happened; "will meet" has not
        mention.future = mention.status in ("planned", "proposed") and bool(
            {w.lower_ for w in status_context(tok)} & STRONG_FUTURE or tok.lemma_.lower() in ("invite", "invitation"))
        mention.format = format_of(tok, sent, mention.occasion)
        return mention

    def _is_country(self, text: str) -> bool:
        """A country or region named as such ("Russia", "Europe"), not a capital ("Helsinki") or a
        city-state ("Singapore"), which are places where leaders meet."""
        if text.lower().startswith("the "):
            text = text[4:]
        country = self.registry.country(text)
        if country is not None:
            return not is_capital_or_city_state(country, text)
        return fold(text) in REGIONS

    def _known_city(self, name: str) -> bool:
        """A capital or city-state of the reference data, or a seat of government's city."""
        country = self.registry.country(name)
        return name in VENUE_CITY.values() or (country is not None and is_capital_or_city_state(country, name))

    def _place_name(self, ent: Span) -> str | None:
        bare = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        if fold(bare) in VENUE_CITY:  # "in the Kremlin", whatever the recogniser calls it
            return VENUE_CITY[fold(bare)]
        if ent.label_ not in ("GPE", "FAC") or self._is_country(ent.text):
            return None  # a LOC is a sea, a peninsula, a region: never a city
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        if text[:1].isupper() and not OCCASION.fullmatch(text):
            return VENUE_CITY.get(fold(text), text)
        return None

    def _attached_place(self, tok: Token, anchors: set[int], sent: Span) -> str | None:
        """The place the trigger's own phrase or its verb names: "met in Helsinki", "the
        Helsinki summit", "In the Mexican city of Los Cabos, Obama is expected to meet",
        "talks on the sidelines of the G-20 summit in Hamburg" -- not the place of another
        verb in the sentence ("landed in Brussels before the meeting in Helsinki")."""
        best = None
        people = {i for m in sent.doc._.actor_mentions or [] if m.kind == "person" and sent.start <= m.start < sent.end
                  for i in range(m.start, m.end)}
        for ent in ents_in(sent):
            if ent.root.i in people:
                continue  # "the Korean Peninsula" is a region; a person's name tagged as a place is not one
            if ent.root.dep_ in ("compound", "amod", "nmod") and ent.root.head.i not in anchors:
                continue  # "their Moscow counterparts": a modifier of another noun
            name = self._place_name(ent)
            steps = attachment(ent.root, anchors, people) if name else None
            # a city holds its venues and districts ("at the Capella Hotel on the island of
            # Sentosa in Singapore"): a known city first ("at Mar-a-Lago in Florida" is not
            # Florida), else the place closest to the trigger
            if steps is None:
                continue
            rank = (self._known_city(name), -steps)
            if best is None or rank > best[0]:
                best = (rank, name)
        if best is None:
            # "met in the Finnish capital": the capital of the country named with it
            for t in sent:
                if t.lemma_.lower() == "capital" and t.pos_ == "NOUN" and t.dep_ == "pobj" \
                        and t.head.lower_ in ("in", "at", "to"):
                    city = self._capital_named(t)
                    steps = attachment(t, anchors, people) if city else None
                    if steps is not None:
                        return city
        return best[1] if best else None

    def _capital_named(self, tok: Token) -> str | None:
        """"the Finnish capital", "the Vietnamese capital": that country's (first) capital."""
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod", "poss")]
        if len(mods) != 1:
            return None
        country = self.registry.country(mods[0].text)
        if country is None or not country.capitals:
            return None
        return country.capitals[0]

    def _place(self, doc: Doc, tok: Token, segment: Span, sent: Span, anchors: set[int]) -> str | None:
        """A city or venue where the encounter was: named after "in"/"at" ("in Helsinki",
        "at Mar-a-Lago") or before the trigger ("the Helsinki summit"); never a country,
        never the place of another verb."""
        for ent in sorted(ents_in(segment), key=lambda e: (e.label_ != "GPE", e.start)):
            if ent.label_ not in ("GPE", "FAC") or self._is_country(ent.text):
                continue
            if other_verb_between(ent.root, anchors) or other_trigger_over(ent.root, tok, anchors):
                continue
            root = ent.root
            introduced = root.dep_ == "pobj" and root.head.lower_ in ("in", "at", "to", "near", "outside")
            before_trigger = root.dep_ in ("compound", "nmod", "amod") and root.head.i == tok.i
            if introduced or before_trigger:
                text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
                if text[:1].isupper() and not OCCASION.fullmatch(text):
                    return VENUE_CITY.get(fold(text), text)
        return None


DATELINE = re.compile(r"^([A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,2})(?:, [A-Za-z. ]+)?\s*(?:\([^)\n]{1,40}\))?\s*[-\u2014\u2013]", re.M)


def dateline_city(text: str) -> str | None:
    """The city of a wire dateline ("HANOI (Reuters) -", "PARIS \u2013") in the first lines."""
    head = "\n".join([line for line in text.split("\n") if line.strip()][:4])
    m = DATELINE.search(head)
    if not m or len(m.group(1)) < 3:
        return None
    return " ".join(w.capitalize() for w in m.group(1).split())


def near_day(value: str | None, on: date) -> bool:
    if not value or len(value) != 10:
        return False
    try:
        return abs((date.fromisoformat(value) - on).days) <= 2
    except ValueError:
        return False


def leader_in_period(person, when: str) -> bool:
    """Held a leader office at some time in the period `when` names (a day, month or year),
    or took one within 80 days after it (a president-elect)."""
    start = date(int(when[:4]), int(when[5:7]) if len(when) >= 7 else 1, int(when[8:10]) if len(when) == 10 else 1)
    if len(when) == 10:
        end = start
    elif len(when) == 7:
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    else:
        end = date(start.year, 12, 31)
    end = end + timedelta(days=80)
    for office in person.offices:
        if not office.is_leader:
            continue
        if (office.start is None or office.start <= end) and (office.end is None or office.end >= start):
            return True
    return False


BARE_OFFICES = {"president": ("president",), "minister": ("prime_minister",), "chancellor": ("chancellor",)}


def bare_office_holder(doc: Doc, tok: Token) -> str | None:
    """"The president", "the prime minister" with no country: the leader of that office the
    article names most often ("the president and first lady greeted Macron" in a story about
    Trump's trip)."""
    words = [c.lower_ for c in tok.children if c.dep_ in ("det", "amod", "compound", "poss", "nmod")]
    if words != ["the"] and sorted(words) != ["prime", "the"]:
        return None
    if tok.lower_ == "minister" and "prime" not in words:
        return None
    counts: dict[str, int] = {}
    on = doc._.published
    for m in leader_mentions(doc, on):
        if m.person is not None and any(o.office in BARE_OFFICES[tok.lower_] and o.held_on(on) for o in m.person.offices):
            counts[m.canonical] = counts.get(m.canonical, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        # two presidents in the story: "the president" is the story's own, the one it never
        # introduces by country ("Trump" beside "Russian President Vladimir Putin")
        rivals = [name for name, n in ranked if n * 2 > ranked[0][1]]
        home = [name for name in rivals if not any(
            m.canonical == name and introduced_by_country(doc, m) for m in doc._.actor_mentions or [])]
        return home[0] if len(home) == 1 else None
    return ranked[0][0]


def introduced_by_country(doc: Doc, mention: ActorMention) -> bool:
    """The name follows its country ("Russian President Vladimir Putin", "France's Macron",
    "United Kingdom prime minister Boris Johnson")."""
    i = mention.start - 1
    while i >= 0 and (doc[i].lower_ in TITLE_WORDS or doc[i].tag_ == "POS"):
        i -= 1
    return i >= 0 and i < mention.start - 1 and doc[i].ent_type_ in ("NORP", "GPE")


TITLE_WORDS = {"president", "prime", "minister", "chancellor", "premier", "leader", "counterpart", "'s", "’s"}


def subsumed(tok: Token, trigger_ids: set[int]) -> int | None:
    """A trigger noun inside another trigger's phrase ("met on the sidelines of the G-20 summit",
    "talks at the summit") names that encounter's occasion, not an encounter of its own.
    Returns the governing trigger's token index, or None."""
    node = tok
    for _ in range(5):
        if node.dep_ not in ("pobj", "prep", "compound", "nmod", "appos") or node.head is node:
            return None
        node = node.head
        if node.i in trigger_ids:
            return node.i
        if node.pos_ in ("VERB", "AUX") and node.dep_ != "prep":  # "including" is a preposition here
            return None
    return None


# the relations along which a place or a date hangs on a phrase: "in [the city of] X", "the X summit"
PLACE_PATH = ("pobj", "prep", "compound", "appos", "nmod", "amod", "npadvmod")


def trigger_anchors(tok: Token) -> set[int]:
    """The trigger and the words that carry it: the verb it is the object of ("held talks",
    "for a meeting with"), and the verbs that take that verb as complement ("is expected to
    meet"), up to the clause's boundary."""
    anchors = {tok.i}
    node = tok
    for _ in range(5):
        if node.dep_ not in ("dobj", "pobj", "prep", "xcomp", "attr", "nsubj", "nsubjpass", "pcomp") or node.head is node:
            break
        if node.dep_ == "prep" and node.lower_ in ("before", "after", "ahead", "since", "until", "following"):
            break  # "landed in Brindor before the meeting": another event, its own place and time
        node = node.head
        anchors.add(node.i)
    return anchors


def attachment(tok: Token, anchors: set[int], people: set[int] = frozenset()) -> int | None:
    """Steps from `tok` up to one of `anchors` along place-like relations; None if another
    verb comes first, or a person ("Prime Minister Rell of Estovia" names his country)."""
    node = tok
    for steps in range(1, 8):
        if node.dep_ not in PLACE_PATH or node.head is node:
            return None
        node = node.head
        if node.i in people:
            return None
        if node.i in anchors:
            return steps
        if node.pos_ in ("VERB", "AUX") and node.dep_ != "prep":  # "including" is a preposition here
            return None
    return None


def other_verb_between(tok: Token, anchors: set[int]) -> bool:
    """`tok` hangs on a verb that is not the trigger's ("landed in Brussels"), and not through
    another encounter noun (a list of summits "in June 2018 and ... in June 2019")."""
    node = tok
    for _ in range(8):
        if node.head is node or node.i in anchors:
            return False
        node = node.head
        if node.i in anchors or (node.pos_ in ("NOUN", "PROPN") and node.lemma_.lower() in TRIGGER_NOUNS):
            return False
        if node.pos_ in ("VERB", "AUX") and node.dep_ != "prep":
            return True
    return False


def other_trigger_over(tok: Token, trigger: Token, anchors: set[int]) -> bool:
    """`tok` belongs to another encounter noun's phrase ("after two days of meetings in Riyadh,
    he will travel to the Vatican to meet the Pope"): its place, not this trigger's."""
    node = tok
    for _ in range(8):
        if node.head is node or node.i in anchors:
            return False
        node = node.head
        if node.i in anchors:
            return False
        if node.i != trigger.i and node.pos_ in ("NOUN", "PROPN") and node.lemma_.lower() in TRIGGER_NOUNS:
            return True
        if node.pos_ in ("VERB", "AUX") and node.dep_ != "prep":
            return False
    return False


def counterpart_tokens(trig: Token) -> set[int]:
    """The tokens of the trigger's object side: "met [A and B]", "meet with [A and B]",
    "a call to [A]", "talks with [the leaders of A and B]", "greeted guests, [including A]"."""
    ids: set[int] = set()
    for c in trig.children:
        if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in ("with", "to", "including")):
            ids.update(t.i for t in c.subtree)
    return ids


# clauses inside a phrase that tell of something else: "Venn, who argued with Rell, met Maren",
# "met Maren, succeeding Rell"
OTHER_CLAUSES = {"relcl", "advcl", "ccomp", "parataxis"}


def core_subtree(tok: Token) -> set[int]:
    """The token's subtree without the relative and adverbial clauses hanging inside it."""
    ids = {tok.i}
    stack = list(tok.children)
    while stack:
        t = stack.pop()
        if t.dep_ in OTHER_CLAUSES:
            continue
        if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            continue  # "A met B at the border, and C sounds optimistic": C's clause is another
        ids.add(t.i)
        stack.extend(t.children)
    return ids


def ents_in(span: Span) -> list[Span]:
    """The entities inside a span; `Span.ents` rebuilds the document's entity list on every
    call, so it is read once per Doc."""
    doc = span.doc
    cached = doc.user_data.get("summitry.meeting_ents")
    if cached is None:
        ents = list(doc.ents)
        cached = doc.user_data["summitry.meeting_ents"] = (ents, [e.start for e in ents])
    ents, starts = cached
    found = []
    for k in range(bisect_left(starts, span.start), len(ents)):
        if ents[k].start >= span.end:
            break
        if ents[k].end <= span.end:
            found.append(ents[k])
    return found


def is_capital_or_city_state(country, text: str) -> bool:
    return fold(text) in {fold(c) for c in country.capitals} or fold(text) == fold(country.name) and not country.capitals


def told_in_past(tok: Token) -> bool:
    """The trigger or the verb it hangs on is in the past tense ("met", "held talks")."""
    verbs = [tok] if tok.pos_ == "VERB" else [tok.head] if tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") else []
    # "may be marked", "will have met": a modal takes the participle out of the past
    return any(v.tag_ in ("VBD", "VBN") and not any(
        c.dep_ in ("aux", "auxpass") and c.tag_ == "MD" for c in v.children) for v in verbs)


def distance(value: str, published: date) -> int:
    """Days between a (day, month or year) date and the publication day."""
    parts = [int(x) for x in value.split("-")] + [1, 1]
    try:
        return abs((date(parts[0], parts[1], parts[2]) - published).days)
    except ValueError:
        return 10 ** 6


def dated_after(value: str | None, published: date | None) -> bool:
    """A date after the publication day (a day), or after its month (a month or year)."""
    if not (value and published):
        return False
    return value > published.isoformat()[:len(value)]


def dated_before(value: str | None, published: date | None) -> bool:
    return bool(value and published and value < (published - timedelta(days=7)).isoformat()[:len(value)])


def nearest_date(doc: Doc, tok: Token, segment: Span, future: bool) -> str | None:
    """The date of the encounter: one attached to the trigger ("met on Tuesday", "the summit in
    July 2018", "held talks on Friday"), else the first date after the trigger in its stretch
    of the sentence ("the G20 Summit in Hamburg in July 2017"). A date on another verb ("played
    golf on Saturday ahead of a summit") is not the summit's."""
    dates = [d for d in doc._.dates or [] if segment.start_char <= d.start < segment.end_char]
    if not dates:
        return None
    own = core_subtree(tok)
    governor = tok.head if tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") else None
    for d in dates:
        span = char_span(doc, d.start, d.end)
        if span is None:
            continue
        root = span.root
        attached = root.i in own or (governor is not None and _nearest_verb(root) is governor)
        if attached:
            return d.future_value if future else d.value
    # not a date another verb governs ("a poll released on Wednesday")
    anchors = trigger_anchors(tok)
    after = [d for d in dates if d.start > tok.idx and not (
        (span := char_span(doc, d.start, d.end)) is not None and other_verb_between(span.root, anchors))]
    if after:
        return after[0].future_value if future else after[0].value
    return None


def _nearest_verb(tok: Token) -> Token | None:
    while tok.head is not tok:
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return tok
    return None


# verbs whose subject is the encounter itself: their tense and negation are the encounter's
HAPPEN_VERBS = {"take", "happen", "occur", "go", "be", "begin", "start", "proceed", "open", "come",
                "convene", "last", "run", "end", "conclude", "collapse", "break"}
# passives whose subject is the encounter ("the summit will not be held", "the call was scheduled")
PASSIVE_HAPPEN = {"hold", "schedule", "plan", "set", "expect", "arrange", "slate"}
STRONG_FUTURE = {"will", "'ll", "shall", "going", "tomorrow", "next", "upcoming", "invite", "invited",
                 "invitation", "propose", "proposed", "proposal", "discuss", "discussed", "possible",
                 "potential", "whether", "willing", "forthcoming"}
CANCEL_WORDS = {"cancel", "scrap", "axe", "postpone", "shelve", "scuttle", "abandon", "skip", "skipping", "skipped",
                "boycott", "snub"}
PROPOSE_WORDS = {"propose", "invite", "discuss", "suggest", "offer", "possible", "potential", "possibility", "idea",
                 "consider", "could", "might", "may", "willing", "want", "hope", "seek", "whether", "if",
                 "invitation", "unclear", "wish", "like"}
PLAN_WORDS = {"will", "'ll", "shall", "plan", "schedule", "expect", "set", "prepare", "upcoming",
              "forthcoming", "next", "anticipated", "prospective", "due", "ahead", "agree", "arrange",
              "would", "going", "announce", "slate", "slated", "await", "tomorrow", "future", "prospect"}


def status_context(tok: Token) -> list[Token]:
    """The words that say whether this encounter happened: the trigger's own modifiers and
    auxiliaries, and those of the verbs it depends on ("plans to meet", "invited him to talks",
    "ahead of a summit"), stopping at the clause boundary."""
    words = [c for c in tok.children if c.dep_ in ("aux", "auxpass", "neg", "amod", "advmod", "mark", "prep")]
    node = tok
    for _ in range(4):
        if node.dep_ in ("ROOT", "ccomp", "advcl", "relcl", "conj", "parataxis") and node is not tok:
            break
        parent = node.head
        if parent is node:
            break
        called_off = parent.lemma_.lower() == "call" and any(c.dep_ == "prt" and c.lower_ == "off" for c in parent.children)
        if node.dep_ in ("nsubj", "nsubjpass") and parent.lemma_.lower() not in HAPPEN_VERBS | CANCEL_WORDS \
                and not called_off and not (node.dep_ == "nsubjpass" and parent.lemma_.lower() in PASSIVE_HAPPEN):
            break  # "the summit did not produce a deal" says nothing of whether it took place
        if node.dep_ == "prep" and node.lower_ in ("during", "amid"):
            break  # "what would be discussed ... during a news conference": the circumstance is not the plan
        words.append(parent)
        words += [c for c in parent.children if c.dep_ in ("aux", "auxpass", "neg", "mark", "npadvmod", "advmod", "prt")]
        if node.dep_ in ("ROOT", "ccomp", "advcl", "relcl", "conj", "parataxis", "nsubj", "nsubjpass"):
            break
        node = parent
    if tok.tag_ == "VB" and tok.dep_ in ("relcl", "acl", "advcl") and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        # "will travel to Rome to meet the Pope": a bare infinitive of purpose has the tense
        # of the clause it serves
        # ("is planning to travel to X to meet Y": up the chain of complements)
        verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
        for _ in range(3):
            if verb is None:
                break
            words += [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg")]
            verb = verb.head if verb.dep_ == "xcomp" and verb.head is not verb else None
    return words


# plural nouns that still name one encounter ("held talks")
ONE_ENCOUNTER_PLURALS = {"talks", "negotiations", "consultations", "discussions"}


def refers_to_several(mention: MeetingMention) -> bool:
    """A plural trigger with no date, place or occasion of its own ("their past meetings",
    "these encounters", "summits can be performative") speaks of a set of encounters, not
    of one: it must not make or colour a report (it would lend a planned meeting the status
    of all the past ones)."""
    tok = mention.trigger
    if tok.tag_ in ("NNS", "NNPS") and mention.occasion and tok.lower_ in ("meetings", "summits") \
            and not (mention.date or mention.place):
        return True  # "I've been to numerous G-7 meetings"
    return (tok.tag_ in ("NNS", "NNPS") and tok.lower_ not in ONE_ENCOUNTER_PLURALS
            and not (mention.date or mention.place or mention.occasion))


def status_of(doc: Doc, tok: Token, sent: Span) -> str:
    words = status_context(tok)
    lemmas = {w.lemma_.lower() for w in words} | {w.lower_ for w in words}
    called_off = any(w.lemma_.lower() == "call" and any(c.dep_ == "prt" and c.lower_ == "off" for c in w.children)
                     for w in words)
    if lemmas & CANCEL_WORDS or called_off or CANCELLED.search(" ".join(w.text for w in words)):
        return "cancelled"
    if any(w.dep_ == "neg" for w in words) or lemmas & {"never"}:
        return "denied"
    if tok.tag_ == "VBD" and tok.dep_ == "ccomp" and tok.lemma_.lower() not in PROPOSE_WORDS \
            and not any(c.dep_ == "aux" and c.tag_ == "MD" for c in tok.children):
        return "held"  # "announced Tuesday that Obama spoke Monday": the clause's own past tense decides
    # "like" proposes only as a verb ("would like to meet"), not as "summits like the G7"
    lemmas -= {w.lower_ for w in words if w.lower_ == "like" and w.pos_ != "VERB"}
    if lemmas & PROPOSE_WORDS or tok.lemma_.lower() in ("invite", "invitation", "proposal"):
        return "proposed"
    if lemmas & PLAN_WORDS:
        return "planned"
    return "held"


def format_of(tok: Token, sent: Span, occasion: str | None) -> str:
    text = sent.text
    # the trigger's own words decide phone and video: "spoke on the phone, then suggested a
    # meeting in Washington" is about an in-person meeting
    own = {t.lower_ for t in tok.subtree} | {tok.lower_, tok.head.lower_}
    if tok.lemma_.lower() == "call" or own & {"phone", "telephone", "phoned", "telephoned"}:
        return "phone"
    if own & {"video", "videoconference", "virtual", "virtually"}:
        return "video"
    if re.search(r"\bsidelines?\b", text, re.I) or (occasion and MULTILATERAL.search(occasion)):
        return "sideline"
    if tok.lemma_.lower() == "summit":
        return "summit"
    if re.search(r"\b(dinner|informal|chat|handshake)\b", text, re.I):
        return "informal"
    return "bilateral"


def normalise_occasion(m: re.Match) -> str:
    text = m.group(0)
    if re.fullmatch(r"state visit|inter-Korean summit", text, re.I):
        return text.lower()
    name = m.group(1) or m.group(3) or m.group(5)
    name = re.sub(r"^G-?", "G", name) if re.match(r"G-?\d", name) else name
    name = {"Group of 20": "G20", "Group of Seven": "G7", "Group of 7": "G7", "Group of Eight": "G8",
            "Group of 8": "G8"}.get(name, name)
    return f"{name} summit" if not re.search(r"Assembly|Forum|Davos", name) else name


def merge(doc: Doc, mentions: list[MeetingMention], pair: frozenset[str] | None) -> list[MeetingReport]:
    """One report per encounter: mentions of the same leaders, the same form (in person or
    by phone) and compatible dates and places. Mentions with neither date nor place join
    the best-attested compatible report."""
    groups: list[list[MeetingMention]] = []
    specific = [m for m in mentions if m.date or m.place or m.occasion]
    vague = [m for m in mentions if not (m.date or m.place or m.occasion)]
    for m in specific + vague:
        fits = [g for g in groups if compatible(g, m, doc._.published)]
        if m in vague and len(fits) > 1:
            # "the meeting" with several candidates: the article's undated encounter, if it has one
            undated = [g for g in fits if not any(x.date or x.place or x.occasion for x in g)]
            fits = undated or fits
        best = max(fits, key=len) if fits else None
        if best is None:
            groups.append([m])
        else:
            best.append(m)
    # a gathering that only the article's pair attended is no report of its own
    groups = [g for g in groups if not all(x.supporting for x in g)]
    groups.sort(key=lambda g: min(x.trigger.i for x in g))
    return [report(doc, g) for g in groups]


def compatible(group: list[MeetingMention], m: MeetingMention, published: date | None = None) -> bool:
    first = group[0]
    if first.participants != m.participants or first.by_phone != m.by_phone:
        return False
    # an encounter told as past is not the one still to come ("met last July" / "invited him to Washington")
    if (m.past and any(x.future for x in group)) or (m.future and any(x.past for x in group)):
        return False
    if m.earlier != first.earlier and not (m.date or any(x.date for x in group)):
        return False  # an undated past occasion ("last year") is not the undated encounter of the story
    dates = {x.date for x in group if x.date}
    places = {x.place.lower() for x in group if x.place}
    occasions = {x.occasion.lower() for x in group if x.occasion}
    if m.date and dates and not any(d.startswith(m.date) or m.date.startswith(d) for d in dates):
        return False
    if m.place and places and m.place.lower() not in places and not (m.date and len(m.date) == 10 and m.date in dates):
        return False  # another place is another encounter, unless the same day ("Sentosa", "Singapore")
    if m.occasion and occasions and m.occasion.lower() not in occasions and not (m.date and dates):
        return False
    if not (m.date or m.place or m.occasion) and m.status == "held" and not m.future \
            and all(x.status in ("planned", "proposed") for x in group) and not (dates or places):
        return False  # "the meeting was cordial" is not the undated one still being planned
    if m.status in ("planned", "proposed") and not (m.date or m.place) and published is not None and dates \
            and all(d < (published - timedelta(days=31)).isoformat() for d in dates):
        return False  # "the anticipated meeting" is not one held years before the article
    return True


def report(doc: Doc, group: list[MeetingMention]) -> MeetingReport:
    def first(attr):
        values = [getattr(x, attr) for x in group if getattr(x, attr)]
        return values[0] if values else None

    dates = sorted({x.date for x in group if x.date}, key=len, reverse=True)
    places = [x.place for x in group if x.place]
    # the place most mentions give ("Sentosa" once, "Singapore" twice), the first on a tie
    place = max(places, key=places.count) if places else None
    anchor = group[0]
    status = _group_status([x for x in group if not x.supporting] or group)
    formats = [x.format for x in group if x.format]
    fmt = "sideline" if "sideline" in formats else "summit" if "summit" in formats else formats[0] if formats else None
    texts = " ".join(x.span.text for x in group)
    scheduled, actual = scheduled_and_actual_minutes(texts)
    raw = anchor.span.text
    evidence = raw.strip()
    start = anchor.span.start_char + len(raw) - len(raw.lstrip())
    # in the order the article names them; leaders it names only by their country (no mention)
    # by name, so that the order never depends on a set's (per-process) hash order
    participants = sorted(anchor.participants, key=lambda n: (min(
        (m.start for m in doc._.actor_mentions or [] if m.canonical == n), default=0), n))
    return MeetingReport(
        confidence=confidence(group, status),
        participants=participants, date=dates[0] if dates else None, place=place,
        occasion=first("occasion"), status=status, format=fmt, scheduled_minutes=scheduled,
        actual_minutes=actual, evidence=evidence, evidence_start=start, evidence_end=start + len(evidence),
    )


def confidence(group: list[MeetingMention], status: str) -> float:
    """How firmly the text supports the report, in [0, 1]: an explicit trigger with both
    participants tied to it by syntax, a date and a place of its own, a status told in so many
    words ("met", "will meet") and more than one mention make it firm; participants inferred
    from the sentence or from the article's pair ("the summit"), an undated, placeless, bare
    noun make it a guess."""
    score = 0.25
    if any(x.linked for x in group):
        score += 0.3
    elif any(x.named for x in group):
        score += 0.2  # both named in the sentence, if not tied to the trigger by its syntax
    if any(x.trigger.pos_ == "VERB" or x.occasion for x in group):
        score += 0.1
    if any(x.date for x in group):
        score += 0.1
    if any(x.place for x in group):
        score += 0.05
    agreeing = [x for x in group if x.status == status]
    if any((x.status == "held" and x.past) or x.future or x.status in ("cancelled", "denied") for x in agreeing):
        score += 0.1
    if len(group) > 1:
        score += 0.05 * min(len(group) - 1, 2)
    if len(agreeing) * 2 < len(group):
        score -= 0.1  # the mentions disagree on what became of it
    if all(x.trigger.lemma_.lower() in IMPLICIT_TRIGGERS for x in group):
        score -= 0.2  # an encounter inferred from an apology or a trip, never named as one
    return round(max(0.05, min(score, 1.0)), 2)


def _group_status(group: list[MeetingMention]) -> str:
    """A cancellation is news whenever it is said; a denial ("did not meet") must be what most
    mentions say, since a negation near a trigger is often about something else. Otherwise the
    status with the strongest evidence: a mention told in the past tense ("met") or in so many
    words as still to come ("will meet") weighs twice a bare noun ("the summit")."""
    statuses = [x.status for x in group]
    if "cancelled" in statuses:
        return "cancelled"
    if statuses.count("denied") * 2 > len(statuses):
        return "denied"
    weight: dict[str, float] = {}
    for x in group:
        if x.status == "denied":
            continue
        strong = (x.status == "held" and x.past) or (x.status == "planned" and x.future)
        weight[x.status] = weight.get(x.status, 0) + (2 if strong else 1)
    order = ("held", "planned", "proposed")
    if weight:
        return max(order, key=lambda s: (weight.get(s, 0), -order.index(s)))
    return statuses[0]


@Language.factory("summitry_meetings", default_config={"actors_path": None})
def make_meeting_finder(nlp: Language, name: str, actors_path: str | None):
    return MeetingFinder(Registry.load(actors_path))
