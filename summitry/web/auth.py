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
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from urllib.parse import urlsplit

from fastapi import Request

SESSION_COOKIE = "summitry_session"
CSRF_COOKIE = "summitry_csrf"
MIN_TOKEN_LENGTH = 8
MAX_REVIEWER = 80
SESSION_SECONDS = 12 * 3600


class WriteRefused(Exception):
    """A write without valid credentials; `status` is 401 (who are you) or 403 (refused)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def new_token() -> str:
    return secrets.token_urlsafe(24)


class WriteAuth:
    """Checks writes against the server's token; see the module's docstring."""

    def __init__(self, token: str):
        if len(token) < MIN_TOKEN_LENGTH:
            raise ValueError(f"the write token must have at least {MIN_TOKEN_LENGTH} characters")
        self._token = token.encode("utf-8")
        self._key = hmac.new(self._token, b"summitry cookies", hashlib.sha256).digest()

    def token_matches(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode("utf-8"), self._token)

    # --- signing -----------------------------------------------------------------------

    def _sign(self, value: str) -> str:
        mac = hmac.new(self._key, value.encode("utf-8"), hashlib.sha256).digest()
        return value + "." + base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")

    def _unsign(self, signed: str | None) -> str | None:
        if not signed or "." not in signed:
            return None
        value = signed.rsplit(".", 1)[0]
        return value if hmac.compare_digest(self._sign(value), signed) else None

    # --- sessions ------------------------------------------------------------------------

    def session_value(self, reviewer: str, now: float) -> str:
        payload = json.dumps({"by": reviewer, "until": int(now) + SESSION_SECONDS,
                              "n": secrets.token_hex(8)}, separators=(",", ":"))
        return self._sign(base64.urlsafe_b64encode(payload.encode("utf-8")).decode("ascii"))

    def reviewer(self, request: Request, now: float) -> str | None:
        """The reviewer of a valid, unexpired session cookie, else None."""
        value = self._unsign(request.cookies.get(SESSION_COOKIE))
        if value is None:
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(value.encode("ascii")))
        except ValueError:
            return None
        if not isinstance(payload, dict) or payload.get("until", 0) < now:
            return None
        by = payload.get("by")
        return by if isinstance(by, str) and by.strip() else None

    # --- CSRF ------------------------------------------------------------------------------

    def new_csrf(self) -> str:
        return self._sign(secrets.token_urlsafe(16))

    def csrf_ok(self, request: Request, submitted: str | None) -> bool:
        cookie = request.cookies.get(CSRF_COOKIE)
        return (bool(submitted) and bool(cookie) and hmac.compare_digest(submitted, cookie)
                and self._unsign(cookie) is not None)

    # --- the check of every write ------------------------------------------------------------

    def writer(self, request: Request, form_csrf: str | None, body_by: str | None, now: float) -> str:
        """The reviewer making this write, or WriteRefused."""
        if not same_origin(request):
            raise WriteRefused(403, "This request comes from another site.")
        header = request.headers.get("authorization", "")
        if header:
            scheme, _, given = header.partition(" ")
            if scheme.lower() != "bearer" or not self.token_matches(given.strip()):
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
