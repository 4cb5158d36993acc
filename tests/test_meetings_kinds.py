"""Meeting extraction, one kind of construction per test, on invented sentences about
fictional leaders (titled, so that the actor data need not know them)."""
from datetime import date

import pytest

from summitry.nlp.extractor import Extractor
from summitry.records import Article

pytestmark = pytest.mark.slow

PUBLISHED = date(2031, 6, 11)  # a Wednesday


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def meetings(extractor, text, published=PUBLISHED):
    record = extractor.extract(Article(id="t", text=text, published=published))
    return {tuple(sorted(m.participants)): m for m in record.meetings}


def test_a_listed_counterpart_side_makes_one_meeting_each(extractor):
    found = meetings(extractor, "President Arla Venn of Norland will meet with Prime Minister Tomas Rell "
                                "of Estovia and President Ivo Maren of Corvania in Port Calder on Friday.")
    assert set(found) == {("Arla Venn", "Tomas Rell"), ("Arla Venn", "Ivo Maren")}


def test_a_three_way_meeting_stays_one(extractor):
    found = meetings(extractor, "President Arla Venn of Norland held a three-way meeting with Prime Minister "
                                "Tomas Rell of Estovia and President Ivo Maren of Corvania on Monday.")
    assert set(found) == {("Arla Venn", "Ivo Maren", "Tomas Rell")}


def test_the_summit_a_meeting_is_held_at_is_its_occasion_not_its_status(extractor):
    found = meetings(extractor, "In the coastal city of Port Calder, President Arla Venn of Norland is expected "
                                "to meet with Prime Minister Tomas Rell of Estovia on the sidelines of the G20 summit.")
    m = found[("Arla Venn", "Tomas Rell")]
    assert m.status == "planned" and m.place == "Port Calder" and m.occasion == "G20 summit"


def test_a_place_of_another_verb_is_not_the_meeting_s(extractor):
    found = meetings(extractor, "President Arla Venn of Norland landed in Brindor on Monday before a "
                                "meeting with Prime Minister Tomas Rell of Estovia.")
    assert found[("Arla Venn", "Tomas Rell")].place is None


def test_a_meeting_dated_after_publication_is_planned(extractor):
    found = meetings(extractor, "President Arla Venn of Norland meets with Prime Minister Tomas Rell of "
                                "Estovia on June 14 in Port Calder.")
    m = found[("Arla Venn", "Tomas Rell")]
    assert m.status == "planned" and m.date == "2031-06-14"


def test_slated_and_skipped_meetings(extractor):
    found = meetings(extractor, "President Arla Venn of Norland is slated to meet Prime Minister Tomas Rell "
                                "of Estovia in Port Calder.\n\nPresident Ivo Maren of Corvania skipped "
                                "the meeting that President Arla Venn hosted last month in Brindor.")
    assert found[("Arla Venn", "Tomas Rell")].status == "planned"
    assert found[("Arla Venn", "Ivo Maren")].status == "cancelled"


def test_someone_else_s_visit_is_not_the_leaders_meeting(extractor):
    found = meetings(extractor, "Prime Minister Tomas Rell of Estovia said President Arla Venn of Norland was "
                                "right, after a trade minister had visited Brindor on Monday.")
    assert not found


def test_leaders_who_both_attended_a_summit_did_not_thereby_meet(extractor):
    found = meetings(extractor, "Prime Minister Tomas Rell of Estovia, who was also at the NATO summit, said a "
                                "ceasefire could start soon, a hope voiced earlier by President Arla Venn of Norland.")
    assert not found


def test_a_wire_dateline_places_the_day_s_encounter(extractor):
    found = meetings(extractor, "PORT CALDER (Wire) - President Arla Venn of Norland met Prime Minister Tomas Rell "
                                "of Estovia on Tuesday.\n\nPresident Arla Venn of Norland later phoned President "
                                "Ivo Maren of Corvania.")
    assert found[("Arla Venn", "Tomas Rell")].place == "Port Calder"
    assert found[("Arla Venn", "Ivo Maren")].place is None  # a call has no place


def test_a_modal_participle_is_not_past_and_a_circumstance_is_not_the_plan(extractor):
    found = meetings(extractor, "Prime Minister Tomas Rell of Estovia explained what would be discussed during a "
                                "joint news conference with President Arla Venn of Norland last week.")
    assert found[("Arla Venn", "Tomas Rell")].status == "held"


def test_a_name_glued_to_the_next_word_is_not_a_leader():
    from summitry.nlp.meetings import GLUED
    assert GLUED.search("Donald John TrumpTrump") and GLUED.search("PutinMonday")
    assert not GLUED.search("Vladimir Putin") and not GLUED.search("Moon Jae-in")


def test_a_former_leader_is_no_participant_after_leaving_office():
    from summitry.actors.entries import Office, Person
    from summitry.nlp.meetings import leader_in_period
    ex = Person("ex", "Olaf Brenn", (), "m", (Office("NO", "prime_minister", date(2020, 1, 1), date(2024, 1, 1)),
                                             Office("NATO", "secretary_general", date(2025, 1, 1), None)))
    assert leader_in_period(ex, "2023-05") and leader_in_period(ex, "2019-11-01")  # office or president-elect
    assert not leader_in_period(ex, "2026-03-02") and not leader_in_period(ex, "2025")


def test_a_year_before_the_meeting_noun_dates_it(extractor):
    found = meetings(extractor, "Prime Minister Tomas Rell of Estovia lectured President Arla Venn of Norland "
                                "during a 2027 meeting in Brindor, then later praised a rival in last year's campaign.")
    assert found[("Arla Venn", "Tomas Rell")].date == "2027"


def test_confidence_is_higher_for_explicit_evidence_than_for_inference(extractor):
    firm = meetings(extractor, "President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia in "
                               "Brindor on Tuesday.")[("Arla Venn", "Tomas Rell")]
    guess = meetings(extractor, "President Arla Venn of Norland and Prime Minister Tomas Rell of Estovia spoke of "
                                "trade.\n\nThe summit was praised by President Arla Venn and Prime Minister "
                                "Tomas Rell.")[("Arla Venn", "Tomas Rell")]
    assert 0 <= guess.confidence < firm.confidence <= 1
    record = extractor.extract(Article(id="t", text="President Arla Venn of Norland met Prime Minister Tomas Rell "
                                                    "of Estovia on Tuesday.", published=PUBLISHED))
    assert all(0 <= m["confidence"] <= 1 for m in record.to_dict()["meetings"])  # carried in the JSONL form


def test_a_seat_of_government_is_its_city_and_a_sea_is_no_place(extractor):
    found = meetings(extractor, "President Arla Venn of Norland held several meetings in the Kremlin, including "
                                "talks with Prime Minister Tomas Rell of Estovia.\n\nPresident Ivo Maren of "
                                "Corvania met President Arla Venn on a ship in the South China Sea on Monday.")
    assert found[("Arla Venn", "Tomas Rell")].place == "Moscow"
    assert found[("Arla Venn", "Ivo Maren")].place is None


def test_a_non_leader_subject_and_an_invitation_to_something_else(extractor):
    found = meetings(extractor, "The Queen greeted President Arla Venn of Norland and Prime Minister Tomas Rell "
                                "of Estovia at the castle.\n\nPrime Minister Tomas Rell invited the president to "
                                "inspect the guard of honour.")
    assert not found


def test_the_president_is_the_one_president_the_story_is_about():
    from summitry.nlp.meetings import BARE_OFFICES
    assert set(BARE_OFFICES) == {"president", "minister", "chancellor"}


def test_leaders_named_by_their_country_are_resolved_by_office_and_date(extractor):
    found = meetings(extractor, "On the sidelines, President Arla Venn of Norland will also meet the leaders of "
                                "Japan and Germany.", published=date(2019, 6, 4))
    assert set(found) == {("Arla Venn", "Shinzo Abe"), ("Angela Merkel", "Arla Venn")}
    assert all(m.status == "planned" for m in found.values())


def test_encounters_listed_at_several_summits_are_each_dated(extractor):
    text = ("President Arla Venn of Norland and Prime Minister Tomas Rell of Estovia have met often.\n\n"
            "Other encounters, such as those at summits like the G7 in Brindor in June 2028 and the G20 Summit "
            "in Port Calder in June 2029, gave President Arla Venn and Prime Minister Tomas Rell time to talk.")
    record = extractor.extract(Article(id="t", text=text, published=PUBLISHED))
    dated = {(m.date, m.place) for m in record.meetings}
    assert ("2028-06", "Brindor") in dated and ("2029-06", "Port Calder") in dated


def test_an_occasion_s_city_named_elsewhere_places_a_meeting_there(extractor):
    text = ("Leaders gathered for the G7 summit in Port Calder on Sunday.\n\n"
            "President Arla Venn of Norland spoke in a meeting with Prime Minister Tomas Rell of Estovia "
            "at the G7 summit in France.")
    found = meetings(extractor, text)
    assert found[("Arla Venn", "Tomas Rell")].place == "Port Calder"


def test_two_places_of_one_day_are_one_encounter(extractor):
    text = ("President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia in Port Calder on June 9, 2031.\n\n"
            "President Arla Venn and Prime Minister Tomas Rell shook hands at a summit on the island of Brin "
            "on June 9, 2031.")
    found = meetings(extractor, text)
    assert len(found) == 1 and found[("Arla Venn", "Tomas Rell")].date == "2031-06-09"


def test_the_guests_a_non_leader_greets_did_not_meet_one_another(extractor):
    found = meetings(extractor, "Holding umbrellas, the first lady greeted President Arla Venn of Norland and other "
                                "guests, including Prime Minister Tomas Rell of Estovia.")
    assert not found


@pytest.mark.parametrize("text", [
    "President Arla Venn of Norland shook hands with Prime Minister Tomas Rell of Estovia on Tuesday.",
    "President Arla Venn of Norland received Prime Minister Tomas Rell of Estovia at the palace on Tuesday.",
    "President Arla Venn of Norland sat down with Prime Minister Tomas Rell of Estovia on Tuesday.",
])
def test_handshakes_receptions_and_sit_downs_are_encounters(extractor, text):
    m = meetings(extractor, text)[("Arla Venn", "Tomas Rell")]
    assert m.status == "held" and m.date == "2031-06-10"


def test_regular_summits_agreed_on_are_not_an_encounter(extractor):
    assert not meetings(extractor, "President Arla Venn of Norland and Prime Minister Tomas Rell of Estovia "
                                   "agreed to hold regular summits and calls.")


def test_a_leader_in_a_relative_or_adverbial_clause_is_not_a_participant(extractor):
    found = meetings(extractor, "President Arla Venn of Norland, who argued with Prime Minister Tomas Rell of "
                                "Estovia last year, met President Ivo Maren of Corvania on Tuesday.")
    assert set(found) == {("Arla Venn", "Ivo Maren")} and found[("Arla Venn", "Ivo Maren")].date == "2031-06-10"
    found = meetings(extractor, "President Arla Venn of Norland met President Ivo Maren of Corvania on Tuesday, "
                                "succeeding Prime Minister Tomas Rell of Estovia.")
    assert set(found) == {("Arla Venn", "Ivo Maren")}


def test_names_beside_a_glued_token_are_a_link_list_slip():
    from summitry.nlp.meetings import GLUED_TOKEN
    assert GLUED_TOKEN.match("TrumpTrump") and GLUED_TOKEN.match("PutinMonday")
    assert not GLUED_TOKEN.match("McConnell") and not GLUED_TOKEN.match("DeSantis")


def test_a_bilateral_set_for_a_day_and_called_off_is_cancelled(extractor):
    found = meetings(extractor, "A bilateral between President Arla Venn of Norland and Prime Minister Tomas Rell "
                                "of Estovia set for Saturday was called off.")
    assert found[("Arla Venn", "Tomas Rell")].status == "cancelled"


def test_will_not_hold_talks_is_no_held_meeting(extractor):
    found = meetings(extractor, "President Arla Venn of Norland and Prime Minister Tomas Rell of Estovia will not "
                                "hold any formal talks this weekend.")
    assert all(m.status != "held" for m in found.values())
