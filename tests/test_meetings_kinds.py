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
