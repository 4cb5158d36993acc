"""More kinds of meeting construction (issue 9, folds 1 and 4 read), each on invented
sentences about fictional leaders (titled, so that the actor data need not know them)."""
from datetime import date

import pytest
from test_meetings_kinds import extractor, meetings  # noqa: F401 (extractor: the module's fixture)

from summitry.records import Article

pytestmark = pytest.mark.slow


def test_headlines_of_an_inline_link_list_are_not_the_story_s_meetings(extractor):
    found = meetings(extractor, "President Arla Venn Arla Maria VennVenn faces high stakes in meeting with Prime "
                                "Minister Tomas Rell MORE on Sunday said the economy was strong.")
    assert not found


def test_a_multilateral_summit_alone_is_no_meeting_of_the_story_s_pair(extractor):
    text = ("President Arla Venn of Norland and Prime Minister Tomas Rell of Estovia traded barbs over tariffs.\n\n"
            "President Arla Venn criticised Prime Minister Tomas Rell again on Monday.\n\n"
            "President Arla Venn made the remarks during this weekend's G20 summit in Port Calder.")
    assert not meetings(extractor, text)


def test_a_multilateral_summit_still_places_the_pair_s_meeting_told_elsewhere(extractor):
    text = ("President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia on Saturday.\n\n"
            "President Arla Venn praised Prime Minister Tomas Rell afterwards.\n\n"
            "President Arla Venn spoke at the G20 summit in Port Calder.")
    found = meetings(extractor, text)
    assert set(found) == {("Arla Venn", "Tomas Rell")}


def test_the_subject_of_a_clause_meets_whom_it_acts_ahead_of_a_meeting_with(extractor):
    found = meetings(extractor, "President Arla Venn of Norland made the comments ahead of a meeting with "
                                "Prime Minister Tomas Rell of Estovia.")
    assert set(found) == {("Arla Venn", "Tomas Rell")}


def test_several_past_summits_of_a_group_are_not_this_meeting_s_occasion(extractor):
    found = meetings(extractor, "\u201cI have been to numerous G7 meetings,\u201d President Arla Venn of Norland said "
                                "last week during a meeting with Prime Minister Tomas Rell of Estovia.")
    m = found[("Arla Venn", "Tomas Rell")]
    assert m.occasion is None and m.format != "sideline"


def test_the_president_of_a_story_with_two_is_the_one_named_without_a_country(extractor):
    # real office holders (the actor data must know both presidents' offices), invented sentences
    text = ("Trump said Russian President Vladimir Putin would be welcome at the next summit.\n\n"
            "Trump repeated that Putin was welcome.\n\n"
            "The president made the comments ahead of a meeting with Japanese Prime Minister Shinzo Abe.")
    found = meetings(extractor, text, published=date(2019, 8, 20))
    assert ("Donald Trump", "Shinzo Abe") in found and ("Shinzo Abe", "Vladimir Putin") not in found


def test_the_traveller_meets_the_leaders_of_the_countries_of_the_trip(extractor):
    found = meetings(extractor, "The visit ends before President Arla Venn of Norland travels to Japan and Germany "
                                "for bilateral meetings.", published=date(2019, 6, 4))
    assert set(found) == {("Arla Venn", "Shinzo Abe"), ("Angela Merkel", "Arla Venn")}
    assert all(m.status == "planned" for m in found.values())


PAIR_STORY = ("President Arla Venn of Norland and Prime Minister Tomas Rell of Estovia traded barbs over tariffs.\n\n"
              "President Arla Venn criticised Prime Minister Tomas Rell again on Monday.\n\n")


def test_a_summit_with_others_named_is_no_meeting_of_the_story_s_pair(extractor):
    found = meetings(extractor, PAIR_STORY + "President Arla Venn landed in Brindor on Tuesday for a summit "
                                             "with military allies.")
    assert not found
    found = meetings(extractor, PAIR_STORY + "President Arla Venn said he had a great meeting with NATO on Tuesday.")
    assert not found


def test_a_leader_named_as_another_trigger_s_party_is_not_this_one_s(extractor):
    found = meetings(extractor, PAIR_STORY + "President Arla Venn explained what would be discussed at the summit "
                                             "during a joint news conference with President Ivo Maren of Corvania "
                                             "last week.")
    assert ("Arla Venn", "Ivo Maren") in found and found[("Arla Venn", "Ivo Maren")].status == "held"
    assert all(m.status != "proposed" for k, m in found.items() if k == ("Arla Venn", "Ivo Maren"))


def test_an_audience_told_something_is_not_an_encounter(extractor):
    found = meetings(extractor, "\u201cWe must stay united,\u201d President Arla Venn of Norland told a gathering of "
                                "world leaders, including Prime Minister Tomas Rell of Estovia and President Ivo "
                                "Maren of Corvania.")
    assert not found


def test_a_former_leader_named_by_his_office_now_is_no_participant(extractor):
    # Jens Stoltenberg was Norway's prime minister before he led NATO (the actor data knows both offices)
    found = meetings(extractor, "At a news conference with NATO Secretary General Jens Stoltenberg, Trump said "
                                "the alliance serves a great purpose.", published=None)
    assert not found


def test_a_leader_s_trip_to_a_capital_is_an_encounter_with_its_leader(extractor):
    # real office holders: the host is who led the country whose capital it is, on the day
    found = meetings(extractor, "On her first Washington trip, Chancellor Angela Merkel found the talks hard.",
                     published=date(2017, 3, 18))
    m = found[("Angela Merkel", "Donald Trump")]
    assert m.place == "Washington"
    # a trip to a country may keep away from its government
    assert not meetings(extractor, "On her first trip to France, Chancellor Angela Merkel found the talks hard.",
                        published=date(2017, 3, 18))


def test_an_undated_past_occasion_is_kept_apart_from_the_story_s_encounter(extractor):
    text = ("Chancellor Angela Merkel was in Washington for a working visit with President Donald Trump.\n\n"
            "Last year, on her first Washington trip, President Donald Trump did not shake her hand.")
    record = extractor.extract(Article(id="t", text=text, published=None))
    assert len([m for m in record.meetings if set(m.participants) == {"Angela Merkel", "Donald Trump"}]) == 2


def test_an_apology_made_to_a_leader_is_an_encounter_but_a_guess(extractor):
    found = meetings(extractor, "President Arla Venn of Norland apologized to Prime Minister Tomas Rell of Estovia "
                                "for the remarks on Tuesday.")
    m = found[("Arla Venn", "Tomas Rell")]
    assert m.status == "held" and m.confidence < 0.7
    assert not meetings(extractor, "President Arla Venn of Norland apologized for remarks about Prime Minister "
                                   "Tomas Rell of Estovia.")


def test_a_leader_in_a_conjoined_clause_is_not_a_participant(extractor):
    found = meetings(extractor, "Last week, President Ivo Maren of Corvania met Prime Minister Tomas Rell of Estovia "
                                "at the border, and President Arla Venn of Norland sounds increasingly optimistic.")
    assert set(found) == {("Ivo Maren", "Tomas Rell")}


def test_a_government_s_internal_meeting_is_no_encounter(extractor):
    found = meetings(extractor, "\u201cI look forward to seeing President Ivo Maren,\u201d President Arla Venn of "
                                "Norland said during a Cabinet meeting on Wednesday.")
    assert not found


def test_a_meeting_with_people_who_are_not_leaders_takes_no_leader_from_the_sentence(extractor):
    found = meetings(extractor, "President Arla Venn of Norland, who praised President Ivo Maren of Corvania, said "
                                "she met all three of them last year.")
    assert not found


def test_a_name_run_into_a_date_word_is_a_recogniser_slip():
    from summitry.nlp.meetings import DATE_WORD
    assert DATE_WORD.search("Trump Sunday") and DATE_WORD.search("Putin Monday")
    assert not DATE_WORD.search("Theresa May") and not DATE_WORD.search("Vladimir Putin")


def test_an_infinitive_of_purpose_has_the_tense_of_its_clause_and_not_another_event_s_place(extractor):
    found = meetings(extractor, "After two days of meetings in Brindor, President Arla Venn of Norland will travel "
                                "to Estovia and then Corvania to meet with Prime Minister Tomas Rell of Estovia.")
    m = found[("Arla Venn", "Tomas Rell")]
    assert m.status == "planned" and m.place is None


def test_a_strip_of_headlines_is_not_a_sentence_of_the_story(extractor):
    found = meetings(extractor, "The Money: prices rise | President Arla Venn of Norland meets Prime Minister Tomas "
                                "Rell of Estovia | Storm hits the coast | Markets fall")
    assert not found


def test_a_pronoun_after_someone_who_is_no_leader_is_not_the_leader_s(extractor):
    found = meetings(extractor, "President Arla Venn of Norland relies on his adviser, Jon Halvard Pike.\n\n"
                                "Since then, he has met with a number of world leaders, including Prime Minister "
                                "Tomas Rell of Estovia and President Ivo Maren of Corvania.")
    assert not found  # neither Venn's meetings nor one between the two listed


def test_a_news_conference_with_someone_who_is_no_leader_is_no_encounter(extractor):
    found = meetings(extractor, "Appearing at a news conference with adviser Jon Halvard Pike, President Arla Venn of "
                                "Norland did not reject the plan of Prime Minister Tomas Rell of Estovia.")
    assert not found


def test_the_host_country_s_leader_is_no_party_of_a_multilateral_summit(extractor):
    found = meetings(extractor, "President Donald Trump will head to Osaka, Japan, for a Group of 20 nations summit.",
                     published=date(2019, 6, 20))
    assert not found


def test_a_monarch_who_reigns_without_governing_is_no_participant(extractor):
    found = meetings(extractor, "President Donald Trump met Queen Elizabeth II at Buckingham Palace on Monday.",
                     published=date(2019, 6, 4))
    assert not found


def test_calls_for_something_are_no_phone_calls(extractor):
    found = meetings(extractor, "President Arla Venn of Norland rejected the calls for sanctions by Prime Minister "
                                "Tomas Rell of Estovia.")
    assert all(m.format != "phone" for m in found.values())


def test_an_encounter_told_in_the_past_inside_an_announcement_is_held(extractor):
    found = meetings(extractor, "The palace announced Tuesday that President Arla Venn of Norland spoke Monday night "
                                "with Prime Minister Tomas Rell of Estovia.")
    m = found[("Arla Venn", "Tomas Rell")]
    assert m.status == "held" and m.date == "2031-06-09"


def test_a_called_off_encounter_without_a_year_is_dated_nearest_the_story(extractor):
    found = meetings(extractor, "It is regrettable that the summit between President Arla Venn of Norland and Prime "
                                "Minister Tomas Rell of Estovia will not be held on June 12 as it was scheduled.",
                     published=date(2031, 5, 25))
    m = found[("Arla Venn", "Tomas Rell")]
    assert m.status in ("cancelled", "denied") and m.date == "2031-06-12"


def test_a_country_s_capital_named_by_description_and_a_palace_are_their_city(extractor):
    found = meetings(extractor, "President Arla Venn of Norland will meet Prime Minister Tomas Rell of Estovia in "
                                "the Russian capital.")
    assert found[("Arla Venn", "Tomas Rell")].place == "Moscow"
    found = meetings(extractor, "President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia at "
                                "Buckingham Palace on Tuesday.")
    assert found[("Arla Venn", "Tomas Rell")].place == "London"


def test_a_reported_clause_with_its_own_subject_does_not_make_the_speaker_a_party(extractor):
    found = meetings(extractor, "President Arla Venn of Norland said Prime Minister Tomas Rell of Estovia would be "
                                "talking to separatist leaders about the deal.")
    assert not found


def test_a_group_of_unnamed_leaders_is_no_counterpart(extractor):
    found = meetings(extractor, PAIR_STORY + "President Arla Venn will hold a summit with multiple world leaders "
                                             "in Brindor on Friday.")
    assert not found
