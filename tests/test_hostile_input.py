"""Hostile input never costs good input (issue 13): every bad input is one line on stderr and
the run goes on; good inputs in the same batch are stored with their records; nothing is half
stored; two ingests at once both finish; URLs cannot reach the machine's own network.
Real CLI, real store (SQLite and PostgreSQL), real HTTP servers on loopback."""
from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from summitry import EXTRACTOR_VERSION
from summitry.ingest import IngestError, fetch_url, is_url, read_articles, read_inputs
from summitry.ingest.fetch import refused_destination
from summitry.ingest.readers import clean_text
from summitry.records import Article
from summitry.store import Store

from hostile import make_batch  # tests/hostile.py: the generator of hostile inputs

REPO = Path(__file__).resolve().parents[1]
SUMMITRY = [sys.executable, "-m", "summitry.cli"]
DEV_INPUT = REPO.parent / "shared" / "eval" / "dev_input.jsonl"


def run(*args, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*SUMMITRY, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, **kwargs)


def stored(url: str) -> dict[str, int]:
    with Store(url) as store:
        counts = store.counts()
        with store._transaction() as session:
            from sqlalchemy import func, select

            from summitry.store.models import ArticleRow
            without = session.scalar(select(func.count()).select_from(ArticleRow).where(
                (ArticleRow.record_version.is_(None)) | (ArticleRow.record_version != EXTRACTOR_VERSION)))
    return {**counts, "without_record": without}


# --- at the door -------------------------------------------------------------------------------

def test_text_is_cleaned_character_for_character():
    dirty = "a\x00b\ud800c\x1bd\te\nf"
    clean = clean_text(dirty)
    assert len(clean) == len(dirty) and clean == "a\ufffdb\ufffdc\ufffdd\te\nf"


@pytest.mark.parametrize("kind", ["fifo", "device_link"])
def test_only_regular_files_are_read(tmp_path, kind):
    path = tmp_path / "x.txt"
    os.mkfifo(path) if kind == "fifo" else os.symlink("/dev/zero", path)
    started = time.monotonic()
    [error] = list(read_articles([path]))
    assert isinstance(error, IngestError) and "not a regular file" in error.message
    assert time.monotonic() - started < 5


def test_bad_json_lines_cost_one_line_each(tmp_path):
    path = tmp_path / "batch.jsonl"
    good = {"id": "ok-1", "text": "President Venn met Prime Minister Rell in Port Calder."}
    lines = ["[" * 100_000 + "]" * 100_000, json.dumps({**good, "id": "late", "published": "9999-12-31"}),
             json.dumps({**good, "id": "bad-\udfff"}), json.dumps({**good, "text": "x\u0000" + good["text"]})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = list(read_articles([path]))
    errors = [f.message for f in found if isinstance(f, IngestError)]
    assert any("nested too deeply" in e for e in errors)
    assert any("out of range" in e for e in errors)
    assert any("'id' must be" in e for e in errors)
    [article] = [f for f in found if isinstance(f, Article)]
    assert article.text.startswith("x\ufffd")


def test_empty_path_and_upper_case_urls():
    [error] = list(read_inputs([""]))
    assert isinstance(error, IngestError) and "empty path" in error.message
    assert is_url("HTTP://example.org/a") and is_url("https://x") and not is_url("http.txt")


def test_pdfs_and_random_bytes_are_not_articles(tmp_path):
    import random

    (tmp_path / "a.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n")
    (tmp_path / "b.txt").write_bytes(random.Random(1).randbytes(5000).replace(b"\x00", b"x"))
    messages = [f.message for f in read_articles([tmp_path]) if isinstance(f, IngestError)]
    assert any("PDF" in m for m in messages) and len(messages) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder, so a folder cannot be made unreadable")
def test_an_unreadable_subfolder_is_reported(tmp_path):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("President Venn met Rell.", encoding="utf-8")
    (tmp_path / "locked").chmod(0)
    try:
        messages = [f.message for f in read_articles([tmp_path]) if isinstance(f, IngestError)]
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert any("cannot read folder" in m for m in messages)


# --- a mixed batch through the command line, on both databases ------------------------------------

@pytest.mark.slow
def test_a_mixed_batch_stores_every_good_input(tmp_path, db_url):
    inputs = make_batch(tmp_path / "in", 45, seed=13)
    expected = sum(i.good for i in inputs)
    done = run("ingest", tmp_path / "in", "--db", db_url, "--json")
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors and all(len(line) < 600 for line in errors)
    summary = json.loads(done.stdout)
    # good inputs are parsed, or stopped by the relevance gate and stored with an empty record
    assert summary["extracted"] + summary["not_relevant"] == expected
    assert summary["failed"] == len(summary["errors"])
    counts = stored(db_url)
    assert counts["articles"] == expected and counts["without_record"] == 0
    again = run("ingest", tmp_path / "in", "--db", db_url, "--json")  # nothing new, the same errors
    again_summary = json.loads(again.stdout)
    assert again.returncode == 1 and again_summary["extracted"] == again_summary["not_relevant"] == 0
    assert stored(db_url) == counts


# --- nothing half-stored ---------------------------------------------------------------------

@pytest.mark.slow
def test_a_runaway_article_is_skipped_and_nothing_is_half_stored(tmp_path, sqlite_url):
    """An article past its time budget is reported and not stored; the others are."""
    script = (
        "import sys, summitry.pipeline.ingest as p; "
        "p.BASE_SECONDS = 1.0; p.CHARS_PER_SECOND = 1e9; "  # a budget one article cannot meet
        "from summitry.cli import main; sys.argv = ['summitry', *sys.argv[1:]]; main()")
    long_one = tmp_path / "b-long.txt"
    long_one.write_text("Venn met Rell. " + "Rell said the talks went on. " * 20000, encoding="utf-8")
    (tmp_path / "a-short.txt").write_text("Talks\n\nPresident Venn met Rell in Port Calder.", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", script, "ingest", tmp_path, "--db", sqlite_url, "--json", "--no-gate"],
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert done.returncode == 1 and "took longer than" in done.stderr, done.stderr[-1500:]
    assert "Traceback" not in done.stderr
    summary = json.loads(done.stdout)
    assert summary["extracted"] == 1 and summary["failed"] == 1
    assert stored(sqlite_url)["articles"] == 1 and stored(sqlite_url)["without_record"] == 0


@pytest.mark.slow
@pytest.mark.skipif(not DEV_INPUT.exists(), reason="needs ../shared/eval/dev_input.jsonl beside the checkout")
def test_kill_9_during_ingest_then_a_rerun_gives_the_clean_result(tmp_path, sqlite_url):
    lines = DEV_INPUT.read_text(encoding="utf-8").splitlines()[2:14]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    clean_url = f"sqlite:///{tmp_path / 'clean.db'}"
    assert run("ingest", batch, "--db", clean_url).returncode == 0
    victim = subprocess.Popen([*SUMMITRY, "ingest", batch, "--db", sqlite_url], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and victim.poll() is None:
        if Path(sqlite_url.removeprefix("sqlite:///")).exists() and stored(sqlite_url)["articles"] >= 3:
            break
        time.sleep(0.5)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    partial = stored(sqlite_url)
    assert partial["without_record"] == 0  # what is there has its record
    assert run("ingest", batch, "--db", sqlite_url).returncode == 0
    assert stored(sqlite_url) == stored(clean_url)


def linked(url: str) -> str:
    """The cross-article record `link` makes, in a fixed order (ids included: they must be
    stable), without the times rows were written."""
    def timeless(row: dict) -> str:
        return json.dumps({k: v for k, v in row.items() if k not in ("created_at", "updated_at")},
                          sort_keys=True, default=str)

    with Store(url) as store:
        rows = [*store.canonical_meetings(), *store.contradictions(states=None), *store.fact_flags(states=None)]
    return "\n".join(sorted(timeless(row) for row in rows))


@pytest.mark.slow
@pytest.mark.skipif(not DEV_INPUT.exists(), reason="needs ../shared/eval/dev_input.jsonl beside the checkout")
def test_kill_9_during_link_then_a_rerun_gives_the_clean_result(tmp_path):
    lines = DEV_INPUT.read_text(encoding="utf-8").splitlines()[:16]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    clean_url = f"sqlite:///{tmp_path / 'clean.db'}"
    assert run("ingest", batch, "--db", clean_url).returncode == 0
    victim_path = tmp_path / "victim.db"
    shutil.copy(tmp_path / "clean.db", victim_path)
    victim_url = f"sqlite:///{victim_path}"
    assert run("link", "--db", clean_url).returncode == 0
    # kill at several points of a run: while starting, while linking, while writing
    for delay in (0.5, 1.5, 2.5, 3.5):
        victim = subprocess.Popen([*SUMMITRY, "link", "--db", victim_url], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        time.sleep(delay)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
    assert run("link", "--db", victim_url).returncode == 0
    assert linked(victim_url) == linked(clean_url)


def test_a_link_stopped_before_its_contradictions_is_finished_by_the_next(tmp_path):
    """`link` stores the meetings, then in another transaction their contradictions: a run
    stopped between the two (here: only the first step run) leaves the meetings it changed
    pending, and the next run, which finds nothing else changed, still recomputes them."""
    from importlib.resources import files

    from summitry.link import linking
    from summitry.pipeline import ingest_articles, link_meetings

    url = f"sqlite:///{tmp_path / 'stopped.db'}"
    clean_url = f"sqlite:///{tmp_path / 'clean.db'}"
    demo = str(files("summitry") / "data" / "demo")
    for db in (url, clean_url):
        with Store(db) as store:
            ingest_articles(store, read_inputs([demo]))
    with Store(clean_url) as store:
        link_meetings(store)
        expected = [c["id"] for c in store.contradictions(states=None)]
    assert expected  # the demo's Lavrov/Tillerson accounts
    with Store(url) as store:
        store.link_reports(linking.plan)  # the first transaction only, as if killed after it
        assert store.pending_contradiction_meetings()
        link_meetings(store)
        assert [c["id"] for c in store.contradictions(states=None)] == expected
        assert not store.pending_contradiction_meetings()


# --- two writers at once ------------------------------------------------------------------------

@pytest.mark.slow
def test_two_ingests_at_once_both_finish_with_one_runs_records(tmp_path, db_url):
    inputs = make_batch(tmp_path / "in", 12, seed=7)
    good = [tmp_path / "in" / i.name for i in inputs if i.kind == "good_txt"]
    alone_url = f"sqlite:///{tmp_path / 'alone.db'}"
    assert run("ingest", *good, "--db", alone_url).returncode == 0
    first = subprocess.Popen([*SUMMITRY, "ingest", *good, "--db", db_url], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    second = subprocess.Popen([*SUMMITRY, "ingest", *reversed(good), "--db", db_url], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    for process in (first, second):
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-1500:]
    assert stored(db_url) == stored(alone_url)


# --- URLs -----------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://localhost:9/", "http://127.1/", "http://2130706433/",
                                 "http://[::1]/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/",
                                 "http://[::ffff:127.0.0.1]/"])
def test_private_addresses_are_refused_by_default(url):
    assert refused_destination(url) is not None
    error = fetch_url(url, timeout=2)
    assert isinstance(error, IngestError) and "refused" in error.message


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/to-ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://example.org/a.txt")
            self.end_headers()
        elif self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(60):  # one byte every half second
                try:
                    self.wfile.write(b"a")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.5)


@pytest.fixture
def hostile_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_every_hop_must_be_http(hostile_server):
    error = fetch_url(f"{hostile_server}/to-ftp", allow_private=True)
    assert isinstance(error, IngestError) and "unsupported URL scheme 'ftp'" in error.message


def test_a_slow_server_cannot_hold_a_fetch(hostile_server):
    started = time.monotonic()
    error = fetch_url(f"{hostile_server}/slow", timeout=5, deadline=2, allow_private=True)
    assert isinstance(error, IngestError) and "too slow" in error.message
    assert time.monotonic() - started < 6


# --- smaller things ------------------------------------------------------------------------------

def test_show_never_sends_a_stored_escape_sequence_to_the_terminal(sqlite_url):
    """Titles are cleaned at the door now; one stored by an older summitry is shown safely."""
    from typer.testing import CliRunner

    import summitry.cli

    with Store(sqlite_url) as store:
        store.add_article(Article(id="old-1", text="President Venn met Rell.\x1b[2J", title="Title \x1b]0;owned\x07"))
    shown = CliRunner().invoke(summitry.cli.app, ["show", "old-1", "--db", sqlite_url], env={"COLUMNS": "120"})
    assert shown.exit_code == 0 and "\x1b" not in shown.stdout and "Title" in shown.stdout


def test_article_words_cannot_put_markup_into_a_briefing():
    from summitry.analysis.briefing import md

    escaped = md("see [the site](http://evil.example) and ![x](y) <script>")
    assert "](" not in escaped.replace("\\](", "") and "<script>" not in escaped
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": False}).render(escaped)
    assert "<a " not in html and "<img" not in html and "<script>" not in html


# --- bounded work in the extractor: time grows with the text, not with its square -------------

@pytest.fixture(scope="module")
def nlp():
    from summitry.nlp import build_pipeline

    return build_pipeline()


def summitry_seconds(nlp, text: str) -> float:
    """Time spent in summitry's own components on `text` (the model's, linear by construction
    and the bulk of the cost, is left out so that the ratio shows what the rules do)."""
    doc = nlp.make_doc(text)
    doc._.published = None
    spent = 0.0
    for name, component in nlp.pipeline:
        started = time.process_time()  # this process only: other jobs on the machine do not count
        doc = component(doc)
        if name.startswith("summitry_"):
            spent += time.process_time() - started
    return spent


def growth(nlp, make, small: int) -> float:
    """Time on a text four times larger over time on the small one (best of two for the small)."""
    little = min(summitry_seconds(nlp, make(small)) for _ in range(2))
    return summitry_seconds(nlp, make(4 * small)) / max(little, 1e-3)


@pytest.mark.slow
def test_a_storm_of_quotation_marks_costs_linear_time(nlp):
    from hostile import quote_storm

    # quadratic paths gave a ratio of 10-16 here; linear ones about 4
    assert growth(nlp, quote_storm, 600) < 7


@pytest.mark.slow
def test_a_text_without_sentence_ends_costs_linear_time(nlp):
    from hostile import without_sentence_ends

    from summitry.nlp.paragraphs import MAX_SENTENCE_TOKENS

    doc = nlp(without_sentence_ends(3000))
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS
    assert growth(nlp, without_sentence_ends, 2500) < 7
