"""Hover cards of linked names are blanked before the gate and the parser read the text.

Invented sentences in the shape of a scraped page that keeps its profile links' cards inline.
"""
from __future__ import annotations

from summitry.nlp.link_cards import blank_link_cards, card_spans
from summitry.nlp.relevance import RelevanceGate
from summitry.actors import Registry

from test_statements import extractor, statements  # noqa: F401 (a fixture)

CARD = ("Arno Benedikt VennSenators weigh a longer trial Mayor says 'We will win the vote' "
        "Three takeaways from the debate MORE")


def test_the_card_from_the_full_name_to_more_is_blanked_offsets_kept():
    text = f"President Venn {CARD} said on Monday that the talks would go on."
    blanked = blank_link_cards(text)
    assert len(blanked) == len(text)
    assert blanked.startswith("President Venn ")
    assert blanked.split() == ["President", "Venn", "said", "on", "Monday", "that", "the", "talks",
                               "would", "go", "on."]
    assert text[card_spans(text)[0][0]:].startswith("Arno Benedikt Venn")


def test_a_nickname_in_brackets_and_a_possessive_after_more():
    text = ("Sen. Tom Lask Thomas (Tom) Edward LaskBudget talks stall again Lask: 'No deal this week' "
            "Five things to watch MORE's plan was rejected.")
    assert blank_link_cards(text).split() == ["Sen.", "Tom", "Lask", "'s", "plan", "was", "rejected."]


def test_the_echo_run_into_the_headline_wins_over_an_earlier_one():
    # "Dana Orr Dana" also looks like a surname and its echo; the full name run into the first
    # headline ("OrrBudget") is the card's
    text = "Leader Dana Orr Dana (Dee) Lynn OrrBudget talks stall Orr vows a fight on spending MORE (D) spoke."
    assert blank_link_cards(text).split() == ["Leader", "Dana", "Orr", "(D)", "spoke."]


def test_without_a_join_the_last_echo_is_the_card():
    text = "said Speaker Paul Rand Paul Davis Rand Retirees should say no to the plan Rand weighs in MORE today"
    assert blank_link_cards(text).split() == ["said", "Speaker", "Paul", "Rand", "today"]


def test_two_cards_in_a_paragraph():
    text = (f"Venn {CARD} and Chancellor Lise Morel Lise Anne MorelBudget talks stall "
            "Morel says 'Not now' MORE met in Geneva.")
    assert blank_link_cards(text).split() == ["Venn", "and", "Chancellor", "Lise", "Morel", "met", "in",
                                              "Geneva."]


def test_text_without_cards_is_returned_as_it_came():
    for text in ("READ MORE: the talks in Geneva", "He wanted MORE time, Venn said.",
                 "Venn Venn and MORE", "MORE", "", "Talks went on.\n\nVenn Arno Venn\nMORE news"):
        assert blank_link_cards(text) == text


def test_a_card_never_crosses_a_paragraph():
    text = "President Arno Venn Arno Benedikt Venn\n\nHeadlines of the day MORE"
    assert card_spans(text) == []


def test_the_gate_does_not_read_a_leader_named_only_in_a_card():
    # the story is about a senator; the card's headlines name two leaders and a summit
    gate = RelevanceGate(Registry.load())
    story = ("Sen. Ola Brink Ola Marie BrinkTrump and Putin meet at summit in Helsinki Brink on "
             "budget MORE (D) met with farmers on Tuesday to talk about prices.")
    assert not gate.check(story).relevant
    assert gate.check("Trump and Putin met at a summit in Helsinki on Monday.").relevant


def test_a_quotation_in_a_card_is_no_statement_and_the_linked_name_speaks(extractor):
    text = (f"President Venn {CARD} said on Monday that the talks with Morel would go on.\n\n"
            "Nobody else spoke.")
    found = statements(extractor, text)
    assert [s.quote for s in found if "win the vote" in s.quote] == []
    speakers = {s.speaker for s in found if "talks with Morel" in s.quote}
    assert speakers and all("Venn" in speaker for speaker in speakers)
    for s in found:  # offsets are the article's
        assert text[s.start:s.end] == s.quote
