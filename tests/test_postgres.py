"""PostgreSQL: the throwaway server, the script, and what differs from SQLite.

The store's behaviour on PostgreSQL is covered by tests/test_store.py (every test that
takes `db_url` runs on both backends); these are the PostgreSQL-only parts.
Locally they skip when PostgreSQL is not installed; with CI=true they fail instead.
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import REPO, find_pg_bin, postgres_unavailable

from summitry.records import Article, ArticleRecord, Statement
from summitry.store import Store, make_engine

pytestmark = pytest.mark.slow


def test_missing_postgres_fails_in_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI"):
        postgres_unavailable("PostgreSQL is not installed")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="scripts/postgres.sh install"):
        postgres_unavailable("PostgreSQL is not installed")


def test_the_server_runs(postgres_server):
    engine = make_engine(postgres_server)
    try:
        with engine.connect() as conn:
            version = conn.exec_driver_sql("SHOW server_version_num").scalar()
    finally:
        engine.dispose()
    assert int(version) >= 150000


def test_a_plain_postgresql_url_uses_psycopg(postgres_url):
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with Store(plain) as store:
        assert store.counts()["articles"] == 0
        assert store.engine.dialect.driver == "psycopg"


def test_search_uses_the_fulltext_index(postgres_url):
    text = "Arla Venn said the northern crossing would reopen. Tomas Rell agreed.\n"
    article = Article(id="venn-pg", text=text)
    start = text.index("the northern")
    end = text.index(" would") + len(" would reopen")
    with Store(postgres_url) as store:
        store.save_record(ArticleRecord(id="venn-pg", statements=[
            Statement("Arla Venn", "Arla Venn", text[start:end], "indirect", "said", start, end)]),
            article)
        assert [s["speaker"] for s in store.statements(search="Crossing REOPEN")] == ["Arla Venn"]
        query = str(store.fulltext_ids(["crossing"]).compile(compile_kwargs={"literal_binds": True}))
        with store.engine.connect() as conn:
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = "\n".join(row[0] for row in conn.execute(sa.text("EXPLAIN " + query)))
    # the query's expression must be the index's, character for character
    assert "ix_statements_fulltext" in plan, plan


def test_the_script_starts_and_stops_a_server():
    if find_pg_bin() is None:
        postgres_unavailable("PostgreSQL is not installed (no pg_ctl)")
    script = REPO / "scripts" / "postgres.sh"
    # not under tmp_path: pytest keeps that private to root, out of the postgres user's reach
    server_dir = Path(tempfile.mkdtemp(prefix="summitry-pg-script-"))
    started = subprocess.run(["bash", str(script), "start", str(server_dir)],
                             capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    try:
        url = started.stdout.strip()
        assert url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
        with Store(url) as store:
            assert store.counts() == {"articles": 0, "statements": 0, "meeting_reports": 0,
                                      "actors": 0}
    finally:
        stopped = subprocess.run(["bash", str(script), "stop", str(server_dir)],
                                 capture_output=True, text=True, timeout=120)
    assert stopped.returncode == 0, stopped.stderr
    assert not server_dir.exists()
