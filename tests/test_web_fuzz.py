"""A property test over the web app's OpenAPI document: hostile values in every parameter,
cookie and body give an answer below 500 (a page, a 400 with a reason, a 404, a 413...),
never a server error.

Every GET operation of /openapi.json is called with values drawn for its parameters by their
declared type, plus the values people and attackers send (1e308, Infinity, 9999-12-31,
10^23, crafted `after=` cursors, lone surrogates, NUL, non-ASCII), on the JSON route and
its HTML twin; the write routes get JSON and form bodies with hostile review values (with
the right token, so the values themselves are judged); the cookie header gets arbitrary
bytes. The number of examples is kept modest and the runs derandomised so the suite stays
quick and repeatable; `HYPOTHESIS_PROFILE=long` explores 20 times as much.
"""
from __future__ import annotations

import base64
import json
import os
import uuid
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_web_review import TOKEN, make_review_db

from summitry.web import create_app

settings.register_profile("ci", max_examples=120, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("long", parent=settings.get_profile("ci"), max_examples=2400, derandomize=False)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

BEARER = {"Authorization": f"Bearer {TOKEN}", "X-Reviewer": "fuzz"}

# what careless users and attackers send, whatever the parameter's type
HOSTILE = ["1e308", "9999", "10000", "9223372036854775807", "9223372036854775808", "-1e308", "Infinity", "-Infinity", "NaN", "9999-12-31", "0001-01-01", "0000-00-00",
           "10^23", "1" + "0" * 23, "-1", "0", "99999999999999999999999999", "2031-02-30", "",
           "\x00", "\ud800", "é", "😀", "%", "%00", "../../etc/passwd", "<script>alert(1)</script>",
           "' OR 1=1 --", "a" * 5000, " ", "true", "null", "[]", "{}"]
JSON_ATOMS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
                       st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
                       st.sampled_from(HOSTILE))
JSON_VALUES = st.recursive(JSON_ATOMS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                               st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                           max_leaves=12)
TEXT = st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE))


INTEGERS = st.one_of(st.integers(min_value=-(10**25), max_value=10**25),
                     st.sampled_from([0, 1, 9999, 10000, 2**31, 2**63 - 1, 2**63, -(2**63) - 1]))


def encode(key: list) -> str:
    raw = json.dumps(key, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def crafted_cursor(real: list[list]) -> st.SearchStrategy[str]:
    """`after=` values: a real cursor of some listing with one value replaced (wrong type,
    null, huge, surrogate...), base64 of any JSON, or text."""
    def mutate(key: list) -> st.SearchStrategy[str]:
        return st.builds(lambda i, v: encode(key[:i] + [v] + key[i + 1:]),
                         st.integers(min_value=0, max_value=len(key) - 1), JSON_ATOMS)
    mutated = st.sampled_from(real).flatmap(mutate) if real else st.nothing()
    return st.one_of(mutated, mutated, st.lists(JSON_ATOMS, max_size=5).map(encode), TEXT)


def value_for(schema: dict, name: str, cursors: list[list]) -> st.SearchStrategy:
    types = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
    if name == "after":
        return crafted_cursor(cursors)
    if "integer" in types:
        return st.one_of(INTEGERS.map(str), st.sampled_from(HOSTILE))
    if "array" in types:
        return st.lists(TEXT, max_size=3)
    return TEXT


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def app(request, tmp_path_factory):
    """The app on SQLite, and on a fresh database of the test session's PostgreSQL server
    (which refuses what SQLite lets through: NUL, a text compared with an integer...)."""
    if request.param == "sqlite":
        yield create_app(make_review_db(tmp_path_factory.mktemp("fuzz")), token=TOKEN)
        return
    import psycopg

    server = request.getfixturevalue("postgres_server")
    conninfo = server.replace("postgresql+psycopg://", "postgresql://")
    name = f"fuzz_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    app = create_app(make_review_db(None, server.rsplit("/", 1)[0] + f"/{name}"), token=TOKEN)
    yield app
    app.state.store.close()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def operations(client):
    """(method, path template, parameters) of every operation in the OpenAPI document."""
    doc = client.get("/openapi.json").json()
    return [(method, path, op.get("parameters", [])) for path, ops in doc["paths"].items()
            for method, op in ops.items()]


@pytest.fixture(scope="module")
def known_ids(client):
    """Real ids, so that generated requests reach the pages of records as well as 404s."""
    statements = [r["id"] for r in client.get("/statements.json").json()["rows"]]
    reports = [r["id"] for r in client.get("/meetings.json").json()["rows"]]
    return statements + reports + ["hostile-1", "Arla Venn", "Tomas Rell"]


LISTINGS = ("/meetings.json", "/statements.json", "/meetings/linked.json", "/commitments.json")


@pytest.fixture(scope="module")
def listing_cursors(client):
    """Listing -> the decoded `next` cursor of its first page (one row a page)."""
    found = {}
    for listing in LISTINGS:
        cursor = client.get(listing, params={"size": 1}).json().get("next")
        if cursor:
            found[listing] = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return found


@pytest.fixture(scope="module")
def cursors(listing_cursors):
    assert len(listing_cursors) >= 2
    return list(listing_cursors.values())


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what} -> {response.status_code}: {response.text[:300]}"
    assert "Traceback" not in response.text


def test_no_get_operation_answers_500(client, operations, known_ids, cursors):
    gets = [op for op in operations if op[0] == "get"]

    @PROFILE
    @given(st.data())
    def check(data):
        _, template, parameters = data.draw(st.sampled_from(gets), label="operation")
        path, query = template, []
        for p in parameters:
            if p["in"] == "path":
                value = data.draw(st.one_of(st.sampled_from(known_ids), TEXT), label=p["name"])
                path = path.replace("{" + p["name"] + "}", quote(value.encode("utf-8", "surrogatepass"), safe=""))
            elif p["in"] == "query" and data.draw(st.booleans(), label=f"send {p['name']}"):
                value = data.draw(value_for(p["schema"], p["name"], cursors), label=p["name"])
                query += [(p["name"], v) for v in (value if isinstance(value, list) else [value])]
        if data.draw(st.booleans(), label="as HTML"):
            path = path.removesuffix(".json")
            path = path if path else "/"
        target = path + ("?" + "&".join(f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}"
                                         for k, v in query) if query else "")
        assert_no_server_error(client.get(target), target)

    check()


def test_no_write_answers_500(client, operations, known_ids):
    """Review bodies with hostile values, with the right token: refused with a reason or done."""
    posts = [op for op in operations if op[0] == "post"]
    fields = ["speaker", "kind", "start", "end", "participants", "others_present", "date", "place", "occasion",
              "status", "format", "scheduled_minutes", "actual_minutes", "link", "evidence", "source"]

    @PROFILE
    @given(st.data())
    def check(data):
        _, template, parameters = data.draw(st.sampled_from(posts), label="operation")
        path = template
        for p in parameters:
            value = data.draw(st.one_of(st.sampled_from(known_ids + ["statement", "fact_flag"]), TEXT), label=p["name"])
            path = path.replace("{" + p["name"] + "}", quote(value.encode("utf-8", "surrogatepass"), safe=""))
        body = {"action": data.draw(st.sampled_from(["accept", "correct", "reject", "dismiss", "confirm", ""]) | TEXT),
                "why": data.draw(TEXT), "status": data.draw(TEXT),
                "changes": data.draw(st.dictionaries(st.sampled_from(fields), JSON_VALUES, max_size=4) | JSON_VALUES)}
        as_form = data.draw(st.booleans(), label="as a form")
        if as_form:
            form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in {**body, **body["changes"]}.items()
                    if k != "changes"} if isinstance(body["changes"], dict) else {"action": str(body["action"])}
            encoded = "&".join(f"{quote(k)}={quote(str(v).encode('utf-8', 'surrogatepass'), safe='')}"
                               for k, v in form.items())
            response = client.post(path, content=encoded.encode(), headers={
                **BEARER, "content-type": "application/x-www-form-urlencoded"})
        else:
            raw = json.dumps(body, ensure_ascii=data.draw(st.booleans())).encode("utf-8", "surrogatepass")
            response = client.post(path, content=raw, headers={**BEARER, "content-type": "application/json"})
        assert_no_server_error(response, f"POST {path} {body!r:.200}")

    check()


def test_no_cookie_breaks_a_page(client):
    @PROFILE
    @given(st.binary(max_size=200).filter(lambda b: b"\r" not in b and b"\n" not in b),
           st.sampled_from(["/", "/statements", "/login", "/meetings.json"]))
    def check(cookie, target):
        for raw in (cookie, b"summitry_session=" + cookie, b"summitry_csrf=" + cookie):
            response = client.get(target, headers={"cookie": raw})
            assert_no_server_error(response, f"{target} with cookie {raw!r:.100}")
            assert response.status_code == 200

    check()


@pytest.mark.parametrize("listing", LISTINGS)
def test_no_crafted_cursor_answers_500(client, listing_cursors, listing):
    """A listing's own cursor with one value replaced: the shape is right, the value is not."""
    real = listing_cursors.get(listing) or [{"/commitments.json": "c"}.get(listing, "x"), "2031-01-01", "a", 1, "b"]

    @settings(PROFILE, max_examples=max(10, PROFILE.max_examples // 3))
    @given(crafted_cursor([real]), st.sampled_from(["", ".json", ".csv"]))
    def check(after, suffix):
        target = listing.removesuffix(".json") + suffix
        response = client.get(target or "/", params={"after": after})
        assert_no_server_error(response, f"{target}?after={after}")

    check()


def test_no_correction_value_answers_500(client, known_ids):
    """Corrections of real records by the right reviewer, one or two fields set to hostile
    values (1e308, Infinity, 9999-12-31, lists, huge numbers...): each is made or refused
    with a reason."""
    statements = [i for i in known_ids if ":s" in i]
    reports = [i for i in known_ids if ":m" in i]
    statement_fields = ["speaker", "kind", "start", "end"]
    report_fields = ["participants", "others_present", "date", "place", "occasion", "status", "format",
                     "scheduled_minutes", "actual_minutes", "link"]
    values = st.one_of(JSON_ATOMS, st.lists(JSON_ATOMS, max_size=3), INTEGERS,
                       st.sampled_from([1e308, -1e308, 2**63, 0.5, "9999-12-31", "0001-01-01", "2031-02-30",
                                        "2031", "2031-13", ["Arla Venn"], ["Arla Venn", "Arla Venn"], "apart"]))

    @settings(PROFILE, max_examples=max(10, PROFILE.max_examples // 2))
    @given(st.booleans(), st.data())
    def check(statement, data):
        if statement:
            path = f"/statements/{quote(data.draw(st.sampled_from(statements)), safe='')}/review"
            changes = data.draw(st.dictionaries(st.sampled_from(statement_fields), values, min_size=1, max_size=2))
        else:
            path = f"/meetings/report/{quote(data.draw(st.sampled_from(reports)), safe='')}/review"
            changes = data.draw(st.dictionaries(st.sampled_from(report_fields), values, min_size=1, max_size=2))
        raw = json.dumps({"action": "correct", "why": "fuzz", "changes": changes}).encode()
        response = client.post(path, content=raw, headers={**BEARER, "content-type": "application/json"})
        assert_no_server_error(response, f"POST {path} {changes!r:.200}")

    check()
