"""The real pipeline on articles about fictional leaders (no real person is quoted here)."""
from datetime import date

import pytest

from summitry.nlp.extractor import Extractor, split_points
from summitry.records import Article

pytestmark = pytest.mark.slow

SUMMIT = """Norland and Estovia leaders meet in Port Calder

PORT CALDER (Wire) - President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia in Port Calder on Tuesday, in talks scheduled for 45 minutes that lasted nearly three hours.

“We have agreed to open the border crossings by spring,” Venn told reporters after the meeting. “It is a beginning.”

Rell said the two governments would set up a joint water commission, but warned that “nothing is settled until the treaty is signed.”

The Estovian leader called the talks “frank and useful,” adding that he would visit Norland in the autumn.

According to Estovian officials, the leaders will meet again in Norland next month.

“We want peace on the river,” said a senior Norland official, who asked not to be named.

The summit was “historic” in the eyes of many, and the “river question” remains open.

More: Venn says “talks went well” – video
"""


@pytest.fixture(scope="module")
def record():
    return Extractor().extract(Article(id="summit", text=SUMMIT, published=date(2031, 6, 12)))


def by_quote(record, fragment):
    found = [s for s in record.statements if fragment in s.quote]
    assert found, f"no statement with {fragment!r}: {[s.quote for s in record.statements]}"
    return found[0]


def test_direct_quote_interrupted_by_its_attribution_is_one_statement(record):
    st = by_quote(record, "open the border crossings")
    assert st.kind == "direct" and st.speaker == "Arla Venn" and st.cue == "told"
    assert st.quote == "We have agreed to open the border crossings by spring It is a beginning"
    assert len(st.parts) == 2
    assert SUMMIT[st.start:st.end] == "We have agreed to open the border crossings by spring"


def test_indirect_and_mixed_speech_of_one_speaker(record):
    said = by_quote(record, "joint water commission")
    warned = by_quote(record, "nothing is settled")
    assert said.kind == "indirect" and said.speaker == "Tomas Rell"
    assert warned.kind == "mixed" and warned.speaker == "Tomas Rell" and warned.cue == "warned"


def test_description_resolves_to_the_person_named_in_the_article(record):
    st = by_quote(record, "frank and useful")
    assert st.speaker_mention == "The Estovian leader"


def test_according_to_and_unnamed_sources(record):
    st = by_quote(record, "meet again in Norland")
    assert st.cue == "according to" and st.speaker is None and st.speaker_mention == "Estovian officials"
    anon = by_quote(record, "We want peace on the river")
    assert anon.speaker is None and anon.kind == "direct"


def test_scare_quotes_and_link_lines_are_not_statements(record):
    quotes = " | ".join(s.quote for s in record.statements)
    assert "river question" not in quotes and "historic" not in quotes
    assert "talks went well" not in quotes


def test_offsets_point_into_the_text(record):
    for st in record.statements:
        assert SUMMIT[st.start:st.end] in st.quote
        if st.mention_start is not None:
            assert SUMMIT[st.mention_start:st.mention_end] == st.speaker_mention


def test_meetings_held_and_planned_with_lengths(record):
    held = [m for m in record.meetings if m.status == "held"]
    planned = [m for m in record.meetings if m.status == "planned"]
    assert len(held) == 1 and len(planned) == 1
    m = held[0]
    assert m.participants == ["Arla Venn", "Tomas Rell"]
    assert (m.date, m.place, m.scheduled_minutes, m.actual_minutes) == ("2031-06-10", "Port Calder", 45, 180)
    assert SUMMIT[m.evidence_start:m.evidence_end] == m.evidence
    assert planned[0].date == "2031-07"


def test_long_articles_are_processed_in_pieces_with_offsets_kept():
    para = "“We will keep talking,” Venn said on Tuesday. " * 3
    text = "Long read\n\n" + "\n\n".join(para for _ in range(1200))
    assert len(split_points(text)) > 1
    rec = Extractor().extract(Article(id="long", text=text, published=date(2031, 6, 12)))
    assert len(rec.statements) == 3600
    assert all(text[s.start:s.end] == "We will keep talking" for s in rec.statements)


def test_odd_and_random_text_never_breaks_the_extractor():
    """Unbalanced marks, empty text and word salad: records come back, offsets stay in the text."""
    import random

    rng = random.Random(7)
    words = ["said", "“", "”", '"', "President", "Venn", "met", "Rell", "in", "Port", "Calder", "on",
             "Tuesday", ",", ".", "\n\n", "he", "told", "reporters", ":", "According", "to", "summit",
             "call", "the", "July", "2031", "(", ")", "—", "'", "who", "that"]
    texts = ["", " ", "\n\n\n", "“", '"', "“”", 'said "', "He said:", "“A,” he said, “", "According to"]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 60))) for _ in range(150)]
    articles = [Article(id=str(i), text=t, published=rng.choice([None, date(2031, 6, 12)]))
                for i, t in enumerate(texts)]
    records = list(Extractor().extract_many(articles))
    assert [a.id for a, _ in records] == [a.id for a in articles]
    for article, record in records:
        for st in record.statements:
            assert 0 <= st.start <= st.end <= len(article.text)
        for m in record.meetings:
            assert article.text[m.evidence_start:m.evidence_end] == m.evidence


def test_transcript_answers_are_direct_statements_of_the_labelled_speaker():
    text = ("Transcript: leaders' press conference\n\n"
            "President Arla Venn of Norland and Prime Minister Tomas Rell of Estovia spoke to reporters.\n\n"
            "PRESIDENT VENN: We had a very good meeting with the prime minister today.\n\n"
            "PRIME MINISTER RELL (through interpreter): Our talks were frank, and we agreed on the river.\n\n"
            "Q: Will you meet again?\n\n"
            "PRESIDENT VENN: Yes, next month, in Norland.\n")
    rec = Extractor().extract(Article(id="transcript", text=text, published=date(2031, 6, 12)))
    answers = [(s.speaker, s.quote) for s in rec.statements if s.kind == "direct"]
    assert answers == [
        ("Arla Venn", "We had a very good meeting with the prime minister today"),
        ("Tomas Rell", "Our talks were frank, and we agreed on the river"),
        ("Arla Venn", "Yes, next month, in Norland"),
    ]


def test_a_dateline_alone_is_not_a_transcript():
    text = "Talks\n\nPORT CALDER: The two leaders met on Tuesday for talks on the river.\n"
    rec = Extractor().extract(Article(id="dateline", text=text, published=date(2031, 6, 12)))
    assert rec.statements == []
