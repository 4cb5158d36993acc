"""One story, many copies (issue 14): near-duplicate articles are one story, counted once.

The wire story is invented (real leaders of the actor data, an invented meeting).
"""
from __future__ import annotations

import dataclasses

from summitry.link import stories
from summitry.link.linking import Report, canonical_values
from summitry.records import Article, ArticleRecord, MeetingReport, content_id
from summitry.store import Store

WIRE = (
    "Macron and Trudeau agree on Arctic research pact\n\n"
    "French President Emmanuel Macron met Canadian Prime Minister Justin Trudeau in Ottawa on "
    "March 14, 2023, for talks that lasted two hours, officials said. The two leaders agreed to "
    "fund a joint Arctic research station and to share satellite data on melting sea ice, "
    "according to a statement released after the meeting. \u201cWe have a common duty to the "
    "north and to the people who live there,\u201d Trudeau told reporters at a news conference. "
    "Macron said France would send two research vessels next summer and called the pact a model "
    "for cooperation between Europe and North America. The leaders also discussed trade, the war "
    "in Ukraine and the coming meeting of the Group of Seven in Japan. Officials from both "
    "governments said a working group would meet in Paris in the autumn to settle the details "
    "of the station, its budget and its staff.\n"
)

# small edits of the kind outlets make to a wire story: a dateline, a credit, a word changed
EDITS = [
    lambda t: t,
    lambda t: t.replace("officials said.", "officials said on Tuesday."),
    lambda t: "OTTAWA (Wire) - " + t,
    lambda t: t + "\nReporting by the Wire desk.\n",
    lambda t: t.replace("two research vessels", "two research ships"),
    lambda t: t.replace("told reporters", "told journalists"),
    lambda t: t.replace("Group of Seven", "G7"),
    lambda t: t.replace("in the autumn", "this autumn"),
    lambda t: t.replace("melting sea ice", "the melting of sea ice"),
    lambda t: t.replace("Officials from both governments said", "Both governments said"),
]
COPIES = [edit(WIRE) for edit in EDITS]


def test_the_copies_are_near_duplicates_and_another_story_is_not():
    prints = [stories.fingerprint(text) for text in COPIES]
    assert all(p is not None for p in prints)
    for p in prints[1:]:
        assert stories.same_story(prints[0].signature, p.signature)
        assert set(p.bands) & set(prints[0].bands)  # the LSH index finds it
    assert stories.fingerprint("Macron met Trudeau in Ottawa.") is None  # too short to tell


def test_unrelated_texts_are_not_copies():
    a = stories.fingerprint(WIRE)
    b = stories.fingerprint(" ".join(f"word{i} appears once in this unrelated text" for i in range(30)))
    assert stories.similarity(a.signature, b.signature) < 0.2


def _report(article: Article) -> MeetingReport:
    return MeetingReport(participants=["Emmanuel Macron", "Justin Trudeau"], date="2023-03-14",
                         place="Ottawa", occasion=None, status="held", format="bilateral",
                         evidence="met", evidence_start=article.text.index("met"),
                         evidence_end=article.text.index("met") + 3)


def test_ten_copies_are_one_story_ten_articles_counted_once(db_url):
    from summitry.pipeline import link_meetings
    from summitry.pipeline.link import check_flags

    articles = [Article(id=content_id(text), text=text, title=text.splitlines()[0], source=f"Outlet {i}")
                for i, text in enumerate(COPIES)]
    with Store(db_url) as store:
        for article in articles:
            record = ArticleRecord(id=article.id, meetings=[_report(article)])
            store.save_record(record, article, check=check_flags, story=stories.fingerprint)
        # a restart: a new Store on the same database still finds the story (the LSH bands are stored)
    late = dataclasses.replace(articles[0], text=COPIES[0].replace("two hours", "nearly two hours"))
    late = dataclasses.replace(late, id=content_id(late.text), source="Outlet late")
    with Store(db_url) as store:
        store.save_record(ArticleRecord(id=late.id, meetings=[_report(late)]), late, check=check_flags,
                          story=stories.fingerprint)
        assert store.story_counts() == {"articles": 11, "stories": 1}
        story = store.article(late.id)["story_id"]
        assert story == articles[0].id
        assert len(store.story_articles(story)) == 11
        link_meetings(store)
        [meeting] = store.canonical_meetings()
        assert meeting["articles"] == 11 and meeting["copies"] == 11
        assert meeting["stories"] == 1 and meeting["reports"] == 1  # counted once
        from summitry.web.record_pages import LinkedFilter, linked_page

        [listed] = linked_page(store, LinkedFilter()).rows  # the web's listing of linked meetings too
        assert listed["reports"] == 1 and listed["copies"] == 11


def test_votes_count_a_story_once():
    # ten copies say Ottawa, two other stories say Montreal: the stories decide, not the copies
    copies = [Report(id=f"c{i}:m1", article_id=f"c{i}", participants=("A", "B"), date="2023-03-14",
                     place="Ottawa", story_id="c0") for i in range(10)]
    others = [Report(id=f"o{i}:m1", article_id=f"o{i}", participants=("A", "B"), date="2023-03-14",
                     place="Montreal") for i in range(2)]
    assert canonical_values(copies + others)["place"] == "Montreal"
    # without stories, the copies would outvote them
    plain = [dataclasses.replace(r, story_id=None) for r in copies]
    assert canonical_values(plain + others)["place"] == "Ottawa"


def test_copies_disagreeing_are_not_a_contradiction():
    from summitry.link.contradictions import fact_contradictions
    from summitry.link.linking import disagreements

    a = Report(id="a:m1", article_id="a", participants=("A", "B"), date="2023-03-14", place="Ottawa",
               evidence="in Ottawa", story_id="a")
    b = dataclasses.replace(a, id="b:m1", article_id="b", place="Quebec City", evidence="in Quebec City")
    meeting = {"id": "m", "disagreements": disagreements([a, b]), "reports": []}
    assert "place" in meeting["disagreements"]
    assert fact_contradictions(meeting) == []
    other = dataclasses.replace(b, story_id=None)
    meeting = {"id": "m", "disagreements": disagreements([a, other]), "reports": []}
    assert len(fact_contradictions(meeting)) == 1


def test_a_short_article_is_a_story_of_its_own(sqlite_url):
    text = "Macron met Trudeau in Ottawa on Tuesday."
    article = Article(id=content_id(text), text=text)
    with Store(sqlite_url) as store:
        store.save_record(ArticleRecord(id=article.id), article, story=stories.fingerprint)
        assert store.article(article.id)["story_id"] == article.id


def test_articles_stored_before_stories_get_theirs_at_the_next_link(sqlite_url):
    from summitry.pipeline import link_meetings

    articles = [Article(id=content_id(text), text=text) for text in COPIES[:3]]
    with Store(sqlite_url) as store:
        for article in articles:  # saved without a story, as before migration 0011
            store.save_record(ArticleRecord(id=article.id, meetings=[_report(article)]), article)
        assert store.story_counts() == {"articles": 3, "stories": 3}
        assert link_meetings(store)["stories_assigned"] == 3
        assert store.story_counts() == {"articles": 3, "stories": 1}
        [meeting] = store.canonical_meetings()
        assert meeting["reports"] == 1 and meeting["copies"] == 3
        assert link_meetings(store)["stories_assigned"] == 0


def test_copies_are_one_account_in_the_statement_contradictions(sqlite_url):
    from summitry.pipeline import link_meetings
    from summitry.pipeline.contradictions import accounts_by_meeting
    from summitry.records import Statement

    other = ("Trudeau met Macron in Ottawa\n\n" + " ".join(
        f"An unrelated account number {i} of the Ottawa talks by another newspaper." for i in range(8)))
    texts = COPIES[:3] + [other]
    with Store(sqlite_url) as store:
        for text in texts:
            article = Article(id=content_id(text), text=text)
            at = text.index("Ottawa")
            said = Statement(speaker="Justin Trudeau", speaker_mention="Trudeau", quote="Ottawa", kind="indirect",
                             cue="said", start=at, end=at + 6)
            store.save_record(ArticleRecord(id=article.id, meetings=[_report(article)], statements=[said]),
                              article, story=stories.fingerprint)
        link_meetings(store)
        [(meeting_id, accounts)] = accounts_by_meeting(store).items()
    # three copies and another story: two accounts
    assert len(accounts) == 2
    assert {a["id"] for a, _ in accounts} == {content_id(COPIES[0]), content_id(other)}


def test_copies_saved_at_the_same_moment_are_one_story(postgres_url):
    """Two transactions on PostgreSQL each assigning a copy: the second waits for the first to
    commit and joins its story (without the lock both saw no copy and started two stories)."""
    import threading

    from summitry.store.articles import assign_story
    from summitry.store.models import ArticleRow

    first, second = (Article(id=content_id(t), text=t, title="Pact", source=f"Outlet {i}")
                     for i, t in enumerate(COPIES[:2]))
    with Store(postgres_url) as store:
        store.add_article(first)
        store.add_article(second)
        with store._transaction(write=True) as a:
            row = a.get(ArticleRow, first.id)
            assign_story(a, row, stories.fingerprint(row.text))
            done = threading.Event()

            def assign_second() -> None:
                with store._transaction(write=True) as b:
                    other = b.get(ArticleRow, second.id)
                    assign_story(b, other, stories.fingerprint(other.text))
                done.set()

            thread = threading.Thread(target=assign_second)
            thread.start()
            assert not done.wait(1.0)  # waits for the first transaction
        thread.join(30)
        assert done.is_set()
        assert store.article(second.id)["story_id"] == first.id
        assert store.story_counts() == {"articles": 2, "stories": 1}
