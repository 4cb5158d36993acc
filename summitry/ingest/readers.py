"""Readers: files and folders -> `Article` records.

Bad input never raises: every problem is yielded as an `IngestError`, a one-line
message naming the file (and line, for JSONL), so that one broken file in a folder
of thousands costs one line of output, not the whole run.

Formats, chosen by extension:
- plain text (`.txt`, `.text`, `.md`, no extension): the first non-empty line is the
  title; `text` is the whole file as decoded (title included, since offsets count in it).
  A plain-text file whose content sniffs as HTML is read as HTML.
- HTML (`.html`, `.htm`): main text by trafilatura, with `<p>` text as the fallback.
- JSONL (`.jsonl`): one article per line, the input format of docs/records.md.

Decoding cascade for text: UTF-8 (BOM stripped), UTF-16 when it has a BOM, then
cp1252, then Latin-1 (which never fails), so a legacy file keeps its accents.

Hostile input is stopped at the door, the same way for every database: only regular files
are read (a FIFO or a link to /dev/zero would block or never end), never more than MAX_BYTES
of them; text is cleaned character for character (`clean_text`: lone surrogates and control
characters such as NUL become U+FFFD), after mojibake is repaired (`repair_text`, ftfy: "Ã¢â‚¬â„¢"
becomes "’"; offsets count in the repaired text, and the SHA-256 of the bytes as read is kept
as `Article.original_sha256`); JSON nested
past any reason, publication dates outside 1800-2200, empty paths and bytes that are not
language (a PDF, random data) are one-line errors.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..records import Article, content_id

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

# A 5 MB article is odd but valid; past this it is far more likely a dump or a mistake,
# and reading it whole into memory (and the parser) is not worth the risk.
MAX_BYTES = 20 * 1024 * 1024

SNIFF_BYTES = 8192
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?$")
# Publication dates a news article can have: outside them a date is a mistake (9999-12-31,
# 0001-01-01), and relative dates resolved against it would be nonsense or overflow.
FIRST_YEAR, LAST_YEAR = 1800, 2200
# Characters that are not text: C0 controls but tab and line breaks, DEL, C1 controls, and
# lone surrogates (which cannot be encoded, and which PostgreSQL and UTF-8 files refuse).
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# A text is language when letters make most of what is not space (an article is about 80%).
MIN_LETTER_SHARE = 0.6


def clean_text(value: str) -> str:
    """`value` with every character that is not text replaced by U+FFFD, one for one, so that
    offsets into the cleaned text are offsets into the text as given."""
    return _NOT_TEXT.sub("\ufffd", value)


@lru_cache(maxsize=1)
def _ftfy_config():
    import ftfy  # imported late, like trafilatura

    # Only what repairs broken encodings (mojibake such as "Ã¢â‚¬â„¢" for "’", cp1252 bytes
    # read as C1 controls, lone surrogate pairs): curly quotes, ligatures, widths, line breaks
    # and HTML entities are the article's own and are kept as they came.
    return ftfy.TextFixerConfig(unescape_html=False, remove_terminal_escapes=False,
                                fix_latin_ligatures=False, fix_character_width=False,
                                uncurl_quotes=False, fix_line_breaks=False,
                                remove_control_chars=False, normalization=None, explain=False)


# What mojibake looks like: a lead byte of UTF-8 read as cp1252 or Latin-1 (Â..ô) followed by
# what a continuation byte becomes (U+0080-U+00BF or a cp1252 symbol: € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž
# ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ), C1 controls (cp1252 bytes read as Latin-1) and surrogates. ftfy
# is slow (about 100 KB/s); only the lines where this occurs go through it, which repairs the
# same and leaves the others, most text, untouched.
_SUSPECT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                      "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
                      "\u20ac\u2122]|[\x80-\x9f\ud800-\udfff]")


def repair_text(value: str) -> str:
    """`value` with mojibake repaired (ftfy), then cleaned (`clean_text`). Offsets of a record
    count in the repaired text; the original's hash is kept as the article's `original_sha256`."""
    if _SUSPECT.search(value):
        import ftfy

        config = _ftfy_config()
        lines = value.split("\n")  # ftfy itself repairs line by line
        try:
            value = "\n".join(ftfy.fix_text(line, config) if _SUSPECT.search(line) else line for line in lines)
        except Exception:  # a repair that fails leaves the text as it came, never stops the run
            value = "\n".join(lines)
    return clean_text(value)


def original_hash(data: bytes | str) -> str:
    """SHA-256 of what was read, before decoding and repair (provenance)."""
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")).hexdigest()


def shown(path: str | Path) -> str:
    """A path as it can be printed and stored: bytes that are not UTF-8 in a file name (kept
    by Python as lone surrogates) are shown as U+FFFD."""
    return clean_text(str(path))


def check_published(value: date | None) -> str | None:
    """Why a publication date cannot be used, or None when it can."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        return f"publication date {value.isoformat()} is out of range ({FIRST_YEAR}-{LAST_YEAR})"
    return None


class IngestError(Exception):
    """One bad input: `origin` is the path (or "path:line"), `message` says what is wrong."""

    def __init__(self, origin: str | Path, message: str):
        self.origin = shown(origin)
        self.message = message
        super().__init__(f"{self.origin}: {message}")

    def __reduce__(self):  # picklable, for multiprocessing and shard jobs
        return type(self), (self.origin, self.message)


@dataclass(frozen=True)
class Fill:
    """Values from the command line, used only where the input itself states nothing."""

    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None

    def article(self, text: str, origin: str, *, id: str | None = None, title=None,
                published=None, source=None, url=None,
                original: bytes | str | None = None) -> Article | IngestError:
        """The article, its text and fields repaired and cleaned (`repair_text`); an IngestError
        when a field cannot be used. `original` is what was read (the file's or page's bytes, the
        JSONL line): its SHA-256 is kept (the text's as given when there is none)."""
        original_sha256 = original_hash(original if original is not None else text)
        repaired, as_given = repair_text(text), clean_text(text)
        unrepaired_hash = content_id(as_given) if repaired != as_given else None
        text = repaired
        published = published or self.published
        problem = check_published(published)
        if problem:
            return IngestError(origin, problem)
        if id is not None and (not id.strip() or len(id) > MAX_ID or _NOT_TEXT.search(id)):
            return IngestError(origin, f"'id' must be 1 to {MAX_ID} printable characters")
        return Article(
            id=id or content_id(text),
            text=text,
            title=_clean(title or self.title),
            published=published,
            source=_clean(source or self.source),
            url=_clean(url or self.url),
            origin=shown(origin),
            original_sha256=original_sha256,
            unrepaired_hash=unrepaired_hash,
        )


MAX_ID = 200


def _clean(value: str | None) -> str | None:
    return None if value is None else repair_text(value)


def read_articles(
    paths: Iterable[str | Path],
    *,
    title: str | None = None,
    published: date | None = None,
    source: str | None = None,
    url: str | None = None,
) -> Iterator[Article | IngestError]:
    """Read articles from files and folders, yielding an `Article` or an `IngestError` for each.

    Folders are read recursively in path order, skipping hidden files and folders and
    files of unknown type; a file of unknown type named explicitly is reported.

    The keyword arguments (the CLI's `--title`, `--published`, `--source`, `--url`) fill in
    what the input does not state: a JSONL field or HTML metadata always wins over them,
    and a plain-text file always takes its title from its first line.
    """
    fill = Fill(title=title, published=published, source=source, url=url)
    if isinstance(paths, (str, Path)):  # one path, not an iterable of its characters
        paths = [paths]
    for given in paths:
        if not str(given).strip():
            yield IngestError("''", "empty path")
            continue
        path = Path(given)
        if path.is_dir():
            for file in _walk(path):
                yield from (_read_file(file, fill) if isinstance(file, Path) else [file])
        elif not path.exists():
            yield IngestError(path, "no such file or directory")
        elif path.suffix.lower() not in KNOWN_SUFFIXES:
            yield IngestError(path, f"unsupported file type {path.suffix!r} "
                                    "(expected .txt, .text, .md, .html, .htm or .jsonl)")
        else:
            yield from _read_file(path, fill)


def _walk(root: Path) -> list[Path | IngestError]:
    """Readable article files under `root`, sorted by path so runs are reproducible, and an
    IngestError for each subfolder that cannot be read (never skipped in silence)."""
    found: list[Path] = []
    unreadable: list[IngestError] = []

    def report(error: OSError) -> None:
        unreadable.append(IngestError(error.filename or root, f"cannot read folder: {error.strerror or error}"))

    # os.walk does not follow symlinked folders, so a link loop cannot hang us.
    for folder, dirs, files in os.walk(root, onerror=report):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            Path(folder, name) for name in files
            if not name.startswith(".") and Path(name).suffix.lower() in KNOWN_SUFFIXES
        )
    return [*sorted(found), *unreadable]


def _read_file(path: Path, fill: Fill) -> Iterator[Article | IngestError]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path, fill)
        return
    data = _read_bytes(path)
    if isinstance(data, IngestError):
        yield data
    elif suffix in HTML_SUFFIXES:
        yield article_from_html(data, str(path), fill)
    else:
        yield article_from_plain(data, str(path), fill)


def _read_bytes(path: Path) -> bytes | IngestError:
    try:
        problem = _not_regular(path)
        if problem:
            return IngestError(path, problem)
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)  # never more, whatever the file claims to be
        if len(data) > MAX_BYTES:
            return IngestError(path, f"too large (over {MAX_BYTES // 2**20} MB)")
        return data
    except OSError as e:
        return IngestError(path, f"cannot read: {e.strerror or e}")


def _not_regular(path: Path) -> str | None:
    """Why `path` (or what a link points to) is not a file to read, or None. A FIFO would
    block the run for ever, a device (/dev/zero, /dev/urandom) never end."""
    mode = os.stat(path).st_mode
    if stat.S_ISREG(mode):
        return None
    what = ("a folder" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "not a regular file")
    return f"not a regular file ({what})"


# --- decoding ---------------------------------------------------------------------

def decode(data: bytes, preferred: str | None = None) -> str:
    """Bytes -> text without ever failing; see the module docstring for the cascade."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in filter(None, (preferred, "utf-8-sig", "cp1252")):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def _looks_binary(data: bytes) -> bool:
    """NUL bytes, or a sample that is mostly control characters, is not an article."""
    sample = data[:SNIFF_BYTES]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    text = decode(sample)
    controls = sum(1 for c in text if unicodedata.category(c) in ("Cc", "Co", "Cs")
                   and c not in "\t\n\r\f\v")
    return controls > 0.1 * max(len(text), 1)


def _check_text(text: str, origin: str) -> IngestError | None:
    if not text.strip():
        return IngestError(origin, "empty file")
    if not any(c.isalpha() for c in text):
        return IngestError(origin, "no letters in the text, not an article")
    if not is_language(text):
        return IngestError(origin, "not text in a language (too few letters: binary data or markup?)")
    return None


def is_language(text: str) -> bool:
    """Letters make most of what is not space, in the first part of the text (random bytes
    decoded as cp1252 are mostly symbols; an article is about 80% letters)."""
    sample = "".join(text[:8000].split())  # str methods run in C: this check is on every read
    return not sample or sum(map(str.isalpha, sample)) >= MIN_LETTER_SHARE * len(sample)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:SNIFF_BYTES]))


# --- plain text ---------------------------------------------------------------------

def article_from_plain(data: bytes, origin: str, fill: Fill) -> Article | IngestError:
    if not data.strip():
        return IngestError(origin, "empty file")
    if data.lstrip()[:5] == b"%PDF-":
        return IngestError(origin, "a PDF file, not an article (extract its text first)")
    if _looks_binary(data):
        return IngestError(origin, "binary file, not an article")
    text = decode(data)
    if looks_like_html(text):
        return article_from_html(data, origin, fill)
    problem = _check_text(text, origin)
    if problem:
        return problem
    first_line = next(line.strip() for line in text.splitlines() if line.strip())
    return fill.article(text, origin, title=first_line, original=data)


# --- HTML ---------------------------------------------------------------------------

def article_from_html(data: bytes, origin: str, fill: Fill, *,
                       charset: str | None = None, url: str | None = None) -> Article | IngestError:
    """trafilatura first (boilerplate removal); `<p>` text if it finds nothing."""
    if not data.strip():
        return IngestError(origin, "empty file")
    if _looks_binary(data):
        return IngestError(origin, "binary file, not an article")
    declared = _META_CHARSET.search(data[:SNIFF_BYTES])
    html = decode(data, charset or (declared.group(1).decode("ascii") if declared else None))
    text = _trafilatura_text(html)
    if not text or not is_language(text):  # nothing, or markup debris: the paragraphs may hold the article
        text = _paragraph_text(html) or text
    if not text or not any(c.isalpha() for c in text):
        return IngestError(origin, "no article text found")
    if not is_language(text):
        return IngestError(origin, "the page's text is not text in a language")
    meta = _html_metadata(html)
    published = _parse_date(meta.get("date"))
    return fill.article(
        text, origin,
        title=meta.get("title"),
        published=published if check_published(published) is None else None,  # a page's odd date: none
        source=meta.get("sitename"),
        url=url or meta.get("url"),
        original=data,
    )


def _trafilatura_text(html: str) -> str | None:
    import trafilatura  # imported late: it is slow to import and plain text does not need it

    try:
        return trafilatura.extract(html, include_comments=False)
    except Exception:  # a parser failure on hostile markup must not stop the run
        return None


def _paragraph_text(html: str) -> str | None:
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # lxml raises several error types on broken documents
        return None
    paragraphs = (" ".join(p.text_content().split()) for p in tree.iter("p"))
    return "\n".join(p for p in paragraphs if p) or None


def _html_metadata(html: str) -> dict[str, Any]:
    import trafilatura

    try:
        meta = trafilatura.extract_metadata(html)
    except Exception:
        return {}
    if meta is None:
        return {}
    return {key: getattr(meta, key, None) for key in ("title", "date", "sitename", "url")}


def _parse_date(value: Any) -> date | None:
    """An ISO date, or an ISO datetime cut to its date; anything else -> None."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


# --- JSONL --------------------------------------------------------------------------

def _read_jsonl(path: Path, fill: Fill) -> Iterator[Article | IngestError]:
    """One article per line; a bad line is reported with its number and reading goes on.

    Read line by line, so a JSONL corpus may be far larger than one article's limit.
    """
    try:
        problem = _not_regular(path)
        if problem:
            yield IngestError(path, problem)
            return
        with path.open("rb") as f:
            if _looks_binary(f.read(SNIFF_BYTES)):
                yield IngestError(path, "binary file, not an article")
                return
            f.seek(0)
            seen_any = False
            for number, raw in enumerate(_bounded_lines(f), start=1):
                if raw is None:
                    seen_any = True
                    yield IngestError(f"{path}:{number}", f"line too long (over {MAX_BYTES // 2**20} MB)")
                    continue
                if not raw.strip():
                    continue
                seen_any = True
                yield _jsonl_article(raw, f"{path}:{number}", fill)
    except OSError as e:
        yield IngestError(path, f"cannot read: {e.strerror or e}")
        return
    if not seen_any:
        yield IngestError(path, "empty file")


def _bounded_lines(f) -> Iterator[bytes | None]:
    """The file's lines, never holding more than MAX_BYTES of one in memory: a longer line is
    skipped to its end and given as None."""
    while True:
        line = f.readline(MAX_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_BYTES and not line.endswith(b"\n"):
            while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def _jsonl_article(raw: bytes, origin: str, fill: Fill) -> Article | IngestError:
    if len(raw) > MAX_BYTES:
        return IngestError(origin, f"too large ({len(raw) / 2**20:.1f} MB)")
    try:
        row = json.loads(decode(raw))
    except json.JSONDecodeError as e:
        return IngestError(origin, f"bad JSON: {e.msg} (column {e.colno})")
    except RecursionError:
        return IngestError(origin, "bad JSON: nested too deeply")
    if not isinstance(row, dict):
        return IngestError(origin, "expected a JSON object")
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        return IngestError(origin, "missing or empty 'text'")
    if not any(c.isalpha() for c in text):
        return IngestError(origin, "no letters in 'text', not an article")
    if not is_language(text):
        return IngestError(origin, "'text' is not text in a language (too few letters)")
    for key in ("id", "title", "source", "url", "published"):
        if row.get(key) is not None and not isinstance(row[key], str):
            return IngestError(origin, f"'{key}' must be a string or null, "
                                       f"not {type(row[key]).__name__}")
    published = None
    if row.get("published"):
        published = _parse_date(row["published"])
        if published is None:
            return IngestError(origin, f"bad 'published' date {clean_text(row['published'])[:40]!r} "
                                       "(expected YYYY-MM-DD)")
    return fill.article(
        text, origin,
        id=row.get("id") or None,
        title=row.get("title"),
        published=published,
        source=row.get("source"),
        url=row.get("url"),
        original=raw,
    )
