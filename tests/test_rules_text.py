"""Fast unit tests of the text-level rules: quotations, dates, durations, page furniture.
No spaCy model is loaded here."""
from datetime import date

import pytest

from summitry.nlp.dates import find_dates
from summitry.nlp.durations import scheduled_and_actual_minutes, to_minutes
from summitry.nlp.paragraphs import is_furniture
from summitry.nlp.quotes import find_quotes


def quoted(text):
    return [text[q.start:q.end] for q in find_quotes(text)]


class TestQuotes:
    def test_curly_and_straight(self):
        text = 'Venn said: “We agreed.” Rell added, "So did we."'
        assert quoted(text) == ["We agreed.", "So did we."]

    def test_quote_over_paragraphs_is_one_span_per_paragraph(self):
        text = "“First paragraph of the speech.\n\n“Second paragraph,” she said."
        quotes = find_quotes(text)
        assert [text[q.start:q.end] for q in quotes] == ["First paragraph of the speech.", "Second paragraph,"]
        assert quotes[0].continues and not quotes[1].continues
        assert quotes[0].paragraph == 0 and quotes[1].paragraph == 1

    def test_apostrophes_and_inch_marks_do_not_open_quotes(self):
        assert quoted("The 1990s\" era and Venn's plan") == []

    def test_unclosed_typo_restarts_at_next_opening_mark(self):
        assert quoted("He said “broken and then “whole one” done") == ["whole one"]


class TestDates:
    PUBLISHED = date(2031, 6, 12)  # a Thursday

    def values(self, text, published=PUBLISHED):
        return [(d.text, d.value, d.future_value) for d in find_dates(text, published)]

    def test_absolute(self):
        assert self.values("on June 3, 2030 and 4 May 2029") == [
            ("June 3, 2030", "2030-06-03", "2030-06-03"), ("4 May 2029", "2029-05-04", "2029-05-04")]

    def test_month_year_and_year(self):
        assert [v for _, v, _ in self.values("in July 2030, and In 2001")] == ["2030-07", "2001"]

    def test_weekday_past_and_future(self):
        (_, past, future), = self.values("on Tuesday")
        assert past == "2031-06-10" and future == "2031-06-17"

    def test_relative_month(self):
        assert [v for _, v, _ in self.values("last July and next March")] == ["2030-07", "2032-03"]

    def test_relative_words(self):
        assert [v for _, v, _ in self.values("yesterday, tomorrow and last year")] == [
            "2031-06-11", "2031-06-13", "2030"]

    def test_no_publication_date_resolves_only_absolute(self):
        assert [v for _, v, _ in self.values("on Tuesday in March 2030", None)] == ["2030-03"]

    def test_may_the_verb_is_not_a_month(self):
        assert self.values("This may be the end, and they may meet.") == []


class TestDurations:
    @pytest.mark.parametrize("phrase,minutes", [
        ("thirty-minute", 30), ("2 hours and 15 minutes", 135), ("two hours", 120),
        ("an hour and a half", 90), ("45 minutes", 45)])
    def test_to_minutes(self, phrase, minutes):
        assert to_minutes(phrase) == minutes

    def test_planned_and_actual(self):
        assert scheduled_and_actual_minutes(
            "The scheduled thirty-minute chat ... the session lasted more than two hours") == (30, 120)
        assert scheduled_and_actual_minutes(
            "was scheduled for 30 minutes but lasted for 2 hours and 15 minutes") == (30, 135)
        assert scheduled_and_actual_minutes("They met for lunch.") == (None, None)


class TestFurniture:
    @pytest.mark.parametrize("line", [
        "More: Norland and Estovia sign water pact",
        "Leaders shake hands at the border – video",
        "President Arla Venn greets Tomas Rell in Port Calder. REUTERS/Jane Doe",
        "‘MISSION ACCOMPLISHED?’",
    ])
    def test_furniture(self, line):
        assert is_furniture(line)

    def test_story_paragraph_is_not_furniture(self):
        assert not is_furniture("“We will meet again,” Venn said.")
