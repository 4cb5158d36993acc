"""Server hardening (issue 13): body limits before parsing, security headers, sessions ended
on the server at logout, the wrong-token rate limit, 400 (never 500) for malformed values,
and, on a real uvicorn server, the header deadline and the connection cap."""
from __future__ import annotations

import asyncio
import base64
import json
import socket
import time
import urllib.request

import pytest
from fastapi.testclient import TestClient
from test_web_review import TOKEN, csrf_of, log_in, make_review_db, statement_href

from summitry.web import create_app
from summitry.web.auth import SESSION_COOKIE, Throttle
from summitry.web.guard import MAX_BODY, RequestGuard
from summitry.web.params import BadInput, strict_json

BEARER = {"Authorization": f"Bearer {TOKEN}", "X-Reviewer": "bot"}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """The review tests' database, made once: no test here changes it (every write is refused)."""
    return make_review_db(tmp_path_factory.mktemp("hardening"))


@pytest.fixture
def client(db):
    # a new app each test: sessions and the wrong-token counts live in the app
    with TestClient(create_app(db, token=TOKEN), raise_server_exceptions=False) as c:
        yield c


# --- body limits -------------------------------------------------------------------------

def test_a_large_body_is_refused_before_the_token_is_checked(client):
    href = statement_href(client, "Foreign Ministry")
    big = b"x" * (MAX_BODY + 1)
    for headers in ({}, {"Authorization": "Bearer wrong-token-here"}, BEARER):
        response = client.post(href + "/review", content=big, headers={**headers, "content-type": "application/json"})
        assert response.status_code == 413, headers
        assert "too large" in response.json()["error"] and "64 KB" in response.json()["error"]


def test_a_chunked_body_is_counted_as_it_comes(client):
    href = statement_href(client, "Foreign Ministry")
    sent = []

    def chunks():  # no Content-Length: httpx sends it chunked
        for _ in range(1000):
            sent.append(1)
            yield b"y" * 1024

    response = client.post(href + "/review", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_a_content_length_that_is_not_a_number_is_a_bad_request(client):
    href = statement_href(client, "Foreign Ministry")
    response = client.post(href + "/review", content=b"{}", headers={**BEARER, "content-type": "application/json",
                                                                    "content-length": "abc"})
    assert response.status_code == 400 and "Content-Length" in response.json()["error"]


def run_guard(guard: RequestGuard, messages: list, delay: float = 0.0) -> list:
    """The messages `guard` sends for a request whose body comes as `messages`, each after
    `delay` seconds (then nothing more)."""
    sent, queue = [], list(messages)

    async def receive():
        if not queue:
            await asyncio.sleep(3600)
        await asyncio.sleep(delay)
        return queue.pop(0)

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/x", "raw_path": b"/x", "query_string": b"", "headers": []}
    asyncio.run(guard(scope, receive, send))
    return sent


def test_a_body_that_stops_coming_is_answered_408():
    guard = RequestGuard(None, idle_seconds=0.2, total_seconds=5)  # the app is never reached
    started = time.monotonic()
    sent = run_guard(guard, [{"type": "http.request", "body": b"ab", "more_body": True}])
    assert sent[0]["status"] == 408 and time.monotonic() - started < 2


def test_a_body_that_trickles_is_cut_at_the_total_deadline():
    trickle = [{"type": "http.request", "body": b"a", "more_body": True}] * 100
    guard = RequestGuard(None, idle_seconds=1, total_seconds=0.5)
    started = time.monotonic()
    sent = run_guard(guard, trickle, delay=0.1)
    assert sent[0]["status"] == 408 and time.monotonic() - started < 2


def test_a_whole_body_reaches_the_app_in_one_message():
    async def app(scope, receive, send):
        body = await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body["body"]})

    guard = RequestGuard(app)
    parts = [{"type": "http.request", "body": b"ab", "more_body": True},
             {"type": "http.request", "body": b"cd", "more_body": False}]
    sent = run_guard(guard, parts)
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"abcd"


@pytest.mark.parametrize("target", ["/statements?q=a%00b", "/articles/a%00b", "/statements?q=%ff%fe"])
def test_nul_and_bytes_that_are_not_utf8_in_the_address_are_bad_requests(client, target):
    response = client.get(target)
    assert response.status_code == 400


# --- security headers ----------------------------------------------------------------------

@pytest.mark.parametrize("target", ["/", "/meetings.json", "/static/summitry.css", "/no-such-page", "/login"])
def test_every_response_has_the_security_headers(client, target):
    headers = client.get(target).headers
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    assert "script-src 'nonce-" in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_refusals_and_server_errors_have_the_security_headers_too(client, monkeypatch):
    href = statement_href(client, "Foreign Ministry")
    refused = client.post(href + "/review", content=b"x" * (MAX_BODY + 1))
    assert refused.status_code == 413 and refused.headers["x-frame-options"] == "DENY"
    from summitry.web import queries

    monkeypatch.setattr(queries, "latest_articles", lambda *a, **k: 1 / 0)
    broken = client.get("/")
    assert broken.status_code == 500 and broken.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in broken.headers["content-security-policy"]


def test_each_response_has_its_own_nonce(client):
    one, two = (client.get("/").headers["content-security-policy"] for _ in range(2))
    assert one != two


# --- sessions -------------------------------------------------------------------------------

def test_a_copied_session_cookie_is_worthless_after_logout(client, db):
    log_in(client)
    stolen = client.cookies[SESSION_COOKIE]
    page = client.get("/statements")
    assert "Reviewing as" in page.text
    client.post("/logout", data={"csrf": csrf_of(page.text)})
    with TestClient(client.app) as other:  # someone who kept a copy of the cookie
        other.cookies.set(SESSION_COOKIE, stolen)
        assert "Reviewing as" not in other.get("/statements").text
        href = statement_href(other, "Foreign Ministry")
        form = other.get(href)
        refused = other.post(href + "/review", data={"csrf": other.cookies["summitry_csrf"], "action": "reject",
                                                     "why": "x"})
        assert refused.status_code == 401 and form.status_code == 200


def test_a_session_of_another_server_run_is_not_valid(db):
    with TestClient(create_app(db, token=TOKEN)) as first:
        log_in(first)
        cookie = first.cookies[SESSION_COOKIE]
    with TestClient(create_app(db, token=TOKEN)) as second:  # a restart with the same token
        second.cookies.set(SESSION_COOKIE, cookie)
        assert "Reviewing as" not in second.get("/statements").text


# --- the wrong-token rate limit ---------------------------------------------------------------

def test_five_wrong_logins_a_minute_then_429_with_retry_after(client):
    form = client.get("/login")
    csrf = csrf_of(form.text)
    codes = [client.post("/login", data={"csrf": csrf, "name": "Mallory", "token": f"guess-{n:04d}"}).status_code
             for n in range(6)]
    assert codes == [403] * 5 + [429]
    # the right token is refused too while the address waits: a guess is not even compared
    limited = client.post("/login", data={"csrf": csrf, "name": "Ines", "token": TOKEN})
    assert limited.status_code == 429 and 1 <= int(limited.headers["retry-after"]) <= 60
    assert "try again" in limited.text
    href = statement_href(client, "Foreign Ministry")
    api = client.post(href + "/review", json={"action": "reject", "why": "x"}, headers=BEARER)
    assert api.status_code == 429 and "retry-after" in api.headers


def test_wrong_bearer_tokens_count_as_well(client):
    href = statement_href(client, "Foreign Ministry")
    wrong = {"Authorization": "Bearer wrong-token-here", "X-Reviewer": "bot"}
    codes = [client.post(href + "/review", json={"action": "reject", "why": "x"}, headers=wrong).status_code
             for _ in range(6)]
    assert codes == [401] * 5 + [429]


def test_the_throttle_forgets_after_the_window_and_on_success():
    throttle = Throttle(max_failures=2, window=60)
    for t in (0, 1):
        throttle.failed("10.0.0.1", t)
    assert throttle.wait("10.0.0.1", 2) == 58
    assert throttle.wait("10.0.0.2", 2) == 0  # per address
    assert throttle.wait("10.0.0.1", 61) == 0  # the first failure has left the window
    throttle.succeeded("10.0.0.1")
    assert throttle.wait("10.0.0.1", 2) == 0


# --- malformed values: 400 with a reason, never 500 ----------------------------------------

def cursor(*key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


MALFORMED_GETS = [
    "/audit?before=" + "1" + "0" * 23, "/audit.json?before=-1", "/statements?year=10000", "/meetings?year=0",
    "/meetings?size=0", "/meetings?size=100000", "/statements?after=%F0%9F%98%80",
    "/meetings?after=" + cursor("m", None, None, None), "/meetings?after=" + cursor("m", [1], {"a": 1}, 1),
    "/meetings?after=" + cursor("m", "2031", "a", 10**30), "/meetings?after=" + cursor("m", "2031", "a", True),
    "/statements?after=" + cursor("s", "9999-99-99", "a", 1), "/statements?after=" + cursor("s", "2031-01-01", 1, 1),
    "/meetings/linked?after=" + cursor("l", 1, 2), "/meetings/linked?after=" + cursor("l", "\ud800", "x"),
    "/commitments?after=" + cursor("c", "a", "b", 1.5, "d"), "/meetings?after=" + "W" * 5000,
]


@pytest.mark.parametrize("target", MALFORMED_GETS)
def test_malformed_query_values_are_bad_requests(client, target):
    response = client.get(target)
    assert response.status_code == 400, response.text[:300]
    assert "Something went wrong" not in response.text


def test_year_9999_is_a_year_like_another(client):
    assert client.get("/statements?year=9999").status_code == 200
    assert client.get("/meetings?year=9999").status_code == 200


@pytest.mark.parametrize("raw", [b"summitry_csrf=\xe9t\xe9", "summitry_session=\u00e9\u00e9.x".encode(),
                                 b"summitry_session=" + b"A" * 3000, b"\xff\xfe=1; summitry_csrf=..."])
def test_a_cookie_that_is_not_ours_is_ignored(client, raw):
    for target in ("/", "/statements", "/login"):
        response = client.get(target, headers={"cookie": raw})
        assert response.status_code == 200, target


REVIEW_VALUES = [b'{"action": "correct", "why": "x", "changes": {"start": 1e999}}',
                 b'{"action": "correct", "why": "x", "changes": {"start": Infinity}}',
                 b'{"action": "correct", "why": "x", "changes": {"start": NaN}}',
                 b'{"action": "correct", "why": "x", "changes": {"start": 1e308}}',
                 b'{"action": "correct", "why": "x", "changes": {"end": 100000000000000000000000000}}',
                 b'{"action": "correct", "why": "x", "changes": {"speaker": "\\ud800"}}',
                 b'{"action": "correct", "why": "\\u0000", "changes": {"speaker": "a"}}',
                 b'{"action": "correct", "why": "x", "changes": ' + b"[" * 5000 + b"]" * 5000 + b"}",
                 b"\xff\xfe{}", b"[1, 2]", b'"text"']


@pytest.mark.parametrize("body", REVIEW_VALUES)
def test_hostile_review_values_are_bad_requests(client, body):
    href = statement_href(client, "Foreign Ministry")
    response = client.post(href + "/review", content=body, headers={**BEARER, "content-type": "application/json"})
    assert response.status_code == 400, response.text[:300]


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1e308", "Infinity"])
def test_out_of_range_meeting_dates_and_minutes_are_bad_requests(client, value):
    href = client.get("/meetings.json").json()["rows"][0]["href"]
    for field in ("date", "scheduled_minutes", "actual_minutes"):
        response = client.post(href + "/review", json={"action": "correct", "why": "x", "changes": {field: value}},
                               headers=BEARER)
        assert response.status_code == 400, (field, response.text[:300])


def test_strict_json_accepts_plain_json():
    assert strict_json(b'{"a": [1, 2.5, "\\u00e9", null, true]}') == {"a": [1, 2.5, "\u00e9", None, True]}
    for raw in (b"NaN", b"-Infinity", b"1e400", b'"\\udfff"', b"[" * 30 + b"]" * 30):
        with pytest.raises(BadInput):
            strict_json(raw)


# --- a real server: the header deadline and the connection cap ------------------------------

def half_open(base: str) -> socket.socket:
    """A connection that sends half a request and never the rest."""
    host, port = base.removeprefix("http://").split(":")
    s = socket.create_connection((host, int(port)))
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    return s


def closed_by_server(s: socket.socket, wait: float) -> bool:
    s.settimeout(wait)
    try:
        return s.recv(1024) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


@pytest.mark.slow
def test_a_half_sent_request_is_closed_at_the_header_deadline(db):
    from summitry.web.serve import running_in_thread

    with running_in_thread(db, token=TOKEN, header_seconds=0.5) as base:
        s = half_open(base)
        assert closed_by_server(s, 5)
        s.close()
        # a keep-alive connection gets the same deadline for its next request
        host, port = base.removeprefix("http://").split(":")
        k = socket.create_connection((host, int(port)))
        k.sendall(b"GET /static/summitry.css HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.2)
        assert k.recv(65536).startswith(b"HTTP/1.1 200")
        k.sendall(b"GET / HTTP/1.1\r\n")
        assert closed_by_server(k, 5)
        k.close()


@pytest.mark.slow
def test_idle_sockets_make_way_for_real_requests_at_the_connection_cap(db):
    from summitry.web.serve import running_in_thread

    with running_in_thread(db, token=TOKEN, max_connections=20, header_seconds=60) as base:
        idle = [half_open(base) for _ in range(40)]
        time.sleep(0.3)
        for _ in range(5):
            with urllib.request.urlopen(base + "/static/summitry.css", timeout=5) as response:
                assert response.status == 200
        # the oldest idle sockets were closed to make room; the newest are still open
        assert closed_by_server(idle[0], 2)
        assert not closed_by_server(idle[-1], 0.2)
        for s in idle:
            s.close()


@pytest.mark.slow
def test_a_chunked_body_to_a_real_server_is_cut_at_the_limit(db):
    from summitry.web.serve import running_in_thread

    with running_in_thread(db, token=TOKEN) as base:
        host, port = base.removeprefix("http://").split(":")
        s = socket.create_connection((host, int(port)))
        s.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
        chunk = b"%x\r\n%s\r\n" % (16384, b"z" * 16384)
        sent = 0
        answer = b""
        s.settimeout(5)
        try:
            while sent < 50 * 1024 * 1024:  # 50 MB if the server read it all
                s.sendall(chunk)
                sent += 16384
                s.setblocking(False)
                try:
                    answer += s.recv(4096)
                except BlockingIOError:
                    pass
                s.settimeout(5)
                if answer:
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass
        if not answer:
            try:
                answer = s.recv(4096)
            except OSError:
                pass
        s.close()
        assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
        assert sent < 5 * 1024 * 1024
