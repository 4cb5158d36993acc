"""The app's outer middleware: what every request and response passes, before any page runs.

- `SecurityHeaders` (outermost) puts the security headers on every response, error pages
  and static files included: a Content-Security-Policy that allows no script but one
  carrying the request's nonce (`request.state.csp_nonce`), no framing, no MIME sniffing,
  no referrer.
- `RequestGuard` reads the request body before the app does, at most MAX_BODY bytes, with an
  idle and a total deadline, whether its length was announced (Content-Length) or not
  (chunked): a body over the limit is answered 413 before a byte of it is parsed and before
  the write token is checked, so an unauthenticated client cannot make the server hold a
  large body. It also refuses, with a 400, what no page could use: a Content-Length that is
  not a number, and NUL characters or invalid UTF-8 in the path or query.

- `HeadAsGet` answers HEAD as the GET of the same URL without its body (link checkers,
  feed readers and `curl -I` ask with HEAD; FastAPI routes answer GET only).

All three are plain ASGI middleware (not Starlette's BaseHTTPMiddleware), so a refused request
costs no more than its first bytes.
"""
from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote_to_bytes

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 64 * 1024  # bytes: the largest body a page accepts is a review's few fields
BODY_IDLE_SECONDS = 10.0  # the longest pause between two pieces of a body
BODY_TOTAL_SECONDS = 30.0  # the longest a body may take to arrive


def content_security_policy(nonce: str) -> str:
    """No script at all unless it carries `nonce`; styles, images and forms from this site
    only; never framed. (The pages use none of inline script, inline style or event
    attributes: the browser tests run under this policy.)"""
    return ("default-src 'none'; "
            f"script-src 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


STATIC_HEADERS = {
    "x-frame-options": "DENY",  # for browsers without CSP frame-ancestors
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}


def security_headers(nonce: str) -> dict[str, str]:
    return {"content-security-policy": content_security_policy(nonce), **STATIC_HEADERS}


class HeadAsGet:
    """Runs a HEAD request as a GET and sends the response's status and headers (its
    Content-Length included, as HTTP asks) without the body."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)


class SecurityHeaders:
    """Adds `security_headers` to every HTTP response (a header the app set itself wins)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        extra = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in security_headers(nonce).items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in extra if k not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def wants_json(scope: Scope) -> bool:
    """Whether a refusal should be JSON (as the app's own error pages decide)."""
    headers = {k.lower(): v for k, v in scope.get("headers", [])}
    path = scope.get("path", "")
    accept = headers.get(b"accept", b"")
    return (path.endswith((".json", ".csv")) or b"_format=json" in scope.get("query_string", b"")
            or (b"application/json" in accept and b"text/html" not in accept)
            or headers.get(b"content-type", b"").startswith(b"application/json"))


async def refuse(scope: Scope, send: Send, status: int, message: str,
                 headers: dict[str, str] | None = None) -> None:
    """Answer `status` with `message` (JSON or plain text) and close the connection: the
    rest of a refused body is never read."""
    if wants_json(scope):
        body, kind = json.dumps({"status": status, "error": message}).encode(), b"application/json"
    else:
        body, kind = f"Error {status}: {message}\n".encode(), b"text/plain; charset=utf-8"
    raw = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
    raw += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class RequestGuard:
    """Refuses oversized, slow and malformed requests before the app sees them (see the
    module's docstring); the app then receives the whole body in one message."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY, idle_seconds: float = BODY_IDLE_SECONDS,
                 total_seconds: float = BODY_TOTAL_SECONDS):
        self.app = app
        self.max_body = max_body
        self.idle_seconds = idle_seconds
        self.total_seconds = total_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self.bad_target(scope)
        if problem:
            await refuse(scope, send, 400, problem)
            return
        length = None
        for name, value in scope.get("headers", []):
            if name.lower() == b"content-length":
                if not value.strip().isdigit():
                    await refuse(scope, send, 400, "The Content-Length header is not a number.")
                    return
                length = int(value)
        if length is not None and length > self.max_body:
            await refuse(scope, send, 413, self.too_large())
            return
        body = await self.read_body(scope, receive, send)
        if body is None:
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: only a disconnect can come

        await self.app(scope, replay, send)

    def too_large(self) -> str:
        return f"The request body is too large: at most {self.max_body // 1024} KB is accepted."

    @staticmethod
    def bad_target(scope: Scope) -> str | None:
        """Why the path or query cannot be used, or None. Databases refuse NUL (PostgreSQL)
        and no page has a use for bytes that are not UTF-8. The path is checked as the app
        will route it (`path`, already decoded) and as it was sent (`raw_path`)."""
        path = scope.get("path", "")
        if "\x00" in path:
            return "The address holds a NUL character."
        if not path.isascii():
            try:
                path.encode("utf-8")
            except UnicodeEncodeError:
                return "The address is not UTF-8 text."
        for what, raw in (("address", scope.get("raw_path") or b""), ("query", scope.get("query_string", b""))):
            decoded = unquote_to_bytes(raw.replace(b"+", b" ") if what == "query" else raw)
            if b"\x00" in decoded:
                return f"The {what} holds a NUL character."
            try:
                decoded.decode("utf-8")
            except UnicodeDecodeError:
                return f"The {what} is not UTF-8 text."
        return None

    async def read_body(self, scope: Scope, receive: Receive, send: Send) -> bytes | None:
        """The whole body, or None when it was refused (413, 408) or the client left."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.total_seconds
        chunks: list[bytes] = []
        size = 0
        while True:
            wait = min(self.idle_seconds, deadline - loop.time())
            try:
                message = await asyncio.wait_for(receive(), timeout=max(wait, 0))
            except TimeoutError:
                await refuse(scope, send, 408, "The request body came too slowly.")
                return None
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await refuse(scope, send, 413, self.too_large())
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)
