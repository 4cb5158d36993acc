"""Ingest: real files on disk, every bad input an IngestError, never a traceback.

All articles are about fictional leaders and countries.
"""
from __future__ import annotations

import http.server
import json
import os
import pickle
import threading
from datetime import date
from pathlib import Path

import pytest

from summitry.ingest import MAX_BYTES, IngestError, fetch_url, read_articles
from summitry.records import Article, content_id

STORY = (
    "Venn and Rell meet in Port Calder\n"
    "\n"
    "President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia in Port Calder "
    "on Tuesday, their first meeting since the border talks collapsed.\n"
    "\u201cWe have agreed to reopen the northern crossing,\u201d Venn told reporters.\n"
)

HTML = """<!DOCTYPE html>
<html><head><title>Venn meets Rell | Norland Herald</title>
<meta property="og:site_name" content="Norland Herald">
<meta property="article:published_time" content="2025-04-02T09:00:00Z">
<link rel="canonical" href="https://herald.example/venn-rell"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Venn meets Rell in Port Calder</h1>
<p>President Arla Venn of Norland met Prime Minister Tomas Rell of Estovia in Port Calder on
Tuesday, the first meeting of the two leaders since the border talks collapsed last year.</p>
<p>"We have agreed to reopen the northern crossing," Venn told reporters after the talks, which
lasted two hours instead of the scheduled forty minutes.</p></article>
<footer>Copyright Norland Herald. All rights reserved.</footer></body></html>
"""


def read(*paths, **options) -> list[Article | IngestError]:
    return list(read_articles(paths, **options))


def only(results):
    assert len(results) == 1, results
    return results[0]


# --- plain text ----------------------------------------------------------------------

def test_text_file_keeps_the_whole_text_and_takes_the_first_line_as_title(tmp_path):
    path = tmp_path / "venn.txt"
    path.write_text(STORY, encoding="utf-8")
    article = only(read(path, published=date(2025, 4, 2), source="Norland Herald"))
    assert isinstance(article, Article)
    assert article.text == STORY
    assert article.title == "Venn and Rell meet in Port Calder"
    assert article.id == content_id(STORY)
    assert (article.published, article.source, article.origin) == (
        date(2025, 4, 2), "Norland Herald", str(path))
    # offsets are counted in the text as stored
    assert article.text[article.text.index("We have"):].startswith("We have agreed")


def test_utf8_bom_is_stripped_and_crlf_kept(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + STORY.replace("\n", "\r\n").encode("utf-8"))
    article = only(read(path))
    assert article.text == STORY.replace("\n", "\r\n")
    assert article.title == "Venn and Rell meet in Port Calder"


def test_latin1_file_is_decoded_with_its_accents(tmp_path):
    path = tmp_path / "latin1.txt"
    text = ("Ra\u00fal Ort\u00edz visit\u00f3 Norland\n\n"
            "El presidente Ra\u00fal Ort\u00edz se reuni\u00f3 con Arla Venn.\n")
    path.write_bytes(text.encode("latin-1"))
    article = only(read(path))
    assert article.text == text
    assert "Ra\u00fal Ort\u00edz" in article.text


def test_cp1252_curly_quotes_are_decoded(tmp_path):
    path = tmp_path / "cp1252.txt"
    text = "Rell speaks\n\u201cWe will return,\u201d Rell said \u2014 twice.\n"
    path.write_bytes(text.encode("cp1252"))
    assert only(read(path)).text == text


def test_utf16_file_with_bom_is_read(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(STORY.encode("utf-16"))
    assert only(read(path)).text == STORY


def test_text_file_that_is_html_is_read_as_html(tmp_path):
    path = tmp_path / "saved-page.txt"
    path.write_text(HTML, encoding="utf-8")
    article = only(read(path))
    assert isinstance(article, Article)
    assert "<p>" not in article.text and "Port Calder" in article.text


def test_a_5mb_article_is_accepted(tmp_path):
    paragraph = ("President Arla Venn of Norland and Prime Minister Tomas Rell of Estovia "
                 "discussed the northern crossing at length. ")
    text = "A very long report\n" + paragraph * (5 * 2**20 // len(paragraph) + 1)
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 5 * 2**20
    article = only(read(path))
    assert isinstance(article, Article) and len(article.text) == len(text)


def test_an_oversized_file_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: no need to write 20 MB
    error = only(read(path))
    assert isinstance(error, IngestError) and "too large" in error.message


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n\t \n", "empty file"),
    ("nul.txt", b"Venn\x00\x01\x02 met Rell" * 10, "binary file, not an article"),
    ("noise.txt", bytes(range(1, 32)) * 50, "binary file, not an article"),
    ("digits.txt", b"1234 5678\n-- 90 --\n", "no letters"),
    ("empty.html", b"", "empty file"),
    ("nothing.html", b"<html><body><div>   </div><p>  </p></body></html>", "no article text found"),
])
def test_bad_files_give_one_line_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    error = only(read(path))
    assert isinstance(error, IngestError)
    assert error.origin == str(path)
    assert message in error.message
    assert str(error) == f"{path}: {error.message}" and "\n" not in str(error)


def test_a_missing_path_is_an_error(tmp_path):
    error = only(read(tmp_path / "nowhere.txt"))
    assert isinstance(error, IngestError) and "no such file" in error.message


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file_is_an_error(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(STORY)
    path.chmod(0)
    error = only(read(path))
    assert isinstance(error, IngestError) and "cannot read" in error.message


def test_an_explicit_file_of_unknown_type_is_reported(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7")
    error = only(read(path))
    assert isinstance(error, IngestError) and "unsupported file type" in error.message


# --- HTML ----------------------------------------------------------------------------

def test_html_main_text_and_metadata(tmp_path):
    path = tmp_path / "venn.html"
    path.write_text(HTML, encoding="utf-8")
    article = only(read(path, source="from the command line", published=date(2000, 1, 1)))
    assert isinstance(article, Article)
    assert "Prime Minister Tomas Rell of Estovia" in article.text
    assert "Home" not in article.text and "All rights reserved" not in article.text
    assert article.title == "Venn meets Rell in Port Calder"
    # what the file states wins over the options (htmldate ignores future dates: use a past one)
    assert article.published == date(2025, 4, 2)
    assert article.source == "Norland Herald"
    assert article.url == "https://herald.example/venn-rell"
    assert article.id == content_id(article.text)


def test_html_falls_back_to_paragraphs(tmp_path):
    # too short for trafilatura's extraction threshold, still an article's text
    path = tmp_path / "short.htm"
    path.write_text("<html><body><p>Venn met Rell.</p><p>They spoke briefly.</p></body></html>")
    article = only(read(path, title="Short note"))
    assert isinstance(article, Article)
    assert "Venn met Rell." in article.text and "They spoke briefly." in article.text
    assert article.title == "Short note"  # the option fills in a missing title


def test_html_declared_charset_is_honoured(tmp_path):
    path = tmp_path / "latin.html"
    html = HTML.replace("<head>", '<head><meta charset="iso-8859-1">').replace(
        "Tomas Rell", "Tom\u00e1s R\u00e9ll")
    path.write_bytes(html.encode("iso-8859-1"))
    assert "Tom\u00e1s R\u00e9ll" in only(read(path)).text


# --- JSONL ---------------------------------------------------------------------------

def jsonl_line(**fields) -> str:
    row = {"id": None, "title": None, "published": None, "source": None, "url": None,
           "text": STORY} | fields
    return json.dumps(row, ensure_ascii=False)


def test_jsonl_articles_keep_their_ids(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([
        jsonl_line(id="norland-1", title="Venn in Port Calder", published="2025-04-02",
                   source="Norland Herald", url="https://herald.example/1"),
        "",
        jsonl_line(text="Estovia's Tomas Rell flew home on Wednesday."),
    ]) + "\n", encoding="utf-8")
    first, second = read(path, source="fallback source")
    assert (first.id, first.title, first.published, first.source, first.url, first.text) == (
        "norland-1", "Venn in Port Calder", date(2025, 4, 2), "Norland Herald",
        "https://herald.example/1", STORY)
    assert first.origin == f"{path}:1"
    assert second.id == content_id("Estovia's Tomas Rell flew home on Wednesday.")
    assert second.origin == f"{path}:3"  # line numbers count blank lines
    assert second.source == "fallback source"


def test_malformed_jsonl_lines_are_reported_and_reading_goes_on(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        jsonl_line(id="good-1"),
        '{"id": "broken", "text": "Venn met',            # bad JSON
        jsonl_line(id="no-text", text=""),                # empty text
        json.dumps({"id": "missing-text"}),               # missing text
        jsonl_line(id="bad-type", title=42),              # wrong type
        jsonl_line(id="bad-date", published="last Tuesday"),
        jsonl_line(id="bad-day", published="2025-02-30"),
        "[1, 2, 3]",                                       # not an object
        jsonl_line(id="good-2", text="Rell thanked Venn for the talks."),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = read(path)
    assert [r.id for r in results if isinstance(r, Article)] == ["good-1", "good-2"]
    errors = [r for r in results if isinstance(r, IngestError)]
    assert [e.origin for e in errors] == [f"{path}:{n}" for n in range(2, 9)]
    messages = [e.message for e in errors]
    assert "bad JSON" in messages[0]
    assert "'text'" in messages[1] and "'text'" in messages[2]
    assert "'title' must be a string" in messages[3]
    assert "bad 'published' date" in messages[4] and "bad 'published' date" in messages[5]
    assert "JSON object" in messages[6]


def test_empty_and_binary_jsonl(tmp_path):
    empty, binary = tmp_path / "empty.jsonl", tmp_path / "binary.jsonl"
    empty.write_text("\n\n")
    binary.write_bytes(b"\x00\x01\x02\x03" * 100)
    assert only(read(empty)).message == "empty file"
    assert only(read(binary)).message == "binary file, not an article"


# --- folders -------------------------------------------------------------------------

def test_a_folder_with_good_and_bad_files(tmp_path):
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "b.txt").write_text(STORY)
    (root / "a.html").write_text(HTML)
    (root / "sub" / "c.md").write_text("Rell returns\nTomas Rell returned to Estovia.\n")
    (root / "sub" / "empty.txt").write_text("")
    (root / "sub" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (root / "sub" / "batch.jsonl").write_text(
        jsonl_line(id="j1") + "\n{not json}\n" + jsonl_line(id="j2", text="Venn left.") + "\n")
    (root / "notes.pdf").write_bytes(b"%PDF-1.7")            # unknown type: skipped silently
    (root / ".hidden" / "x.txt").write_text("Secret draft")   # hidden: skipped
    (root / ".draft.txt").write_text("Secret draft")

    results = read(root)
    origins = [r.origin for r in results]
    assert origins == [
        str(root / "a.html"), str(root / "b.txt"),
        f"{root / 'sub' / 'batch.jsonl'}:1", f"{root / 'sub' / 'batch.jsonl'}:2",
        f"{root / 'sub' / 'batch.jsonl'}:3",
        str(root / "sub" / "c.md"), str(root / "sub" / "empty.txt"), str(root / "sub" / "image.txt"),
    ]
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["Article", "Article", "Article", "IngestError", "Article", "Article",
                     "IngestError", "IngestError"]
    assert [str(r) if isinstance(r, IngestError) else r for r in read(root)] == [
        str(r) if isinstance(r, IngestError) else r for r in results]  # deterministic


def test_paths_can_be_strings_and_mixed(tmp_path):
    (tmp_path / "one.txt").write_text(STORY)
    results = read(str(tmp_path / "one.txt"), str(tmp_path / "missing"))
    assert isinstance(results[0], Article) and isinstance(results[1], IngestError)


# --- URLs ----------------------------------------------------------------------------

@pytest.fixture
def web_server(tmp_path):
    """A real HTTP server on localhost serving tmp_path."""
    (tmp_path / "venn.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "venn.txt").write_text(STORY, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_url_html_and_text(web_server):
    html = fetch_url(f"{web_server}/venn.html", allow_private=True)  # a test server on loopback
    assert isinstance(html, Article), html
    assert "Tomas Rell of Estovia" in html.text and html.url == f"{web_server}/venn.html"
    plain = fetch_url(f"{web_server}/venn.txt", allow_private=True)
    assert isinstance(plain, Article) and plain.text == STORY


def test_fetch_url_errors_are_one_line(web_server):
    missing = fetch_url(f"{web_server}/nothing.html", allow_private=True)
    assert isinstance(missing, IngestError) and "404" in missing.message
    with socket_closed_port() as port:
        refused = fetch_url(f"http://127.0.0.1:{port}/", timeout=2, allow_private=True)
    assert isinstance(refused, IngestError) and "cannot fetch" in refused.message
    for url in ("file:///etc/passwd", "ftp://example.org/a.txt", "not a url"):
        error = fetch_url(url)
        assert isinstance(error, IngestError) and "unsupported URL scheme" in error.message


class socket_closed_port:
    """A port nothing listens on (bound, then released)."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def __exit__(self, *exc) -> None:
        pass


def test_ingest_error_is_an_exception_with_origin_and_message():
    error = IngestError(Path("a/b.jsonl:3"), "bad JSON")
    assert (error.origin, error.message, str(error)) == ("a/b.jsonl:3", "bad JSON", "a/b.jsonl:3: bad JSON")
    assert isinstance(error, Exception)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.origin, copy.message, str(copy)) == (error.origin, error.message, str(error))
