"""Who may write: one shared token, reviewer sessions, and CSRF protection.

Reading needs nothing. Writing needs the token the server was started with
(`summitry serve --token ...`, or one generated and printed at start), given either
- by a program, as `Authorization: Bearer <token>` with a reviewer name in `X-Reviewer`
  (or the body's "by"): browsers never add that header to a cross-site request, so no
  CSRF token is needed; or
- by a person, once, on /login with their name: the server sets a signed session cookie
  (HttpOnly, SameSite=Strict) naming the reviewer, and every form carries a CSRF token.

CSRF uses a signed double-submit token: a random value plus its HMAC under a key derived
from the write token, sent both as the `summitry_csrf` cookie and as the form's `csrf`
field. A request must bring both, equal and correctly signed; a request whose Origin
header names another site is refused as well. Changing the token ends every session.

Sessions are kept on the server as well: the cookie names a session (a random id, signed),
and only sessions in the server's table are valid. Logging out removes the session from the
table, so a copy of the cookie is worthless afterwards; restarting the server ends every
session. Wrong tokens are rate limited per client address (`Throttle`): after
MAX_FAILURES wrong tokens within FAILURE_WINDOW seconds, logins and token-carrying writes
from that address are answered 429 with Retry-After until the window has passed.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
from collections import OrderedDict, deque
from urllib.parse import urlsplit

from fastapi import Request

SESSION_COOKIE = "summitry_session"
CSRF_COOKIE = "summitry_csrf"
MIN_TOKEN_LENGTH = 8
MAX_REVIEWER = 80
SESSION_SECONDS = 12 * 3600
MAX_SESSIONS = 10_000  # sessions kept at once; past this the oldest ends
MAX_FAILURES = 5  # wrong tokens from one address ...
FAILURE_WINDOW = 60.0  # ... within this many seconds, then 429
MAX_TRACKED_ADDRESSES = 10_000  # addresses whose failures are remembered


class WriteRefused(Exception):
    """A write without valid credentials; `status` is 401 (who are you), 403 (refused) or
    429 (too many wrong tokens: try again after `retry_after` seconds)."""

    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def client_address(request: Request) -> str:
    """The address the throttle counts by (the proxy's, behind a reverse proxy)."""
    return request.client.host if request.client else "unknown"


class Throttle:
    """Wrong tokens per client address in a sliding window (see the module's docstring).

    Memory is bounded: at most MAX_TRACKED_ADDRESSES addresses, the least recently failed
    forgotten first."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = FAILURE_WINDOW):
        self.max_failures = max_failures
        self.window = window
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, address: str, now: float) -> int:
        """Seconds `address` must wait before its next try (0: it may try now)."""
        with self._lock:
            times = self._failures.get(address)
            if not times:
                return 0
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) < self.max_failures:
                return 0
            return max(1, int(times[0] + self.window - now + 0.999))

    def failed(self, address: str, now: float) -> None:
        with self._lock:
            times = self._failures.pop(address, None) or deque(maxlen=self.max_failures)
            times.append(now)
            self._failures[address] = times  # most recent last
            while len(self._failures) > MAX_TRACKED_ADDRESSES:
                self._failures.popitem(last=False)

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class WriteAuth:
    """Checks writes against the server's token; see the module's docstring."""

    def __init__(self, token: str):
        if len(token) < MIN_TOKEN_LENGTH:
            raise ValueError(f"the write token must have at least {MIN_TOKEN_LENGTH} characters")
        self._token = token.encode("utf-8")
        self._key = hmac.new(self._token, b"summitry cookies", hashlib.sha256).digest()
        self._sessions: OrderedDict[str, tuple[str, float]] = OrderedDict()  # id -> (reviewer, until)
        self._lock = threading.Lock()
        self.throttle = Throttle()

    def token_matches(self, given: str | None) -> bool:
        # bytes, not str: compare_digest refuses non-ASCII text (a TypeError, not a "no")
        return bool(given) and hmac.compare_digest(given.encode("utf-8", "surrogatepass"), self._token)

    def check_token(self, request: Request, given: str | None, now: float) -> bool:
        """Whether `given` is the write token, counting a wrong one against the client's
        address; WriteRefused(429) while the address has failed too often (its try is then
        not even compared)."""
        address = client_address(request)
        wait = self.throttle.wait(address, now)
        if wait:
            raise WriteRefused(429, f"Too many wrong tokens from this address: try again in {wait} s.",
                               retry_after=wait)
        if self.token_matches(given):
            self.throttle.succeeded(address)
            return True
        self.throttle.failed(address, now)
        return False

    # --- signing -----------------------------------------------------------------------

    def _sign(self, value: str) -> str:
        mac = hmac.new(self._key, value.encode("utf-8"), hashlib.sha256).digest()
        return value + "." + base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")

    def _unsign(self, signed: str | None) -> str | None:
        if not signed or "." not in signed or not signed.isascii():  # we only sign ASCII
            return None
        value = signed.rsplit(".", 1)[0]
        return value if hmac.compare_digest(self._sign(value), signed) else None

    # --- sessions ------------------------------------------------------------------------

    def session_value(self, reviewer: str, now: float) -> str:
        """A new session for `reviewer`, kept in the server's table; its cookie value."""
        session_id = secrets.token_urlsafe(16)
        until = int(now) + SESSION_SECONDS
        with self._lock:
            for old in [k for k, (_, end) in self._sessions.items() if end < now]:
                del self._sessions[old]
            self._sessions[session_id] = (reviewer, until)
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
        payload = json.dumps({"by": reviewer, "until": until, "n": session_id}, separators=(",", ":"))
        return self._sign(base64.urlsafe_b64encode(payload.encode("utf-8")).decode("ascii"))

    def _session(self, request: Request) -> str | None:
        """The id of the session the request's cookie names (signed by us), else None."""
        value = self._unsign(request.cookies.get(SESSION_COOKIE))
        if value is None:
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(value.encode("ascii")))
        except ValueError:
            return None
        session_id = payload.get("n") if isinstance(payload, dict) else None
        return session_id if isinstance(session_id, str) else None

    def reviewer(self, request: Request, now: float) -> str | None:
        """The reviewer of a session that the server still keeps and that has not expired."""
        session_id = self._session(request)
        with self._lock:
            found = self._sessions.get(session_id) if session_id else None
        if found is None or found[1] < now:
            return None
        by = found[0]
        return by if by.strip() else None

    def end_session(self, request: Request) -> None:
        """Forget the request's session: its cookie is refused from now on, wherever it is."""
        session_id = self._session(request)
        if session_id:
            with self._lock:
                self._sessions.pop(session_id, None)

    # --- CSRF ------------------------------------------------------------------------------

    def new_csrf(self) -> str:
        return self._sign(secrets.token_urlsafe(16))

    def csrf_ok(self, request: Request, submitted: str | None) -> bool:
        cookie = request.cookies.get(CSRF_COOKIE)
        if not (isinstance(submitted, str) and cookie and submitted.isascii() and cookie.isascii()):
            return False  # our tokens are ASCII; compare_digest refuses other text
        return hmac.compare_digest(submitted, cookie) and self._unsign(cookie) is not None

    # --- the check of every write ------------------------------------------------------------

    def writer(self, request: Request, form_csrf: str | None, body_by: str | None, now: float) -> str:
        """The reviewer making this write, or WriteRefused."""
        if not same_origin(request):
            raise WriteRefused(403, "This request comes from another site.")
        header = request.headers.get("authorization", "")
        if header:
            scheme, _, given = header.partition(" ")
            if scheme.lower() != "bearer" or not self.check_token(request, given.strip(), now):
                raise WriteRefused(401, "The write token is wrong.")
            by = (request.headers.get("x-reviewer") or body_by or "").strip()
            if not by:
                raise WriteRefused(400, "Name the reviewer (the X-Reviewer header or \"by\").")
            return by[:MAX_REVIEWER]
        by = self.reviewer(request, now)
        if by is None:
            raise WriteRefused(401, "Writing needs the write token: log in first.")
        if not self.csrf_ok(request, form_csrf):
            raise WriteRefused(403, "The form has expired or did not come from this site; "
                                    "reload the page and try again.")
        return by


def same_origin(request: Request) -> bool:
    """False when the Origin (or, without one, the Referer) names another host than ours.

    An absent or "null" Origin proves nothing either way (our pages send no referrer, and
    Chromium then says "null" on form posts): the CSRF token decides those."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if not claimed or claimed == "null":
        return True
    host = request.headers.get("host", "")
    return urlsplit(claimed).netloc == host


def local_path(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site (for redirects after login), else `default`:
    "//evil.example", "https://...", "/\\evil" and control characters are refused."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ord(c) < 32 or c == "\\" for c in target):
        return default
    return target
