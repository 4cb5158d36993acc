"""Statement rules, each a kind of construction, on invented sentences about fictional people
(no real article text): speakers beyond the actor data, pronouns and descriptions resolved to
the nearest fitting mention, reported speech beyond said/told, and each statement's confidence."""
from datetime import date

import pytest

from summitry.nlp.extractor import Extractor
from summitry.records import Article

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def statements(extractor, text, published=date(2031, 6, 12)):
    return extractor.extract(Article(id="t", text=text, published=published)).statements


def find(found, fragment):
    hits = [s for s in found if fragment in s.quote]
    assert hits, f"no statement with {fragment!r}: {[(s.speaker, s.quote) for s in found]}"
    return hits[0]


def test_every_statement_has_a_confidence_ordered_by_its_evidence(extractor):
    found = statements(extractor, (
        "President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia on Tuesday.\n\n"
        "\u201cWe have agreed to open the border crossings by spring,\u201d Venn said.\n\n"
        "Rell arrived late. \u201cThe river belongs to both of our peoples,\u201d he said.\n\n"
        "Officials described the mood as calm and the talks as long and very detailed.\n"))
    assert all(0 <= s.confidence <= 1 for s in found)
    named = find(found, "border crossings")
    pronoun = find(found, "river belongs")
    assert named.confidence > pronoun.confidence
    assert pronoun.speaker and "Rell" in pronoun.speaker
    assert named.to_dict()["confidence"] == named.confidence


# --- speakers beyond the actor data -----------------------------------------------------------

def test_people_and_outlets_the_actor_data_lacks_speak_under_their_fullest_name(extractor):
    found = statements(extractor, (
        "President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia on Tuesday.\n\n"
        "The talks were the longest in years, said Ilse Marven, a historian at the University of Port Calder.\n\n"
        "\u201cNobody expected them to agree on the river,\u201d Marven said.\n\n"
        "The deal will be signed in the autumn, the Calder Gazette reported.\n"))
    assert find(found, "longest in years").speaker == "Ilse Marven"
    assert find(found, "Nobody expected").speaker == "Ilse Marven"
    assert "Calder Gazette" in (find(found, "signed in the autumn").speaker or "")


def test_a_quote_does_not_keep_its_attribution(extractor):
    found = statements(extractor, (
        "Tomas Rell spoke after the talks.\n\n"
        "\u201cThe river belongs to both of our peoples,\u201d said Ilse Marven, a historian in Port Calder.\n"))
    s = find(found, "river belongs")
    assert "Marven" not in s.quote and "said" not in s.quote
    assert s.speaker == "Ilse Marven"


# --- pronouns and descriptions: the nearest compatible mention --------------------------------

def test_he_is_the_person_just_introduced_not_the_leader(extractor):
    found = statements(extractor, (
        "President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia on Tuesday.\n\n"
        "Committee chairman Oskar Dunmere questioned the cost of the new bridge across the river.\n\n"
        "\u201cThe money is simply not there for a bridge of that size,\u201d he said.\n"))
    assert find(found, "money is simply").speaker == "Oskar Dunmere"


def test_he_after_an_unnamed_official_stays_unnamed(extractor):
    found = statements(extractor, (
        "Prime Minister Tomas Rell of Estovia arrived in Port Calder on Tuesday.\n\n"
        "A Norland official told reporters that the deal was close to being done. "
        "He said Rell had agreed to the main terms of the water treaty.\n"))
    assert find(found, "main terms").speaker is None


def test_the_spokesman_is_the_spokesman_named_before(extractor):
    found = statements(extractor, (
        "Party spokesman Omar Vell spoke on Monday in Port Calder.\n\n"
        "The ministers are also due in the capital on Saturday, the spokesman for the party said.\n"))
    assert find(found, "ministers are also due").speaker == "Omar Vell"


# --- reported speech beyond said/told ---------------------------------------------------------

@pytest.mark.parametrize("sentence, content", [
    ("Omar Vell conceded that the talks had stalled over the water treaty.", "talks had stalled"),
    ("Omar Vell warned that any delay would hurt farmers on both sides of the river.", "any delay would hurt"),
    ("Omar Vell insisted the treaty would be signed before the end of the year.", "treaty would be signed"),
    ("Omar Vell acknowledged the talks had been difficult for both sides.", "talks had been difficult"),
    ("Omar Vell blasted the ministry for delaying the water treaty by two years.", "delaying the water treaty"),
    ("Omar Vell pressed the ministers to reopen the border crossings before the harvest.", "reopen the border"),
    ("Omar Vell cited the rising cost of grain and the closed border crossings.", "rising cost of grain"),
])
def test_speech_verbs_beyond_said(extractor, sentence, content):
    found = statements(extractor, sentence + "\n")
    assert find(found, content).speaker == "Omar Vell"


def test_a_participial_attribution_is_a_statement_of_its_own(extractor):
    found = statements(extractor, (
        "Omar Vell argued that the crossings should open first, conceding that the treaty could wait.\n"))
    assert "conceding" not in find(found, "crossings should open first").quote
    assert find(found, "treaty could wait").speaker == "Omar Vell"


def test_a_statement_speaks_for_whoever_issued_it(extractor):
    found = statements(extractor, (
        "Omar Vell released a statement which charged that the ministry had moved troops to the border.\n"))
    assert find(found, "moved troops").speaker == "Omar Vell"


def test_a_clause_then_a_quotation_are_two_statements(extractor):
    found = statements(extractor, (
        "Omar Vell said the border would reopen in spring: \u201cWe have waited long enough for this.\u201d\n"))
    assert find(found, "border would reopen").kind == "indirect"
    assert find(found, "waited long enough").kind == "direct"


def test_a_one_word_answer_and_a_sentence_quoted_after_that_are_direct(extractor):
    found = statements(extractor, (
        "Asked whether he would sign, Omar Vell said \u201cYes\u201d.\n\n"
        "Ilse Marven told reporters at a news conference that \u201cThis is a new day for both of our countries.\u201d\n"))
    assert find(found, "Yes").speaker == "Omar Vell"
    new_day = find(found, "new day")
    assert new_day.kind == "direct" and new_day.speaker == "Ilse Marven"


@pytest.mark.parametrize("sentence", [
    "Omar Vell would not say if he would sign the treaty next week.",  # negated: nothing said
    "It is hard to explain the shift in the views of Omar Vell on the treaty.",  # nobody explains
    "Omar Vell was then asked what he thought about the new treaty on the river.",  # passive: asked by someone else
    "Media playback is unsupported Media caption Omar Vell: \u201cWe will never sign this treaty with them\u201d",
])
def test_no_statement(extractor, sentence):
    assert statements(extractor, sentence + "\n") == []


@pytest.mark.parametrize("sentence, content, speaker", [
    ("Critics often accused Omar Vell of making concessions to Norland.", "making concessions", None),
    ("Both countries have said they want to keep the trade deal that dates back decades.", "keep the trade deal", None),
    ("Retailers, however, say they are exasperated.", "exasperated", None),
    ("Omar Vell attributed the wildfires to poor supervision of forest lands.", "poor supervision", "Omar Vell"),
    ("Omar Vell has questioned the commitment of Norland to the treaty.", "commitment of Norland", "Omar Vell"),
    ("Ilse Marven pointed out that Norland had often made similar promises.", "similar promises", "Ilse Marven"),
])
def test_groups_and_object_verbs(extractor, sentence, content, speaker):
    s = find(statements(extractor, sentence + "\n"), content)
    assert s.speaker == speaker
    if "accused" in sentence:
        assert "Vell" not in s.quote  # accused X of Y: the content is Y


def test_according_to_someones_figures_is_theirs(extractor):
    found = statements(extractor, "According to Omar Vell's account, the talks lasted three hours and ended without a deal.\n")
    assert find(found, "talks lasted").speaker == "Omar Vell"


def test_speak_of_and_a_describing_relative_clause(extractor):
    found = statements(extractor, (
        "Eyewitnesses spoke of gunfire.\n\n"
        "Omar Vell spoke to reporters on Monday.\n\n"
        "Omar Vell questioned the policy of Norland, which treats the island as a breakaway province.\n\n"
        "Ilse Marven said the deal, which was signed on Monday, would hold for ten years.\n"))
    assert find(found, "gunfire").speaker is None
    assert find(found, "policy of Norland").quote == "the policy of Norland"
    assert "would hold" in find(found, "the deal").quote  # a relative clause inside the content stays
    assert not any("reporters" in s.quote for s in found)


def test_a_first_name_or_short_title_takes_the_full_name_given_earlier(extractor):
    found = statements(extractor, (
        "Larry Abramson is in Port Calder for the visit.\n\n"
        "Those leaders reaffirmed the alliance between the countries, Larry said.\n\n"
        "The Calder Evening Times reported that the visit would be short.\n\n"
        "The visit will be short and focused on the river, the Times reported.\n"))
    assert find(found, "reaffirmed the alliance").speaker == "Larry Abramson"
    assert "Calder Evening Times" in find(found, "focused on the river").speaker


@pytest.mark.parametrize("sentence", [
    "That said, the two leaders came away with one agreement on the river.",
    "A group calling itself the Friends of the River has circulated a list of names.",
    "A senior official once told me a revealing story about the two leaders.",
])
def test_idioms_names_and_stories_are_not_statements(extractor, sentence):
    assert statements(extractor, sentence + "\n") == []
