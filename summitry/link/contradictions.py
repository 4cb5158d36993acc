"""Contradictions between accounts of the same meeting: pure functions over records.

Two kinds:

- **statements**: two statements by different speakers (or in different articles) about the
  same canonical meeting that cannot both be true. A pair is a contradiction when its topics
  overlap (`topic_overlap`: shared content stems, at least two) and one of two rules fires:
  `negation` (a shared content word is asserted by one side and negated by the other:
  "accepted Putin's assurances" against "did not actually accept Putin's personal assurance")
  or `antonym` (the two sides use opposite verbs about the same content: "admitted" against
  "denied", "accepted" against "rejected", both with the same polarity).
- **facts**: reports linked to the same canonical meeting that give different values for a
  field (`Store.canonical_meeting(id)["disagreements"]`), from different articles. A planned
  length next to an actual length is a recorded fact, not a contradiction (they are different
  fields); a plan next to an outcome (planned against held) is a change, not a contradiction.

Rules are plain token rules (a small stemmer, word lists), fast and deterministic; no model.

A meeting's contradictions depend only on its own reports and on the statements of the
articles that report it, so they can be computed for some meetings with the same result as
for the whole store: `summitry.pipeline.contradictions` gathers each meeting's accounts from
the store and recomputes only the meetings a link run changed.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any

# --- words ----------------------------------------------------------------------------

STOPWORDS = frozenset("""
    a an the and or but if then than that this these those there here of in on at to for from by
    with without about as into onto over under after before during between among through
    i me my we our us you your he him his she her they them their it its who whom whose which
    what when where why how be is are was were been being am have has had having do does did
    done doing will would shall should can could may might must also just only very so such
    too quite rather any some all each every both either neither other another more most much
    many few own same said says say saying told tell tells stated noted added claimed stressed
    explained remarked insisted according mr mrs ms president prime minister leader leaders
    side sides two one first last again still even ever yet really actually truly actual
    simply merely specifically personally directly instead further
""".split())

# Words that negate what follows them in the same clause.
NEGATORS = frozenset("""
    not no never neither nor none nothing nobody n't cannot without denied deny denies denying
    rejected reject rejects rejecting refused refuse refuses dismissed dismiss dismisses
""".split())
NEGATING_VERBS = NEGATORS - frozenset("not no never neither nor none nothing nobody n't cannot without".split())
# Contracted negations written as one token ("didn't", "wasn’t").
_CONTRACTED = re.compile(r"^(\w+)n[’']t$")
# Clause boundaries: negation does not reach past them.
BOUNDARIES = frozenset("but while whereas although though however because since yet".split())
# Content words after a negator that it covers: the verb or adjective it negates ("did not
# actually accept"), or the noun phrase after "no" ("no fixed agenda").
NEGATION_REACH = 1
NOUN_NEGATORS = frozenset({"no", "none", "nothing"})
NOUN_NEGATION_REACH = 2
# A preposition or a conjunction ends the negated phrase ("no agenda | for the meeting").
SCOPE_ENDS = frozenset("for of in on at with about over from by and or during after before".split())
# Hedges, auxiliaries and adverbs skipped between a negator and what it negates.
_SKIPPED = frozenset("""
    actually really ever even yet quite specifically personally directly fully entirely
    be is are was were been being have has had do does did will would shall should can could
    may might must to that the a an any claim claims suggestion report reports allegation
    allegations idea notion
""".split())

# Opposite verbs (by stem). Each pair says the same thing with opposite polarity.
ANTONYMS: tuple[tuple[str, str], ...] = (
    ("admitted", "denied"), ("confirmed", "denied"), ("accepted", "rejected"), ("agreed", "refused"),
    ("agreed", "disagreed"), ("accepted", "refused"), ("approved", "rejected"),
    ("supported", "opposed"), ("included", "excluded"), ("succeeded", "failed"),
    ("lifted", "imposed"), ("raised", "avoided"), ("welcomed", "rejected"), ("held", "cancelled"),
    ("increased", "decreased"), ("friendly", "hostile"), ("productive", "fruitless"),
)

_TOKEN = re.compile(r"[A-Za-z][A-Za-z’'\-]*|[.,;:!?()“”\"]")
_SUFFIXES = ("ingly", "edly", "ations", "ation", "ments", "ment", "ances", "ance", "ences", "ence",
             "ings", "ing", "ied", "ies", "ed", "es", "s", "e", "y")
_IRREGULAR = {"met": "meet", "spoke": "speak", "spoken": "speak", "gave": "give", "given": "give",
              "took": "take", "taken": "take", "made": "make", "held": "held", "holds": "held",
              "hold": "held", "holding": "held", "russian": "russia", "russians": "russia"}


def stem(word: str) -> str:
    """A crude stem: lower case, no possessive, one common suffix off ("assurances" -> "assur",
    "accepted" -> "accept", "raised" -> "rais", "denied" -> "deni")."""
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s?$", "", w)
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if w.endswith("e") and len(w) >= 5:  # "involvement" -> "involve" -> "involv", as "involved"
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":  # "planned" -> "plann" -> "plan"
        w = w[:-1]
    return w


_ANTONYM_OF: dict[str, set[str]] = {}
for _a, _b in ANTONYMS:
    _ANTONYM_OF.setdefault(stem(_a), set()).add(stem(_b))
    _ANTONYM_OF.setdefault(stem(_b), set()).add(stem(_a))


@dataclass(frozen=True)
class Word:
    stem: str
    negated: bool
    name: bool  # written with a capital inside the text: a name, not a predicate


def analyse(text: str) -> list[Word]:
    """The content words of a statement, each with its polarity.

    A negator (not, never, n't, denied, rejected, ...) negates the next content word of its
    clause, skipping auxiliaries and hedges ("did not actually accept"); "no" the next two,
    up to a preposition ("no fixed agenda | for the meeting").
    """
    words: list[Word] = []
    reach = 0
    tokens = _TOKEN.findall(text or "")
    for i, token in enumerate(tokens):
        low = token.lower().replace("’", "'")
        if not token[0].isalpha():
            if token in ".,;:!?()":
                reach = 0
            continue
        if low in BOUNDARIES:
            reach = 0
            continue
        if low in NEGATORS or _CONTRACTED.match(low):
            if low in NEGATING_VERBS:  # "denied" is also a word of its own, for `antonym_verbs`
                words.append(Word(stem(low), reach > 0, name=False))
            reach = NOUN_NEGATION_REACH if low in NOUN_NEGATORS else NEGATION_REACH
            continue
        if low in SCOPE_ENDS:
            reach = 0
            continue
        if low in _SKIPPED or low in STOPWORDS:
            continue
        s = stem(low)
        if len(s) < 2:
            continue
        name = token[0].isupper() and i > 0
        words.append(Word(s, reach > 0, name=name))
        if not name:  # "denied that Estovian ships entered": the name does not use the reach
            reach = max(0, reach - 1)
    return words


# --- rules ----------------------------------------------------------------------------

MIN_SHARED = 2  # shared content stems for two statements to be on the same topic


def topic_overlap(a: str, b: str) -> set[str]:
    """The content stems two statements share (empty when below MIN_SHARED)."""
    shared = {w.stem for w in analyse(a)} & {w.stem for w in analyse(b)}
    return shared if len(shared) >= MIN_SHARED else set()


def negated_stems(text: str) -> set[str]:
    return {w.stem for w in analyse(text) if w.negated}


def asserted_stems(text: str) -> set[str]:
    return {w.stem for w in analyse(text) if not w.negated}


def opposite_polarity(a: str, b: str) -> list[str]:
    """Shared predicate words (not names) negated on one side and asserted on the other,
    in one direction only."""
    wa, wb = analyse(a), analyse(b)
    pos_a = {w.stem for w in wa if not w.negated}
    neg_a = {w.stem for w in wa if w.negated}
    pos_b = {w.stem for w in wb if not w.negated}
    neg_b = {w.stem for w in wb if w.negated}
    names = {w.stem for w in wa + wb if w.name}
    a_denies = (neg_a - pos_a) & (pos_b - neg_b) - names
    b_denies = (neg_b - pos_b) & (pos_a - neg_a) - names
    # each side negating what the other asserts ("did not sign a trade deal" and "no trade
    # deal was signed") is one proposition worded two ways, both negative
    found = set() if a_denies and b_denies else a_denies | b_denies
    return sorted(found - names)


def antonym_verbs(a: str, b: str) -> list[tuple[str, str]]:
    """Opposite verbs used with the same polarity ("admitted" / "denied", both asserted;
    a negated antonym agrees instead: "did not deny" ~ "admitted")."""
    wa, wb = analyse(a), analyse(b)
    found = []
    for x in wa:
        for y in wb:
            if y.stem in _ANTONYM_OF.get(x.stem, ()) and x.negated == y.negated:
                found.append((x.stem, y.stem))
    return sorted(set(found))


def statement_rule(a: str, b: str) -> tuple[str, str] | None:
    """(rule, explanation) if the two statement texts contradict each other, else None."""
    shared = topic_overlap(a, b)
    if not shared:
        return None
    opposite = opposite_polarity(a, b)
    if opposite:
        return ("negation", f"one side asserts and the other negates {', '.join(opposite)!s} "
                            f"(shared topic: {', '.join(sorted(shared))})")
    pairs = antonym_verbs(a, b)
    if pairs:
        # the antonyms themselves do not make a topic: the rest must still overlap
        rest = shared - {s for p in pairs for s in p}
        if rest:
            shown = "; ".join(f"{x} / {y}" for x, y in pairs)
            return ("antonym", f"opposite verbs {shown} about the same topic ({', '.join(sorted(rest))})")
    return None


# --- the record -----------------------------------------------------------------------

@dataclass
class Contradiction:
    kind: str  # statements | facts
    meeting_id: str
    field_or_topic: str
    sides: list[dict[str, Any]] = field(default_factory=list)
    rule: str = ""
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _surnames(participants: Iterable[str]) -> set[str]:
    return {n.split()[-1].lower() for n in participants if n and n.split()}


def _statement_side(article: dict, s: dict) -> dict[str, Any]:
    return {"article_id": article["id"], "article_title": article.get("title"),
            "source": article.get("source"), "statement_id": s["id"], "speaker": s.get("speaker"),
            "speaker_mention": s.get("speaker_mention"), "text": s.get("quote"),
            "start": s.get("start"), "end": s.get("end")}


def _speaker_key(article: dict, s: dict) -> str:
    return (s.get("speaker") or s.get("speaker_mention") or f"unnamed@{article['id']}").lower()


def meetings_of_statement(statement: dict, meeting_ids: list[str], meetings: dict[str, dict]) -> list[str]:
    """The canonical meetings a statement is about, among the `meeting_ids` its article's
    reports are linked to: the one meeting when there is one, else those whose leaders its
    sentence or quote names."""
    if len(meeting_ids) == 1:
        return list(meeting_ids)
    said = f"{statement.get('sentence') or ''} {statement.get('quote') or ''}".lower()
    return [i for i in meeting_ids if i in meetings and any(re.search(rf"\b{re.escape(n)}\b", said)
                                                            for n in _surnames(meetings[i]["participants"]))]


def statement_contradictions(accounts: dict[str, list[tuple[dict, dict]]]) -> list[Contradiction]:
    """Contradicting pairs among each meeting's accounts ({meeting id: [(article, statement)]},
    in the order they were gathered), meetings by id."""
    found = []
    for meeting_id, items in sorted(accounts.items()):
        for (art_a, a), (art_b, b) in combinations(items, 2):
            if art_a["id"] == art_b["id"] and _speaker_key(art_a, a) == _speaker_key(art_b, b):
                continue  # one speaker in one article: not two accounts
            fired = statement_rule(a.get("quote") or "", b.get("quote") or "")
            if fired is None:
                continue
            rule, explanation = fired
            topic = ", ".join(sorted(topic_overlap(a["quote"], b["quote"])))
            found.append(Contradiction("statements", meeting_id, topic,
                                       [_statement_side(art_a, a), _statement_side(art_b, b)],
                                       rule, explanation))
    return found


FINAL_STATUSES = frozenset({"held", "cancelled", "denied"})


def fact_contradictions(meeting: dict) -> list[Contradiction]:
    """Conflicting facts among the reports of one canonical meeting (`Store.canonical_meeting`)."""
    found = []
    for name, groups in (meeting.get("disagreements") or {}).items():
        if name == "status":
            # a plan or proposal next to an outcome is a change over time, not a contradiction
            groups = [g for g in groups if g["value"] in FINAL_STATUSES]
        if len(groups) < 2:
            continue
        articles = {r["article_id"] for g in groups for r in g["reports"]}
        if len(articles) < 2:
            continue  # one article giving two values is its own account (e.g. planned vs actual)
        sides = [{"article_id": r["article_id"], "article_title": r.get("article_title"),
                  "report_id": r["report_id"], "speaker": None, "value": g["value"],
                  "text": r.get("evidence"), "start": r.get("evidence_start"),
                  "end": r.get("evidence_end")}
                 for g in groups for r in g["reports"]]
        values = "; ".join(f"{g['value']!r} ({len(g['reports'])} report{'s' * (len(g['reports']) > 1)})"
                           for g in groups)
        found.append(Contradiction("facts", meeting["id"], name, sides, f"disagreement:{name}",
                                   f"reports of the same meeting give different {name.replace('_', ' ')}: {values}"))
    return found
