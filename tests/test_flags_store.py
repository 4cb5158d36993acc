"""Stored fact flags and contradictions: migration 0005, refresh idempotence, the demo
article 000 (G7 Quebec) and sample 003 (Lavrov/Tillerson) through the real extractor."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from typer.testing import CliRunner

import summitry.cli
from summitry.pipeline import (
    check_flags,
    link_meetings,
    refresh_contradictions,
    refresh_flags,
)
from summitry.records import Article, ArticleRecord, content_id
from summitry.store import Store
from summitry.store.db import alembic_config, head_revision, make_engine

DEMO = Path(__file__).resolve().parents[1] / "summitry" / "data" / "demo"
DEMO_000 = DEMO / "000_bcd54cef3a2927ef.txt"
DEMO_003 = DEMO / "003_f5b60f11e280fbe4.txt"


def _published(name: str) -> date:
    return date.fromisoformat(json.loads((DEMO / "manifest.json").read_text())[name]["published"])


def _demo(path: Path) -> tuple[Article, ArticleRecord]:
    from summitry.nlp.extractor import Extractor

    text = path.read_text(encoding="utf-8")
    article = Article(id=content_id(text), text=text, published=_published(path.name), origin=path.name)
    return article, Extractor().extract(article)


@pytest.fixture(scope="module")
def demo_000():
    return _demo(DEMO_000)


@pytest.fixture(scope="module")
def demo_003():
    return _demo(DEMO_003)


def test_the_quebec_g7_claim_of_000_is_a_stored_flag(db_url, demo_000):
    article, record = demo_000
    with Store(db_url) as store:
        store.save_record(record, article, check=check_flags)
        flags = store.fact_flags(article_id=article.id)
        quebec = [f for f in flags if f["kind"] == "no_such_meeting" and "Quebec" in f["claim"]]
        assert len(quebec) == 1, flags
        flag = quebec[0]
        assert flag["id"].startswith(f"{article.id}:f")
        assert article.text[flag["start"]:flag["end"]] == flag["claim"]
        assert flag["reference_id"] and "2014" in flag["explanation"]
        assert flag["extractor_version"] == record.extractor_version
        # the "past six meetings" count against the article's own list (Quebec in it, Paris and Buenos Aires not)
        [listed] = [f for f in flags if f["kind"] == "count_list_mismatch"]
        assert listed["claim"] == "past six meetings" and listed["reference_id"] == flag["reference_id"]
        assert "trump-putin-2018-11-11-paris" in listed["explanation"]
        # every entry the list flag rests on is stored, the first being reference_id
        assert listed["reference_ids"][0] == listed["reference_id"] and len(listed["reference_ids"]) > 1
        assert "trump-putin-2018-11-11-paris" in listed["reference_ids"]
        assert flag["reference_ids"] == [flag["reference_id"]]
        assert store.fact_flags(kind="no_such_meeting") == [f for f in flags if f["kind"] == "no_such_meeting"]
        # the stored flags are those check_article computes, in text order
        assert [f["id"] for f in flags] == [f"{article.id}:f{n}" for n in range(1, len(flags) + 1)]

        # refreshing (one article, then all) and saving again keep the same rows
        assert refresh_flags(store, article.id) == len(flags)
        assert refresh_flags(store) == len(flags)
        store.save_record(record, article, check=check_flags)
        assert store.fact_flags() == flags
        with pytest.raises(ValueError):
            refresh_flags(store, "no-such-article")


def test_flags_cli_reads_stored_flags_and_refreshes_on_request(sqlite_url, demo_000):
    article, record = demo_000
    with Store(sqlite_url) as store:
        store.save_record(record, article, check=check_flags)
        stored = store.fact_flags()
    runner = CliRunner()
    for extra in ([], ["--refresh"], ["--article", article.id[:8]]):
        result = runner.invoke(summitry.cli.app, ["flags", "--json", "--db", sqlite_url, *extra])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == stored


def test_sample_003_after_link_has_a_stored_lavrov_tillerson_contradiction(db_url, demo_003):
    article, record = demo_003
    with Store(db_url) as store:
        store.save_record(record, article, check=check_flags)
    runner = CliRunner()
    linked = runner.invoke(summitry.cli.app, ["link", "--db", db_url])
    assert linked.exit_code == 0, linked.output
    with Store(db_url) as store:
        stored = store.contradictions()
        pair = [c for c in stored if c["kind"] == "statements"
                and {s["speaker"] for s in c["sides"]} == {"Sergei Lavrov", "Rex Tillerson"}]
        assert pair, stored
        c = pair[0]
        assert c["rule"] == "negation" and "accept" in c["explanation"] and c["id"].startswith("x-")
        for side in c["sides"]:
            assert side["statement_id"] and article.text[side["start"]:side["end"]] == side["text"]
        assert store.contradictions(meeting_id=c["meeting_id"]) == [x for x in stored if x["meeting_id"] == c["meeting_id"]]
        assert store.contradictions(meeting_id="m-0000000000") == []
        # idempotent: the same rows, with their creation times, after refreshing and linking again
        assert refresh_contradictions(store) == len(stored)
        link_meetings(store)
        assert store.contradictions() == stored
    shown = runner.invoke(summitry.cli.app, ["contradictions", "--json", "--db", db_url])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout) == stored


_OLD_TEXT = "Arla Venn and Tomas Rell met in Port Calder on Tuesday."
OLD_ARTICLE = Article(id=content_id(_OLD_TEXT), text=_OLD_TEXT, published=date(2031, 4, 2), title="Port Calder")


def insert_old_article(conn) -> None:
    """OLD_ARTICLE written with plain SQL, as a database of an older revision holds it."""
    a = OLD_ARTICLE
    conn.execute(sa.text(
        "INSERT INTO articles (id, content_hash, title, published, text, ingested_at) "
        "VALUES (:id, :hash, :title, :published, :text, :now)"),
        dict(id=a.id, hash=a.content_hash, title=a.title, published=a.published, text=a.text,
             now="2031-04-03 10:00:00+00:00"))


def test_a_0004_database_with_rows_upgrades_to_0005(db_url):
    command.upgrade(alembic_config(db_url), "0004")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        insert_old_article(conn)
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == "0004"
    engine.dispose()
    with Store(db_url) as store:
        assert store.counts()["articles"] == 1
        assert store.fact_flags() == [] and store.contradictions() == []
        refresh_flags(store)  # the fictional pair is in no reference entry: nothing to flag
        assert refresh_contradictions(store) == 0
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == head_revision()
    engine.dispose()
    command.downgrade(alembic_config(db_url), "0004")
    with Store(db_url) as store:
        assert store.counts()["articles"] == 1


def test_every_reference_id_of_a_flag_is_shown_on_the_cli_and_the_web(sqlite_url, demo_000):
    from fastapi.testclient import TestClient

    from summitry.web import create_app

    article, record = demo_000
    with Store(sqlite_url) as store:
        store.save_record(record, article, check=check_flags)
        link_meetings(store)
        [listed] = store.fact_flags(kind="count_list_mismatch")
        meeting_id = store.canonical_meetings()[0]["id"]  # every meeting of the article shows its flags
    table = CliRunner().invoke(summitry.cli.app, ["flags", "--db", sqlite_url], env={"COLUMNS": "400"})
    assert table.exit_code == 0, table.output
    with TestClient(create_app(sqlite_url)) as client:
        page = client.get(f"/meetings/{meeting_id}").text
        shown = client.get(f"/meetings/{meeting_id}.json").json()["fact_flags"]
    assert [f["reference_ids"] for f in shown if f["kind"] == "count_list_mismatch"] == [listed["reference_ids"]]
    for ref_id in listed["reference_ids"]:
        assert ref_id in table.stdout, ref_id
        assert f"<code>{ref_id}</code>" in page, ref_id


def test_a_0006_database_with_flags_upgrades_to_0007_and_back(db_url):
    command.upgrade(alembic_config(db_url), "0006")
    a = OLD_ARTICLE
    flag = dict(id=f"{a.id}:f1", article_id=a.id, position=1, kind="wrong_place", claim="Port Calder",
                start=32, end=43, reference_id="vr-2031-03-31-lindholm",
                explanation="They met in Lindholm.", created_at="2031-04-03 10:00:00+00:00")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        insert_old_article(conn)
        conn.execute(sa.text(
            "INSERT INTO fact_flags (id, article_id, position, kind, claim, start, \"end\", reference_id, "
            "explanation, created_at) VALUES (:id, :article_id, :position, :kind, :claim, :start, :end, "
            ":reference_id, :explanation, :created_at)"), flag)
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == "0006"
    engine.dispose()
    with Store(db_url) as store:  # opening it upgrades it
        [row] = store.fact_flags()
        assert {k: row[k] for k in ("id", "kind", "claim", "start", "end", "reference_id", "explanation")} == \
            {k: flag[k] for k in ("id", "kind", "claim", "start", "end", "reference_id", "explanation")}
        assert row["reference_ids"] == ["vr-2031-03-31-lindholm"]  # NULL reads as [reference_id]
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == head_revision()
        assert conn.scalar(sa.text("SELECT reference_ids FROM fact_flags")) is None
    engine.dispose()
    command.downgrade(alembic_config(db_url), "0006")
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert "reference_ids" not in {c["name"] for c in sa.inspect(conn).get_columns("fact_flags")}
        assert conn.scalar(sa.text("SELECT reference_id FROM fact_flags")) == "vr-2031-03-31-lindholm"
    engine.dispose()
