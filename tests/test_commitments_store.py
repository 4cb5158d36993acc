"""Commitments in the store: saved with records, append-only status history, migration 0004,
and the `commitments` / `commitment` commands. Real databases, no mocks.

Fixture articles are about fictional leaders and countries; the one real article is the
bundled demo sample 003 (its readout's three concessions).
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from typer.testing import CliRunner

import summitry
import summitry.cli
from summitry import EXTRACTOR_VERSION
from summitry.pipeline import link_meetings
from summitry.records import Article, ArticleRecord, Commitment, content_id
from summitry.store import Store, alembic_config, make_engine
from summitry.store.db import head_revision


@pytest.fixture(autouse=True)
def ratings_applied(monkeypatch):
    """These tests are about the status mechanics (evidence, order, a person's rating standing),
    so automatic ratings are applied here; by default they wait for review (the last test)."""
    import summitry.pipeline.link

    monkeypatch.setattr(summitry.pipeline.link, "RATINGS_NEED_REVIEW", False)

DEMO_003 = Path(summitry.__file__).parent / "data" / "demo" / "003_f5b60f11e280fbe4.txt"

TEXT = (
    "Venn and Rell agree on a crossing\n"
    "President Arla Venn of Norland and Prime Minister Tomas Rell of Estovia agreed on Tuesday "
    "to reopen the northern crossing from May 1. Norland will not hold naval exercises in the "
    "Calder strait this year. Rell promised a return visit to Norland in the autumn.\n"
)


def article() -> Article:
    return Article(id=content_id(TEXT), text=TEXT, title="Venn and Rell agree on a crossing",
                   published=date(2031, 4, 2), source="Norland Herald")


def commitment(action: str, actors: list[str], polarity: str = "do", kind: str = "agreed",
               due: str | None = None) -> Commitment:
    start = TEXT.index(action)
    return Commitment(actors, action, polarity, kind, due, "agreed", start, start + len(action),
                      meeting_hint="Port Calder", actor_mention="Venn and Rell")


CROSSING = commitment("reopen the northern crossing from May 1", ["Arla Venn", "Tomas Rell"], due="2031-05-01")
EXERCISES = commitment("hold naval exercises in the Calder strait this year", ["Norland"], "refrain", "announced")
VISIT = commitment("a return visit to Norland in the autumn", ["Tomas Rell"], kind="promised")


def record(*commitments: Commitment, version: str = "test-1") -> ArticleRecord:
    return ArticleRecord(id=article().id, commitments=list(commitments), extractor_version=version)


@pytest.fixture
def store(db_url):
    with Store(db_url) as s:
        s.save_record(record(CROSSING, EXERCISES, VISIT), article())
        yield s


def cid(n: int) -> str:
    return f"{article().id}:c{n}"


# --- saving ----------------------------------------------------------------------------

def test_commitments_are_saved_with_the_record(store):
    rows = store.commitments()
    assert [r["id"] for r in rows] == [cid(1), cid(2), cid(3)]
    first = rows[0]
    assert first["actors"] == ["Arla Venn", "Tomas Rell"] and first["due"] == "2031-05-01"
    assert first["status"] == "not_yet_rated" and first["changes"] == 0 and first["status_at"] is None
    # the sentence is the surrounding one when the extractor gives none
    assert first["sentence"].startswith("President Arla Venn") and first["sentence"].endswith("May 1.")
    assert rows[1]["polarity"] == "refrain" and rows[1]["retracted_by_version"] is None
    assert store.commitments(actor="rell", limit=5) == [rows[0], rows[2]]
    assert [r["id"] for r in store.commitments(actor="Norland")] == [cid(2)]
    assert store.commitments(limit=1) == rows[:1]


def test_status_changes_append_and_the_history_keeps_each(store):
    first = store.add_status_change(cid(1), "in_the_works", "Engineers began clearing the crossing.",
                                    "work towards it has begun", source="estovia-daily:120-160", by="A. Editor")
    second = store.add_status_change(cid(1), "kept", "The crossing reopened on May 1.", "done as agreed")
    assert first["id"] < second["id"] and first["at"] <= second["at"]
    found = store.commitment(cid(1))
    assert found["status"] == "kept" and found["changes"] == 2 and found["status_at"] == second["at"]
    assert [(h["status"], h["evidence"], h["rationale"], h["source"], h["by"]) for h in found["history"]] == [
        ("in_the_works", "Engineers began clearing the crossing.", "work towards it has begun",
         "estovia-daily:120-160", "A. Editor"),
        ("kept", "The crossing reopened on May 1.", "done as agreed", None, "person"),
    ]
    assert all(datetime.fromisoformat(h["at"]).tzinfo is not None for h in found["history"])
    assert [r["id"] for r in store.commitments(status="kept")] == [cid(1)]
    assert [r["id"] for r in store.commitments(status="not_yet_rated")] == [cid(2), cid(3)]
    assert store.commitment("nope") is None


def test_the_store_offers_no_way_to_edit_or_delete_a_change(store):
    assert not [name for name in dir(store) if "change" in name and name != "add_status_change"]


@pytest.mark.parametrize("status, evidence, rationale, message", [
    ("done", "It reopened.", "kept", "unknown status 'done'"),
    ("kept", "", "kept", "evidence and its rationale"),
    ("kept", "   ", "kept", "evidence and its rationale"),
    ("kept", "It reopened.", "", "evidence and its rationale"),
])
def test_a_bad_change_is_refused_and_nothing_is_stored(store, status, evidence, rationale, message):
    with pytest.raises(ValueError, match=message):
        store.add_status_change(cid(1), status, evidence, rationale)
    assert store.commitment(cid(1))["history"] == []


def test_unknown_commitments_and_backdated_changes_are_refused(store):
    with pytest.raises(ValueError, match="no commitment with id 'nope'"):
        store.add_status_change("nope", "kept", "It reopened.", "done")
    now = datetime.now(timezone.utc)
    store.add_status_change(cid(1), "stalled", "The opening was postponed.", "held up", at=now)
    with pytest.raises(ValueError, match="cannot follow"):
        store.add_status_change(cid(1), "kept", "It reopened.", "done", at=now - timedelta(days=1))
    with pytest.raises(ValueError, match="unknown status"):
        store.commitments(status="done")


def test_resaving_the_same_record_keeps_the_history(store, db_url):
    store.add_status_change(cid(2), "broken", "Norland held exercises in the strait in June.",
                            "what was to be refrained from went on")
    before = store.commitments()
    for _ in range(2):
        store.save_record(record(CROSSING, EXERCISES, VISIT), article())
    assert store.commitments() == before
    assert [h["status"] for h in store.commitment(cid(2))["history"]] == ["broken"]


def test_re_extraction_keeps_every_history(store):
    """A commitment found again keeps its id and history wherever it moved; one no longer found
    is kept, marked retracted; a new one takes a free id."""
    store.add_status_change(cid(1), "kept", "The crossing reopened on May 1.", "done")
    store.add_status_change(cid(2), "stalled", "No decision on the exercises yet.", "held up")
    store.save_record(record(VISIT, CROSSING, version="test-2"), article())  # exercises gone, order changed

    current = store.commitments()
    assert [(r["id"], r["action"], r["status"]) for r in current] == [
        (cid(3), VISIT.action, "not_yet_rated"), (cid(1), CROSSING.action, "kept")]
    retracted = store.commitment(cid(2))
    assert retracted["retracted_by_version"] == "test-2" and retracted["status"] == "stalled"
    assert [r["id"] for r in store.commitments(include_retracted=True)] == [cid(3), cid(1), cid(2)]

    # a different commitment at position 2, whose id the retracted one holds: a suffixed id
    other = Commitment(["Tomas Rell"], "a return visit", "do", "promised", None, "promised",
                       TEXT.index("a return visit"), TEXT.index("a return visit") + 14)
    store.save_record(record(VISIT, other, CROSSING, version="test-3"), article())
    assert [r["id"] for r in store.commitments()] == [cid(3), f"{cid(2)}-2", cid(1)]
    assert store.commitment(cid(2))["retracted_by_version"] == "test-2"  # the first version that lost it

    # found again: no longer retracted, history intact
    store.save_record(record(CROSSING, EXERCISES, VISIT, version="test-4"), article())
    back = store.commitment(cid(2))
    assert back["retracted_by_version"] is None and [h["status"] for h in back["history"]] == ["stalled"]
    assert store.commitment(cid(1))["status"] == "kept"


def test_a_rated_commitment_cannot_be_deleted_with_its_history(store, db_url):
    store.add_status_change(cid(1), "kept", "The crossing reopened on May 1.", "done")
    engine = make_engine(db_url)
    try:
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM commitments WHERE id = :id"), {"id": cid(1)})
    finally:
        engine.dispose()
    assert store.commitment(cid(1))["changes"] == 1


def test_the_statements_and_meetings_are_unchanged_by_commitments(store):
    assert store.counts() == {"articles": 1, "statements": 0, "meeting_reports": 0, "actors": 0}
    assert "commitments" not in store.article(article().id)


# --- migration -------------------------------------------------------------------------

def test_a_0003_database_with_rows_upgrades_to_0004_and_keeps_them(db_url):
    command.upgrade(alembic_config(db_url), "0003")
    a = article()
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO articles (id, content_hash, title, published, text, ingested_at) "
            "VALUES (:id, :hash, :title, :published, :text, :now)"),
            dict(id=a.id, hash=a.content_hash, title=a.title, published=date(2031, 4, 2), text=a.text,
                 now="2031-04-03 10:00:00+00:00"))
        conn.execute(sa.text(
            'INSERT INTO statements (id, article_id, position, speaker, quote, kind, start, "end", '
            "extractor_version) VALUES (:id, :article, 1, 'Arla Venn', 'reopen the crossing', "
            "'indirect', 10, 20, 'old-0.0')"), dict(id=f"{a.id}:s1", article=a.id))
        conn.execute(sa.text(
            "INSERT INTO meetings (id, participants, status, created_at, updated_at) "
            "VALUES ('m-1', '[\"Arla Venn\", \"Tomas Rell\"]', 'held', :now, :now)"),
            dict(now="2031-04-03 10:00:00+00:00"))
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == "0003"
    engine.dispose()

    with Store(db_url) as store:
        assert store.counts()["statements"] == 1
        assert store.statements(search="crossing")[0]["extractor_version"] == "old-0.0"
        assert [m["id"] for m in store.canonical_meetings()] == ["m-1"]
        assert store.commitments() == []
        store.save_record(record(CROSSING), a)
        store.add_status_change(cid(1), "in_the_works", "Work began.", "begun")
        assert store.commitment(cid(1))["status"] == "in_the_works"
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == head_revision()
    engine.dispose()
    command.downgrade(alembic_config(db_url), "0003")  # and back down, keeping the older rows
    with Store(db_url) as store:
        assert store.counts()["articles"] == 1 and store.commitments() == []
        assert [m["id"] for m in store.canonical_meetings()] == ["m-1"]


# --- the sample article ----------------------------------------------------------------

@pytest.mark.slow
def test_the_readout_concessions_of_sample_003_are_stored_commitments(sqlite_url):
    from summitry.nlp.extractor import Extractor

    text = DEMO_003.read_text(encoding="utf-8")
    sample = Article(id=content_id(text), text=text, published=date(2017, 7, 10), origin=DEMO_003.name)
    rec = Extractor().extract(sample)
    with Store(sqlite_url) as store:
        store.save_record(rec, sample)
        rows = store.commitments()
        actions = [r["action"] for r in rows]
        assert any("not pursue the election meddling issue" in a for a in actions)
        assert any("cybersecurity" in a for a in actions)
        assert any("interference in the internal affairs" in a for a in actions)
        assert any("cease-fire in Syria" in a for a in actions)
        assert len(rows) == len(rec.commitments) >= 3
        for row, c in zip(rows, rec.commitments, strict=True):
            assert text[row["start"]:row["end"]] == c.action == row["action"]
            assert row["sentence"] and c.action in row["sentence"]
        store.save_record(rec, sample)
        assert store.commitments() == rows


# --- command line ----------------------------------------------------------------------

@pytest.fixture
def cli(sqlite_url):
    with Store(sqlite_url) as s:
        s.save_record(record(CROSSING, EXERCISES, VISIT), article())
    runner = CliRunner()
    return lambda *args: runner.invoke(summitry.cli.app, [*args, "--db", sqlite_url])


def test_cli_lists_shows_and_sets_status(cli):
    listed = cli("commitments", "--json")
    assert listed.exit_code == 0, listed.output
    assert [r["id"] for r in json.loads(listed.stdout)] == [cid(1), cid(2), cid(3)]
    table = cli("commitments", "--actor", "venn")
    assert table.exit_code == 0 and "northern" in table.stdout and "autumn" not in table.stdout

    changed = cli("commitment", cid(3), "set-status", "stalled", "--evidence", "The visit was postponed.",
                  "--why", "held up", "--source", "https://example.org/visit", "--by", "A. Editor")
    assert changed.exit_code == 0, changed.output
    assert f"{cid(3)}: now stalled" in changed.stdout
    again = cli("commitment", cid(3), "set-status", "kept", "--evidence", "Rell arrived in Norland.",
                "--why", "the visit took place", "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["status"] == "kept"

    shown = cli("commitment", cid(3), "--json")
    found = json.loads(shown.stdout)
    assert found["status"] == "kept"
    assert [(h["status"], h["evidence"], h["by"]) for h in found["history"]] == [
        ("stalled", "The visit was postponed.", "A. Editor"), ("kept", "Rell arrived in Norland.", "person")]
    text = cli("commitment", cid(3)).stdout
    assert "Rell promised a return visit" in text  # the evidence sentence
    words = " ".join(text.split())  # the table wraps its cells
    assert "Status: kept" in text and "stalled" in words and "postponed." in words and "https://example." in words
    assert [r["id"] for r in json.loads(cli("commitments", "--status", "kept", "--json").stdout)] == [cid(3)]


def test_cli_refuses_bad_changes_clearly(cli):
    bad = cli("commitment", cid(1), "set-status", "done", "--evidence", "x", "--why", "y")
    assert bad.exit_code == 2 and "unknown status 'done'" in bad.output
    empty = cli("commitment", cid(1), "set-status", "kept", "--evidence", "  ", "--why", "y")
    assert empty.exit_code == 2 and "--evidence" in empty.output
    missing = cli("commitment", cid(1), "set-status", "kept", "--why", "y")
    assert missing.exit_code == 2
    unknown = cli("commitment", "nope:c9", "set-status", "kept", "--evidence", "x", "--why", "y")
    assert unknown.exit_code == 1 and "no commitment with id 'nope:c9'" in unknown.output
    assert cli("commitment", "nope:c9").exit_code == 1
    assert cli("commitment", cid(1), "rate", "kept").exit_code == 2
    assert cli("commitments", "--status", "done").exit_code == 2
    assert json.loads(cli("commitment", cid(1), "--json").stdout)["history"] == []


# --- statuses from later articles, applied by `summitry link` ------------------------------

AGREED = (
    "Norland and Estovia agree on a river ceasefire\n"
    "President Arla Venn of Norland and Prime Minister Tomas Rell of Estovia agreed on Tuesday to a "
    "ceasefire along the river from Monday. Rell promised a return visit to Norland in the autumn. "
    "Venn promised to reopen the northern crossing by July.\n"
)
LATER = {  # published -> text (fictional wire reports)
    date(2031, 6, 20): "River ceasefire takes hold\nThe river ceasefire agreed by Venn and Rell took effect at dawn "
                       "on Monday, officials said. The northern crossing reopened on Friday, Venn's office said.\n",
    date(2031, 9, 5): "Rell visit off\nTomas Rell's return visit to Norland has been postponed until next spring, "
                      "his office said on Friday.\n",
    date(2031, 10, 1): "Shelling on the river\nThe river ceasefire collapsed on Sunday after a night of shelling, "
                       "Venn said, blaming Rell's army.\n",  # an article about both parties of the ceasefire
}


def _save_agreed(store: Store) -> list[str]:
    agreed = Article(id=content_id(AGREED), text=AGREED, published=date(2031, 6, 12), source="Norland Herald")

    def made(action, actors, kind):
        start = AGREED.index(action)
        return Commitment(actors, action, "do", kind, None, kind, start, start + len(action))

    store.save_record(ArticleRecord(agreed.id, commitments=[
        made("a ceasefire along the river from Monday", ["Arla Venn", "Tomas Rell"], "agreed"),
        made("a return visit to Norland in the autumn", ["Tomas Rell"], "promised"),
        made("reopen the northern crossing by July", ["Arla Venn"], "promised")]), agreed)
    return [f"{agreed.id}:c{n}" for n in (1, 2, 3)]


def _save_later(store: Store, published: date) -> str:
    text = LATER[published]
    later = Article(id=content_id(text), text=text, published=published, source="Wire")
    store.save_record(ArticleRecord(later.id), later)
    return later.id


def test_link_rates_commitments_from_later_articles(db_url):
    with Store(db_url) as store:
        ceasefire, visit, crossing = _save_agreed(store)
        # a person rated the crossing before any later article came in: that rating stands
        store.add_status_change(crossing, "stalled", "The ministry says the works are behind.", "my reading",
                                by="A. Editor")
        for published in sorted(LATER, reverse=True):  # stored newest first: the order of storing does not matter
            _save_later(store, published)
        summary = link_meetings(store)
        assert summary["statuses_set"] == 3

        found = store.commitment(ceasefire)
        assert [h["status"] for h in found["history"]] == ["kept", "broken"]  # in the order of publication
        kept = found["history"][0]
        took = LATER[date(2031, 6, 20)]
        article_id, offsets = kept["source"].split(":")
        start, end = map(int, offsets.split("-"))
        assert article_id == content_id(took) and took[start:end] == kept["evidence"]
        assert kept["evidence"] == "The river ceasefire agreed by Venn and Rell took effect at dawn on Monday, officials said."
        assert kept["rationale"].startswith('rule carried-out: "took effect"')
        assert kept["by"] == f"summitry link (rules {EXTRACTOR_VERSION})"
        assert store.commitment(visit)["status"] == "stalled"
        assert "postponed" in store.commitment(visit)["history"][0]["rationale"]
        rated = store.commitment(crossing)
        assert [(h["status"], h["by"]) for h in rated["history"]] == [("stalled", "A. Editor")]

        # a second link appends nothing
        before = {cid: store.commitment(cid)["history"] for cid in (ceasefire, visit, crossing)}
        assert link_meetings(store)["statuses_set"] == 0
        assert {cid: store.commitment(cid)["history"] for cid in (ceasefire, visit, crossing)} == before


def test_evidence_older_than_the_rating_on_record_does_not_undo_it(sqlite_url):
    with Store(sqlite_url) as store:
        ceasefire, _, crossing = _save_agreed(store)
        _save_later(store, date(2031, 10, 1))  # "collapsed"
        link_meetings(store)
        _save_later(store, date(2031, 6, 20))  # "took effect", published earlier, read later
        assert link_meetings(store)["statuses_set"] == 1  # the crossing "reopened": new evidence for it
        assert [h["status"] for h in store.commitment(ceasefire)["history"]] == ["broken"]
        assert [h["status"] for h in store.commitment(crossing)["history"]] == ["kept"]


def test_cli_link_prints_the_statuses_set(sqlite_url):
    with Store(sqlite_url) as store:
        _save_agreed(store)
        _save_later(store, date(2031, 9, 5))
    runner = CliRunner()
    first = runner.invoke(summitry.cli.app, ["link", "--db", sqlite_url])
    assert first.exit_code == 0, first.output
    assert "commitment statuses set from later articles: 1" in first.stdout
    again = runner.invoke(summitry.cli.app, ["link", "--db", sqlite_url, "--json"])
    assert again.exit_code == 0 and json.loads(again.stdout)["statuses_set"] == 0


@pytest.mark.slow
def test_the_real_extractor_and_link_rate_a_ceasefire_and_a_visit(sqlite_url):
    """End to end: the commitments come from the extractor, the statuses from `link`."""
    from summitry.nlp.extractor import Extractor

    extractor = Extractor()
    with Store(sqlite_url) as store:
        for text, published in ((AGREED, date(2031, 6, 12)), (LATER[date(2031, 6, 20)], date(2031, 6, 20)),
                                (LATER[date(2031, 9, 5)], date(2031, 9, 5))):
            found = Article(id=content_id(text), text=text, published=published)
            store.save_record(extractor.extract(found), found)
        link_meetings(store)
        by_action = {c["action"]: c for c in store.commitments()}
    assert by_action["a ceasefire along the river from Monday"]["status"] == "kept"
    assert next(c for a, c in by_action.items() if a.startswith("a return visit"))["status"] == "stalled"


def test_by_default_automatic_ratings_wait_in_the_review_queue(sqlite_url, monkeypatch):
    """Measured precision of automatic ratings on real news is 0.44: they are proposals. `link`
    sets no status by itself; each rating is a candidate a person confirms or dismisses."""
    import summitry.pipeline.link

    monkeypatch.setattr(summitry.pipeline.link, "RATINGS_NEED_REVIEW", True)
    with Store(sqlite_url) as store:
        _save_agreed(store)
        _save_later(store, date(2031, 9, 5))
        summary = link_meetings(store)
        assert summary["statuses_set"] == 0
        proposed = store.candidates("rating")
        assert proposed and {p["finding_kind"] for p in proposed} == {"rating"}
