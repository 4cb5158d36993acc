"""More statement kinds (issue 9, statements), each on invented sentences: namesakes of a known
leader, pronouns that skip people spoken of, attributions that say nothing, attributions hung
on other words by the parser, and the narrator's words tacked on to reported speech."""
from datetime import date

import pytest
from test_statements import extractor, find, statements  # noqa: F401 (extractor: the module's fixture)

pytestmark = pytest.mark.slow


# --- namesakes: a different first name, or an honorific of the other gender, is someone else ----

def test_an_honorific_of_the_other_gender_is_not_the_leader(extractor):
    on = date(2018, 7, 12)
    alone = statements(extractor, (
        "President Donald Trump met Prime Minister Theresa May on Friday. "
        "Mrs Trump told reporters that the visit to the school had been a great success.\n"), on)
    s = find(alone, "visit to the school")
    assert s.speaker != "Donald Trump"
    assert s.confidence < 0.7  # a guess
    named = statements(extractor, (
        "President Donald Trump met Prime Minister Theresa May on Friday. Melania Trump visited a school. "
        "Mrs Trump told reporters that the visit had been a great success.\n"), on)
    assert find(named, "great success").speaker == "Melania Trump"


def test_a_different_first_name_is_someone_else(extractor):
    found = statements(extractor, (
        "Prime Minister Tomas Rell met President Arla Venn on Tuesday.\n\n"
        "Ilse Marven, the opposition leader, said the talks were a failure.\n\n"
        "Piet Marven said the talks had achieved nothing at all for the farmers.\n\n"
        "Marven said the farmers would protest on Friday.\n"))
    assert find(found, "were a failure").speaker == "Ilse Marven"
    assert find(found, "achieved nothing").speaker == "Piet Marven"


def test_a_known_surname_after_another_first_name_is_not_the_leader(extractor):
    found = statements(extractor, (
        "President Vladimir Putin met Donald Trump on Monday.\n\n"
        "Igor Putin told reporters that the rouble would fall further next year.\n"), date(2018, 7, 17))
    assert find(found, "rouble would fall").speaker == "Igor Putin"


# --- pronouns ---------------------------------------------------------------------------------

def test_he_is_not_someone_named_in_what_was_just_reported(extractor):
    found = statements(extractor, (
        "The adviser Oskar Dunmere said both sides had agreed the talks would have no agenda. "
        "But he said he found it \u201chard to believe\u201d President Arla Venn would not raise the river.\n\n"
        "\u201cThat is one of the purposes of this meeting, to see eye to eye with the president,\u201d he told Calder TV.\n"))
    assert find(found, "purposes of this meeting").speaker == "Oskar Dunmere"


def test_he_goes_on_with_the_he_before_and_skips_captions(extractor):
    found = statements(extractor, (
        "Tomas Rell met President Arla Venn in Port Calder on Monday.\n\n"
        "Rell gave a long account of the talks to reporters afterwards.\n\n"
        "Play Video 0:34 Venn answers questions from journalists \u2013 video\n\n"
        "He even defended Venn over the death of the student Ilse Marven, who was sent home ill in June.\n\n"
        "\u201cShe says she did not know about it and I will take her at her word,\u201d he said.\n"))
    assert find(found, "take her at her word").speaker == "Tomas Rell"


# --- attributions that say nothing ---------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Oskar Dunmere declined to criticize the ministry over the delays at the border.",
    "Leading lawmakers have so far failed to pledge any concrete action to punish Venn for the delays.",
    "Tomas Rell was determined to use his visit to point out the failures of the ministry in Norland.",
    "Arla Venn wants to tell the farmers that the border will reopen in the spring.",
])
def test_what_was_declined_failed_or_intended_was_not_said(extractor, sentence):
    found = statements(extractor, sentence + "\n")
    assert not [s for s in found if s.speaker in ("Oskar Dunmere", "Tomas Rell", "Arla Venn") or "pledge" in (s.cue or "")
                or "concrete action" in s.quote], found


# --- attributions the parser hangs elsewhere ------------------------------------------------------

@pytest.mark.parametrize("sentence, content, speaker", [
    # a passive with "by": the one after "by" speaks
    ("Prime Minister Tomas Rell was asked by Calder TV's Ilse Marven why the peace talks had stumbled.",
     "peace talks had stumbled", "Ilse Marven"),
    ("As theorized by Ilse Marven of the University of Port Calder, each new president wants to solve the river problem.",
     "solve the river problem", "Ilse Marven"),
    # a participle on a passive or adjectival clause
    ("Arla Venn was unmoved, asserting that the treaty was \u201cjust making Estovia richer.\u201d",
     "making Estovia richer", "Arla Venn"),
    ("Oskar Dunmere has been quick to point out that other countries have raised their spending each year.",
     "raised their spending", "Oskar Dunmere"),
    # a second speech verb the parser hung on the reported clause
    ("President Arla Venn predicted Tuesday that Estovia would follow through with its plans to leave the union "
     "and said the exit would be \u201cvery good\u201d for the country.", "exit would be", "Arla Venn"),
    # (declined to) criticize X for blaming Y: X did the blaming
    ("Oskar Dunmere declined to criticize Arla Venn for blaming Estovia for the poor relations between the countries.",
     "poor relations", "Arla Venn"),
    # "May said": a name the tagger took for a modal
    ("Prime Minister Theresa May met Arla Venn in Port Calder. May said trade between the two countries was worth "
     "almost $240 billion last year.", "trade between the two countries", "Theresa May"),
])
def test_attributions_the_parser_hangs_elsewhere(extractor, sentence, content, speaker):
    assert find(statements(extractor, sentence + "\n", date(2018, 7, 12)), content).speaker == speaker


def test_groups_and_publications(extractor):
    found = statements(extractor, (
        "Oskar Dunmere and Senate leader Ilse Marven subsequently suggested they would support new sanctions.\n\n"
        "On Tuesday, the editors of the conservative Calder Gazette magazine called on lawmakers to censure the president.\n\n"
        "\u201cWe understand that such a measure would be largely symbolic,\u201d the editors wrote.\n\n"
        "The truce was holding hours after it took effect, a monitor and two rebel officials said.\n"))
    assert find(found, "support new sanctions").speaker is None
    censure = find(found, "censure the president")
    assert censure.speaker == "Calder Gazette" and "lawmakers" in censure.quote
    assert find(found, "largely symbolic").speaker == "Calder Gazette"
    assert find(found, "truce was holding").speaker is None


# --- content: the narrator's words are not part of it -----------------------------------------

def test_the_narrators_tail_is_not_content(extractor):
    found = statements(extractor, (
        "Arla Venn on Sunday backtracked on her plan, tweeting that she did not think it could happen, "
        "hours after her proposal was criticized by lawmakers.\n\n"
        "Tomas Rell has repeatedly criticized Norland allies for not spending enough on defense, "
        "a criticism that has added to tensions between the two countries.\n\n"
        "Those talks are focused almost exclusively on the river, lawmakers and officials say, "
        "and no evidence has surfaced publicly implicating other countries.\n\n"
        "A new border deal \u201cwill absolutely be possible\u201d, Oskar Dunmere has said, "
        "hours after he told the Calder Gazette that the plan could kill an agreement.\n"))
    assert find(found, "could happen").quote == "she did not think it could happen"
    assert "tensions" not in find(found, "not spending enough").quote
    assert "no evidence" not in find(found, "focused almost exclusively").quote
    deal = find(found, "absolutely be possible")
    assert "hours after" not in deal.quote and "Dunmere" not in deal.quote


@pytest.mark.parametrize("sentence, content", [
    ("He also reasserted his view that there is \u201cno question\u201d Estovia interfered in the election.", "no question"),
    ("Some lawmakers had called for the summit to be cancelled after the arrests.", "summit to be cancelled"),
    ("The deal was signed, which some panned as \u201cshameful\u201d and a \u201csign of weakness\u201d.",
     "sign of weakness"),
    ("Tomas Rell said he hoped for a \u201cnew relationship\u201d and blamed the tensions on previous governments.",
     "tensions on previous governments"),
])
def test_content_of_a_noun_a_for_to_clause_and_conjoined_predicates(extractor, sentence, content):
    found = statements(extractor, "Oskar Dunmere spoke after the vote.\n\n" + sentence + "\n")
    s = find(found, content)
    if "some panned" in sentence or "lawmakers had" in sentence:
        assert s.speaker is None
    assert not s.quote.startswith(("for ", "that "))


# --- frames beyond speech verbs, and programme names -------------------------------------------

def test_a_quotation_framed_by_continued_or_went_on(extractor):
    found = statements(extractor, (
        "President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia.\n\n"
        "\u201cWe have agreed on the river,\u201d she continued. \u201cThe border will open in the spring.\u201d\n\n"
        "\u201cWe will meet again,\u201d Rell went on, \u201cand the farmers will be glad of it.\u201d\n\n"
        "The talks continued on Tuesday. The meeting went on for hours.\n"))
    assert find(found, "agreed on the river").speaker == "Arla Venn"
    again = find(found, "meet again")
    assert again.speaker == "Tomas Rell" and "farmers will be glad" in again.quote
    assert not any("hours" in s.quote for s in found)


def test_a_programme_name_is_not_the_content(extractor):
    found = statements(extractor, (
        "Arla Venn told Calder TV's \u201cFace the River\u201d that the talks had been very productive.\n"))
    assert find(found, "talks had been").quote == "the talks had been very productive"


@pytest.mark.parametrize("mention, agency", [
    ("China's official news agency", "Xinhua"),
    ("The North Korean state news agency", "KCNA"),
    ("The official Xinhua news agency", "Xinhua"),
])
def test_a_news_agency_named_by_description(extractor, mention, agency):
    found = statements(extractor, f"Xi Jinping met Kim Jong Un in Beijing. {mention} said the talks had lasted three hours.\n",
                       date(2019, 6, 21))
    assert find(found, "lasted three hours").speaker == agency


def test_he_is_not_the_one_he_speaks_to(extractor):
    found = statements(extractor, (
        "Tomas Rell met Oskar Dunmere in Port Calder.\n\n"
        "After Dunmere's answer, in which he urged Rell to \u201cbe serious about the river\u201d, Rell took another swipe.\n"))
    assert find(found, "be serious").speaker == "Oskar Dunmere"


def test_an_aside_in_brackets_is_not_an_antecedent(extractor):
    found = statements(extractor, (
        "Arla Venn said she had not decided whether to go ahead with the vote.\n\n"
        "(Also on the Calder Gazette: Oskar Dunmere seeks to block the vote)\n\n"
        "\u201cI knew by bringing this to parliament that there was a risk of no consensus at all,\u201d she told Calder TV.\n"))
    assert find(found, "I knew by bringing").speaker == "Arla Venn"


@pytest.mark.parametrize("sentence", [
    "Rather than announcing any concrete achievements, Tomas Rell offered the promise of more talks on the river.",
    "Tomas Rell left the meeting without saying that the border would reopen in the spring.",
])
def test_rather_than_or_without_saying_is_not_saying(extractor, sentence):
    found = statements(extractor, sentence + "\n")
    assert not [s for s in found if "achievements" in s.quote or "border would reopen" in s.quote], found


def test_a_bare_surname_stays_the_known_leader_beside_a_namesake_named_in_full(extractor):
    # A rule giving a bare surname to the person named in full ("Khan" after "Mayor Saqdiq Khan")
    # lowered speaker accuracy on the second held-out set from 0.870 to 0.793 (stories that name
    # a leader's relative in full and the leader by surname only) and was dropped.
    found = statements(extractor, (
        "First lady Melania Trump visited a children's hospital in Ohio.\n\n"
        "Trump said the economy had never been stronger.\n"), date(2019, 6, 1))
    assert find(found, "economy").speaker == "Donald Trump"


def test_a_first_name_blocks_the_full_name_given_earlier(extractor):
    found = statements(extractor, (
        "Pastor Saeed Abedini has been held in prison for a year.\n\n"
        "But Naghmeh Abedini recently told Calder TV that she has not received a phone call from the president.\n"))
    assert find(found, "phone call").speaker == "Naghmeh Abedini"


def test_a_sentence_opening_word_is_not_a_first_name(extractor):
    found = statements(extractor, (
        "Though Arla Venn won the vote, she said the border would stay closed for another year.\n"))
    assert find(found, "border would stay closed").speaker == "Arla Venn"


@pytest.mark.parametrize("sentence, content, speaker", [
    # a that-clause the parser hung on the setting ("after a meeting that ...")
    ("House Speaker Oskar Dunmere, R-Ohio, said after a White House meeting that he supports the call for action.",
     "he supports the call", "Oskar Dunmere"),
    # an acronym the tagger took for a common noun
    ("In a statement released Thursday, CALDERPOL said its investigators found troubling inconsistencies.",
     "troubling inconsistencies", "CALDERPOL"),
    # an inverted frame with an abbreviated title: "Said Col. X: “...”"
    ("Said retired Army Col. Ken Allard, now a military analyst: \u201cCall me crazy, but what is the point of staying?\u201d",
     "Call me crazy", "Ken Allard"),
])
def test_frames_the_parser_misreads(extractor, sentence, content, speaker):
    assert find(statements(extractor, sentence + "\n"), content).speaker == speaker


def test_noted_with_an_object_reports_it(extractor):
    found = statements(extractor, (
        "Ilse Marven, a former ambassador to Estovia, also noted restrictions on sharing information with Estovia.\n"))
    assert find(found, "restrictions on sharing").speaker == "Ilse Marven"


def test_the_press_told_is_not_what_was_told(extractor):
    found = statements(extractor, "Ilse Marven told reporters Friday after the vote in Port Calder.\n")
    assert not [s for s in found if "reporters" in s.quote], found


@pytest.mark.parametrize("sentence, speaker", [
    ("According to a statement from the Kremlin, the two leaders discussed Syria and arms control at length.", "Kremlin"),
    ("A readout from the White House said the two leaders discussed Syria and arms control at length.", "White House"),
    ("A statement issued by the Kremlin said the two leaders discussed Syria and arms control at length.", "Kremlin"),
])
def test_words_issued_by_someone_are_theirs(extractor, sentence, speaker):
    found = statements(extractor, "Vladimir Putin met Donald Trump in Helsinki. " + sentence + "\n", date(2018, 7, 16))
    assert find(found, "discussed Syria").speaker == speaker
