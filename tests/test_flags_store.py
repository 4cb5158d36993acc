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
import summitry.contradictions_cli  # noqa: F401 - registers `contradictions`
from summitry.records import Article, ArticleRecord, content_id
from summitry.store import Store
from summitry.store.db import alembic_config, head_revision, make_engine

DEMO = Path(__file__).resolve().parents[1] / "summitry" / "data" / "demo"
DEMO_000 = DEMO / "000_bcd54cef3a2927ef.txt"
DEMO_003 = DEMO / "003_f5b60f11e280fbe4.txt"


def _published(name: str) -> date:
    return date.fromisoformat(json.loads((DEMO / "manifest.json").read_text())[name]["published"])


def _demo(path: Path) -> tuple[Article, ArticleRecord]:
    from summitry.extract import Extractor

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
        store.save_record(record, article)
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
        assert store.fact_flags(kind="no_such_meeting") == [f for f in flags if f["kind"] == "no_such_meeting"]
        # the stored flags are those check_article computes, in text order
        assert [f["id"] for f in flags] == [f"{article.id}:f{n}" for n in range(1, len(flags) + 1)]

        # refreshing (one article, then all) and saving again keep the same rows
        assert store.refresh_flags(article.id) == len(flags)
        assert store.refresh_flags() == len(flags)
        store.save_record(record, article)
        assert store.fact_flags() == flags
        with pytest.raises(ValueError):
            store.refresh_flags("no-such-article")


def test_flags_cli_reads_stored_flags_and_refreshes_on_request(sqlite_url, demo_000):
    article, record = demo_000
    with Store(sqlite_url) as store:
        store.save_record(record, article)
        stored = store.fact_flags()
    runner = CliRunner()
    for extra in ([], ["--refresh"], ["--article", article.id[:8]]):
        result = runner.invoke(summitry.cli.app, ["flags", "--json", "--db", sqlite_url, *extra])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == stored


def test_sample_003_after_link_has_a_stored_lavrov_tillerson_contradiction(db_url, demo_003):
    article, record = demo_003
    with Store(db_url) as store:
        store.save_record(record, article)
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
        assert store.refresh_contradictions() == len(stored)
        store.link_meetings()
        assert store.contradictions() == stored
    shown = runner.invoke(summitry.cli.app, ["contradictions", "--json", "--db", db_url])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout) == stored


def test_a_0004_database_with_rows_upgrades_to_0005(db_url):
    command.upgrade(alembic_config(db_url), "0004")
    text = "Arla Venn and Tomas Rell met in Port Calder on Tuesday."
    a = Article(id=content_id(text), text=text, published=date(2031, 4, 2), title="Port Calder")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO articles (id, content_hash, title, published, text, ingested_at) "
            "VALUES (:id, :hash, :title, :published, :text, :now)"),
            dict(id=a.id, hash=a.content_hash, title=a.title, published=a.published, text=a.text,
                 now="2031-04-03 10:00:00+00:00"))
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == "0004"
    engine.dispose()
    with Store(db_url) as store:
        assert store.counts()["articles"] == 1
        assert store.fact_flags() == [] and store.contradictions() == []
        store.refresh_flags()  # the fictional pair is in no reference entry: nothing to flag
        assert store.refresh_contradictions() == 0
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == head_revision()
    engine.dispose()
    command.downgrade(alembic_config(db_url), "0004")
    with Store(db_url) as store:
        assert store.counts()["articles"] == 1
