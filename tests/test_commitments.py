"""Commitments: extraction on the real pipeline (the sample article 003 and articles about
fictional leaders: no real person is quoted here), and the promise-tracker status history."""
from dataclasses import FrozenInstanceError
from datetime import date, datetime, timedelta
from importlib import resources

import pytest

from summitry.commitments import (
    BROKEN, COMPROMISE, IN_THE_WORKS, KEPT, NOT_YET_RATED, STALLED, STATUSES, CommitmentHistory, StatusChange,
    suggest_status,
)
from summitry.extract import shift_commitment
from summitry.records import ArticleRecord, Commitment

# ---- the real pipeline ------------------------------------------------------------------------

SUMMIT = """Norland and Estovia agree on river ceasefire

PORT CALDER (Wire) - President Arla Venn of Norland and Prime Minister Tomas Rell of Estovia met in Port Calder on Tuesday for talks on the river dispute, their first summit since the border clashes.

The two leaders agreed to a ceasefire along the river from Monday. Venn promised to release all Estovian fishermen held in Norland by 2032. Rell pledged that Estovia would not build new dams on the upper river.

“We will reopen the border crossings by spring,” Venn told reporters after the meeting.

Rell said Estovia would send a trade delegation to Norland in September. He also offered to host the next round of talks in Lake Mora. Rell said Estovia won't raise the fishing fees.

Both countries announced plans to set up a joint water commission. The joint statement commits both sides to annual summits.

Venn refused to commit to a timetable for the withdrawal of troops. If the talks succeed, Estovia could lift its tariffs. Will Norland agree to share the river data? Rell might visit the capital next year, officials said. The leaders are expected to agree on a fishing deal later.

“Will we sign a treaty?” Rell asked. “If Estovia withdraws its boats, we will open the locks,” Venn said.

Rell agreed that the talks had been useful. Venn announced on Wednesday that the summit was over. Norland withdrew its patrol boats last year. The ceasefire will probably hold, analysts believe. Norland will face elections next year, and Venn will need a success.
"""

READOUT = """What the Lake Mora summit produced

President Arla Venn of Norland and Prime Minister Tomas Rell of Estovia ended their Lake Mora summit on Friday. Venn and Rell had not met since March.

The joint readout of the talks listed three commitments. First, Norland will withdraw its patrol boats from the delta within a month. Second, the leaders agreed to exchange prisoners before the winter. Third, both governments announced that a hotline between the two capitals would open in July.

There are two reasons for doubt. First, Norland will hold elections in the spring. Second, Rell has few friends at home.

The two leaders also reached an agreement to open two new border crossings, and they signed a deal on fishing quotas. Rell vowed never to recognise the breakaway region.
"""

PUBLISHED = date(2031, 6, 12)  # a Thursday


@pytest.fixture(scope="module")
def extractor():
    from summitry.extract import Extractor

    return Extractor()


def extract(extractor, text, published, id_="t"):
    from summitry.records import Article

    record = extractor.extract(Article(id=id_, text=text, published=published))
    for c in record.commitments:
        assert text[c.start:c.end] == c.action, "offsets must point at the action"
    return record


def by_action(record, fragment) -> Commitment:
    found = [c for c in record.commitments if fragment in c.action]
    assert len(found) == 1, f"{fragment!r}: {[c.action for c in record.commitments]}"
    return found[0]


@pytest.fixture(scope="module")
def sample(extractor):
    text = resources.files("summitry").joinpath("data", "demo", "003_f5b60f11e280fbe4.txt").read_text(encoding="utf-8")
    return text, extract(extractor, text, date(2017, 7, 10), "003")


@pytest.fixture(scope="module")
def summit(extractor):
    return extract(extractor, SUMMIT, PUBLISHED, "summit")


@pytest.fixture(scope="module")
def readout(extractor):
    return extract(extractor, READOUT, PUBLISHED, "readout")


@pytest.mark.slow
def test_the_three_concessions_of_the_sample_readout_are_commitments(sample):
    text, record = sample
    first = by_action(record, "not pursue the election meddling issue any further")
    assert first.actors == ["United States"] and first.polarity == "refrain"
    assert first.sentence.startswith("First, the U.S. will not pursue")
    second = by_action(record, "restrain themselves on interference")
    assert second.actors == ["Donald Trump", "Vladimir Putin"] and second.actor_mention == "the presidents"
    assert second.kind == "agreed" and second.cue == "agreed" and second.polarity == "refrain"
    assert "bringing an end" not in second.action  # the author's comment is not what was agreed
    third = by_action(record, "a limited cease-fire in Syria would serve as the basis for further cooperation")
    assert third.actors == ["Donald Trump", "Vladimir Putin"] and third.actor_mention == "the two sides"
    assert third.kind == "announced" and "without indicating" not in third.action


@pytest.mark.slow
def test_the_sample_yields_commitments_only_from_its_readout(sample):
    text, record = sample
    readout_start = text.index("First, the U.S. will not pursue")
    readout_end = text.index("without indicating which side would enforce")
    assert record.commitments
    assert all(readout_start <= c.start < readout_end for c in record.commitments), \
        [c.sentence for c in record.commitments]
    # the first concession's second half is a commitment of its own, the one to follow up on
    cyber = by_action(record, "cooperate with Russia on evaluating cybersecurity threats")
    assert cyber.actors == ["United States"] and cyber.polarity == "do"
    assert len(record.commitments) == 4
    assert "commitments" in record.to_dict()


@pytest.mark.slow
def test_agreed_with_a_due_date_from_the_text(summit):
    c = by_action(summit, "a ceasefire along the river from Monday")
    assert c.kind == "agreed" and c.actors == ["Arla Venn", "Tomas Rell"] and c.actor_mention == "The two leaders"
    assert c.due == "2031-06-16"  # the Monday after publication


@pytest.mark.slow
def test_promised_by_a_year(summit):
    c = by_action(summit, "release all Estovian fishermen")
    assert c.kind == "promised" and c.actors == ["Arla Venn"] and c.due == "2032" and c.polarity == "do"


@pytest.mark.slow
def test_negative_commitments_refrain(summit, readout):
    pledge = by_action(summit, "would not build new dams")
    assert pledge.kind == "pledged" and pledge.polarity == "refrain" and pledge.actors == ["Tomas Rell"]
    wont = by_action(summit, "raise the fishing fees")
    assert wont.polarity == "refrain" and wont.actors == ["Estovia"]
    vow = by_action(readout, "recognise the breakaway region")
    assert vow.kind == "promised" and vow.polarity == "refrain"


@pytest.mark.slow
def test_reported_and_quoted_intentions_of_a_party(summit):
    quoted = by_action(summit, "reopen the border crossings by spring")
    assert quoted.actors == ["Arla Venn"] and quoted.cue == "told" and quoted.meeting_hint == "the meeting"
    said = by_action(summit, "send a trade delegation to Norland")
    assert said.actors == ["Estovia"] and said.kind == "announced" and said.due == "2031-09"
    offer = by_action(summit, "host the next round of talks")
    assert offer.kind == "offered" and offer.actors == ["Tomas Rell"] and offer.actor_mention == "He"


@pytest.mark.slow
def test_joint_announcements_and_statements(summit):
    plans = by_action(summit, "set up a joint water commission")
    assert plans.kind == "announced" and plans.actors == ["Arla Venn", "Tomas Rell"]
    statement = by_action(summit, "annual summits")
    assert statement.kind == "pledged" and statement.cue == "commits" and statement.actors == ["Arla Venn", "Tomas Rell"]


@pytest.mark.slow
def test_hypotheticals_questions_refusals_opinions_and_predictions_yield_nothing(summit):
    expected = {"a ceasefire along the river", "release all Estovian fishermen", "would not build new dams",
                "reopen the border crossings", "send a trade delegation", "host the next round of talks",
                "raise the fishing fees", "set up a joint water commission", "annual summits"}
    unexpected = [c.action for c in summit.commitments if not any(e in c.action for e in expected)]
    assert not unexpected, unexpected
    assert len(summit.commitments) == len(expected)
    assert not any("ceasefire" in c.action and c.kind == "agreed" and c.start < 100 for c in summit.commitments), \
        "a headline commits nobody"


@pytest.mark.slow
def test_each_item_of_a_readout_list_is_a_commitment(readout):
    first = by_action(readout, "withdraw its patrol boats from the delta")
    assert first.actors == ["Norland"] and first.kind == "pledged" and first.cue == "will"
    second = by_action(readout, "exchange prisoners before the winter")
    assert second.kind == "agreed" and second.actors == ["Arla Venn", "Tomas Rell"]
    third = by_action(readout, "a hotline between the two capitals would open in July")
    assert third.kind == "announced" and third.due == "2031-07"
    # the author's own list of doubts is no readout
    assert not any("elections" in c.action for c in readout.commitments)


@pytest.mark.slow
def test_agreements_and_deals_reached(readout):
    crossings = by_action(readout, "open two new border crossings")
    assert crossings.kind == "agreed" and crossings.cue == "agreement" and crossings.actors == ["Arla Venn", "Tomas Rell"]
    deal = by_action(readout, "fishing quotas")
    assert deal.cue == "deal" and deal.actors == ["Arla Venn", "Tomas Rell"]
    assert len(readout.commitments) == 6


# ---- records ----------------------------------------------------------------------------------


def commitment(action="a ceasefire along the river from Monday", polarity="do", **kw) -> Commitment:
    values = dict(actors=["Arla Venn", "Tomas Rell"], action=action, polarity=polarity, kind="agreed",
                  due=None, cue="agreed", start=10, end=10 + len(action))
    values.update(kw)
    return Commitment(**values)


def test_commitments_shift_with_their_piece_of_the_text():
    c = commitment()
    moved = shift_commitment(c, 1000)
    assert (moved.start, moved.end) == (1010, 1010 + len(c.action)) and c.start == 10
    assert shift_commitment(c, 0) is c


def test_article_records_carry_commitments_in_their_json():
    record = ArticleRecord(id="a", commitments=[commitment()])
    out = record.to_dict()["commitments"]
    assert out[0]["actors"] == ["Arla Venn", "Tomas Rell"] and out[0]["polarity"] == "do"
    assert ArticleRecord(id="b").to_dict()["commitments"] == []


# ---- status history ---------------------------------------------------------------------------

T0 = datetime(2031, 6, 20, 9, 0)


def change(status, minutes=0, **kw) -> StatusChange:
    values = dict(status=status, evidence="The ceasefire took effect at midnight.", rationale="it took effect",
                  source="article:xyz@120-160", at=T0 + timedelta(minutes=minutes), by="rules-0.1.0")
    values.update(kw)
    return StatusChange(**values)


def test_a_new_commitment_is_not_yet_rated():
    history = CommitmentHistory()
    assert history.status == NOT_YET_RATED and history.current is None and len(history) == 0
    assert STATUSES == (NOT_YET_RATED, IN_THE_WORKS, STALLED, COMPROMISE, KEPT, BROKEN)


def test_the_history_is_append_only_and_the_last_change_is_current():
    empty = CommitmentHistory()
    one = empty.add(change(IN_THE_WORKS))
    two = one.add(change(KEPT, minutes=5))
    assert len(empty) == 0 and len(one) == 1  # adding makes a new history, the old one is untouched
    assert one.status == IN_THE_WORKS and two.status == KEPT
    assert [c.status for c in two] == [IN_THE_WORKS, KEPT]
    assert two.current.evidence and two.current.rationale and two.current.at == T0 + timedelta(minutes=5)
    with pytest.raises((FrozenInstanceError, AttributeError)):
        two.changes = ()  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        two.changes[0].status = BROKEN  # type: ignore[misc]
    assert not hasattr(two, "remove") and not hasattr(two, "edit")


def test_a_change_cannot_predate_the_last_one():
    history = CommitmentHistory().add(change(STALLED, minutes=10))
    with pytest.raises(ValueError):
        history.add(change(KEPT, minutes=0))


def test_unknown_statuses_and_changes_without_evidence_are_refused():
    with pytest.raises(ValueError):
        change("done")
    with pytest.raises(ValueError):
        change(KEPT, evidence=" ")
    with pytest.raises(ValueError):
        change(KEPT, rationale="")
    with pytest.raises(ValueError):
        change(KEPT, by="")
    assert change(BROKEN, source=None, by="a.reviewer").source is None  # a person's judgement


# ---- suggestions from later evidence ----------------------------------------------------------


@pytest.mark.parametrize("sentence, status", [
    ("The ceasefire took effect at midnight on Monday.", KEPT),
    ("The ceasefire never took effect.", BROKEN),
    ("The ceasefire has not yet taken effect.", STALLED),
    ("The ceasefire was scrapped after two days.", BROKEN),
    ("The ceasefire collapsed on Friday.", BROKEN),
    ("Talks to extend the ceasefire were postponed.", STALLED),
    ("The ceasefire was only partly observed.", COMPROMISE),
    ("Preparations for the ceasefire began on Sunday.", IN_THE_WORKS),
])
def test_suggest_status_from_later_evidence(sentence, status):
    suggested = suggest_status(commitment(), sentence)
    assert suggested is not None and suggested[0] == status
    assert "ceasefire" in suggested[1]  # the rationale names what it matched


def test_suggest_status_for_a_dropped_unit_and_a_postponed_visit():
    cyber = commitment("cooperate with Estovia on evaluating cybersecurity threats", kind="announced")
    assert suggest_status(cyber, "The joint cyber unit was dropped a day later.")[0] == BROKEN
    visit = commitment("a return visit to Norland in the autumn", kind="promised")
    assert suggest_status(visit, "The return visit was postponed until next year.")[0] == STALLED
    assert suggest_status(visit, "The visit took place in October.")[0] == KEPT
    commission = commitment("set up a joint water commission")
    assert suggest_status(commission, "The water commission was scaled back to two members.")[0] == COMPROMISE


def test_suggest_status_reads_a_promise_to_refrain_the_other_way():
    stop = commitment("stop the military exercises", polarity="refrain", kind="announced")
    assert suggest_status(stop, "The military exercises were suspended.")[0] == KEPT
    assert suggest_status(stop, "The exercises resumed in March.")[0] == BROKEN


def test_suggest_status_says_nothing_about_unrelated_or_uninformative_sentences():
    assert suggest_status(commitment(), "The fishing fees were scrapped.") is None  # not about the ceasefire
    assert suggest_status(commitment(), "The ceasefire was discussed again.") is None  # no sign of its fate
