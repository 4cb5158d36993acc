"""Store: real databases (a SQLite file and a throwaway PostgreSQL server), no mocks.

Records are built by hand; articles are about fictional leaders and countries.
"""
from __future__ import annotations

import time
from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from summitry.records import (
    Article,
    ArticleRecord,
    MeetingReport,
    Statement,
    content_id,
)
from summitry.store import Store, StoreError, alembic_config, default_url, make_engine
from summitry.store.db import head_revision
from summitry.store.models import Base

CALDER_TEXT = (
    "Venn and Rell meet in Port Calder\n"
    "President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia in Port Calder on "
    "Tuesday. The talks lasted two hours instead of the scheduled forty minutes.\n"
    "\u201cWe have agreed to reopen the northern crossing,\u201d Venn told reporters. "
    "Rell said the crossing would open before the harvest. "
    "The Estovian Foreign Ministry said the deal was \u201ca first step\u201d.\n"
)
SUMMIT_TEXT = (
    "Leaders gather at Lake Orva\n"
    "Prime Minister Tomas Rell met Chancellor Mira Okonde of Valdoria at the Lake Orva summit. "
    "Okonde said she would drop table tariffs on Estovian grain; \u201cit's done, OR nearly so\u201d, "
    "she added. A planned call between Okonde and Arla Venn was cancelled.\n"
)


def span(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def calder_article(**changes) -> Article:
    fields = dict(id=content_id(CALDER_TEXT), text=CALDER_TEXT, title="Venn and Rell meet in Port Calder",
                  published=date(2031, 4, 2), source="Norland Herald", url=None, origin="calder.txt")
    return Article(**(fields | changes))


def summit_article() -> Article:
    return Article(id="orva-1", text=SUMMIT_TEXT, title="Leaders gather at Lake Orva",
                   published=date(2031, 6, 9), source="Valdoria Post", origin="orva.jsonl:1")


def calder_record(article: Article) -> ArticleRecord:
    t = article.text
    quote = span(t, "We have agreed to reopen the northern crossing")
    reported = span(t, "the crossing would open before the harvest")
    ministry = span(t, "a first step")
    return ArticleRecord(id=article.id, statements=[
        Statement("Arla Venn", "Venn", t[slice(*quote)], "direct", "told", *quote,
                  mention_start=t.index("Venn told"), mention_end=t.index("Venn told") + 4),
        Statement("Tomas Rell", "Rell", t[slice(*reported)], "indirect", "said", *reported),
        Statement("Foreign Ministry", "The Estovian Foreign Ministry", "a first step", "mixed",
                  "said", *ministry, sentence="given by the extractor"),
    ], meetings=[
        MeetingReport(["Arla Venn", "Tomas Rell"], "2031-03-31", "Port Calder", None, "held",
                      "bilateral", scheduled_minutes=40, actual_minutes=120,
                      evidence="President Arla Venn of Norland met Prime Minister Tomas Rell",
                      evidence_start=t.index("President Arla"),
                      evidence_end=t.index("President Arla") + 60),
    ])


def summit_record(article: Article) -> ArticleRecord:
    t = article.text
    first, second = span(t, "it's done"), span(t, "OR nearly so")
    return ArticleRecord(id=article.id, statements=[
        Statement("Mira Okonde", "Okonde", "she would drop table tariffs on Estovian grain",
                  "indirect", "said", *span(t, "she would drop table tariffs on Estovian grain")),
        Statement("Mira Okonde", "she", "it's done, OR nearly so", "direct", "added",
                  first[0], second[1], parts=[list(first), list(second)]),
    ], meetings=[
        MeetingReport(["Tomas Rell", "Mira Okonde"], "2031-06", "Lake Orva", "Lake Orva summit",
                      "held", "sideline", others_present=["interpreters"]),
        MeetingReport(["Mira Okonde", "Arla Venn"], None, None, None, "cancelled", "phone"),
    ])


@pytest.fixture
def store(db_url):
    with Store(db_url) as s:
        yield s


@pytest.fixture
def filled(store):
    for article, make_record in ((calder_article(), calder_record), (summit_article(), summit_record)):
        store.add_article(article)
        store.save_record(make_record(article), article)
    return store


def table_rows(url: str, table: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1, 2"))]
    finally:
        engine.dispose()


# --- articles ------------------------------------------------------------------------

def test_article_round_trip(store):
    article = calder_article()
    assert store.add_article(article) == (article.id, True)
    stored = store.article(article.id)
    assert {k: stored[k] for k in ("id", "title", "published", "source", "url", "origin", "text")} == {
        "id": article.id, "title": article.title, "published": "2031-04-02",
        "source": "Norland Herald", "url": None, "origin": "calder.txt", "text": CALDER_TEXT}
    assert stored["content_hash"] == article.content_hash
    assert stored["statements"] == [] and stored["meetings"] == []
    assert store.counts() == {"articles": 1, "statements": 0, "meeting_reports": 0, "actors": 0}


def test_the_same_text_is_stored_once_whatever_its_source(store):
    first = calder_article()
    again_from_jsonl = calder_article(id="calder-jsonl", origin="batch.jsonl:7", source="Other")
    assert store.add_article(first) == (first.id, True)
    assert store.add_article(first) == (first.id, False)
    assert store.add_article(again_from_jsonl) == (first.id, False)
    assert store.counts()["articles"] == 1


def test_a_different_text_under_a_used_id_is_refused(store):
    store.add_article(summit_article())
    other = Article(id="orva-1", text="A different report about Tomas Rell.")
    with pytest.raises(StoreError, match="already stored"):
        store.add_article(other)
    assert store.article("orva-1")["text"] == SUMMIT_TEXT


def test_article_by_unique_prefix(filled):
    calder = calder_article()
    assert filled.article(calder.id[:6])["id"] == calder.id
    assert filled.article("orva")["id"] == "orva-1"
    assert filled.article("no-such-article") is None
    assert filled.article("") is None
    filled.add_article(Article(id="orva-2", text="Okonde flew home to Valdoria."))
    with pytest.raises(StoreError, match="several"):
        filled.article("orva-")


# --- records -------------------------------------------------------------------------

def test_record_round_trip(filled):
    calder = calder_article()
    stored = filled.article(calder.id)
    assert stored["record_version"] == calder_record(calder).extractor_version
    venn, rell, ministry = stored["statements"]
    assert venn["id"] == f"{calder.id}:s1" and venn["article_title"] == calder.title
    assert CALDER_TEXT[venn["start"]:venn["end"]] == venn["quote"]
    assert venn["sentence"] == ("\u201cWe have agreed to reopen the northern crossing,\u201d "
                                "Venn told reporters.")
    assert rell["sentence"] == "Rell said the crossing would open before the harvest."
    assert ministry["sentence"] == "given by the extractor"
    assert (venn["mention_start"], venn["mention_end"]) == (CALDER_TEXT.index("Venn told"),
                                                            CALDER_TEXT.index("Venn told") + 4)
    (meeting,) = stored["meetings"]
    assert meeting | {"id": None} == {
        "id": None, "article_id": calder.id, "article_title": calder.title,
        "participants": ["Arla Venn", "Tomas Rell"], "date": "2031-03-31", "place": "Port Calder",
        "occasion": None, "status": "held", "format": "bilateral", "scheduled_minutes": 40,
        "actual_minutes": 120, "others_present": [],
        "evidence": "President Arla Venn of Norland met Prime Minister Tomas Rell",
        "evidence_start": CALDER_TEXT.index("President Arla"),
        "evidence_end": CALDER_TEXT.index("President Arla") + 60,
        "extractor_version": calder_record(calder).extractor_version, "review_status": None,
        "confidence": None}
    parts = filled.article("orva-1")["statements"][1]["parts"]
    assert parts == [list(span(SUMMIT_TEXT, "it's done")), list(span(SUMMIT_TEXT, "OR nearly so"))]
    assert filled.counts() == {"articles": 2, "statements": 5, "meeting_reports": 3, "actors": 4}


def test_actor_kinds(filled, db_url):
    kinds = {name: kind for _, name, kind, _ in table_rows(db_url, "actors")}
    assert kinds == {"Arla Venn": "person", "Tomas Rell": "person", "Mira Okonde": "person",
                     "Foreign Ministry": "organisation"}


def test_is_organisation_callable_decides_kinds(db_url):
    article = summit_article()
    with Store(db_url, is_organisation=lambda name: name == "Mira Okonde") as store:
        store.save_record(summit_record(article), article)
    kinds = {name: kind for _, name, kind, _ in table_rows(db_url, "actors")}
    assert kinds["Mira Okonde"] == "organisation" and kinds["Tomas Rell"] == "person"


def test_save_record_twice_leaves_identical_rows(filled, db_url):
    tables = ("articles", "statements", "meeting_reports", "meeting_participants", "actors")
    before = {t: table_rows(db_url, t) for t in tables}
    calder = calder_article()
    filled.save_record(calder_record(calder), calder)
    filled.save_record(calder_record(calder), calder)
    assert {t: table_rows(db_url, t) for t in tables} == before


def test_save_record_replaces_the_previous_record(filled):
    calder = calder_article()
    smaller = calder_record(calder)
    smaller.statements = smaller.statements[:1]
    smaller.meetings = []
    smaller.extractor_version = "rules-0.2.0"
    filled.save_record(smaller, calder)
    stored = filled.article(calder.id)
    assert [s["id"] for s in stored["statements"]] == [f"{calder.id}:s1"]
    assert stored["meetings"] == []
    assert filled.has_record(calder.id, "rules-0.2.0")
    assert not filled.has_record(calder.id, "rules-0.1.0")
    assert filled.statements(search="harvest") == []  # the full-text index followed


def test_has_record(store):
    article = summit_article()
    store.add_article(article)
    assert not store.has_record(article.id, "rules-0.1.0")
    record = summit_record(article)
    store.save_record(record, article)
    assert store.has_record(article.id, record.extractor_version)
    assert not store.has_record("unknown", record.extractor_version)


def test_save_record_stores_an_unseen_article_and_checks_ids(store):
    article = summit_article()
    store.save_record(summit_record(article), article)
    assert store.counts()["articles"] == 1
    with pytest.raises(StoreError, match="not for article"):
        store.save_record(calder_record(calder_article()), article)


def test_record_of_a_duplicate_text_goes_to_the_stored_article(store):
    first = calder_article()
    store.add_article(first)
    duplicate = calder_article(id="calder-jsonl")
    record = calder_record(duplicate)
    store.save_record(record, duplicate)
    assert store.counts()["articles"] == 1
    assert [s["id"] for s in store.article(first.id)["statements"]][0] == f"{first.id}:s1"


def test_a_failed_write_keeps_what_was_stored(filled):
    before = filled.counts()
    calder = calder_article()
    broken = calder_record(calder)
    broken.statements.append(Statement("Arla Venn", "Venn", None, "direct", "said", 0, 1))  # quote NOT NULL
    with pytest.raises(StoreError):
        filled.save_record(broken, calder)
    assert filled.counts() == before
    assert len(filled.article(calder.id)["statements"]) == 3


# --- queries -------------------------------------------------------------------------

def test_meetings_by_leader_surname_and_case(filled):
    assert [m["place"] for m in filled.meetings()] == ["Port Calder", "Lake Orva", None]
    assert [m["place"] for m in filled.meetings(leader="rell")] == ["Port Calder", "Lake Orva"]
    assert [m["place"] for m in filled.meetings(leader="Tomas Rell")] == ["Port Calder", "Lake Orva"]
    assert [m["status"] for m in filled.meetings(leader="OKONDE")] == ["held", "cancelled"]
    # any part of a name finds the actor (issue 10: "Kim", "Moon", "Xi" are first words)
    assert [m["place"] for m in filled.meetings(leader="Tomas")] == ["Port Calder", "Lake Orva"]
    assert filled.meetings(leader="Toma") == []  # whole words only
    assert filled.meetings(leader="Nobody") == []
    assert [m["place"] for m in filled.meetings(between=("Venn", "Rell"))] == ["Port Calder"]
    assert [m["status"] for m in filled.meetings(between=("okonde", "arla venn"))] == ["cancelled"]
    assert len(filled.meetings(limit=1)) == 1
    assert filled.meetings(leader="Rell")[1]["others_present"] == ["interpreters"]


def test_statements_by_speaker(filled):
    assert [s["quote"] for s in filled.statements(speaker="venn")] == [
        "We have agreed to reopen the northern crossing"]
    assert len(filled.statements(speaker="Mira Okonde")) == 2
    assert filled.statements(speaker="Foreign Ministry")[0]["kind"] == "mixed"
    assert len(filled.statements()) == 5
    assert len(filled.statements(limit=2)) == 2


def test_full_text_search(filled):
    assert [s["speaker"] for s in filled.statements(search="northern crossing")] == ["Arla Venn"]
    assert [s["speaker"] for s in filled.statements(search="CROSSING")] == ["Arla Venn", "Tomas Rell"]
    assert [s["speaker"] for s in filled.statements(search="ministry")] == ["Foreign Ministry"]
    assert [s["quote"] for s in filled.statements(speaker="okonde", search="grain")] == [
        "she would drop table tariffs on Estovian grain"]
    assert filled.statements(search="northern harvest") == []  # all words must occur


@pytest.mark.parametrize("hostile, expected", [
    ('"', []),
    ('""', []),
    ("*", []),
    ("'", []),
    ("OR", ["it's done, OR nearly so"]),
    ("done OR", ["it's done, OR nearly so"]),
    ('crossing" OR "harvest', []),
    ("NEAR(crossing harvest)", []),
    ("grain*", ["she would drop table tariffs on Estovian grain"]),
    ("-grain", ["she would drop table tariffs on Estovian grain"]),
    ("it's", ["it's done, OR nearly so"]),
    ("'; DROP TABLE articles; --", []),
    ("drop table", ["she would drop table tariffs on Estovian grain"]),
    ("quote:harvest", []),
    ("%", []),
    ("a_first", ["a first step"]),
    ("1=1) OR (1=1", []),
])
def test_search_with_hostile_input(filled, hostile, expected):
    assert [s["quote"] for s in filled.statements(search=hostile)] == expected
    assert filled.counts()["articles"] == 2  # nothing was dropped


def test_unicode_and_accents(store):
    text = ("Ra\u00fal Ort\u00edz met Arla Venn in C\u00e1ldera. "
            "Ort\u00edz said the talks were \u201cfruitful\u201d.\n")
    article = Article(id="caldera", text=text, title="Ort\u00edz and Venn")
    quote = span(text, "fruitful")
    store.save_record(ArticleRecord(id="caldera", statements=[
        Statement("Ra\u00fal Ort\u00edz", "Ort\u00edz", "fruitful", "mixed", "said", *quote)],
        meetings=[MeetingReport(["Ra\u00fal Ort\u00edz", "Arla Venn"], None, "C\u00e1ldera", None,
                                "held", None)]), article)
    assert len(store.meetings(leader="ortiz")) == 1  # accents and case ignored in names
    assert len(store.meetings(leader="ORT\u00cdZ")) == 1
    assert store.statements(speaker="Raul Ortiz")[0]["quote"] == "fruitful"
    assert store.statements(search="fruitful")[0]["speaker"] == "Ra\u00fal Ort\u00edz"


# --- migrations ----------------------------------------------------------------------

def test_models_match_the_migrations(store, db_url):
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    # full-text search is backend-specific and not in the models, by design
    diffs = [d for d in diffs if not (d[0] == "remove_table" and d[1].name.startswith("statements_fts")
                                      or d[0] == "remove_index" and d[1].name == "ix_statements_fulltext")]
    assert diffs == []


def test_a_first_version_database_upgrades_and_keeps_its_rows(db_url):
    command.upgrade(alembic_config(db_url), "0001")
    engine = make_engine(db_url)
    calder = calder_article()
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO articles (id, content_hash, title, published, text, ingested_at) "
            "VALUES (:id, :hash, :title, :published, :text, :now)"),
            dict(id=calder.id, hash=calder.content_hash, title=calder.title,
                 published=date(2031, 4, 2), text=calder.text, now="2031-04-03 10:00:00+00:00"))
        conn.execute(sa.text(
            'INSERT INTO statements (id, article_id, position, speaker, quote, kind, start, "end", '
            "extractor_version) VALUES (:id, :article, 1, 'Arla Venn', :quote, 'direct', 10, 20, 'old-0.0')"),
            dict(id=f"{calder.id}:s1", article=calder.id,
                 quote="We have agreed to reopen the northern crossing"))
        conn.execute(sa.text(
            "INSERT INTO meeting_reports (id, article_id, position, participants, date, place, status, "
            "extractor_version) VALUES (:id, :article, 1, :participants, '2031-03-31', 'Port Calder', "
            "'held', 'old-0.0')"),
            dict(id=f"{calder.id}:m1", article=calder.id, participants='["Arla Venn", "Tomas Rell"]'))
    engine.dispose()

    with Store(db_url) as store:
        assert store.counts() == {"articles": 1, "statements": 1, "meeting_reports": 1, "actors": 2}
        assert [m["place"] for m in store.meetings(leader="Rell")] == ["Port Calder"]
        assert store.statements(speaker="venn", search="northern")[0]["extractor_version"] == "old-0.0"
        assert store.add_article(calder) == (calder.id, False)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == head_revision()
    engine.dispose()


def test_an_unknown_newer_schema_is_a_clear_error(db_url):
    Store(db_url).close()
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(StoreError, match="0099.*newer summitry"):
        Store(db_url)


def test_reopening_a_store_keeps_everything(db_url):
    article = summit_article()
    with Store(db_url) as store:
        store.save_record(summit_record(article), article)
    with Store(db_url) as store:
        assert store.counts()["statements"] == 2


# --- SQLite specifics and configuration ----------------------------------------------

def test_sqlite_wal_and_foreign_keys(sqlite_url):
    Store(sqlite_url).close()
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = 'statements_fts'").scalar() == 1
    engine.dispose()


def test_default_url(monkeypatch, tmp_path):
    monkeypatch.delenv("SUMMITRY_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_url() == f"sqlite:///{tmp_path / 'xdg' / 'summitry' / 'summitry.db'}"
    assert (tmp_path / "xdg" / "summitry").is_dir()
    monkeypatch.setenv("SUMMITRY_DB", str(tmp_path / "elsewhere" / "my.db"))
    assert default_url() == f"sqlite:///{tmp_path / 'elsewhere' / 'my.db'}"
    monkeypatch.setenv("SUMMITRY_DB", "postgresql+psycopg://someone@db.example/summitry")
    assert default_url() == "postgresql+psycopg://someone@db.example/summitry"


def test_store_uses_the_default_url(monkeypatch, tmp_path):
    monkeypatch.setenv("SUMMITRY_DB", str(tmp_path / "env.db"))
    with Store() as store:
        assert store.url == f"sqlite:///{tmp_path / 'env.db'}"
    assert (tmp_path / "env.db").exists()


def test_unopenable_databases_are_store_errors(tmp_path):
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("these are not the tables you are looking for\n" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        Store(f"sqlite:///{not_a_db}")
    with pytest.raises(StoreError, match="cannot open database"):
        Store("nosuchdialect://nowhere/db")


def test_sqlite_fulltext_index_follows_the_statements(sqlite_url):
    article = summit_article()
    with Store(sqlite_url) as store:
        for _ in range(3):
            store.save_record(summit_record(article), article)
        shorter = summit_record(article)
        shorter.statements = shorter.statements[1:]
        store.save_record(shorter, article)
        assert [s["id"] for s in store.statements(search="nearly")] == ["orva-1:s1"]
        assert store.statements(search="grain") == []
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        count = lambda table: conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()  # noqa: E731
        assert count("statements") == count("statements_fts") == count("statements_fts_keys") == 1
    engine.dispose()


def test_migrations_go_down_and_up_again(db_url):
    with Store(db_url) as store:
        store.save_record(summit_record(summit_article()), summit_article())
    command.downgrade(alembic_config(db_url), "0001")
    with Store(db_url) as store:  # upgrades again, backfilling actors from the kept rows
        assert store.counts() == {"articles": 1, "statements": 2, "meeting_reports": 2, "actors": 3}
        assert len(store.statements(speaker="okonde", search="grain")) == 1
    command.downgrade(alembic_config(db_url), "base")
    engine = make_engine(db_url)
    try:
        assert sa.inspect(engine).get_table_names() == ["alembic_version"]
    finally:
        engine.dispose()


# --- the data version and Store.cached (migration 0010) --------------------------------

def test_every_write_raises_the_data_version_and_cached_values_follow(filled, db_url):
    calls = []

    def statement_count():
        calls.append(1)
        return len(filled.statements())

    before = filled.data_version()
    assert filled.cached("n", statement_count) == filled.cached("n", statement_count)
    assert len(calls) == 1  # nothing written in between: computed once
    filled.statements()  # a read changes nothing
    assert filled.data_version() == before
    calder = calder_article()
    smaller = calder_record(calder)
    smaller.statements = smaller.statements[:1]
    filled.save_record(smaller, calder)
    assert filled.data_version() > before
    assert filled.cached("n", statement_count) == len(filled.statements())
    assert len(calls) == 2
    # another Store on the same database (another process) writing is seen too
    with Store(db_url) as other:
        other.save_record(calder_record(calder), calder)
    assert filled.cached("n", statement_count) == len(filled.statements())
    assert len(calls) == 3


def test_slow_counts_are_served_while_made_again_after_a_write_and_never_too_old(filled, monkeypatch):
    import threading
    import summitry.store.store as store_module

    gate = threading.Event()  # holds the background refresh until the test has looked
    calls = []

    def slow_count():
        calls.append(1)
        if len(calls) > 1:
            gate.wait(10)
        return len(filled.statements())

    monkeypatch.setattr(store_module, "SLOW_COMPUTE", 0.0)  # every count is "slow"
    first = filled.cached("n", slow_count, stale_ok=True)
    calder = calder_article()
    smaller = calder_record(calder)
    smaller.statements = smaller.statements[:1]
    filled.save_record(smaller, calder)
    assert len(filled.statements()) != first
    # a write since: the count in hand comes back at once, and is made again in the background
    assert filled.cached("n", slow_count, stale_ok=True) == first
    assert filled.cached("n", slow_count, stale_ok=True) == first  # one refresh at a time
    gate.set()
    for _ in range(200):
        if filled.cached("n", slow_count, stale_ok=True) != first:
            break
        time.sleep(0.02)
    assert filled.cached("n", slow_count, stale_ok=True) == len(filled.statements())
    assert len(calls) == 2
    # without stale_ok, or past MAX_STALE, a request after a write waits for the new value
    filled.save_record(calder_record(calder), calder)
    monkeypatch.setattr(store_module, "MAX_STALE", 0.0)
    assert filled.cached("n", slow_count, stale_ok=True) == len(filled.statements())
    assert len(calls) == 3


def test_fast_counts_are_always_current(filled):
    calls = []

    def count():
        calls.append(1)
        return len(filled.statements())

    filled.cached("n", count, stale_ok=True)
    calder = calder_article()
    filled.save_record(calder_record(calder), calder)
    assert filled.cached("n", count, stale_ok=True) == len(filled.statements())
    assert len(calls) == 2
