"""Fetching: an http(s) URL -> an `Article` (HTML read as the readers read a file).

A URL given to a tool that may run on a server must not become a way into that server's
network, nor a way to hold it: every hop of a redirect must be http or https and resolve to a
public address (loopback, private, link-local, multicast and reserved addresses, the cloud
metadata address among them, are refused unless the user opts in with
`allow_private=True`, the CLI's `--allow-private-addresses`); the whole fetch has a deadline
and a size limit, however slowly the server sends. Any failure comes back as an
`IngestError`, never raised.

What this cannot stop: a host whose DNS answer changes between the check and the connection
(DNS rebinding). The check resolves the name just before each hop; an operator who fears more
should fetch through an egress proxy.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from ..records import Article
from .readers import (MAX_BYTES, SNIFF_BYTES, Fill, IngestError, article_from_html, article_from_plain, decode,
                      looks_like_html)

MAX_REDIRECTS = 5
USER_AGENT = "summitry/0.1 (+ingest)"


def fetch_url(url: str, timeout: float = 10, *, deadline: float = 30,
              allow_private: bool = False) -> Article | IngestError:
    """Download one article over http(s): each network wait at most `timeout` seconds, the
    whole fetch at most `deadline` seconds."""
    stop = time.monotonic() + deadline
    try:
        with http_client(timeout) as client:
            return _fetch(client, url, stop, deadline, allow_private)
    except httpx.TimeoutException:
        return IngestError(url, f"timed out after {timeout} s")
    except httpx.HTTPError as e:  # refused connections, resets, bad responses
        return IngestError(url, f"cannot fetch: {_reason(e)}")
    except (OSError, ValueError) as e:
        return IngestError(url, f"cannot fetch: {e}")


def _fetch(client: httpx.Client, url: str, stop: float, deadline: float,
           allow_private: bool) -> Article | IngestError:
    fetched = _get(client, url, stop, deadline, allow_private)
    if isinstance(fetched, IngestError):
        return fetched
    return _article(url, fetched.url, fetched.headers, fetched.data)


@dataclass(frozen=True)
class Fetched:
    """A response read whole: its status (200, or 304 Not Modified for a conditional GET), the
    URL it came from after redirects, its headers and body."""

    status: int
    url: str
    headers: httpx.Headers
    data: bytes


def fetch(url: str, *, headers: dict[str, str] | None = None, timeout: float = 10, deadline: float = 30,
          allow_private: bool = False, max_bytes: int = MAX_BYTES,
          client: httpx.Client | None = None) -> Fetched | IngestError:
    """GET one http(s) URL with the same safety as `fetch_url` (every hop http(s) and public
    unless `allow_private`, a timeout per wait, a deadline for the whole, at most `max_bytes`),
    with extra request `headers` (If-None-Match, If-Modified-Since: a 304 comes back as a
    `Fetched` with status 304 and no body). `client` lets a caller keep connections open."""
    stop = time.monotonic() + deadline
    own = client is None
    try:
        if own:
            client = http_client(timeout)
        return _get(client, url, stop, deadline, allow_private, headers or {}, max_bytes)
    except httpx.TimeoutException:
        return IngestError(url, f"timed out after {timeout} s")
    except httpx.HTTPError as e:
        return IngestError(url, f"cannot fetch: {_reason(e)}")
    except (OSError, ValueError) as e:
        return IngestError(url, f"cannot fetch: {e}")
    finally:
        if own and client is not None:
            client.close()


def http_client(timeout: float) -> httpx.Client:
    return httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT},
                        trust_env=False)


def _get(client: httpx.Client, url: str, stop: float, deadline: float, allow_private: bool,
         headers: dict[str, str] | None = None, max_bytes: int = MAX_BYTES) -> Fetched | IngestError:
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        refused = refused_destination(current, allow_private)
        if refused:
            return IngestError(url, refused)
        with client.stream("GET", current, headers=headers) as response:
            if response.status_code == 304:  # before is_redirect: httpx counts 304 among the 3xx
                return Fetched(304, str(response.url), response.headers, b"")
            if response.is_redirect:
                location = response.headers.get("location")
                if not location:
                    return IngestError(url, f"HTTP {response.status_code} redirect without a location")
                current = urljoin(current, location)
                continue
            if response.status_code >= 400:
                return IngestError(url, f"HTTP error {response.status_code} {response.reason_phrase}")
            data = _body(response, stop, max_bytes)
            if isinstance(data, str):
                return IngestError(url, data.format(deadline=deadline))
            return Fetched(response.status_code, str(response.url), response.headers, data)
    return IngestError(url, f"more than {MAX_REDIRECTS} redirects")


def article_from_response(url: str, fetched: Fetched) -> Article | IngestError:
    """The article of a fetched page, read as `fetch_url` reads it (trafilatura for HTML)."""
    return _article(url, fetched.url, fetched.headers, fetched.data)


def refused_destination(url: str, allow_private: bool = False) -> str | None:
    """Why summitry will not fetch `url`, or None: a scheme other than http(s), no host, or
    a host that resolves to an address that is not public (unless `allow_private`)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return f"unsupported URL scheme {scheme!r} (only http and https)"
    host = parts.hostname
    if not host:
        return "no host in the URL"
    if allow_private:
        return None
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, parts.port or (443 if scheme == "https" else 80),
                                                              type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError, ValueError) as e:
        return f"cannot resolve {host!r}: {getattr(e, 'strerror', None) or e}"
    for address in sorted(addresses):
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.version == 6 and ip.ipv4_mapped:  # ::ffff:127.0.0.1 is 127.0.0.1
            ip = ip.ipv4_mapped
        if not ip.is_global or ip.is_multicast:
            return (f"{host} is a {_kind(ip)} address ({ip}); fetching it is refused "
                    "(--allow-private-addresses allows it)")
    return None


def _kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_private:
        return "private"
    if ip.is_multicast:
        return "multicast"
    return "reserved"


def _body(response: httpx.Response, stop: float, max_bytes: int = MAX_BYTES) -> bytes | str:
    """The body, or why it was not read whole (too large, too slow: a message to format)."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            return (f"too large (over {max_bytes // 2**20} MB)" if max_bytes >= 2**20
                    else f"too large (over {max_bytes} bytes)")
        chunks.append(chunk)
        if time.monotonic() > stop:
            return "too slow: not downloaded within {deadline} s"
    return b"".join(chunks)


def _article(url: str, final_url: str, headers: httpx.Headers, data: bytes) -> Article | IngestError:
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    charset = _charset(headers.get("content-type", ""))
    fill = Fill(url=final_url)
    is_html = content_type in ("text/html", "application/xhtml+xml")
    if is_html or looks_like_html(decode(data[:SNIFF_BYTES])):
        return article_from_html(data, url, fill, charset=charset, url=final_url)
    if content_type and not content_type.startswith("text/"):
        return IngestError(url, f"not an article (content type {content_type})")
    if charset:
        try:
            data = data.decode(charset).encode("utf-8")
        except (UnicodeDecodeError, LookupError):
            pass  # wrong header: let the usual cascade decide
    return article_from_plain(data, url, fill)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None


def _reason(e: httpx.HTTPError) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__
