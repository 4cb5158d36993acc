"""The `summitry` command line, end to end: real ingest, real pipeline, real (SQLite) database.

Every test has its own database in tmp_path. The fixture articles are about fictional
leaders and countries written for these tests.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from summitry import EXTRACTOR_VERSION, __version__
from summitry.cli import app, marked_text
from summitry.records import Article, ArticleRecord, MeetingReport, Statement

runner = CliRunner()

SUMMIT_TXT = """\
Morvane and Kell agree to reopen border crossings

LINDHOLM, Veskaria — President Alda Morvane of Veskaria met Prime Minister Tomas Kell of Ostrelia in Lindholm on Wednesday. The talks were scheduled for one hour but lasted almost three.

"We have agreed to reopen the northern border crossings before the winter," Morvane told reporters after the meeting.

Kell said the two governments would set up a joint commission on river shipping. He called the talks "frank and useful".
"""

CALL_HTML = """\
<!DOCTYPE html>
<html><head><title>Renn and Morvane discuss grain corridor by phone</title>
<meta name="date" content="2021-04-12"></head>
<body><article>
<h1>Renn and Morvane discuss grain corridor by phone</h1>
<p>Chancellor Ivo Renn of Sarvland spoke with President Alda Morvane of Veskaria by telephone on Monday, the chancellery in Sarvik said.</p>
<p>Renn told Morvane that Sarvland would keep the grain corridor open through the summer, according to the chancellery's statement.</p>
<p>The two leaders agreed to meet in Sarvik in June, officials said.</p>
</article></body></html>
"""

# encoded as Latin-1 below: a legacy file must keep its accents
LATIN1_TXT = """\
Caldéria names new envoy

President Élise Várenne of Caldéria said on Friday that her government would send a new envoy to Ostrelia before the end of the month.
"""

JSONL_LINES = [
    json.dumps({"id": "veskaria-wire-1", "title": "Kell visits Lindholm", "published": "2021-03-03",
                "source": "Veskaria Wire", "url": None,
                "text": "Kell visits Lindholm\n\nPrime Minister Tomas Kell of Ostrelia arrived in Lindholm on "
                        "Tuesday for talks with President Alda Morvane, his office said."}),
    '{"id": "broken", "text": "this line is cut off',
    json.dumps({"id": "sarvland-daily-7", "title": "Renn to host summit", "published": "2021-05-20",
                "source": "Sarvland Daily", "url": None,
                "text": "Renn to host summit\n\nChancellor Ivo Renn said on Thursday he would host President "
                        "Alda Morvane and Prime Minister Tomas Kell in Sarvik next month."}),
]


def invoke(*args: str, ok: tuple[int, ...] | None = (0,)):
    result = runner.invoke(app, [str(a) for a in args])
    if ok is not None:
        assert result.exit_code in ok, (result.exit_code, result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.output
    return result


def as_json(result):
    return json.loads(result.stdout)


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'summitry.db'}"


@pytest.fixture()
def mixed_folder(tmp_path: Path) -> Path:
    """Good and bad articles: 5 readable articles, 3 inputs that must fail."""
    folder = tmp_path / "articles"
    (folder / "wires").mkdir(parents=True)
    (folder / "summit.txt").write_text(SUMMIT_TXT, encoding="utf-8")
    (folder / "call.html").write_text(CALL_HTML, encoding="utf-8")
    (folder / "legacy.txt").write_bytes(LATIN1_TXT.encode("latin-1"))
    (folder / "wires" / "batch.jsonl").write_text("\n".join(JSONL_LINES) + "\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blob.txt").write_bytes(bytes(range(256)) * 8)
    return folder


# --- help, version, usage errors ----------------------------------------------

def test_help_for_every_command():
    result = invoke("--help")
    commands = typer.main.get_command(app).commands
    assert set(commands) >= {"ingest", "extract", "meetings", "statements", "show", "demo", "eval", "version",
                             "link", "meeting", "flags", "serve"}
    for name in commands:
        help_text = invoke(name, "--help").stdout
        assert f"summitry {name}" in help_text, name  # every command documents an example
        assert name in result.stdout


def test_version():
    assert invoke("version").stdout.strip() == f"summitry {__version__} (extractor {EXTRACTOR_VERSION})"


def test_usage_errors_exit_2(tmp_path, db):
    (tmp_path / "a.txt").write_text(SUMMIT_TXT, encoding="utf-8")
    assert invoke("ingest", tmp_path / "a.txt", "--published", "last week", "--db", db, ok=(2,)).exit_code == 2
    assert invoke("meetings", "--limit", "0", "--db", db, ok=(2,)).exit_code == 2
    assert invoke("extract", tmp_path / "a.txt", "--format", "xml", ok=(2,)).exit_code == 2
    gold = tmp_path / "records.jsonl"
    gold.write_text('{"id": "x"}\n', encoding="utf-8")
    assert invoke("eval", gold, ok=(2,)).exit_code == 2  # no _gold in the name and no --input
    assert invoke("no-such-command", ok=(2,)).exit_code == 2


def test_database_error_exits_3_with_one_line(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be", encoding="utf-8")
    result = invoke("meetings", "--db", f"sqlite:///{blocker / 'db' / 'x.db'}", ok=(3,))
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    result = invoke("statements", "--db", "nosuchdialect://nowhere", ok=(3,))
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1


# --- ingest -------------------------------------------------------------------------

def test_ingest_folder_with_bad_files(mixed_folder, db):
    result = invoke("ingest", mixed_folder, "--published", "2021-03-05", "--db", db, "--json", ok=(1,))
    summary = as_json(result)  # stdout is JSON and nothing else
    assert (summary["read"], summary["new"], summary["already_stored"], summary["failed"]) == (5, 5, 0, 3)
    # the legacy file names one leader and no encounter: the relevance gate stores it unparsed
    assert (summary["extracted"], summary["not_relevant"]) == (4, 1)

    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3, result.stderr
    assert all(line.startswith("error: ") for line in errors)
    assert any("empty.txt" in line for line in errors)
    assert any("blob.txt" in line for line in errors)
    assert any("batch.jsonl:2" in line for line in errors)  # the file and the line
    assert sorted(summary["errors"]) == sorted(line.removeprefix("error: ") for line in errors)

    origins = {Path(a["origin"]).name.split(":")[0] for a in summary["articles"]}  # "batch.jsonl:3" -> file
    assert origins == {"summit.txt", "call.html", "legacy.txt", "batch.jsonl"}
    ids = {a["id"] for a in summary["articles"]}
    assert {"veskaria-wire-1", "sarvland-daily-7"} <= ids  # JSONL ids are kept

    legacy = next(a for a in summary["articles"] if a["origin"].endswith("legacy.txt"))
    stored = as_json(invoke("show", legacy["id"], "--json", "--db", db))
    assert "Élise Várenne of Caldéria" in stored["text"]
    assert stored["published"] == "2021-03-05"  # --published fills in what a .txt cannot say

    wire = as_json(invoke("show", "veskaria-wire-1", "--json", "--db", db))
    assert wire["published"] == "2021-03-03"  # ... but never overrides the input's own date


def test_ingest_twice_stores_nothing_new(mixed_folder, db):
    invoke("ingest", mixed_folder, "--db", db, ok=(1,))
    second = as_json(invoke("ingest", mixed_folder, "--db", db, "--json", ok=(1,)))
    assert (second["read"], second["new"], second["already_stored"], second["extracted"]) == (5, 0, 5, 0)


def test_ingest_text_summary(tmp_path, db):
    article = tmp_path / "summit.txt"
    article.write_text(SUMMIT_TXT, encoding="utf-8")
    result = invoke("ingest", article, "--db", db)
    assert "articles: 1 read, 1 new, 0 already stored, 0 failed" in result.stdout
    assert "records: 1 extracted" in result.stdout
    assert result.stderr == ""


def test_ingest_missing_file_is_an_input_error(tmp_path, db):
    result = invoke("ingest", tmp_path / "nowhere.txt", "--db", db, ok=(1,))
    assert result.stderr.strip() == f"error: {tmp_path / 'nowhere.txt'}: no such file or directory"


def test_ingest_same_text_twice_in_one_run_is_extracted_once(tmp_path, db):
    line = json.loads(JSONL_LINES[0])
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(line) + "\n" + json.dumps({**line, "id": "same-text-other-id"}) + "\n",
                     encoding="utf-8")
    summary = as_json(invoke("ingest", batch, "--db", db, "--json"))
    assert (summary["read"], summary["new"], summary["already_stored"], summary["extracted"]) == (2, 1, 1, 1)
    assert [a["id"] for a in summary["articles"]] == ["veskaria-wire-1", "veskaria-wire-1"]


def test_id_reused_for_another_text_is_an_input_error(tmp_path, db):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(JSONL_LINES[0] + "\n", encoding="utf-8")
    other = {**json.loads(JSONL_LINES[2]), "id": "veskaria-wire-1", "text": "Another text entirely, under a used id."}
    base = json.loads(JSONL_LINES[2])
    later = {**base, "id": "later-id", "text": base["text"] + "\n\nA later paragraph with news of its own."}
    second.write_text(JSONL_LINES[2].replace("sarvland-daily-7", "fresh-id") + "\n" + json.dumps(other) + "\n"
                      + json.dumps(later) + "\n", encoding="utf-8")
    invoke("ingest", first, "--db", db)
    result = invoke("ingest", second, "--db", db, ok=(1,))
    lines = [l for l in result.stderr.strip().splitlines() if l.startswith("error:")]
    assert len(lines) == 1 and "second.jsonl:2" in lines[0] and "different text" in lines[0], lines
    assert "Traceback" not in result.stderr
    # what came before and after the conflicting line is stored
    assert as_json(invoke("show", "fresh-id", "--json", "--db", db))["id"] == "fresh-id"
    assert as_json(invoke("show", "later-id", "--json", "--db", db))["id"] == "later-id"


def test_ingest_finds_quote_in_fixture(tmp_path, db):
    # (no meeting is asserted here: meetings need leaders known to data/actors.json, and the
    # fixture's leaders are fictional; the demo test below checks meetings)
    article = tmp_path / "summit.txt"
    article.write_text(SUMMIT_TXT, encoding="utf-8")
    invoke("ingest", article, "--published", "2021-03-05", "--db", db)
    statements = as_json(invoke("statements", "--speaker", "Morvane", "--json", "--db", db))
    assert any("reopen the northern border crossings" in s["quote"] and s["speaker"] == "Alda Morvane"
               for s in statements), statements
    assert all(s["article_title"] == "Morvane and Kell agree to reopen border crossings" for s in statements)


# --- extract --------------------------------------------------------------------------

def test_extract_jsonl(mixed_folder, tmp_path):
    out = tmp_path / "records.jsonl"
    result = invoke("extract", mixed_folder / "wires" / "batch.jsonl", "--format", "jsonl", "-o", out, ok=(1,))
    assert result.stdout == ""
    assert "batch.jsonl:2" in result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["veskaria-wire-1", "sarvland-daily-7"]
    for r in records:
        assert isinstance(r["statements"], list) and isinstance(r["meetings"], list)
    assert not (tmp_path / "summitry.db").exists()  # no database touched


def test_extract_to_stdout(tmp_path):
    article = tmp_path / "summit.txt"
    article.write_text(SUMMIT_TXT, encoding="utf-8")
    result = invoke("extract", article)
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert len(record["id"]) == 16 and record["extractor_version"] == EXTRACTOR_VERSION


# --- listings and show -------------------------------------------------------------------

def test_listings_json_on_an_empty_database(db):
    assert as_json(invoke("meetings", "--json", "--db", db)) == []
    assert as_json(invoke("statements", "--search", "border", "--json", "--db", db)) == []
    assert "No meetings found." in invoke("meetings", "--db", db).stdout


def test_show_unknown_id_exits_1(db):
    result = invoke("show", "no-such-article", "--db", db, ok=(1,))
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "error: no article with id 'no-such-article' (see `summitry meetings` or `summitry statements`)"]


def _store_handmade_record(db: str) -> str:
    """An article whose record has nested and overlapping spans, and text that looks like markup."""
    from summitry.store import Store

    text = ("Summit in Lindholm [bold]not markup[/bold]\n\n"
            "Morvane said \"we will reopen the crossings,\" and Kell added that \"shipping comes next\". "
            "The two leaders met in Lindholm on Wednesday. [/] [red]")
    def span(fragment: str) -> tuple[int, int]:
        start = text.index(fragment)
        return start, start + len(fragment)

    s1, e1 = span("we will reopen the crossings")
    s2, e2 = span("reopen the crossings,\" and Kell added that \"shipping")  # overlaps s1
    s3, e3 = span("shipping comes next")
    ev_s, ev_e = span("Kell added that \"shipping comes next\". The two leaders met in Lindholm")
    article = Article(id="handmade-1", text=text, title="Summit in Lindholm", origin="test")
    record = ArticleRecord(id=article.id, statements=[
        Statement("Alda Morvane", "Morvane", "we will reopen the crossings", "direct", "said", s1, e1),
        Statement(None, "officials", "overlapping span", "indirect", "said", s2, e2),
        Statement("Tomas Kell", "Kell", "shipping comes next", "mixed", "added", s3, e3, parts=[[s3, e3]]),
        Statement("Tomas Kell", "Kell", "out of range", "direct", "said", len(text) - 3, len(text) + 50),
    ], meetings=[
        MeetingReport(["Alda Morvane", "Tomas Kell"], "2021-03-03", "Lindholm", None, "held", "bilateral",
                      scheduled_minutes=60, actual_minutes=170, evidence=text[ev_s:ev_e],
                      evidence_start=ev_s, evidence_end=ev_e),
    ])
    store = Store(db)
    try:
        store.add_article(article)
        store.save_record(record, article)
    finally:
        store.close()
    return article.id


def test_show_marks_overlapping_spans(db_url):
    db = db_url  # SQLite, and PostgreSQL when it is installed (see conftest.py)
    article_id = _store_handmade_record(db)
    result = invoke("show", article_id, "--db", db)
    out = result.stdout
    assert "[bold]not markup[/bold]" in out and "[/] [red]" in out  # the text is never parsed as markup
    for marker in ("[1]", "[2]", "[3]", "[4]", "[M1]"):
        assert out.count(marker) >= 2, marker  # once in the text, once in the list
    assert "Alda Morvane – Tomas Kell" in out
    assert "unnamed: officials" in out

    data = as_json(invoke("show", article_id[:8], "--json", "--db", db))  # a unique prefix is enough
    assert data["id"] == article_id and len(data["statements"]) == 4 and len(data["meetings"]) == 1


def test_listings_of_stored_records(db_url):
    db = db_url
    _store_handmade_record(db)
    meetings = as_json(invoke("meetings", "--leader", "kell", "--json", "--db", db))
    assert [(m["participants"], m["place"], m["actual_minutes"]) for m in meetings] == [
        (["Alda Morvane", "Tomas Kell"], "Lindholm", 170)]
    assert as_json(invoke("meetings", "--between", "Morvane", "Renn", "--json", "--db", db)) == []
    table = invoke("meetings", "--db", db).stdout
    assert "Lindholm" in table and "60/170" in table and "handmade-1" in table

    found = as_json(invoke("statements", "--search", "crossings", "--json", "--db", db))
    assert [s["quote"] for s in found] == ["we will reopen the crossings"]
    assert len(as_json(invoke("statements", "--speaker", "Tomas Kell", "--json", "--db", db))) == 2
    assert len(as_json(invoke("statements", "--limit", "1", "--json", "--db", db))) == 1
    assert "unnamed: officials" in invoke("statements", "--db", db).stdout


def test_marked_text_handles_nesting_overlap_and_bad_offsets():
    text = "abcdefghij"
    rendered = marked_text(text, [
        {"start": 0, "end": 6}, {"start": 2, "end": 4}, {"start": 3, "end": 9},
        {"start": None, "end": None}, {"start": 8, "end": 99}, {"start": 5, "end": 5},
        {"parts": [[0, 2], [7, 9]], "start": 0, "end": 2},
    ], [{"evidence_start": 1, "evidence_end": 8}, {"evidence_start": None, "evidence_end": None}])
    # the text survives whole and in order, each marker after the end of its span; spans without
    # offsets or empty ones get no marker, and offsets past the end are cut to the text
    assert rendered.plain == "abcd[2]ef[1]gh[M1]i[3][7]j[5]"


# --- demo ---------------------------------------------------------------------------------

def test_demo_twice_stores_nothing_new(db):
    first = invoke("demo", "--db", db).stdout
    assert "articles: 2 read, 2 new, 0 already stored, 0 failed" in first
    meetings = invoke("meetings", "--json", "--db", db).stdout
    statements = invoke("statements", "--json", "--db", db).stdout
    second = invoke("demo", "--db", db).stdout
    assert "articles: 2 read, 0 new, 2 already stored, 0 failed" in second
    assert "records: 0 extracted" in second
    assert invoke("meetings", "--json", "--db", db).stdout == meetings
    assert invoke("statements", "--json", "--db", db).stdout == statements
    # the same tables, below the summary lines
    assert first.split("database:", 1)[1] == second.split("database:", 1)[1]


def test_demo_finds_trump_putin_at_hamburg(db):
    invoke("demo", "--db", db)
    meetings = as_json(invoke("meetings", "--between", "Donald Trump", "Vladimir Putin", "--json", "--db", db))
    assert any(m["place"] == "Hamburg" and set(m["participants"]) >= {"Donald Trump", "Vladimir Putin"}
               for m in meetings), meetings
    hacking = as_json(invoke("statements", "--search", "hacking", "--json", "--db", db))
    assert hacking and all("hacking" in (s["quote"] + " " + (s["speaker_mention"] or "")).lower() for s in hacking)
    article_id = meetings[0]["article_id"]
    shown = invoke("show", article_id, "--db", db).stdout
    assert "[M1]" in shown and "[1]" in shown


def test_flags_on_the_demo_corpus_catch_the_quebec_g7_claim(db):
    invoke("demo", "--db", db)
    flags = as_json(invoke("flags", "--json", "--db", db))
    quebec = [f for f in flags if f["kind"] == "no_such_meeting" and "Quebec" in f["claim"]]
    assert len(quebec) == 1, flags
    flag = quebec[0]
    article = as_json(invoke("show", flag["article_id"], "--json", "--db", db))
    assert flag["claim"] in article["text"][flag["start"]:flag["end"]] or \
        article["text"][flag["start"]:flag["end"]] in flag["claim"]
    assert flag["reference_id"] and "2014" in flag["explanation"]
    # the correct claims of the same article raise nothing
    assert not [f for f in flags if any(p in f["claim"] for p in ("Hamburg", "Osaka", "Helsinki"))]
    assert invoke("flags", "--article", "no-such-article", "--db", db, ok=(1,)).stderr.startswith("error:")


# --- eval -----------------------------------------------------------------------------------

def test_eval_on_a_small_set(tmp_path):
    gold = tmp_path / "tiny_gold.jsonl"
    (tmp_path / "tiny_input.jsonl").write_text(JSONL_LINES[0] + "\n" + JSONL_LINES[2] + "\n", encoding="utf-8")
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"id": "veskaria-wire-1", "statements": [], "meetings": [
            {"participants": ["Tomas Kell", "Alda Morvane"], "date": "2021-03-02", "place": "Lindholm",
             "status": "held"}]},
        {"id": "sarvland-daily-7", "statements": [
            {"speaker": "Ivo Renn", "quote": "he would host President Alda Morvane and Prime Minister Tomas Kell "
                                             "in Sarvik next month", "kind": "indirect"}], "meetings": []},
    ]) + "\n", encoding="utf-8")
    figures = as_json(invoke("eval", gold, "--json"))
    assert figures["articles"] == 2 and figures["articles_without_prediction"] == 0
    assert set(figures["statements"]) >= {"precision", "recall", "f1", "speaker_accuracy", "end_to_end", "direct_recall"}
    text = invoke("eval", gold, "--verbose")
    assert text.stdout.startswith("articles 2 (without prediction: 0)")
    assert "statements  P" in text.stdout and "meetings    P" in text.stdout
