"""Fetching: an http(s) URL -> an `Article` (HTML read as the readers read a file).

Any failure comes back as an `IngestError`, never raised.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

from ..records import Article
from .readers import (MAX_BYTES, SNIFF_BYTES, Fill, IngestError, article_from_html, article_from_plain, decode,
                      looks_like_html)


def fetch_url(url: str, timeout: float = 10) -> Article | IngestError:
    """Download one article over http(s); any failure comes back as an `IngestError`.

    Other schemes (file://, ftp://, ...) are refused: a URL given to a tool that may run
    on a server must not be a way to read local files.
    """
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        return IngestError(url, f"unsupported URL scheme {scheme!r} (only http and https)")
    request = urllib.request.Request(url, headers={"User-Agent": "summitry/0.1 (+ingest)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
            final_url = response.geturl()
            content_type = response.headers.get_content_type()
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as e:
        return IngestError(url, f"HTTP error {e.code} {e.reason}")
    except urllib.error.URLError as e:
        return IngestError(url, f"cannot reach: {e.reason}")
    except TimeoutError:
        return IngestError(url, f"timed out after {timeout} s")
    except (OSError, ValueError) as e:  # reset connections, malformed URLs, bad responses
        return IngestError(url, f"cannot fetch: {e}")
    if len(data) > MAX_BYTES:
        return IngestError(url, f"too large (over {MAX_BYTES // 2**20} MB)")
    fill = Fill(url=final_url)
    is_html = content_type in ("text/html", "application/xhtml+xml")
    if is_html or looks_like_html(decode(data[:SNIFF_BYTES])):
        return article_from_html(data, url, fill, charset=charset, url=final_url)
    if not content_type.startswith("text/"):
        return IngestError(url, f"not an article (content type {content_type})")
    if charset:
        try:
            data = data.decode(charset).encode("utf-8")
        except (UnicodeDecodeError, LookupError):
            pass  # wrong header: let the usual cascade decide
    return article_from_plain(data, url, fill)
